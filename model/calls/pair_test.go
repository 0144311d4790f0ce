package calls

import (
	"testing"

	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
)

// refusedNow logs a SIP call refused at its attempt: INVITE, 100 Trying, attempt, "failed
// to join" and 404, each after the delays given (ms).
func (l *logBuilder) refusedNow(c sipCall, invite, attempt int) {
	l.tag = c.callID
	l.at(invite).sip(c.node, "Received SIP request", c.remote, c.node, c.invite())
	l.at(1).sip(c.node, "Sending SIP response", c.node, c.remote, c.response("100 Trying", "1 INVITE"))
	l.at(attempt).attempt(c)
	l.at(2).admin(c.node, "Participant failed to join conference.", "ConferenceAlias", c.alias, "Participant", "sip:"+c.user,
		"Protocol", "SIP", "Remote-Address", c.remote, "Participant-Id", c.participantID, "Reason", "Conference not found")
	l.at(1).sip(c.node, "Sending SIP response", c.node, c.remote, c.response("404 Not Found", "1 INVITE"))
	l.tag = ""
}

// TestPairingNeverMergesTwoParticipants: every call comes through one SBC (one address),
// to one alias. A failed call's signalling and its attempt are paired only when they name
// the same caller and alias; of two INVITEs of the same caller, the one logged on the
// attempt's node just before it; and an attempt that names another caller than any
// INVITE stays apart.
func TestPairingNeverMergesTwoParticipants(t *testing.T) {
	l := newLog()
	want, participants := map[string]State{}, map[string]string{}
	add := func(c sipCall) { want[c.callID], participants[c.callID] = Failed, c.participantID }

	// Two people at once, their lines interleaved: bob's INVITE comes between alice's
	// INVITE and her attempt.
	alice, bob := person(1, "alice", "10.0.1.12"), person(2, "bob", "10.0.1.13")
	add(alice)
	add(bob)
	l.tag = alice.callID
	l.sip(alice.node, "Received SIP request", alice.remote, alice.node, alice.invite())
	l.tag = bob.callID
	l.at(1).sip(bob.node, "Received SIP request", bob.remote, bob.node, bob.invite())
	l.at(2).attempt(bob)
	l.tag = alice.callID
	l.at(1).attempt(alice)
	l.at(2).admin(alice.node, "Participant failed to join conference.", "ConferenceAlias", alice.alias, "Participant", "sip:"+alice.user,
		"Protocol", "SIP", "Remote-Address", alice.remote, "Participant-Id", alice.participantID, "Reason", "Conference not found")
	l.tag = bob.callID
	l.at(1).admin(bob.node, "Participant failed to join conference.", "ConferenceAlias", bob.alias, "Participant", "sip:"+bob.user,
		"Protocol", "SIP", "Remote-Address", bob.remote, "Participant-Id", bob.participantID, "Reason", "Conference not found")

	// One person redialling at once, then three times at the same moment on two nodes:
	// each attempt belongs with the INVITE logged just before it on its own node, not with
	// the first INVITE waiting, nor with the last.
	carol1, carol2 := person(3, "carol", "10.0.1.12"), person(4, "carol", "10.0.1.12")
	x1, y, z := person(5, "carol", "10.0.1.13"), person(6, "carol", "10.0.1.12"), person(9, "carol", "10.0.1.13")
	for _, c := range []sipCall{carol1, carol2, x1, y, z} {
		add(c)
	}
	l.refusedNow(carol1, 1000, 5)
	l.refusedNow(carol2, 300, 5)
	l.at(1000)
	for _, c := range []sipCall{x1, y, z} {
		l.tag = c.callID
		l.at(1).sip(c.node, "Received SIP request", c.remote, c.node, c.invite())
	}
	for _, c := range []sipCall{y, z, x1} {
		l.tag = c.callID
		l.at(1).attempt(c)
	}

	// An INVITE from dave, an attempt for erin: in doubt, apart.
	dave, erin := person(7, "dave", "10.0.1.12"), person(8, "erin", "10.0.1.12")
	erin.callID = ""
	want[dave.callID] = Failed
	l.tag = dave.callID
	l.at(1000).sip(dave.node, "Received SIP request", dave.remote, dave.node, dave.invite())
	l.at(1).sip(dave.node, "Sending SIP response", dave.node, dave.remote, dave.response("404 Not Found", "1 INVITE"))
	l.tag = ""
	l.at(3).attempt(erin)

	for _, live := range []bool{false, true} {
		st, x := loadText(t, l.b.String(), live, 5)
		all := x.Calls()
		if len(all) != len(want)+1 {
			t.Errorf("live=%v: %d calls, want %d (and erin's attempt alone)", live, len(all), len(want)+1)
		}
		for id := range want {
			n, ok := x.Find(st, id)
			if !ok {
				t.Errorf("live=%v: no call carries %s", live, id)
				continue
			}
			c, _ := x.Call(n)
			p := participants[id]
			if p == "" && len(c.ParticipantIDs) > 0 || p != "" && (len(c.ParticipantIDs) != 1 || c.ParticipantIDs[0] != p) {
				t.Errorf("live=%v: call %s: Participant-Ids %v, want [%s]", live, id, c.ParticipantIDs, p)
			}
			if len(c.CallIDs) != 1 || c.Entries != l.lines[id] {
				t.Errorf("live=%v: call %s: Call-IDs %v, %d lines; want itself, %d lines", live, id, c.CallIDs, c.Entries, l.lines[id])
			}
		}
	}
}

// TestSettledCallsForgetPairing loads simulated lines and expects every call paired for
// good (its signalling and attempt seen, a Call-Id among its ids) to hold no pairing,
// and most calls to be so: pairing costs only the calls it may still join.
func TestSettledCallsForgetPairing(t *testing.T) {
	f, _ := storetest.File(t, 1, 20000)
	st := store.New()
	x := New(st, newParser)
	storetest.Load(t, st, f.Name(), f, split.Options{})
	x.catchUp()
	calls, settled := 0, 0
	for _, p := range x.made.All() {
		c := *p
		if c == nil {
			continue
		}
		calls++
		if c.started && c.attempted && x.hasCallID(c) {
			settled++
			if c.pairing != nil {
				t.Fatalf("call %d is paired for good but holds its pairing %+v", c.number, *c.pairing)
			}
		} else if c.pairing == nil {
			t.Fatalf("call %d may still be paired but holds no pairing", c.number)
		}
	}
	if settled < calls/2 {
		t.Errorf("%d of %d calls settled: the test proves little", settled, calls)
	}
}
