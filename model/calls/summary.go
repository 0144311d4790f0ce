package calls

import (
	"iter"
	"runtime"
	"sync"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/store"
)

// summaries reads calls' summaries from their entries when they are asked for, and keeps
// them: a call read before is brought up to date with what came since, and read again
// whole once another call has merged into it. Indexing thus pays only for grouping lines
// into calls; reading what they say is paid by whoever looks at the calls.
type summaries struct {
	mu        sync.Mutex // one reader at a time; taken before the index's lock, never after
	st        *store.Store
	newParser func() model.Parser
	read      []*summary // by call number, from 1
	names     []names    // by reading goroutine: the values calls share
}

// summary is a call's summary and how much of the call it has read.
type summary struct {
	call                      Call
	merges                    int
	events, members, grouping int // how many of the call's events and ids it has read
}

// snapshot is a call as it stood when its summary was asked for. The index only appends
// to the slices (a merge makes new ones), so a snapshot can be read without the lock.
type snapshot struct {
	number int
	counts
	merges                    int
	events, members, grouping []uint32
}

func (c *call) snapshot() snapshot {
	return snapshot{number: c.number, counts: c.counts, merges: c.merges, events: c.events, members: c.members, grouping: c.grouping}
}

// Calls returns the summary of every call, in order of appearance. The first call after
// a file was indexed reads every call's telling lines back, in parallel; later calls
// read only what came since.
func (x *Index) Calls() []Call {
	x.catchUp()
	s := &x.summaries
	s.mu.Lock()
	defer s.mu.Unlock()
	x.mu.RLock()
	snaps := make([]snapshot, 0, len(x.calls))
	for i, c := range x.calls {
		if c != nil {
			snaps = append(snaps, c.snapshot())
		} else if i < len(s.read) {
			s.read[i] = nil // merged into another call
		}
	}
	x.mu.RUnlock()
	return s.bring(snaps)
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
	snap := c.snapshot()
	x.mu.RUnlock()
	return s.bring([]snapshot{snap})[0], true
}

// bring brings the summaries of the calls up to date and returns copies of them. A copy
// shares the summary's slices: a summary only ever appends to them, so what a copy sees
// stays as it was.
func (s *summaries) bring(calls []snapshot) []Call {
	var stale []int // indexes into calls
	for i, c := range calls {
		for len(s.read) < c.number {
			s.read = append(s.read, nil)
		}
		r := s.read[c.number-1]
		if r == nil || r.merges != c.merges {
			r = &summary{call: Call{Number: c.number}, merges: c.merges}
			s.read[c.number-1] = r
		}
		if r.events < len(c.events) || r.members < len(c.members) || r.grouping < len(c.grouping) {
			stale = append(stale, i)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), (len(stale)+63)/64)
	for len(s.names) < workers {
		s.names = append(s.names, names{})
	}
	v := s.st.View()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rd := reader{view: v, st: s.st, parser: s.newParser(), names: s.names[w]}
			for j := w; j < len(stale); j += workers {
				c := &calls[stale[j]]
				rd.bringUp(s.read[c.number-1], c)
			}
		})
	}
	wg.Wait()
	out := make([]Call, len(calls))
	for i, c := range calls {
		out[i] = s.read[c.number-1].call
		out[i].Entries, out[i].Warnings, out[i].Errors = c.entries, c.warnings, c.errors
	}
	return out
}

// reader reads calls' entries back, on one goroutine.
type reader struct {
	view   store.View
	st     *store.Store
	parser model.Parser
	names  names
	buf    []byte
	rec    model.Record
}

// bringUp reads into r what it has not read of call c: its new ids and telling lines.
func (rd *reader) bringUp(r *summary, c *snapshot) {
	for _, n := range c.members[r.members:] {
		r.call.addID(rd.st.IDText(n))
	}
	for _, n := range c.grouping[r.grouping:] {
		r.call.addID(rd.st.IDText(n))
	}
	for _, entry := range c.events[r.events:] {
		if rec, ok := rd.record(entry); ok {
			if e := extract(rec); e != nil {
				r.call.apply(e, rd.names)
			}
		}
	}
	r.members, r.grouping, r.events = len(c.members), len(c.grouping), len(c.events)
}

// record reads an entry back and parses it, or reports that its text is gone (a spool
// that could not be written).
func (rd *reader) record(entry uint32) (*model.Record, bool) {
	raw, err := rd.view.Raw(rd.buf[:0], int(entry))
	if err != nil {
		return nil, false
	}
	rd.buf = raw
	rd.rec = model.Record{}
	rd.parser.Parse(raw, &rd.rec)
	return &rd.rec, true
}

// readEach reads entries back, on all cores, and calls fn with the i-th one's record
// (from several goroutines at once). Entries whose text is gone are left out.
func (s *summaries) readEach(entries []uint32, fn func(i int, r *model.Record)) {
	workers := min(runtime.GOMAXPROCS(0), (len(entries)+255)/256)
	per := (len(entries) + workers - 1) / max(workers, 1)
	v := s.st.View()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			rd := reader{view: v, parser: s.newParser()}
			for i := w * per; i < min(len(entries), (w+1)*per); i++ {
				if rec, ok := rd.record(entries[i]); ok {
					fn(i, rec)
				}
			}
		})
	}
	wg.Wait()
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
