package calls

// Stamps is how each call stood when a reader of the calls last read it (see
// Index.ReadChanged): a calls list keeps them, rather than the summaries, so that it
// reads again only the calls that changed since (~20 bytes a call).
type Stamps struct {
	by []stamp // by call number, from 1; the zero stamp: not read, or gone
}

// stamp is how far a call stood: a call whose stamp is the same has nothing new.
type stamp struct {
	merges, events, members, grouping, entries uint32
}

func (c *call) stamp() stamp {
	return stamp{c.merges + 1, c.events.n, c.members.n, c.grouping.n, c.entries}
}

func (s snapshot) stamp() stamp {
	return stamp{uint32(s.merges) + 1, uint32(len(s.events)), uint32(len(s.members)), uint32(len(s.grouping)), s.entries}
}

// ReadChanged reads the summaries of the calls that changed since st, in order of
// number, up to n at a time (see StreamChunk), hands each chunk to fn as Listing would
// hand them out, with how many calls it reads in all (at most), and records in st how each stood. It returns the numbers of the calls
// read before that are gone since (merged into another or let go) and the Version the
// calls were looked at. With an empty st, it reads every call.
//
// The summaries it reads are dropped once fn has them, unless they were kept before (read
// ahead, see ReadAhead): a calls list holds what it shows of each call, not its summary
// (~1.9 KB a call). The index is not locked while fn runs.
func (x *Index) ReadChanged(st *Stamps, n int, fn func(chunk []Call, of int)) (gone []int, version uint64) {
	x.catchUp()
	x.mu.RLock()
	var todo []int // the numbers of the calls to read
	for i, p := range x.calls.All() {
		var was stamp
		if i < len(st.by) {
			was = st.by[i]
		}
		switch c := *p; {
		case c == nil && was != stamp{}:
			gone = append(gone, i+1)
		case c != nil && c.stamp() != was:
			todo = append(todo, i+1)
		}
	}
	version = x.version
	x.mu.RUnlock()
	for _, num := range gone {
		st.by[num-1] = stamp{}
	}
	of := len(todo)
	for len(todo) > 0 {
		chunk := todo[:min(len(todo), max(n, 1))]
		todo = todo[len(chunk):]
		calls, lost := x.readNumbers(chunk, st)
		gone = append(gone, lost...)
		if len(calls) > 0 {
			fn(calls, of)
		}
	}
	return gone, version
}

// readNumbers reads the summaries of the calls numbered nums as they stand now, records
// their stamps in st and returns them, with the numbers of those gone meanwhile.
func (x *Index) readNumbers(nums []int, st *Stamps) (out []Call, gone []int) {
	s := &x.summaries
	s.mu.Lock()
	defer s.mu.Unlock()
	x.mu.RLock()
	snaps := make([]snapshot, 0, len(nums))
	for _, num := range nums {
		if c := x.calls.Get(num - 1); c != nil {
			snaps = append(snaps, x.snapshot(c))
		} else {
			gone = append(gone, num)
		}
	}
	x.mu.RUnlock()
	out = s.bringOnce(snaps)
	for len(st.by) < x.calls.Len() {
		st.by = append(st.by, stamp{})
	}
	for _, c := range snaps {
		st.by[c.number-1] = c.stamp()
	}
	for _, num := range gone {
		if num <= len(st.by) {
			st.by[num-1] = stamp{}
		}
	}
	return out, gone
}

// bringOnce returns the summaries of the calls, as bring does, and then forgets those it
// read afresh, to be read again whole if asked for again; those read before (ahead of
// time, see ReadAhead) stay. It is for readers that keep what they need of the calls.
func (s *summaries) bringOnce(calls []snapshot) []Call {
	kept := make([]bool, len(calls))
	for i, c := range calls {
		kept[i] = c.number <= s.read.Len() && s.read.Get(c.number-1) != nil
	}
	out := s.bring(calls, true)
	for i, c := range calls {
		if !kept[i] {
			*s.read.At(c.number - 1) = nil
		}
	}
	s.read.Trim(func(r **summary) bool { return *r == nil })
	return out
}
