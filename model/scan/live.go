package scan

// Live cuts lines that arrive over time into entries, for any number of streams. An entry
// is complete when a later line of its stream starts another entry, or when Flush says
// that no more is coming soon (its source went quiet); until then the last entry of each
// stream is held, so that its continuation lines can still join it.
type Live struct {
	starts  StartsEntry
	pending map[any]*held
}

// held is the last entry of a stream, maybe not complete yet.
type held struct {
	off  int64
	data []byte // with line terminators
}

// NewLive returns a Live splitter that finds entry starts with starts.
func NewLive(starts StartsEntry) *Live {
	return &Live{starts: starts, pending: map[any]*held{}}
}

// Emit receives a complete entry: its stream, its offset in the stream and its raw bytes
// (without the final line terminator).
type Emit func(stream any, offset int64, raw []byte)

// Feed takes whole lines of stream that start at offset off, right after the lines fed
// before, and emits the entries they complete. The lines' bytes must not change afterwards.
func (l *Live) Feed(stream any, off int64, lines []byte, emit Emit) {
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
	l.pending[stream] = &held{off: off + int64(lastOff), data: append([]byte(nil), lines[lastOff:]...)}
}

// Flush emits every held entry.
func (l *Live) Flush(emit Emit) {
	for stream, h := range l.pending {
		emit(stream, h.off, TrimEOL(h.data))
		delete(l.pending, stream)
	}
}

// End emits the held entry of a stream that will get no more lines.
func (l *Live) End(stream any, emit Emit) {
	if h := l.pending[stream]; h != nil {
		emit(stream, h.off, TrimEOL(h.data))
		delete(l.pending, stream)
	}
}

// Held reports whether any entry is held.
func (l *Live) Held() bool { return len(l.pending) > 0 }

func firstLine(b []byte) []byte { return trimCR(b[:lineEndNoLF(b, 0)]) }
