package calls

import (
	"cmp"
	"slices"
	"sync"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/paged"
	"github.com/calltail/calltail/model/store"
)

// identity are the id kinds that name one call: entries that carry any of them belong to
// the same call. Conversation-Id (legs of one conversation) and Conference-ID (one
// conference instance) group calls instead.
var identity = [model.NumIDKinds]bool{model.CallID: true, model.ParticipantID: true, model.UUID: true, model.FragmentID: true}

// group is what is known of a group of ids that has no call yet (an OPTIONS keepalive's
// Call-ID, or the first lines of a call), so that a call that appears later starts exact.
type group struct {
	counts
	ids      []uint32
	grouping []uint32 // the Conversation-Ids and Conference-IDs its entries carry
}

// idState is what the index knows of one of the store's correlation ids.
type idState struct {
	parent   uint32 // union-find: the id it was joined to, or itself if it is its group's root
	kind     model.IDKind
	observed bool   // an entry carrying it was seen
	resolved bool   // for a Fragment-id: its message's Call-ID is known, or no longer waited for
	call     uint32 // for a root: its group's call (its seq), or 0 (no pointer: the GC skips the slice)
	group    uint32 // for a root without a call: where groups tells more of it, from 1; or 0
}

// counts are how many entries a call or group has, how many of them are warnings and
// errors, the number of the last, and the times of the first and last lines.
type counts struct {
	entries, warnings, errors, last uint32
	firstTime, lastTime             int64 // 0: none had a time
}

// count counts entry number e, at level l, logged at time t.
func (n *counts) count(e uint32, l model.Level, t int64) {
	n.entries, n.last = n.entries+1, max(n.last, e)
	n.times(t, t)
	if l >= model.LevelError {
		n.errors++
	} else if l >= model.LevelWarning {
		n.warnings++
	}
}

// add counts o's entries too.
func (n *counts) add(o counts) {
	n.entries, n.warnings, n.errors = n.entries+o.entries, n.warnings+o.warnings, n.errors+o.errors
	n.last = max(n.last, o.last)
	n.times(o.firstTime, o.lastTime)
}

// times widens the span of the lines' times to first and last (0: none).
func (n *counts) times(first, last int64) {
	if first != 0 && (n.firstTime == 0 || first < n.firstTime) {
		n.firstTime = first
	}
	n.lastTime = max(n.lastTime, last)
}

// call is what the index keeps of a call as entries arrive: its ids, the numbers of the
// entries that tell about it, its counts, and whether it is paired. Its summary (Call) is
// read from those entries when asked for (see summaries), so that indexing reads no more
// of a line than what kind of line it is.
type call struct {
	number   int    // from 1, once numbered (see numberCalls); 0 before
	seq      uint32 // the order it was made in, from 1
	root     uint32 // the union-find root of its ids
	members  list   // the id numbers of its group (in Index.lists)
	grouping list   // the id numbers of its Conversation-Ids and Conference-IDs
	events   list   // the entries that tell about it, in order
	counts
	merges  uint32   // how many calls merged into it: its summary is read again
	pairing *pairing // what pairing needs of it; nil once settled (see settle)

	dead, touched      bool // merged into another call; listed in Index.touched
	started, attempted bool // its first signalling line, its "attempting to join" line were seen (pairing)
	settled            bool // paired for good: pairing needs nothing more of it (see settle)
}

