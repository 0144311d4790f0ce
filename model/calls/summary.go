package calls

import (
	"iter"
	"runtime"
	"slices"
	"sync"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/paged"
	"github.com/calltail/calltail/model/store"
)

// summaries reads calls' summaries from their entries when they are asked for, and keeps
// them: a call read before is brought up to date with what came since, and read again
// whole once another call has merged into it. Indexing thus pays only for grouping lines
// into calls; reading what they say is paid by whoever looks at the calls.
type summaries struct {
	mu        sync.Mutex // one reader at a time; taken before the index's lock, never after
	st        *store.Store
	newParser model.NewParserFunc
	read      paged.Slice[*summary] // by call number, from 1; nil for calls merged away or let go
	before    int                   // the calls before this index of Index.calls were read by ReadAheadBefore
	names     []names               // by reading goroutine: the values calls share
}

// summary is a call's summary and how much of the call it has read.
type summary struct {
	call                      Call
	merges                    int
	events, members, grouping int // how many of the call's events and ids it has read
}

// snapshot is a call as it stood when its summary was asked for: a copy of its lists,
// to be read without the lock while the index goes on.
type snapshot struct {
	number int
	counts
	merges                    int
	events, members, grouping []uint32
}

// snapshot returns call c as it stands (with the lock held). Its lists share one
// allocation.
func (x *Index) snapshot(c *call) snapshot {
	ls := &x.lists
	all := make([]uint32, 0, c.events.n+c.members.n+c.grouping.n)
	all = append(all, ls.Of(c.events)...)
	all = append(all, ls.Of(c.members)...)
	all = append(all, ls.Of(c.grouping)...)
	e, m := int(c.events.n), int(c.events.n+c.members.n)
	return snapshot{number: c.number, counts: c.counts, merges: int(c.merges), events: all[:e:e], members: all[e:m:m], grouping: all[m:]}
}

// Calls returns the summary of every call, in order of appearance. The first call after
// a file was indexed reads every call's telling lines back, in parallel; later calls
// read only what came since.
func (x *Index) Calls() []Call {
	calls, _ := x.Listing()
	return calls
}

// Listing returns the summary of every call, as Calls does, and the Version they are of.
func (x *Index) Listing() ([]Call, uint64) {
	x.catchUp()
	s := &x.summaries
	s.mu.Lock()
	defer s.mu.Unlock()
	snaps, version := x.snapshots()
	return s.bring(snaps, true), version
}

// ReadAhead reads what is new of every call, as Calls would, without handing the calls
// out, and returns the Version read: a live session keeps its summaries read while their
// lines can still be read back (a file truncated in place takes its text with it), and
// the calls list opens at once.
//
// Only the calls that changed since it last ran are looked at.
func (x *Index) ReadAhead() uint64 {
	x.catchUp()
	s := &x.summaries
	s.mu.Lock()
	defer s.mu.Unlock()
	snaps, version := x.changed()
	s.bring(snaps, false)
	return version
}

// Newest returns the summaries of the last n calls, in order of appearance, and how many
// calls there are: a calls list shows them at once while ReadChanged reads the rest. It
// keeps none of the summaries it reads (see bringOnce).
func (x *Index) Newest(n int) ([]Call, int) {
	x.catchUp()
	s := &x.summaries
	s.mu.Lock()
	defer s.mu.Unlock()
	x.mu.RLock()
	var snaps []snapshot
	total := 0
	for i := x.calls.Len() - 1; i >= 0; i-- {
		if c := x.calls.Get(i); c != nil {
			if len(snaps) < n {
				snaps = append(snaps, x.snapshot(c))
			}
			total++
		}
	}
	x.mu.RUnlock()
	slices.Reverse(snaps)
	return s.bringOnce(snaps), total
}

// Unread forgets which calls changed since ReadAhead last ran, without reading them, and
// returns the Version that is. A session calls it when its first load is done: the
// calls that load found cost no summaries until the calls list asks for them, or until
// the store is about to let their lines go (ReadAheadBefore).
func (x *Index) Unread() uint64 {
	x.catchUp()
	x.mu.Lock()
	defer x.mu.Unlock()
	x.touched = slices.DeleteFunc(x.touched, func(seq uint32) bool {
		c := x.made.Get(int(seq - 1))
		if c == nil || c.number == 0 {
			return c == nil // calls not numbered yet stay listed, as changed keeps them
		}
		c.touched = false
		return true
	})
	return x.version
}

// ReadAheadBefore reads the summaries of the calls whose first line is before entry
// number n, in the order they were numbered, from where it last stopped: a session
// calls it with the entries the store lets go next, so that those calls keep what their
// lines told.
func (x *Index) ReadAheadBefore(n uint32) {
	x.catchUp()
	s := &x.summaries
	s.mu.Lock()
	defer s.mu.Unlock()
	x.mu.RLock()
	var snaps []snapshot
	for ; s.before < x.calls.Len(); s.before++ {
		c := x.calls.Get(s.before)
		if c == nil {
			continue // merged into another call, or let go
		}
		if c.events.n > 0 && x.lists.Of(c.events)[0] >= n {
			break
		}
		snaps = append(snaps, x.snapshot(c))
	}
	x.mu.RUnlock()
	s.bring(snaps, false)
}

