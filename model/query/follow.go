package query

import (
	"bufio"
	"io"

	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/source"
)

// Follow writes the entries that the filter selects from live sources as they arrive, in
// the order they arrive, until in is closed. Changes of a source's state go to onState.
// It returns how many entries each source delivered (selected or not).
func Follow(in <-chan source.Chunk, opt Options, w io.Writer, onState func(source.Chunk)) (map[string]int, error) {
	if opt.Filter == nil {
		opt.Filter, _ = filter.Compile("")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	sel := newSelector(opt, "")
	whole := newWholeMessages(opt, "")
	counts := map[string]int{}
	names := map[*source.Generation]string{}
	var out []byte
	var werr error
	entry := func(gen *source.Generation, _ int64, raw []byte) {
		counts[names[gen]]++
		var selected bool
		out, _, selected = sel.add(out[:0], raw)
		var frag string
		if selected || len(whole.selected) > 0 {
			frag = string(sel.fragmentID(raw))
		}
		if !whole.keep(frag, selected) {
			return
		}
		if !selected {
			out, _ = sel.write(out[:0], raw)
		}
		if werr == nil {
			_, werr = bw.Write(out)
		}
	}
	flush := func() {
		if werr == nil {
			werr = bw.Flush()
		}
	}
	source.SplitEntries(in, sel.p.StartsEntry, source.EntryHandlers{
		State: func(c source.Chunk) {
			if onState != nil {
				onState(c)
			}
		},
		Text:  func(c source.Chunk) { names[c.Gen] = c.Source },
		Entry: entry,
		Pause: flush,
	})
	return counts, werr
}