// Index groups a store's entries into calls, as they are appended. It is the store's
// Observer; read it from any goroutine.
type Index struct {
	mu         sync.RWMutex
	ids        paged.Slice[idState] // by the store's id number: a union-find over them, and more
	groups     []group              // what is known of groups without a call, beyond a lone id (see groupOf)
	freeGroups []uint32             // places in groups to use again
	made       paged.Slice[*call]   // every call made, by seq, from 1; nil once merged into another or let go
	unnumbered []uint32             // the seqs of the calls made since numberCalls last ran
	touched    []uint32             // the seqs of the calls that changed since ReadAhead last ran
	died       []int                // the numbers of the calls merged away since then
	calls      paged.Slice[*call]   // the numbered calls, by number, from 1; nil once merged into another or let go
	roots      paged.Slice[uint32]  // by number: the root a call had, to follow it after a merge; letGoRoot once let go
	version    uint64               // changes whenever a call does
	floor      uint32               // the store's first entry held, as last seen (see letGo)
	others     []store.EntryID      // Observe's scratch: an entry's ids that group calls
	lists      lists                // the calls' events, members and grouping
	merged     []uint32             // absorb's scratch: two calls' events merged
	// Calls that began lately, by their first signalling line or their "attempting to
	// join" line, by remote address, and by participant and alias: see pair.
	starts, attempts, attemptsByWho map[uint64][]*call // by hash
	waiting                         int                // calls listed since the last sweep (see wait)

	st *store.Store
	// What indexing leaves for catchUp: Uuids and Participant-Ids not yet looked up under
	// the other kind, the lines pairing has yet to read; and one catching up at a time.
	twinless  []uint32
	unpaired  []unpaired
	catching  sync.Mutex
	summaries summaries
	frags     fragments // fragmented SIP messages whose Call-ID is waited for
}

// New returns an index of the calls in st, following it from now on: make it before
// loading st. Summaries are read back from st's entries with parsers from newParser.
func New(st *store.Store, newParser model.NewParserFunc) *Index {
	x := &Index{ids: paged.New(func(n int) idState { return idState{parent: uint32(n)} }),
		roots: paged.New(func(int) uint32 { return letGoRoot }), groups: []group{{}}, starts: map[uint64][]*call{}, attempts: map[uint64][]*call{}, attemptsByWho: map[uint64][]*call{}}
	x.st, x.summaries = st, summaries{st: st, newParser: newParser}
	st.SetObserver(x)
	return x
}

// Extract tells what kind of line an entry is for its call, if any (store.Observer).
func (x *Index) Extract(r *model.Record) any {
	if k, ok := kindOf(r); ok {
		return k
	}
	return nil
}

// find returns the root of n's group, shortening the path (with the write lock held).
func (x *Index) find(n uint32) uint32 {
	for x.state(n).parent != n {
		s := x.id(n)
		s.parent = x.state(s.parent).parent // path halving
		n = s.parent
	}
	return n
}

// root returns the root of n's group without changing anything (with the read lock held).
func (x *Index) root(n uint32) uint32 {
	for x.state(n).parent != n {
		n = x.state(n).parent
	}
	return n
}

// state returns what the index knows of id number n, to read.
func (x *Index) state(n uint32) idState { return x.ids.Get(int(n)) }

// id returns what the index knows of id number n, to change (with the write lock held).
func (x *Index) id(n uint32) *idState { return x.ids.At(int(n)) }

// see makes id number n, of kind k, known: a new id is a group of its own, without a call.
func (x *Index) see(n uint32, k model.IDKind) {
	x.ids.Grow(int(n) + 1)
	x.id(n).kind = k
}

// addGrouping adds the id numbers in from that list lacks.
func addGrouping(list *[]uint32, from ...uint32) {
	for _, n := range from {
		if !slices.Contains(*list, n) {
			*list = append(*list, n)
		}
	}
}

// groupOf returns what is known of the group of root, which has no call.
func (x *Index) groupOf(root uint32) *group {
	if n := x.state(root).group; n != 0 {
		return &x.groups[n-1]
	}
	g := group{ids: []uint32{root}}
	if n := len(x.freeGroups); n > 0 {
		x.id(root).group = x.freeGroups[n-1]
		x.freeGroups = x.freeGroups[:n-1]
		x.groups[x.state(root).group-1] = g
	} else {
		x.groups = append(x.groups, g)
		x.id(root).group = uint32(len(x.groups))
	}
	return &x.groups[x.state(root).group-1]
}

// known returns what is known of the group of root beyond a lone id, or nil.
func (x *Index) known(root uint32) *group {
	if n := x.state(root).group; n != 0 {
		return &x.groups[n-1]
	}
	return nil
}