// changed returns the calls that changed since it last ran, as they stand, and the
// version that is, and forgets the summaries of the calls merged away since (with the
// summaries' lock held). Calls not numbered yet stay listed for the next time.
func (x *Index) changed() ([]snapshot, uint64) {
	s := &x.summaries
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, n := range x.died {
		if n <= s.read.Len() {
			*s.read.At(n - 1) = nil
		}
	}
	x.died = x.died[:0]
	s.read.Trim(func(r **summary) bool { return *r == nil })
	var snaps []snapshot
	kept := x.touched[:0]
	for _, seq := range x.touched {
		switch c := x.made.Get(int(seq - 1)); {
		case c == nil: // merged away
		case c.number == 0:
			kept = append(kept, seq)
		default:
			c.touched = false
			snaps = append(snaps, x.snapshot(c))
		}
	}
	x.touched = kept
	return snaps, x.version
}

// snapshots returns every call as it stands, and the version that is, and forgets the
// summaries of the calls that were merged into others (with the summaries' lock held).
func (x *Index) snapshots() ([]snapshot, uint64) {
	s := &x.summaries
	x.mu.RLock()
	defer x.mu.RUnlock()
	snaps := make([]snapshot, 0, x.calls.Len())
	for i, p := range x.calls.All() {
		if c := *p; c != nil {
			snaps = append(snaps, x.snapshot(c))
		} else if i < s.read.Len() && s.read.Get(i) != nil {
			*s.read.At(i) = nil // merged into another call, or let go
		}
	}
	return snaps, x.version
}

// Call returns the summary of call number n, following merges.
func (x *Index) Call(n int) (Call, bool) {
	x.catchUp()
	s := &x.summaries
	s.mu.Lock()
	defer s.mu.Unlock()
	x.mu.RLock()
	c := x.number(n)
	if c == nil {
		x.mu.RUnlock()
		return Call{}, false
	}
	snap := x.snapshot(c)
	x.mu.RUnlock()
	return s.bring([]snapshot{snap}, true)[0], true
}

// Instance returns the summaries of the calls in the conference instance of call number
// n (see Call.Instance), its own included, in order of appearance; nil if the logs do not
// say which instance the call was in.
func (x *Index) Instance(n int) []Call {
	c, ok := x.Call(n)
	inst := c.Instance()
	if !ok || inst == "" {
		return nil
	}
	var out []Call
	same := func(chunk []Call) error {
		for _, o := range chunk {
			if o.Instance() == inst {
				out = append(out, o)
			}
		}
		return nil
	}
	if len(c.ConferenceIDs) > 0 {
		if id, ok := x.st.IDNumber(model.ConferenceID, c.ConferenceIDs[0]); ok {
			same(x.callsWith(id))
			return out
		}
	}
	x.Stream(StreamChunk, same) // every call's summary is read, a chunk at a time
	return out
}

// callsWith returns the summaries of the calls whose lines carry the Conversation-Id or
// Conference-ID numbered id.
func (x *Index) callsWith(id uint32) []Call {
	s := &x.summaries
	s.mu.Lock()
	defer s.mu.Unlock()
	x.mu.RLock()
	var snaps []snapshot
	for _, p := range x.calls.All() {
		if c := *p; c != nil && x.lists.Contains(c.grouping, id) {
			snaps = append(snaps, x.snapshot(c))
		}
	}
	x.mu.RUnlock()
	return s.bring(snaps, true)
}

// bring brings the summaries of the calls up to date and, if out, returns copies of them.
// A copy shares the summary's slices: a summary only ever appends to them, so what a copy
// sees stays as it was.
//
// The lines to read are read in the order they are in the file, a large window at a
// time, on all cores, and what each tells is then applied to its call in that order.
func (s *summaries) bring(calls []snapshot, out bool) []Call {
	var todo []uint64 // entry<<32 | index in calls, of the lines to read
	for i, c := range calls {
		s.read.Grow(c.number)
		r := s.read.Get(c.number - 1)
		if r == nil || r.merges != c.merges {
			r = &summary{call: Call{Number: c.number}, merges: c.merges}
			*s.read.At(c.number - 1) = r
		}
		for _, n := range c.members[r.members:] {
			r.call.addID(s.st.IDText(n))
		}
		for _, n := range c.grouping[r.grouping:] {
			r.call.addID(s.st.IDText(n))
		}
		for _, entry := range c.events[r.events:] {
			todo = append(todo, uint64(entry)<<32|uint64(i))
		}
		r.members, r.grouping, r.events = len(c.members), len(c.grouping), len(c.events)
	}
	slices.Sort(todo)
	workers := runtime.GOMAXPROCS(0)
	for len(s.names) < workers {
		s.names = append(s.names, names{})
	}
	entries := make([]uint32, min(len(todo), bringRound))
	events := make([]*event, len(entries))
	for len(todo) > 0 {
		round := todo[:min(len(todo), bringRound)]
		todo = todo[len(round):]
		for j, t := range round {
			entries[j], events[j] = uint32(t>>32), nil
		}
		s.readWhole(entries[:len(round)], func(j int, r *model.Record, msg []byte) { events[j] = extract(r, msg) })
		var wg sync.WaitGroup
		for w := range workers { // each applies to the calls that are its own
			wg.Go(func() {
				for j, t := range round {
					if i := int(uint32(t)); i%workers == w && events[j] != nil {
						s.read.Get(calls[i].number-1).call.apply(events[j], s.names[w])
					}
				}
			})
		}
		wg.Wait()
	}
	if !out {
		return nil
	}
	copies := make([]Call, len(calls))
	for i, c := range calls {
		copies[i] = s.read.Get(c.number - 1).call
		copies[i].Entries, copies[i].Warnings, copies[i].Errors = int(c.entries), int(c.warnings), int(c.errors)
		copies[i].finish(c.counts)
	}
	return copies
}

