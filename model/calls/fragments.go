package calls

import (
	"bytes"
	"slices"
	"strconv"
	"sync"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/sip"
)

// Pexip cuts a long SIP message into lines (Fragment-id, Fragment-number from 0,
// Fragment-total) at any byte, so its Call-ID header may be cut in two, or lie wholly in a
// later fragment, which does not start like a SIP message. No id is read from part of a
// header (sip.CallID), so such a message's lines carry only their Fragment-id: the index
// holds them here, briefly, until the message is put together and its Call-ID read (see
// resolveFragments), and then joins them with the Call-ID's call.
//
// Holding is bounded: the fragments of one message come within milliseconds, so a
// message is given up once fragmentReach entries have come after its last fragment (the
// messages waiting are looked at every fragmentSweep entries), and at most maxPending
// messages wait (the oldest are given up first). A message given up is put together
// from what came; its lines keep their Fragment-id, one group. Nothing of an entry is
// held back from the store: its lines are listed at once, and join their call when the
// calls are next looked at.

// fragmentReach is how many entries may come after a message's last fragment before the
// rest of it is no longer waited for.
const fragmentReach = 1 << 14

// fragmentSweep is how many entries come between two looks at the messages waiting.
const fragmentSweep = fragmentReach / 4

// maxPending is the most messages whose Call-ID is waited for at once.
const maxPending = 4096

// pending is a fragmented SIP message whose Call-ID is not known yet.
type pending struct {
	id      uint32   // the store's number of its Fragment-id
	entries []uint32 // its fragments' entries, as they came
	last    uint32   // the last of them
	dirty   bool     // a fragment came since it was last put together
	gone    bool     // no longer waited for: given up, or its Call-ID known
	joined  bool     // its Call-ID is known, and it joined its call
}

// fragments is what the index holds of the messages whose Call-ID it waits for.
type fragments struct {
	waiting map[uint32]*pending // by Fragment-id number
	dirty   []*pending          // to be put together (again) when calls are next looked at
	swept   uint32              // the entry at the last sweep
}

// fragmentSeen notes entry, a fragment of the message whose Fragment-id is numbered f; whole
// tells whether the entry carries the message's Call-ID (its header was whole in it).
func (x *Index) fragmentSeen(f, entry uint32, whole bool) {
	fr := &x.frags
	s := x.id(f)
	if whole {
		s.resolved = true
		if m := fr.waiting[f]; m != nil {
			m.gone = true
			delete(fr.waiting, f)
		}
		return
	}
	if s.resolved {
		return
	}
	if fr.waiting == nil {
		fr.waiting = map[uint32]*pending{}
	}
	m := fr.waiting[f]
	if m == nil {
		m = &pending{id: f}
		fr.waiting[f] = m
	}
	m.entries, m.last = append(m.entries, entry), entry
	if !m.dirty {
		m.dirty = true
		fr.dirty = append(fr.dirty, m)
	}
	if len(fr.waiting) > maxPending || entry-fr.swept > fragmentSweep {
		x.sweepFragments(entry)
	}
}

// sweepFragments gives up the messages whose last fragment came fragmentReach entries
// before now, and, while too many wait, the oldest (with the lock held). A message given
// up is put together once more if a fragment came since it last was.
func (x *Index) sweepFragments(now uint32) {
	fr := &x.frags
	fr.swept = now
	var left []*pending
	for f, m := range fr.waiting {
		if now-m.last > fragmentReach {
			x.giveUp(f, m)
		} else {
			left = append(left, m)
		}
	}
	if len(left) > maxPending/2 {
		slices.SortFunc(left, func(a, b *pending) int { return int(a.last) - int(b.last) })
		for _, m := range left[:len(left)-maxPending/2] {
			x.giveUp(m.id, m)
		}
	}
}

// giveUp stops waiting for the rest of message m (with the lock held).
func (x *Index) giveUp(f uint32, m *pending) {
	m.gone = true
	x.id(f).resolved = true
	delete(x.frags.waiting, f)
}

