package calls

import (
	"slices"

	"github.com/calltail/calltail/model/store"
)

// letGoRoot stands in roots for the root of a call let go: its ids may make a new call.
const letGoRoot = ^uint32(0)

// letGo forgets the calls and groups whose entries the store has all let go (calls that
// ended long ago): their ids become strangers, as if never seen, and their numbers find
// no call. Their text stays in the log file or spool.
func (x *Index) letGo(floor uint32) {
	x.floor = floor
	forget := func(ids []uint32) {
		for _, n := range ids {
			s := x.id(n)
			s.parent, s.call, s.group = n, 0, 0
		}
	}
	for seq, p := range x.made.All() {
		c := *p
		if c == nil || c.last >= floor {
			continue
		}
		forget(x.lists.Of(c.members))
		c.dead = true
		x.drop(c)
		*x.made.At(seq) = nil
		if c.number != 0 {
			*x.calls.At(c.number - 1), *x.roots.At(c.number - 1) = nil, letGoRoot // its number finds no call
			x.died = append(x.died, c.number)
		}
	}
	x.made.Trim(func(c **call) bool { return *c == nil })
	x.calls.Trim(func(c **call) bool { return *c == nil })
	x.roots.Trim(func(r *uint32) bool { return *r == letGoRoot })
	for i := 1; i < len(x.groups); i++ {
		if g := &x.groups[i]; len(g.ids) > 0 && g.last < floor {
			forget(g.ids)
			*g = group{}
			x.freeGroups = append(x.freeGroups, uint32(i+1))
		}
	}
	x.unpaired = slices.DeleteFunc(x.unpaired, func(u unpaired) bool { return u.entry < floor })
	x.letGoFragments(floor)
}

// needed returns whether the index still needs the store's id numbered n: the ids of
// the calls and groups not let go, whose lines may come again (with the lock held).
func (x *Index) needed() func(n uint32) bool {
	keep := map[uint32]bool{}
	for _, p := range x.made.All() {
		if c := *p; c != nil {
			for _, list := range [][]uint32{x.lists.Of(c.members), x.lists.Of(c.grouping)} {
				for _, n := range list {
					keep[n] = true
				}
			}
		}
	}
	for _, g := range x.groups {
		for _, list := range [][]uint32{g.ids, g.grouping} {
			for _, n := range list {
				keep[n] = true
			}
		}
	}
	return func(n uint32) bool { return keep[n] }
}

// held returns what the index is to see of a batch: its entries from skip on, those the
// store holds, with their ids and extras. A batch longer than the store's limit
// (--max-entries below a few thousand) is partly let go as it is taken in, and the store
// may have let go of the ids only its entries let go carried before the index saw them:
// the index must not learn those ids again, or it would hold calls, and pages of ids,
// that nothing lets go. Invariant: the index learns ids only from entries the store
// holds, so that every id it holds is in a call or group that letGo lets go in its turn.
func held(b store.Appended) (skip int, ids []store.EntryID, extras []store.Extra) {
	ids, extras = b.IDs, b.Extras
	if b.Floor <= b.First {
		return 0, ids, extras
	}
	for len(ids) > 0 && ids[0].Entry < b.Floor {
		ids = ids[1:]
	}
	for len(extras) > 0 && extras[0].Entry < b.Floor {
		extras = extras[1:]
	}
	return int(min(b.Floor-b.First, uint32(len(b.Entries)))), ids, extras
}