// bringRound is how many lines bring reads before applying them: it bounds the memory
// the lines' events take.
const bringRound = 1 << 16

// readEach reads entries back, on all cores, and calls fn with the i-th one's record
// (from several goroutines at once). Entries whose text is gone (a spool that could not
// be written) are left out. Entries in file order are read many at a time.
func (s *summaries) readEach(entries []uint32, fn func(i int, r *model.Record)) {
	workers := min(runtime.GOMAXPROCS(0), (len(entries)+255)/256)
	per := (len(entries) + workers - 1) / max(workers, 1)
	v := s.st.View()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			p, win := s.newParser(), window{view: v}
			defer win.release()
			var rec model.Record
			end := min(len(entries), (w+1)*per)
			for i := w * per; i < end; i++ {
				if raw, ok := win.raw(entries[i:end]); ok {
					rec = model.Record{}
					p.Parse(raw, &rec)
					v.Label(int(entries[i]), &rec)
					fn(i, &rec)
				}
			}
		})
	}
	wg.Wait()
}

// window reads entries' text back many at a time: one read covers the next entries of
// the same source that lie within windowSize of the first.
type window struct {
	view  store.View
	src   uint16
	start int64 // where buf starts in src
	buf   *[]byte
	n     int // how much of buf holds text
}

// windowSize is the most a window reads at once, unless one entry is longer.
const windowSize = 1 << 20

// windowBufs keeps windows' buffers between reads.
var windowBufs = sync.Pool{New: func() any { return new([]byte) }}

// raw returns the raw bytes of entries[0], valid until the next call, or false if its
// text cannot be read or the store has let it go. entries[1:] are those to be read next, in file order.
func (w *window) raw(entries []uint32) ([]byte, bool) {
	if int(entries[0]) < w.view.First() {
		return nil, false // let go: its entry says no more where its text is
	}
	e := w.view.Entry(int(entries[0]))
	off, size := e.Offset(), w.view.RawLen(int(entries[0]))
	if w.buf == nil || e.Origin != w.src || off < w.start || off+int64(size) > w.start+int64(w.n) {
		end := off + int64(size)
		for _, next := range entries[1:] { // read as far as the entries to come, within the window
			ne := w.view.Entry(int(next))
			nend := ne.Offset() + int64(w.view.RawLen(int(next)))
			if ne.Origin != e.Origin || nend-off > windowSize || ne.Offset() < off {
				break
			}
			end = max(end, nend)
		}
		if w.buf == nil {
			w.buf = windowBufs.Get().(*[]byte)
		}
		if cap(*w.buf) < int(end-off) {
			*w.buf = make([]byte, end-off)
		}
		n, _ := w.view.ReadText(e.Origin, off, (*w.buf)[:end-off]) // short at the end of the text
		w.src, w.start, w.n = e.Origin, off, n
		if n < size {
			w.n = 0
			return nil, false // the entry's text is gone
		}
	}
	at := int(off - w.start)
	return (*w.buf)[at : at+size], true
}

// release gives the window's buffer back.
func (w *window) release() {
	if w.buf != nil {
		windowBufs.Put(w.buf)
		w.buf = nil
	}
}

// mergeSorted yields the numbers of two ascending lists in ascending order.
func mergeSorted(a, b []uint32) iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		for len(a) > 0 || len(b) > 0 {
			var n uint32
			if len(b) == 0 || len(a) > 0 && a[0] <= b[0] {
				n, a = a[0], a[1:]
			} else {
				n, b = b[0], b[1:]
			}
			if !yield(n) {
				return
			}
		}
	}
}

// Names returns the conferences and the participants of the calls, each once, in the
// order of the calls: what a picker offers to filter by. The summaries are read a chunk
// at a time and forgotten (Stream): a large log's are not all held at once.
func (x *Index) Names() (conferences, participants []string) {
	seen := map[string]bool{}
	add := func(list *[]string, kind, name string) {
		if name != "" && !seen[kind+name] {
			seen[kind+name] = true
			*list = append(*list, name)
		}
	}
	x.Stream(StreamChunk, func(chunk []Call) error {
		for _, c := range chunk {
			add(&conferences, "c", c.Conference)
			add(&participants, "p", c.Participant)
		}
		return nil
	})
	return conferences, participants
}
