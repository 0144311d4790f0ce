package calls

import (
	"bytes"
	"cmp"
	"hash/maphash"
	"slices"
	"time"

	"github.com/calltail/calltail/model"
)

// How far apart a call's lines may be to be paired: its first signalling line and its
// "attempting to join" line come within moments; its PIN lines come as the participant
// types, until the PIN prompt times out.
const (
	pairWindow = 10 * time.Second
	pinWindow  = 2 * time.Minute
)

// sweepEvery is how many calls wait between two sweeps of the waiting lists.
const sweepEvery = 4096

// clue is what pairing reads of a call's first signalling line, its "attempting to join"
// line or a PIN line: hashes of the values it compares (0 when not logged), so that
// indexing copies no text for it.
type clue struct {
	kind                      kind
	time                      int64
	remote, dialled, protocol uint64 // where the call came from, the alias it named, how
	caller                    uint64 // who called: the SIP From, the participant of an administrator line
	who                       uint64 // the participant and alias of an administrator line
	node                      uint64 // the node that logged the line
}

// pairingFields are the details of administrator lines that a clue reads.
var pairingFields = []field{fParticipant, fConferenceAlias, fProtocol, fRemoteAddress}

// seed hashes the values that clues compare.
var seed = maphash.MakeSeed()

// hash returns the hash of a value as logged, \" decoded, or 0 for no value.
func hash(parts ...[]byte) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	empty := true
	for _, p := range parts {
		p = unescaped(p)
		empty = empty && len(p) == 0
		h.Write(p)
		h.WriteByte('|')
	}
	if empty {
		return 0
	}
	return h.Sum64() | 1 // never 0
}

// sipProtocol is the hash of the protocol of SIP calls.
var sipProtocol = hash([]byte("SIP"))

// readClue reads the clue of a line of kind evStart, evAttempt or evPIN: no more of the
// line than pairing needs. msg, if not nil, is its SIP message put together.
func readClue(r *model.Record, k kind, msg []byte) clue {
	var f fieldsBuilder
	var room [2][128]byte // for the addresses compared, in lower case
	c := clue{kind: k, time: r.Time, node: hash(r.Node)}
	if k == evStart {
		readStart(r, &f, false, msg)
		c.remote, c.dialled = hash(f.vals[fRemote]), hash(address(room[0][:0], f.vals[fAlias]))
		caller := f.vals[fFrom]
		if !bytes.Contains(r.Message(), []byte("eceived")) && r.Shape == nil { // a call Pexip placed: it calls the To
			caller, c.dialled = f.vals[fTo], 0
		}
		c.caller = hash(address(room[1][:0], caller))
	} else {
		f.readCallFields(r, pairingFields)
		alias := address(room[0][:0], f.vals[fConferenceAlias])
		caller := address(room[1][:0], f.vals[fParticipant])
		c.remote, c.dialled, c.caller = hash(f.vals[fRemoteAddress]), hash(alias), hash(caller)
		c.who = hash(caller, alias)
	}
	c.protocol = hash(f.vals[fProtocol])
	return c
}