// forget forgets what was known of the group of root, which joined another or became a
// call.
func (x *Index) forget(root uint32) {
	if n := x.state(root).group; n != 0 {
		x.groups[n-1] = group{}
		x.freeGroups = append(x.freeGroups, n)
		x.id(root).group = 0
	}
}

// union joins two groups of ids and what is known of them, and returns the new root.
func (x *Index) union(a, b uint32) uint32 {
	ra, rb := x.find(a), x.find(b)
	if ra == rb {
		return ra
	}
	ca, cb := x.callOf(ra), x.callOf(rb)
	if ca == nil && cb != nil || ca != nil && cb != nil && cb.seq < ca.seq {
		ra, rb, ca, cb = rb, ra, cb, ca // the older call stays
	}
	x.id(rb).parent = ra
	switch {
	case cb != nil:
		x.absorb(ca, cb)
		x.touch(ca)
		cb.dead = true
		x.drop(cb)
		x.settle(ca)
		*x.made.At(int(cb.seq - 1)) = nil
		if cb.number != 0 {
			*x.calls.At(cb.number - 1) = nil // its number now finds ca through roots
			x.died = append(x.died, cb.number)
		}
		x.id(rb).call = 0
	case ca != nil:
		x.adopt(ca, rb)
		x.touch(ca)
		x.settle(ca)
	default:
		ga := x.groupOf(ra)
		if gb := x.known(rb); gb != nil {
			ga.add(gb.counts)
			ga.ids = append(ga.ids, gb.ids...)
			addGrouping(&ga.grouping, gb.grouping...)
			x.forget(rb)
		} else {
			ga.ids = append(ga.ids, rb)
		}
	}
	return ra
}

// callOf returns the call of the group whose root is root, or nil.
func (x *Index) callOf(root uint32) *call {
	if n := x.state(root).call; n != 0 {
		return x.made.Get(int(n - 1))
	}
	return nil
}

// newCall makes the group of root a call. It gets its number when calls are next looked
// at (see numberCalls), so that the calls it merges with before then take none.
func (x *Index) newCall(root uint32) *call {
	c := &call{seq: uint32(x.made.Len() + 1), root: root, pairing: &pairing{}}
	x.made.Append(c)
	x.unnumbered = append(x.unnumbered, c.seq)
	x.id(root).call = c.seq
	x.adopt(c, root)
	return c
}

// touch lists c among the calls that changed (with the lock held).
func (x *Index) touch(c *call) {
	if !c.touched {
		c.touched = true
		x.touched = append(x.touched, c.seq)
	}
}

// numberCalls numbers the calls made since it last ran, in the order they were made
// (with the lock held).
func (x *Index) numberCalls() {
	for _, seq := range x.unnumbered {
		if c := x.made.Get(int(seq - 1)); c != nil {
			c.number = x.calls.Len() + 1
			x.calls.Append(c)
			x.roots.Append(c.root)
			x.version++
		}
	}
	x.unnumbered = x.unnumbered[:0]
}

// adopt gives a call what was known of a group of ids without one.
func (x *Index) adopt(c *call, root uint32) {
	g := x.known(root)
	if g == nil { // a lone id, with no entries counted
		x.lists.Add(&c.members, root)
		return
	}
	c.add(g.counts)
	x.lists.Add(&c.members, g.ids...)
	x.lists.AddOnce(&c.grouping, g.grouping...)
	x.forget(root)
}

// absorb makes c take in another call, o, when their ids turn out to be one call's.
func (x *Index) absorb(c, o *call) {
	ls := &x.lists
	ls.Add(&c.members, ls.Of(o.members)...)
	ls.AddOnce(&c.grouping, ls.Of(o.grouping)...)
	merged := slices.AppendSeq(x.merged[:0], mergeSorted(ls.Of(c.events), ls.Of(o.events)))
	ls.Free(&c.events)
	ls.Add(&c.events, merged...)
	x.merged = merged[:0]
	c.add(o.counts)
	c.merges++
	c.started, c.attempted = c.started || o.started, c.attempted || o.attempted
	if c.settled || o.settled {
		c.settled, c.pairing = true, nil // the merged call is settled too: its flags and ids say so
		return
	}
	p, q := c.pairing, o.pairing
	if q.start != 0 && (p.start == 0 || q.start < p.start) {
		p.start = q.start
	}
	p.protocol, p.dialled = cmp.Or(p.protocol, q.protocol), cmp.Or(p.dialled, q.dialled)
	p.caller, p.node = cmp.Or(p.caller, q.caller), cmp.Or(p.node, q.node)
}

