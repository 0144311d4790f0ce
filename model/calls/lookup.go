package calls

import (
	"slices"
	"sort"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/store"
)

// number returns call number n, or the call it was merged into, or nil (with the read
// lock held).
func (x *Index) number(n int) *call {
	if n < 1 || n > x.calls.Len() {
		return nil
	}
	if c := x.calls.Get(n - 1); c != nil {
		return c
	}
	root := x.roots.Get(n - 1)
	if root == letGoRoot {
		return nil
	}
	return x.callOf(x.root(root))
}

// members returns the id numbers of call number n's group.
func (x *Index) members(n int) []uint32 {
	x.catchUp()
	x.mu.RLock()
	defer x.mu.RUnlock()
	c := x.number(n)
	if c == nil {
		return nil
	}
	return slices.Clone(x.lists.Of(c.members))
}

// Entries returns the numbers of call number n's entries, in time order: every line that
// carries one of its ids, from every module and node.
func (x *Index) Entries(st *store.Store, n int) []uint32 {
	var out []uint32
	for _, id := range x.members(n) {
		out = append(out, st.PostingsOf(id)...)
	}
	v := st.View()
	out = slices.DeleteFunc(out, func(e uint32) bool { return int(e) < v.First() }) // let go
	sort.Slice(out, func(i, j int) bool {
		ti, tj := v.Entry(int(out[i])).Time, v.Entry(int(out[j])).Time
		return ti < tj || ti == tj && out[i] < out[j]
	})
	return slices.Compact(out) // an entry carrying two of the call's ids is listed once
}

// Find returns the number of the call that carries the correlation id text: a Call-Id,
// Participant-Id, Uuid, or SIP Call-ID, or else the first call with that Conversation-Id
// or Conference-ID.
func (x *Index) Find(st *store.Store, text string) (int, bool) {
	x.catchUp()
	var grouping []uint32
	for k := range model.NumIDKinds {
		n, ok := st.IDNumber(k, text)
		if !ok {
			continue
		}
		if !identity[k] {
			grouping = append(grouping, n)
		} else if c, ok := x.callOfID(n); ok {
			return c, true
		}
	}
	if grouping == nil {
		return 0, false
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, p := range x.calls.All() {
		if c := *p; c != nil && slices.ContainsFunc(x.lists.Of(c.grouping), func(n uint32) bool { return slices.Contains(grouping, n) }) {
			return c.number, true
		}
	}
	return 0, false
}

// callOfID returns the number of the call whose group holds id number n.
func (x *Index) callOfID(n uint32) (int, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if int(n) >= x.ids.Len() {
		return 0, false
	}
	c := x.callOf(x.root(n))
	if c == nil || c.number == 0 {
		return 0, false
	}
	return c.number, true
}
