package session

import (
	"time"

	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/source"
)

// hold is how long the last entry of a quiet stream waits for continuation lines before it
// is let go: short, since live Pexip lines carry their line breaks as ^M.
const hold = 5 * time.Millisecond

// entryHandlers say what splitEntries does with what arrives.
type entryHandlers struct {
	State func(source.Chunk)                                     // a change of a source's state
	Text  func(source.Chunk)                                     // a chunk of text, before its entries are cut
	Entry func(gen *source.Generation, offset int64, raw []byte) // an entry, whole
	Pause func()                                                 // nothing more is waiting: deliver what there is
}

// splitEntries cuts the text of live chunks into entries, in each stream's order, until in
// is closed. A stream's last entry is held until its next line, or hold of quiet, shows
// it complete.
func splitEntries(in <-chan source.Chunk, starts split.StartsEntry, h entryHandlers) {
	live := split.NewJoiner(starts)
	emit := func(stream any, offset int64, raw []byte) { h.Entry(stream.(*source.Generation), offset, raw) }
	var idle split.IdleTimer
	defer idle.Stop()
	for {
		select {
		case c, ok := <-in:
			if !ok {
				live.Flush(emit)
				h.Pause()
				return
			}
			if c.Data == nil {
				h.State(c)
				continue
			}
			h.Text(c)
			live.Feed(c.Gen, c.Offset, c.Data, emit)
			if len(in) == 0 {
				h.Pause()
			}
			idle.Arm(live, hold)
		case <-idle.C():
			idle.Fired(live, hold, emit)
			h.Pause()
		}
	}
}
