// Package filtered keeps the lists of entries that the UI's panes show: the entries of a
// store, or of another list, that a pane's settings select — the administrator log, a
// minimum level, a filter expression, a search — in order, and up to date as the store
// grows. Matching runs in the background, on all cores, in steps that report progress;
// it never rescans what it has already examined, and stops when the list is closed.
package filtered

import (
	"context"
	"io"
	"iter"
	"runtime"
	"slices"
	"sync"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/literal"
	"github.com/calltail/calltail/model/parallel"
	"github.com/calltail/calltail/model/store"
)

// Predicate selects entries by their parsed form: a filter expression, or a search.
type Predicate interface {
	Match(r *model.Record) bool
	// Needles are texts of which a matching entry holds at least one, or nil.
	Needles() []filter.Needle
}

// Spec says which entries of the base a list keeps.
type Spec struct {
	MinLevel model.Level // entries below it are left out; model.LevelDebug keeps all
	Match    Predicate   // nil keeps every entry at or above MinLevel
}

// Base is what a list selects from: positions First()..Len()-1, each an entry number.
// Positions are kept for good: when the store lets its oldest entries go, the first
// position moves on and the others stay as they were.
type Base interface {
	First() int
	Len() int
	At(i int) uint32
}

// All is the entries of a store that it holds, as a Base.
type All struct{ Floor, N int }

// AllOf returns the entries st holds.
func AllOf(st *store.Store) All {
	v := st.View()
	return All{Floor: v.First(), N: v.Len()}
}

// First returns the number of the first entry held.
func (a All) First() int { return a.Floor }

// Len returns the number after the last entry.
func (a All) Len() int { return a.N }

// At returns entry number i.
func (a All) At(i int) uint32 { return uint32(i) }

// BaseFunc gives a list its current base: called again whenever the list syncs, so that the
// base can grow (the store's length, the administrator postings, another list's entries).
type BaseFunc func() Base

// List is the entries of a base that a Spec selects.
type List struct {
	store     *store.Store
	spec      Spec
	source    BaseFunc
	newParser model.NewParserFunc
	notify    func()
	needles   []*literal.Matcher

	mu      sync.Mutex
	base    Base
	ids     []uint32 // the entries selected so far and held (nil when the list is its whole base)
	dropped int      // the entries selected that the store has let go since
	scanned int      // base positions examined
	running bool
	wake    chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
}

// New returns a list selecting from source by spec. notify is called (from another
// goroutine) whenever the list has grown; it must not block.
func New(st *store.Store, source BaseFunc, spec Spec, newParser model.NewParserFunc, notify func()) *List {
	ctx, cancel := context.WithCancel(context.Background())
	l := &List{store: st, spec: spec, source: source, newParser: newParser, notify: notify,
		ctx: ctx, cancel: cancel, wake: make(chan struct{}, 1), base: source()}
	if spec.Match != nil {
		for _, n := range spec.Match.Needles() {
			l.needles = append(l.needles, literal.New(n.Text, n.Fold))
		}
	}
	go l.run()
	l.Sync()
	return l
}

// identity reports whether the list is its whole base: nothing to select.
func (l *List) identity() bool { return l.spec.Match == nil && l.spec.MinLevel <= model.LevelDebug }

// Close stops the background work.
func (l *List) Close() { l.cancel() }

// Sync looks at the base again and examines what was added to it since, in the background.
// The entries the store has let go leave the list, into a new array, so that Snaps taken
// before stay as they were.
func (l *List) Sync() {
	b := l.source()
	floor := uint32(l.store.First())
	l.mu.Lock()
	l.base = b
	if k, _ := slices.BinarySearch(l.ids, floor); k > 0 {
		l.ids = append([]uint32(nil), l.ids[k:]...)
		l.dropped += k
	}
	l.mu.Unlock()
	poke(l.wake)
}

// Progress returns how many base positions have been examined, and how many there are.
func (l *List) Progress() (done, total int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	first, n := l.base.First(), l.base.Len()
	if l.identity() {
		return n - first, n - first
	}
	return max(l.scanned, first) - first, n - first
}

// Snap is a consistent view of a list, to read without locks while rendering a frame.
type Snap struct {
	base    Base
	ids     []uint32
	dropped int
	all     bool
}

// Snap returns the list as it is now.
func (l *List) Snap() Snap {
	l.mu.Lock()
	defer l.mu.Unlock()
	return Snap{base: l.base, ids: l.ids[:len(l.ids):len(l.ids)], dropped: l.dropped, all: l.identity()}
}

