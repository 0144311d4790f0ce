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
	who                       uint64 // the participant and alias of an administrator line
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

// readClue reads the clue of a line of kind evStart, evAttempt or evPIN: no more of the
// line than pairing needs.
func readClue(r *model.Record, k kind) clue {
	var f fieldsBuilder
	c := clue{kind: k, time: r.Time}
	if k == evStart {
		readStart(r, &f, false)
		c.remote, c.dialled = hash(f.vals[fRemote]), hash(f.vals[fAlias])
	} else {
		f.readCallFields(r, pairingFields)
		alias := bytes.TrimPrefix(f.vals[fConferenceAlias], []byte("sip:")) // hash decodes it
		c.remote, c.dialled = hash(f.vals[fRemoteAddress]), hash(alias)
		c.who = hash(f.vals[fParticipant], alias)
	}
	c.protocol = hash(f.vals[fProtocol])
	return c
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
	x.summaries.readEach(entries, func(i int, r *model.Record) {
		if k, ok := kindOf(r); ok {
			clues[i], read[i] = readClue(r, k), true
		}
	})
	x.mu.Lock()
	defer x.mu.Unlock()
	for i, u := range todo {
		c := x.callOf(x.find(u.id))
		if !read[i] || c == nil {
			continue // its text could not be read back
		}
		c.learn(&clues[i])
		if x.pairCall(c, &clues[i]) != c { // joined with another
			x.version++
		}
	}
}

// learn takes in what a clue tells about the call.
func (c *call) learn(cl *clue) {
	switch cl.kind {
	case evStart:
		c.started = true
		c.dialled = cmp.Or(c.dialled, cl.dialled)
		c.protocol = cmp.Or(c.protocol, cl.protocol)
	case evAttempt, evPIN:
		if cl.kind == evAttempt {
			c.attempted = true
			c.dialled = cmp.Or(c.dialled, cl.dialled)
		}
		c.protocol = cmp.Or(cl.protocol, c.protocol) // the administrator log's protocol wins
	}
}

// pairCall joins a call's lines that nothing else joins. A call that fails before it joins
// never gets the "Participant has joined." line that pairs its Participant-Id with its
// Call-Id, so its "attempting" and "failed" lines (Participant-Id only), its signalling
// (Call-Id or Uuid) and its PIN lines (Call-Id only) would stand apart. They are joined:
// signalling and attempt when the attempt names the remote address the signalling came
// from, with the same protocol and alias; a PIN line and an attempt when they name the
// same participant and alias — each within its window, and only while unpaired.
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
		if o.dead || cl.time-o.start > window || o.started && o.attempted && x.hasCallID(o) {
			continue // merged or paired since, or too old: forget it
		}
		if found == nil && o != c && o.start-cl.time <= window && agree(o.protocol, c.protocol) && agree(o.dialled, c.dialled) {
			found = o
			continue // paired now: no longer a candidate
		}
		kept = append(kept, o)
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
			list = slices.DeleteFunc(list, func(o *call) bool { return o.dead || o.start < oldest })
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
