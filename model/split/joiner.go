package split

import "time"

// Joiner cuts lines that arrive over time into entries, for any number of streams. An entry
// is complete when a later line of its stream starts another entry, or when its stream has
// been quiet for a while (FlushIdle); until then the last entry of each stream is held, so
// that its continuation lines can still join it.
type Joiner struct {
	starts  StartsEntry
	pending map[any]*held
}

// held is the last entry of a stream, maybe not complete yet.
type held struct {
	off  int64
	data []byte    // with line terminators
	fed  time.Time // when its stream last got lines
}

// NewJoiner returns a Joiner that finds entry starts with starts.
func NewJoiner(starts StartsEntry) *Joiner {
	return &Joiner{starts: starts, pending: map[any]*held{}}
}

// Emit receives a complete entry: its stream, its offset in the stream and its raw bytes
// (without the final line terminator).
type Emit func(stream any, offset int64, raw []byte)

// Feed takes whole lines of stream that start at offset off, right after the lines fed
// before, and emits the entries they complete. The lines' bytes must not change afterwards.
func (l *Joiner) Feed(stream any, off int64, lines []byte, emit Emit) {
	h := l.pending[stream]
	// Continuation lines at the start join the held entry.
	if h != nil {
		i := 0
		for i < len(lines) && !l.starts(trimCR(lines[i:lineEndNoLF(lines, i)])) {
			i = lineEnd(lines, i)
		}
		if i > 0 {
			h.data = append(h.data, lines[:i]...)
			lines, off = lines[i:], off+int64(i)
			h.fed = time.Now()
		}
		if len(lines) == 0 {
			return
		}
		emit(stream, h.off, TrimEOL(h.data))
		delete(l.pending, stream)
	}
	var lastOff int
	var last []byte
	for pos, raw := range Entries(lines, l.starts) {
		if last != nil {
			emit(stream, off+int64(lastOff), last)
		}
		lastOff, last = pos, raw
	}
	if last == nil {
		return
	}
	if !l.starts(firstLine(last)) { // a line of no entry: nothing can join it
		emit(stream, off+int64(lastOff), last)
		return
	}
	l.pending[stream] = &held{off: off + int64(lastOff), data: append([]byte(nil), lines[lastOff:]...), fed: time.Now()}
}

// FlushIdle emits the held entries of the streams that got no lines for idle or more, and
// returns how long until another held entry will have been idle that long (0 if none is
// held any more). A busy stream does not hold back a quiet one.
func (l *Joiner) FlushIdle(now time.Time, idle time.Duration, emit Emit) time.Duration {
	var next time.Duration
	for stream, h := range l.pending {
		if wait := idle - now.Sub(h.fed); wait > 0 {
			if next == 0 || wait < next {
				next = wait
			}
			continue
		}
		emit(stream, h.off, TrimEOL(h.data))
		delete(l.pending, stream)
	}
	return next
}

// Flush emits every held entry (the streams have ended).
func (l *Joiner) Flush(emit Emit) {
	for stream, h := range l.pending {
		emit(stream, h.off, TrimEOL(h.data))
		delete(l.pending, stream)
	}
}

// Held reports whether any entry is held.
func (l *Joiner) Held() bool { return len(l.pending) > 0 }

func firstLine(b []byte) []byte { return trimCR(b[:lineEndNoLF(b, 0)]) }

// IdleTimer wakes a Joiner's owner when a held entry may have been idle long enough.
// The zero value is ready; Stop releases it.
type IdleTimer struct {
	t     *time.Timer
	armed bool
}

// Arm makes the timer fire after idle if an entry is held and it is not already set: a
// stream that keeps feeding does not push the wake-up back.
func (it *IdleTimer) Arm(l *Joiner, idle time.Duration) {
	if it.armed || !l.Held() {
		return
	}
	if it.t == nil {
		it.t = time.NewTimer(idle)
	} else {
		it.t.Reset(idle)
	}
	it.armed = true
}

// C is the channel the timer fires on (nil, never ready, when it is not set).
func (it *IdleTimer) C() <-chan time.Time {
	if it.t == nil {
		return nil
	}
	return it.t.C
}

// Fired flushes the streams that have been idle long enough and sets the timer for the next.
func (it *IdleTimer) Fired(l *Joiner, idle time.Duration, emit Emit) {
	it.armed = false
	if next := l.FlushIdle(time.Now(), idle, emit); next > 0 {
		it.t.Reset(next)
		it.armed = true
	}
}

// Stop releases the timer.
func (it *IdleTimer) Stop() {
	if it.t != nil {
		it.t.Stop()
	}
}