// address appends to dst the user@host of a SIP address or alias as a call's lines name
// it ("Alice" <sip:Alice@Example.com>;tag=1, sip:alice@example.com, alice@example.com),
// in lower case, \" decoded, so that the same address compares equal however written.
func address(dst, v []byte) []byte {
	for _, c := range uriUser(unescaped(v)) {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// pairing is what pairing needs of a call until it is settled (see Index.settle).
type pairing struct {
	start             int64  // the time of its first telling line
	protocol, dialled uint64 // hashes of its protocol, and of the alias its signalling or its attempt named
	caller, node      uint64 // hashes of who called, and of the node of its first line pairing read
}

// pairingOf returns what pairing knows of c: nothing once it is settled.
func pairingOf(c *call) pairing {
	if c.pairing == nil {
		return pairing{}
	}
	return *c.pairing
}

// settle lets go of what pairing needs of c once it is paired for good — its signalling
// and its attempt seen, and a Call-Id among its ids (with the lock held): pairCall then
// looks no further for it, and match forgets it as a candidate; flags and ids only grow,
// so it stays so.
func (x *Index) settle(c *call) {
	if !c.settled && c.started && c.attempted && x.hasCallID(c) {
		c.settled, c.pairing = true, nil
	}
}

// unpaired is a line that pairing has yet to read — a call's first signalling line, its
// "attempting to join" line or a PIN line — and one of the ids it carries.
type unpaired struct{ entry, id uint32 }

// catchUp does the joining that indexing leaves for when calls are looked at, so that
// indexing reads no more of a line than its kind and looks no id up by its text. First
// the ids joined by value (a REST line's Uuid is its participant's Participant-Id), then
// pairing: the lines it reads are read back on all cores, and their calls paired in the
// order of the lines. Then the new calls are numbered.
func (x *Index) catchUp() {
	x.catching.Lock()
	defer x.catching.Unlock()
	x.resolveFragments()
	x.mu.Lock()
	twinless, todo := x.twinless, x.unpaired
	x.twinless, x.unpaired = nil, nil
	idle := len(twinless) == 0 && len(todo) == 0 && len(x.unnumbered) == 0
	x.mu.Unlock()
	if idle { // the common case, a look at calls that are caught up: no more locking
		return
	}
	if len(twinless) > 0 {
		x.joinTwins(twinless)
	}
	if len(todo) > 0 {
		x.pair(todo)
	}
	x.mu.Lock()
	x.numberCalls()
	x.mu.Unlock()
}

// joinTwins joins each of the ids (Uuids and Participant-Ids) with the id of the other
// of the two kinds and the same text, if the store has one.
func (x *Index) joinTwins(ids []uint32) {
	twins := x.st.IDTwins(ids, model.UUID, model.ParticipantID)
	x.mu.Lock()
	defer x.mu.Unlock()
	for i, n := range ids {
		if t := twins[i]; t.Found {
			x.see(t.ID, t.Kind)
			x.union(n, t.ID)
			x.version++
		}
	}
}

// pair reads the lines that pairing has yet to read and pairs their calls.
func (x *Index) pair(todo []unpaired) {
	entries := make([]uint32, len(todo))
	for i, u := range todo {
		entries[i] = u.entry
	}
	clues, read := make([]clue, len(todo)), make([]bool, len(todo))
	x.summaries.readWhole(entries, func(i int, r *model.Record, msg []byte) {
		if k, ok := kindOf(r); ok {
			clues[i], read[i] = readClue(r, k, msg), true
		}
	})
	x.mu.Lock()
	defer x.mu.Unlock()
	for i, u := range todo {
		c := x.callOf(x.find(u.id))
		if !read[i] || c == nil {
			continue // its text could not be read back
		}
		x.learn(c, &clues[i])
		if p := x.pairCall(c, &clues[i]); p != c { // joined with another
			x.version++
			c = p
		}
		x.settle(c)
	}
}

// learn takes in what a clue tells about call c (with the lock held).
func (x *Index) learn(c *call, cl *clue) {
	c.started = c.started || cl.kind == evStart
	c.attempted = c.attempted || cl.kind == evAttempt
	if c.settled {
		return // nothing reads the rest any more
	}
	p := c.pairing
	switch cl.kind {
	case evStart:
		p.dialled = cmp.Or(p.dialled, cl.dialled)
		p.caller = cmp.Or(p.caller, cl.caller)
		p.protocol = cmp.Or(p.protocol, cl.protocol)
	case evAttempt, evPIN:
		if cl.kind == evAttempt {
			p.dialled = cmp.Or(p.dialled, cl.dialled)
			p.caller = cmp.Or(p.caller, cl.caller)
		}
		p.protocol = cmp.Or(cl.protocol, p.protocol) // the administrator log's protocol wins
	}
	p.node = cmp.Or(p.node, cl.node)
}

// pairCall joins a call's lines that nothing else joins. A call that fails before it joins
// never gets the "Participant has joined." line that pairs its Participant-Id with its
// Call-Id, so its "attempting" and "failed" lines (Participant-Id only), its signalling
// (Call-Id or Uuid) and its PIN lines (Call-Id only) would stand apart. They are joined:
// signalling and attempt when the attempt names the remote address the signalling came
// from, with the same protocol, and the same caller and alias (for SIP both must be known:
// one SBC may bring every call from one address); a PIN line and an attempt when they
// name the same participant and alias — each within its window, only while neither is
// paired, and of several that could be, the one logged on the same node just before.
func (x *Index) pairCall(c *call, cl *clue) *call {
	switch {
	case cl.kind == evStart && !c.attempted:
		return x.match(c, cl, cl.remote, pairWindow, x.starts, x.attempts)
	case cl.kind == evAttempt:
		if !c.started {
			c = x.match(c, cl, cl.remote, pairWindow, x.attempts, x.starts)
		}
		if cl.who != 0 && !x.hasCallID(c) {
			x.wait(x.attemptsByWho, cl.who, c, cl.time)
		}
		return c
	case cl.kind == evPIN && !c.attempted:
		return x.match(c, cl, cl.who, pinWindow, nil, x.attemptsByWho)
	}
	return c
}

// match looks for a call among theirs under key that c could be part of, and joins them;
// without one, c waits under key among mine (if mine is not nil).
func (x *Index) match(c *call, cl *clue, key uint64, within time.Duration, mine, theirs map[uint64][]*call) *call {
	if key == 0 {
		return c
	}
	window := within.Microseconds()
	kept := theirs[key][:0]
	var found *call
	for _, o := range theirs[key] {
		if o.dead || o.settled || cl.time-pairingOf(o).start > window {
			continue // merged or paired since, or too old: forget it
		}
		kept = append(kept, o)
		if o != c && pairingOf(o).start-cl.time <= window && x.fits(c, o, cl.kind) && (found == nil || x.closer(o, found, cl.node, cl.time)) {
			found = o
		}
	}
	if found != nil { // paired now: no longer a candidate
		kept = slices.DeleteFunc(kept, func(o *call) bool { return o == found })
	}
	if len(kept) == 0 {
		delete(theirs, key)
	} else {
		theirs[key] = kept
	}
	if found == nil {
		if mine != nil {
			x.wait(mine, key, c, cl.time)
		}
		return c
	}
	return x.callOf(x.union(c.root, found.root))
}

// wait lists c under key in waiting, and now and then forgets, in all the lists, the calls
// that are too old to be paired: a key that is never seen again would keep them.
func (x *Index) wait(waiting map[uint64][]*call, key uint64, c *call, now int64) {
	waiting[key] = append(waiting[key], c)
	if x.waiting++; x.waiting < sweepEvery {
		return
	}
	x.waiting = 0
	oldest := now - pinWindow.Microseconds() // the longest window
	for _, m := range []map[uint64][]*call{x.starts, x.attempts, x.attemptsByWho} {
		for k, list := range m {
			list = slices.DeleteFunc(list, func(o *call) bool { return o.dead || o.settled || pairingOf(o).start < oldest })
			if len(list) == 0 {
				delete(m, k)
			} else {
				m[k] = list
			}
		}
	}
}

// agree reports whether two values known of two calls (hashes, 0 when unknown) could be
// the same call's.
func agree(a, b uint64) bool { return a == 0 || b == 0 || a == b }

// fits reports whether c, whose clue of kind k is being paired, and o, waiting, could be
// one call (with the lock held): o is not paired with a line of c's kind already, and
// they agree on how, who and what. For signalling and attempt of a SIP call, who (From,
// Participant) and what (Request-URI, alias) must be known to both and equal: when in
// doubt, calls are left apart. A PIN line and an attempt name the same participant and
// alias (their key).
func (x *Index) fits(c, o *call, k kind) bool {
	if k == evAttempt && o.attempted || k == evStart && o.started || k == evPIN && x.hasCallID(o) {
		return false // o has its own
	}
	p, q := pairingOf(c), pairingOf(o)
	switch {
	case !agree(q.protocol, p.protocol):
		return false
	case k != evPIN && (q.protocol == sipProtocol || p.protocol == sipProtocol):
		return q.caller != 0 && q.caller == p.caller && q.dialled != 0 && q.dialled == p.dialled
	}
	return agree(q.caller, p.caller) && agree(q.dialled, p.dialled)
}

// closer reports whether o is a better match than found for a line logged at now on node:
// one logged on the same node first, then the one logged last before now, then the first
// after.
func (x *Index) closer(oc, fc *call, node uint64, now int64) bool {
	o, found := pairingOf(oc), pairingOf(fc)
	if same := o.node == node; same != (found.node == node) {
		return same
	}
	if before := o.start <= now; before != (found.start <= now) {
		return before
	}
	if o.start <= now {
		return o.start > found.start
	}
	return o.start < found.start
}
