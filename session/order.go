package session

import (
	"container/heap"
	"math"
	"sync"
	"time"

	"github.com/calltail/calltail/model/store"
)

// Live entries are put in time order across streams before they are appended. A stream
// is the entries of one node from one source (a followed file, a syslog listener): each
// arrives in its own order, and several arrive interleaved as they happen to be read or
// received, a remote node's later than a near one's. Each stream's lag — how long after
// their originating time its entries arrive, the largest of its last two seconds — tells
// how long the others' entries must wait for its entries of the same moment. An entry is
// appended once it is older than the largest lag of the other streams heard in the last
// streamQuiet (a live source not heard from yet counts, its lag unknown), or once it has
// waited orderWindow, whichever is first; of the entries held, the earliest goes first,
// each stream's own order kept. With one stream, nothing waits. An entry that arrives
// after later ones were appended — beyond the window, or from a stream not heard from for
// long — is appended where it arrives: entries, once appended, never move.
const (
	orderWindow = 100 * time.Millisecond // the longest an entry waits for the others
	streamQuiet = 10 * time.Second       // a stream not heard from for longer is not waited for
)

// never is a lag that makes an entry wait the whole window: a source not heard from yet.
const never = math.MaxInt64 / 4

// streamKey names a stream: a source, and a hash of a node name (0: none named).
type streamKey struct {
	source uint16
	node   uint64
}

// stream is what is known of one stream, and its entries held.
type stream struct {
	held    []heldEntry // in arrival order: held[next] is the stream's next entry
	next    int
	time    int64 // the time of its last entry that had one, given to those without
	lag     int64 // the largest lag (µs) of its entries in second, and of its second before
	prevLag int64
	second  int64
	timed   bool  // an entry had a time: its lag is known
	unheard bool  // a live source not heard from yet (its lag is not known)
	heard   int64 // when its last entry arrived, µs since the epoch
	index   int   // in the heap of heads, or -1
}

// head returns the stream's next entry; it holds one.
func (s *stream) head() *heldEntry { return &s.held[s.next] }

// pop removes the stream's next entry and returns it. The space of those gone is used
// again: when none is left, or once they are more than those left.
func (s *stream) pop() heldEntry {
	e := s.held[s.next]
	s.held[s.next] = heldEntry{}
	switch s.next++; {
	case s.next == len(s.held):
		s.held, s.next = s.held[:0], 0
	case s.next >= 1024 && s.next > len(s.held)-s.next:
		n := copy(s.held, s.held[s.next:])
		clear(s.held[n:])
		s.held, s.next = s.held[:n], 0
	}
	return e
}

// empty reports whether the stream holds no entry.
func (s *stream) empty() bool { return s.next == len(s.held) }

// lagNow returns how long the stream's entries take to arrive, as far as is known.
func (s *stream) lagNow() int64 {
	if s.unheard {
		return never
	}
	return max(s.lag, s.prevLag)
}

// observe takes in the lag of an entry that arrived at now.
func (s *stream) observe(lag, now int64) {
	sec := now / 1e6
	switch {
	case !s.timed:
		s.lag, s.prevLag, s.second, s.timed = lag, lag, sec, true
	case sec != s.second:
		s.prevLag, s.lag, s.second = s.lag, lag, sec
	default:
		s.lag = max(s.lag, lag)
	}
}

// heldEntry is an entry of a parsed batch, held to be appended in order.
type heldEntry struct {
	b       *store.Batch
	i       int
	time    int64 // its time, or its stream's before it
	arrived int64
	seq     uint64 // arrival order, for ties
}

// reorder holds live entries briefly and appends them in time order (see orderWindow).
// add and the timer it sets run on different goroutines: mu serialises them, and the
// appends they make.
type reorder struct {
	mu       sync.Mutex
	append   func(*store.Batch)
	newBatch func() *store.Batch
	streams  map[streamKey]*stream
	last     map[uint16]streamKey // by source: its last entry's stream, for entries that name no node
	heads    streamHeads
	seq      uint64
	timer    *time.Timer
	out      []heldEntry // the entries being released, its space used again
	closed   bool
	swept    int64        // when quiet streams were last forgotten
	now      func() int64 // the time, µs since the epoch, when the timer fires
}

// newReorder returns a reorder that appends with appendBatch, merged batches made with
// newBatch, and waits for the live sources numbered 0..sources-1 until they are heard
// from, or streamQuiet from now.
func newReorder(appendBatch func(*store.Batch), newBatch func() *store.Batch, sources int, now int64) *reorder {
	r := &reorder{append: appendBatch, newBatch: newBatch, streams: map[streamKey]*stream{}, last: map[uint16]streamKey{}, swept: now,
		now: func() int64 { return time.Now().UnixMicro() }}
	for src := range sources {
		r.streams[streamKey{source: uint16(src)}] = &stream{unheard: true, heard: now, index: -1}
	}
	return r
}

// add takes in a parsed batch that arrived at now (µs): each entry's source and node hash
// say its stream. It appends what is due, and sets a timer for the rest.
func (r *reorder) add(p parsed, now int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range p.b.Len() {
		key := streamKey{p.sources[i], p.nodes[i]}
		if key.node == 0 { // no node named: the stream of the entry before it
			if k, ok := r.last[key.source]; ok {
				key = k
			}
		}
		r.last[key.source] = key
		s := r.stream(key)
		t := p.b.Time(i)
		if t != 0 {
			s.time = t
			s.observe(now-t, now)
		} else {
			t = s.time
		}
		s.heard = now
		r.seq++
		s.held = append(s.held, heldEntry{b: p.b, i: i, time: t, arrived: now, seq: r.seq})
		if s.index < 0 {
			heap.Push(&r.heads, s)
		}
	}
	r.release(now)
}