// drop lets go of the lists and the pairing of a call merged into another or let go.
func (x *Index) drop(c *call) {
	c.pairing = nil
	x.lists.Free(&c.members)
	x.lists.Free(&c.grouping)
	x.lists.Free(&c.events)
}

// hasCallID reports whether one of the call's ids is a Call-Id (with the lock held).
func (x *Index) hasCallID(c *call) bool {
	for _, n := range x.lists.Of(c.members) {
		if x.state(n).kind == model.CallID {
			return true
		}
	}
	return false
}

// Observe groups a batch's entries into calls (store.Observer).
func (x *Index) Observe(b store.Appended) {
	x.mu.Lock()
	defer x.mu.Unlock()
	changed := false
	if b.Floor > x.floor {
		x.letGo(b.Floor)
		changed = true
	}
	if b.Compact {
		for _, k := range x.st.CompactIDs(x.needed()) {
			x.ids.Free(k) // the store let these ids go: none is in a call or group held
		}
	}
	skip, ids, extras := held(b)
	for i := skip; i < len(b.Entries); i++ {
		entry := b.First + uint32(i)
		var k kind
		telling := len(extras) > 0 && extras[0].Entry == entry
		if telling {
			k = extras[0].Value.(kind)
			extras = extras[1:]
		}
		// Join the entry's identity ids; note its others.
		root, has := uint32(0), false
		frag, fragment, whole := uint32(0), false, false // its Fragment-id; whether it carries a Call-Id
		others := x.others[:0]
		for len(ids) > 0 && ids[0].Entry == entry {
			id := ids[0]
			ids = ids[1:]
			if !identity[id.Kind] {
				others = append(others, id)
				continue
			}
			switch id.Kind {
			case model.FragmentID:
				frag, fragment = id.ID, true
			case model.CallID:
				whole = true
			}
			x.see(id.ID, id.Kind)
			fresh := !x.state(id.ID).observed
			x.id(id.ID).observed = true
			if has {
				root = x.union(root, id.ID)
			} else {
				root, has = x.find(id.ID), true
			}
			if fresh && (id.Kind == model.UUID || id.Kind == model.ParticipantID) {
				x.twinless = append(x.twinless, id.ID) // see catchUp
			}
		}
		x.others = others
		if !has {
			continue
		}
		if fragment {
			x.fragmentSeen(frag, entry, whole)
		}
		c := x.callOf(root)
		if c == nil && telling { // the call's first telling line: the group becomes a call
			c = x.newCall(root)
		}
		if c == nil {
			g := x.groupOf(root)
			g.count(entry, b.Entries[i].Level, b.Entries[i].Time)
			for _, o := range others {
				addGrouping(&g.grouping, o.ID)
			}
			continue
		}
		c.count(entry, b.Entries[i].Level, b.Entries[i].Time)
		x.touch(c)
		for _, o := range others {
			x.lists.AddOnce(&c.grouping, o.ID)
		}
		if telling {
			x.lists.Add(&c.events, entry)
			if t := b.Entries[i].Time; t != 0 && !c.settled {
				if p := c.pairing; p.start == 0 || t < p.start {
					p.start = t
				}
			}
		}
		if telling && (k == evStart || k == evAttempt || k == evPIN) {
			x.unpaired = append(x.unpaired, unpaired{entry: entry, id: root})
		}
		changed = true
	}
	if n := len(b.Entries); n > 0 && len(x.frags.waiting) > 0 && b.First+uint32(n)-x.frags.swept > fragmentSweep {
		x.sweepFragments(b.First + uint32(n) - 1)
	}
	if changed {
		x.version++
	}
}

// Version changes whenever a call does: a UI redraws its calls list when it sees a new one.
func (x *Index) Version() uint64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.version
}