// First returns the position of the first entry in the list: entries before it were let
// go by the store.
func (s Snap) First() int {
	if s.all {
		return s.base.First()
	}
	return s.dropped
}

// Len returns the position after the last entry in the list.
func (s Snap) Len() int {
	if s.all {
		return s.base.Len()
	}
	return s.dropped + len(s.ids)
}

// Count returns how many entries the list holds.
func (s Snap) Count() int { return s.Len() - s.First() }

// All yields the entry numbers of the list, in order.
func (s Snap) All() iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		for i := s.First(); i < s.Len(); i++ {
			if !yield(s.At(i)) {
				return
			}
		}
	}
}

// At returns the entry number at position i of the list, First() <= i < Len().
func (s Snap) At(i int) uint32 {
	if s.all {
		return s.base.At(i)
	}
	return s.ids[i-s.dropped]
}

// Search returns the position of the first entry numbered id or more (Len() if none; at
// least First()).
func (s Snap) Search(id uint32) int {
	lo, hi := s.First(), s.Len()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.At(m) < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func poke(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// step is how many base positions one unit of background work examines.
const step = 8192

// run examines new base positions whenever Sync says there are some.
func (l *List) run() {
	workers := runtime.GOMAXPROCS(0)
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-l.wake:
		}
		if l.identity() {
			continue // nothing to examine: the list is its base, which the caller just read
		}
		l.mu.Lock()
		base, from := l.base, max(l.scanned, l.base.First())
		l.mu.Unlock()
		if from >= base.Len() {
			continue
		}
		type span struct {
			from, to int
			ids      []uint32
		}
		o := parallel.NewOrdered(workers, func(sp span) span {
			if l.ctx.Err() == nil {
				sp.ids = l.examine(base, sp.from, sp.to)
			}
			return sp
		}, func(sp span) {
			l.mu.Lock()
			l.ids = append(l.ids, sp.ids...)
			l.scanned = sp.to
			l.mu.Unlock()
			l.notify()
		})
		for i := from; i < base.Len() && l.ctx.Err() == nil; i += step {
			o.Submit(span{from: i, to: min(i+step, base.Len())})
		}
		o.Close()
	}
}

// examine returns the entries at base positions [from, to) that the spec selects.
func (l *List) examine(base Base, from, to int) []uint32 {
	v := l.store.View()
	var out []uint32
	var p model.Parser
	var rec model.Record
	var rd reader
	for i := from; i < to; i++ {
		id := base.At(i)
		if int(id) >= v.Len() {
			break
		}
		if int(id) < v.First() {
			continue // let go since the base was read
		}
		if v.Entry(int(id)).Level < l.spec.MinLevel {
			continue
		}
		if l.spec.Match != nil {
			raw, err := rd.raw(v, int(id))
			if err != nil || !l.holdsNeedle(raw) {
				continue
			}
			if p == nil {
				p = l.newParser()
			}
			p.Parse(raw, &rec)
			v.Label(int(id), &rec)
			if !l.spec.Match.Match(&rec) {
				continue
			}
		}
		out = append(out, id)
	}
	return out
}

func (l *List) holdsNeedle(raw []byte) bool {
	if l.needles == nil {
		return true
	}
	for _, m := range l.needles {
		if m.Contains(raw) {
			return true
		}
	}
	return false
}

// reader reads entries' text in blocks: entries that follow each other in a source are
// read with one system call.
type reader struct {
	block      []byte
	src        uint16
	start, end int64 // the block's range in its source
}

const blockSize = 1 << 20

func (r *reader) raw(v store.View, id int) ([]byte, error) {
	e := v.Entry(id)
	n := int64(v.RawLen(id))
	off := e.Offset()
	if e.Origin == r.src && off >= r.start && off+n <= r.end && r.block != nil {
		return r.block[off-r.start : off-r.start+n], nil
	}
	if n > blockSize/2 { // a huge entry: read it alone
		return v.Raw(nil, id)
	}
	if cap(r.block) < blockSize {
		r.block = make([]byte, blockSize)
	}
	got, err := v.ReadText(e.Origin, off, r.block[:blockSize])
	if int64(got) < n {
		r.block = r.block[:0]
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	r.block, r.src, r.start, r.end = r.block[:got], e.Origin, off, off+int64(got)
	return r.block[:n], nil
}

// Entries is a list of entry numbers, as a Base: a call's timeline.
type Entries []uint32

// First returns 0: the list starts at its first entry.
func (e Entries) First() int { return 0 }

// Len returns the number of entries.
func (e Entries) Len() int { return len(e) }

// At returns the i-th entry number.
func (e Entries) At(i int) uint32 { return e[i] }