// resolveFragments puts together the messages that got fragments since they last were, and
// joins each whose Call-ID it can now read whole with the Call-ID's call; the store learns
// that the message's first fragment carries the Call-ID, so that it finds the message by
// its Call-ID. A message whose fragments have all come, or that was given up, is no longer
// waited for.
func (x *Index) resolveFragments() {
	x.mu.Lock()
	todo := slices.DeleteFunc(x.frags.dirty, func(m *pending) bool { return m.joined })
	x.frags.dirty = nil
	lists := make([][]uint32, len(todo))
	for i, m := range todo {
		m.dirty = false
		lists[i] = slices.Clone(m.entries)
	}
	x.mu.Unlock()
	if len(todo) == 0 {
		return
	}
	wholes := x.summaries.assemble(lists)
	type found struct {
		m  *pending
		id uint32
	}
	var ids []found
	for i, w := range wholes {
		if callID, ok := sip.CallID(w.text); ok && w.fragments > 0 {
			if n, ok := x.st.AddID(w.first, model.CallID, callID); ok {
				ids = append(ids, found{todo[i], n})
			}
		}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, f := range ids {
		if f.m.last < x.floor {
			continue // let go meanwhile
		}
		x.see(f.id, model.CallID)
		x.id(f.id).observed = true
		x.union(f.m.id, f.id)
		x.id(f.m.id).resolved = true
		f.m.gone, f.m.joined = true, true
		if x.frags.waiting[f.m.id] == f.m {
			delete(x.frags.waiting, f.m.id)
		}
		x.version++
	}
	for i, w := range wholes {
		if m := todo[i]; w.complete && !m.gone && x.frags.waiting[m.id] == m {
			x.giveUp(m.id, m) // all there, and no Call-ID in it
		}
	}
}

// letGoFragments forgets the messages whose fragments the store let go (with the lock held).
func (x *Index) letGoFragments(floor uint32) {
	fr := &x.frags
	for f, m := range fr.waiting {
		if m.last < floor {
			m.gone = true
			delete(fr.waiting, f)
		}
	}
	fr.dirty = slices.DeleteFunc(fr.dirty, func(m *pending) bool { return m.gone && m.last < floor })
}

// whole is a fragmented SIP message put together from the fragments read back.
type whole struct {
	text      []byte // from fragment 0 on, as far as no fragment is missing; \" decoded
	first     uint32 // the entry of fragment 0, or of the first read
	fragments int    // how many fragments text holds
	complete  bool   // every fragment was read
}

// piece is one fragment read back.
type piece struct {
	msg, number, total int
	text               []byte
}

// assemble reads back the fragments of each message (the entries of each list) and puts
// each message together, in Fragment-number order.
func (s *summaries) assemble(lists [][]uint32) []whole {
	var entries []uint32
	var owner []int
	for i, l := range lists {
		for _, e := range l {
			entries, owner = append(entries, e), append(owner, i)
		}
	}
	order := make([]int, len(entries)) // read in file order
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return int(entries[a]) - int(entries[b]) })
	sorted := make([]uint32, len(order))
	for i, k := range order {
		sorted[i] = entries[k]
	}
	pieces := make([]piece, len(sorted))
	read := make([]bool, len(sorted))
	s.readEach(sorted, func(i int, r *model.Record) {
		number, err1 := strconv.Atoi(fieldText(r, "Fragment-number"))
		total, err2 := strconv.Atoi(fieldText(r, "Fragment-total"))
		if err1 != nil || err2 != nil || number < 0 {
			return
		}
		pieces[i] = piece{msg: owner[order[i]], number: number, total: total, text: unescapedCopy(fieldBytes(r, "Detail"))}
		read[i] = true
	})
	byMsg := make([][]piece, len(lists))
	firsts := make([]uint32, len(lists))
	for i, p := range pieces {
		if read[i] {
			if len(byMsg[p.msg]) == 0 || p.number == 0 {
				firsts[p.msg] = sorted[i]
			}
			byMsg[p.msg] = append(byMsg[p.msg], p)
		}
	}
	out := make([]whole, len(lists))
	for i, ps := range byMsg {
		slices.SortStableFunc(ps, func(a, b piece) int { return a.number - b.number })
		w := whole{first: firsts[i]}
		next := 0
		for _, p := range ps {
			if p.number == next { // a fragment logged twice is taken once
				w.text = append(w.text, p.text...)
				w.fragments++
				next++
			}
		}
		w.complete = len(ps) > 0 && next >= ps[0].total
		out[i] = w
	}
	return out
}

// readWhole reads entries back as readEach does, and calls fn with each record and, for
// the first fragment of a SIP message whose headers go on in later fragments, the
// message put together (else nil: the record's Detail holds what is read of it).
func (s *summaries) readWhole(entries []uint32, fn func(i int, r *model.Record, msg []byte)) {
	var mu sync.Mutex
	var later []int  // the entries whose message is put together
	var ids [][]byte // their Fragment-ids
	s.readEach(entries, func(i int, r *model.Record) {
		if id := headFragment(r); id != nil {
			mu.Lock()
			later, ids = append(later, i), append(ids, id)
			mu.Unlock()
			return
		}
		fn(i, r, nil)
	})
	if len(later) == 0 {
		return
	}
	order := make([]int, len(later)) // in file order
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(a, b int) int { return later[a] - later[b] })
	lists, firsts := make([][]uint32, len(order)), make([]uint32, len(order))
	for k, o := range order {
		firsts[k] = entries[later[o]]
		if n, ok := s.st.IDNumber(model.FragmentID, string(ids[o])); ok {
			lists[k] = s.st.PostingsOf(n)
		}
	}
	wholes := s.assemble(lists)
	s.readEach(firsts, func(k int, r *model.Record) {
		msg := wholes[k].text
		if msg == nil {
			msg = unescapedCopy(fieldBytes(r, "Detail"))
		}
		fn(later[order[k]], r, msg)
	})
}

// headFragment returns the Fragment-id of a Pexip SIP line that is the first fragment of
// a message whose headers go on in the next, or nil. It looks for the keys as Pexip
// writes them, before the Detail, so that the other lines cost one short search.
func headFragment(r *model.Record) []byte {
	if r.Shape != nil || !bytes.HasPrefix(r.Module, []byte("support.sip")) {
		return nil
	}
	detail := detailStart(r)
	before := r.Details[:len(r.Details)-len(detail)]
	if number, ok := kv.ValueStart(before, "Fragment-number"); !ok || !bytes.HasPrefix(number, []byte(`0"`)) {
		return nil
	}
	id, _ := kv.ValueStart(before, "Fragment-id")
	id, _, _ = bytes.Cut(id, []byte(`"`))
	if len(id) == 0 || sip.HeadersEnd(detail) {
		return nil
	}
	return bytes.Clone(id)
}