// stream returns the stream of key, made if new; a source's first entry ends its
// waiting as unheard.
func (r *reorder) stream(key streamKey) *stream {
	if s, ok := r.streams[key]; ok {
		s.unheard = false
		return s
	}
	if s, ok := r.streams[streamKey{source: key.source}]; ok && s.unheard {
		delete(r.streams, streamKey{source: key.source})
	}
	s := &stream{index: -1}
	r.streams[key] = s
	return s
}

// release appends the entries due at now, earliest first, and sets the timer for the
// next.
func (r *reorder) release(now int64) {
	lags := r.lags(now)
	window := orderWindow.Microseconds()
	for len(r.heads) > 0 {
		s := r.heads[0]
		e := s.head()
		if now-e.time < lags.without(s) && now-e.arrived < window && !r.overdue(now-window) {
			break
		}
		r.popHead()
	}
	r.emit()
	r.schedule(now, lags)
	if now-r.swept >= int64(time.Second/time.Microsecond) {
		r.sweep(now)
	}
}

// overdue reports whether a stream's next entry arrived at cutoff or before.
func (r *reorder) overdue(cutoff int64) bool {
	for _, s := range r.heads {
		if s.head().arrived <= cutoff {
			return true
		}
	}
	return false
}

// popHead moves the earliest entry held to the entries being released.
func (r *reorder) popHead() {
	s := r.heads[0]
	r.out = append(r.out, s.pop())
	if s.empty() {
		heap.Pop(&r.heads)
	} else {
		heap.Fix(&r.heads, 0)
	}
}

// emit appends the entries released, in order: a parsed batch released whole and in its
// order (one stream's, or several whose times were in order already) as it is, the others
// copied into merged batches.
func (r *reorder) emit() {
	out := r.out
	defer func() { clear(out); r.out = out[:0] }()
	var merged *store.Batch
	flush := func() {
		if merged != nil {
			r.append(merged)
			merged = nil
		}
	}
	for k := 0; k < len(out); {
		if b := out[k].b; out[k].i == 0 && wholeBatch(out[k:], b) {
			flush()
			r.append(b)
			k += b.Len()
			continue
		}
		if merged == nil {
			merged = r.newBatch()
		}
		merged.AddFrom(out[k].b, out[k].i)
		if k++; merged.Len() >= mergeBatch {
			flush()
		}
	}
	flush()
}

// wholeBatch reports whether out begins with every entry of b, in b's order.
func wholeBatch(out []heldEntry, b *store.Batch) bool {
	if len(out) < b.Len() {
		return false
	}
	for i, e := range out[:b.Len()] {
		if e.b != b || e.i != i {
			return false
		}
	}
	return true
}

// schedule sets the timer for when the next entry held is due.
func (r *reorder) schedule(now int64, lags lagTop) {
	if len(r.heads) == 0 {
		return
	}
	s := r.heads[0]
	next := s.head().time + lags.without(s)
	for _, h := range r.heads {
		next = min(next, h.head().arrived+orderWindow.Microseconds())
	}
	d := max(time.Duration(next-now)*time.Microsecond, 500*time.Microsecond)
	if r.timer == nil {
		r.timer = time.AfterFunc(d, r.tick)
	} else {
		r.timer.Reset(d)
	}
}

// tick releases what is due when the timer fires.
func (r *reorder) tick() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.closed {
		r.release(r.now())
	}
}

// close appends every entry still held, in order, and stops the timer.
func (r *reorder) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
	}
	for len(r.heads) > 0 {
		r.popHead()
	}
	r.emit()
}

// sweep forgets the streams not heard from for streamQuiet that hold nothing.
func (r *reorder) sweep(now int64) {
	r.swept = now
	for k, s := range r.streams {
		if s.index < 0 && now-s.heard >= streamQuiet.Microseconds() {
			delete(r.streams, k)
		}
	}
}

// lagTop is the two largest lags of the streams heard from lately: an entry waits for the
// largest of the others'.
type lagTop struct {
	first, second int64
	of            *stream // the stream whose lag is first
}

// lags returns the two largest lags of the streams heard from in the last streamQuiet.
func (r *reorder) lags(now int64) lagTop {
	top := lagTop{first: math.MinInt64 / 4, second: math.MinInt64 / 4}
	for _, s := range r.streams {
		if !s.timed && !s.unheard || now-s.heard >= streamQuiet.Microseconds() {
			continue
		}
		switch l := s.lagNow(); {
		case l > top.first:
			top.second, top.first, top.of = top.first, l, s
		case l > top.second:
			top.second = l
		}
	}
	return top
}

// without returns the largest lag of the streams other than s.
func (t lagTop) without(s *stream) int64 {
	if s == t.of {
		return t.second
	}
	return t.first
}

// streamHeads orders the streams that hold entries by their next entry: the earliest,
// then the first to arrive.
type streamHeads []*stream

func (h streamHeads) Len() int { return len(h) }
func (h streamHeads) Less(i, j int) bool {
	a, b := h[i].head(), h[j].head()
	return a.time < b.time || a.time == b.time && a.seq < b.seq
}
func (h streamHeads) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *streamHeads) Push(x any) {
	s := x.(*stream)
	s.index = len(*h)
	*h = append(*h, s)
}
func (h *streamHeads) Pop() any {
	old := *h
	s := old[len(old)-1]
	s.index = -1
	*h = old[:len(old)-1]
	return s
}
