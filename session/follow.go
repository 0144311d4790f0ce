package session

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/calltail/calltail/model/query"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/source"
)

// Follow prints the entries that opt's filter selects from live sources as they arrive,
// in the order they arrive, until the sources end or ctx is done: calltail -n -f, syslog
// and pipes. What happens to a source (rotated, waiting, failed) is said on stderr;
// when following ends, a one-line summary of what each source delivered and lost.
func Follow(ctx context.Context, sources []source.Live, opt query.Options, stdout, stderr io.Writer, summary bool) error {
	chunks := make(chan source.Chunk, 64)
	runErr := make(chan error, 1)
	go func() { runErr <- source.RunAll(ctx, sources, chunks) }()
	counts, err := followEntries(chunks, opt, stdout, func(c source.Chunk) {
		if c.State != source.Following {
			fmt.Fprintf(stderr, "calltail: %s\n", sanitize.String(c.Note))
		}
	})
	if rerr := <-runErr; err == nil {
		err = rerr
	}
	if summary {
		fmt.Fprintln(stderr, sanitize.String(source.Summary(sources, counts)))
	}
	return err
}

// followEntries writes the entries that the filter selects from live chunks as they
// arrive, until in is closed. Changes of a source's state go to onState. It returns how
// many entries each source delivered (selected or not).
func followEntries(in <-chan source.Chunk, opt query.Options, w io.Writer, onState func(source.Chunk)) (map[string]int, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	stream := query.NewStream(opt)
	counts := map[string]int{}
	names := map[*source.Generation]string{}
	var werr error
	splitEntries(in, stream.StartsEntry, entryHandlers{
		State: onState,
		Text:  func(c source.Chunk) { names[c.Gen] = c.Source },
		Entry: func(gen *source.Generation, _ int64, raw []byte) {
			counts[names[gen]]++
			if out := stream.Add(raw); out != nil && werr == nil {
				_, werr = bw.Write(out)
			}
		},
		Pause: func() {
			if werr == nil {
				werr = bw.Flush()
			}
		},
	})
	if werr == nil { // the input ended: what was held for a message cut short is written
		if _, werr = bw.Write(stream.Flush()); werr == nil {
			werr = bw.Flush()
		}
	}
	return counts, werr
}
