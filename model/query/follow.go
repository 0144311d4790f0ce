package query

import (
	"bufio"
	"io"
	"time"

	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/scan"
	"github.com/calltail/calltail/source"
)

// hold is how long the last entry of a quiet source is held for continuation lines
// before it is printed: short, since live Pexip lines carry their line breaks as ^M.
const hold = 5 * time.Millisecond

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
	live := scan.NewLive(sel.p.StartsEntry)
	counts := map[string]int{}
	names := map[*source.Generation]string{}
	var out []byte
	var werr error
	emit := func(stream any, _ int64, raw []byte) {
		counts[names[stream.(*source.Generation)]]++
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
	var idle scan.IdleTimer
	defer idle.Stop()
	for {
		select {
		case c, ok := <-in:
			if !ok {
				live.Flush(emit)
				flush()
				return counts, werr
			}
			if c.Data == nil {
				if onState != nil {
					onState(c)
				}
				continue
			}
			names[c.Gen] = c.Source
			live.Feed(c.Gen, c.Offset, c.Data, emit)
			if len(in) == 0 {
				flush()
			}
			idle.Arm(live, hold)
		case <-idle.C():
			idle.Fired(live, hold, emit)
			flush()
		}
	}
}
