package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/report"
)

// callsGCPercent is the collector's GOGC while --calls runs: most of what it allocates
// is garbage at once (lines read, parsed, let go; a chunk's summaries once written), and
// what it keeps is the index, so the heap need not grow to twice that before the
// collector runs (300 MB file: peak RSS 155-184 MB at 100, 118-126 MB at 30).
const callsGCPercent = 30

// callsChunk is how many calls --calls reads and writes at a time (a variable for tests).
var callsChunk = calls.StreamChunk

// callsTable prints the calls table (--calls), or one JSON object a call, from the paths'
// logs: the calls are indexed, then their summaries read and written a chunk at a time
// (calls.Index.Stream), so that they are never all in memory. With --no-spam the table
// leaves out the calls of SIP scanners, and says on stderr how many.
func callsTable(ctx context.Context, opt options, stdin io.Reader, stdout, stderr io.Writer) error {
	st := store.New()
	index := calls.New(st, opt.newParser)
	defer debug.SetGCPercent(debug.SetGCPercent(callsGCPercent))
	in, err := load(ctx, opt, stdin, st)
	if err != nil {
		return err
	}
	defer in.Close() // after the report: it reads entries back
	return writeCallsStream(index, opt, stdout, stderr)
}

// writeCallsStream writes the calls of index as --calls prints them, reading them a
// chunk at a time.
func writeCallsStream(index *calls.Index, opt options, stdout, stderr io.Writer) error {
	table := report.NewCallsTable()
	bw := bufio.NewWriter(stdout)
	hidden := 0
	err := index.Stream(callsChunk, func(chunk []calls.Call) error {
		if opt.noSpam {
			var n int
			chunk, n = calls.WithoutScanners(chunk)
			hidden += n
		}
		if opt.json {
			return report.WriteCallsJSON(bw, chunk)
		}
		for i := range chunk {
			table.Add(&chunk[i])
		}
		return nil
	})
	if err == nil && !opt.json {
		_, err = table.WriteTo(bw)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if hidden > 0 {
		what := "scanner calls"
		if hidden == 1 {
			what = "scanner call"
		}
		fmt.Fprintf(stderr, "calltail: %d %s hidden (--no-spam)\n", hidden, what)
	}
	return err
}
