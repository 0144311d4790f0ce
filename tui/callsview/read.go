package callsview

import (
	"runtime/debug"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/report"
)

// readDone is what a read of the calls brought: the rows of the calls new or changed
// since the read before (of every call, when reset), the numbers of the calls gone since,
// and the rows' strings and the nodes' names they were measured with.
type readDone struct {
	version uint64
	first   int  // of a first look: how many calls there are, of which rows are the newest; 0 otherwise
	reset   bool // rows are every call's: the list shows them instead of what it had
	rows    []callRow
	gone    []int
	look    lookup
}

// reader reads the calls for the list, in the background, one read at a time: it alone
// touches its fields while a read runs.
type reader struct {
	index     *calls.Index
	st        *store.Store
	newParser model.NewParserFunc
	loaded    func() bool // whether the session's first load is done
	names     report.NodeNames
	stamps    calls.Stamps // how each call stood when last read
	texts     texts        // the strings of the rows made
}

// read reads what changed among the calls since the last read, sends it to out, and
// pokes notify. The first read of a large log takes seconds: it first sends the newest
// calls, read at once (a first look), then all of them.
//
// While it reads every call of a loaded session, the collector runs at readGCPercent.
func (rd *reader) read(first bool, out chan<- readDone, notify func()) {
	if first && rd.loaded != nil && rd.loaded() { // while the load runs, it sets the collector's pace
		gc := debug.SetGCPercent(readGCPercent)
		defer func() {
			if now := debug.SetGCPercent(gc); now != readGCPercent {
				debug.SetGCPercent(now) // changed meanwhile: that stays
			}
		}()
	}
	nodes := rd.names.Learn(rd.st, rd.newParser())
	send := func(done readDone) {
		out <- done
		if notify != nil {
			notify()
		}
	}
	if first {
		newest, total := rd.index.Newest(firstLook)
		if total > len(newest) {
			send(readDone{first: total, reset: true, rows: rd.rowsOf(newest, nodes, nil), look: lookup{rd.texts.all, nodes}})
		}
	}
	var rows []callRow
	gone, version := rd.index.ReadChanged(&rd.stamps, calls.StreamChunk, func(chunk []calls.Call, of int) {
		if rows == nil {
			rows = make([]callRow, 0, of)
		}
		rows = rd.rowsOf(chunk, nodes, rows)
	})
	send(readDone{version: version, reset: first, rows: rows, gone: gone, look: lookup{rd.texts.all, nodes}})
}

// readGCPercent is the collector's GOGC while the list reads every call: most of what
// the read allocates is garbage at once (lines read back and parsed, the summaries once
// their rows are made), and at the default 100 the heap grows to twice what the session
// keeps before the collector runs (1 GB file: peak RSS after c ~530 MB at 100, see
// BENCHMARKS.md, "The calls list in memory").
const readGCPercent = 30

// firstLook is how many of the newest calls a first read sends before the rest: more than
// a screen holds, read in a moment.
const firstLook = 200

// rowsOf appends the rows of calls to rows.
func (rd *reader) rowsOf(all []calls.Call, nodes map[string]string, rows []callRow) []callRow {
	rows = append(rows, make([]callRow, len(all))...)
	at := len(rows) - len(all)
	for i := range all {
		rows[at+i] = rowOf(&all[i], &rd.texts, nodes)
	}
	return rows
}
