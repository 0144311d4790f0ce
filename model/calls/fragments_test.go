package calls

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/store"
)

// checkCalls checks that the index lists exactly the calls given, each with its Call-ID
// alone, its Participant-Id, its state, and as many lines as the log wrote for it.
func checkCalls(t *testing.T, st *store.Store, x *Index, l *logBuilder, want map[string]State, participants map[string]string) {
	t.Helper()
	all := x.Calls()
	if len(all) != len(want) {
		var got []string
		for _, c := range all {
			got = append(got, fmt.Sprintf("%v/%v", c.CallIDs, c.ParticipantIDs))
		}
		t.Fatalf("%d calls %v, want %d", len(all), got, len(want))
	}
	for callID, state := range want {
		n, ok := x.Find(st, callID)
		if !ok {
			t.Errorf("no call carries %s", callID)
			continue
		}
		c, _ := x.Call(n)
		if !slices.Equal(c.CallIDs, []string{callID}) {
			t.Errorf("call %s: Call-IDs %v", callID, c.CallIDs)
		}
		if p := participants[callID]; p != "" && !slices.Equal(c.ParticipantIDs, []string{p}) {
			t.Errorf("call %s: Participant-Ids %v, want %s", callID, c.ParticipantIDs, p)
		}
		if c.State != state {
			t.Errorf("call %s: state %v (%s), want %v", callID, c.State, c.Reason, state)
		}
		if c.Entries != l.lines[callID] {
			t.Errorf("call %s: %d lines, want %d", callID, c.Entries, l.lines[callID])
		}
		if got := len(x.Entries(st, n)); got != l.lines[callID] {
			t.Errorf("call %s: %d entries listed, want %d", callID, got, l.lines[callID])
		}
	}
}

// TestCallIDCutAtEveryOffset cuts the INVITE of two refused calls, whose Call-IDs begin
// alike, at every offset from the start of the Call-ID header to past its end, as Pexip
// cuts a long message into fragments: each call is listed once, with its whole Call-ID,
// all of its lines and its refusal; no part of a Call-ID is an id. From a file, and live,
// fragments arriving in batches of their own with the calls looked at between them.
func TestCallIDCutAtEveryOffset(t *testing.T) {
	a := sipCall{callID: "6db7f57bfa9d704e@10.44.5.9", user: "alice@example.com", display: "Alice", alias: "meet@example.com",
		participantID: "aaaa1111-0000-4000-8000-000000000001", remote: "10.44.5.9", node: "10.0.1.12"}
	b := sipCall{callID: "6db7aa0011223344@10.44.5.9", user: "bob@example.com", display: "Bob", alias: "meet@example.com",
		participantID: "bbbb2222-0000-4000-8000-000000000002", remote: "10.44.5.9", node: "10.0.1.13"}
	header := strings.Index(a.invite(), "Call-ID: ")
	end := header + len("Call-ID: "+a.callID+"^M")
	for _, live := range []bool{false, true} {
		for cut := header - 3; cut <= end+2; cut++ {
			t.Run(fmt.Sprintf("live=%v/cut=%d", live, cut-header), func(t *testing.T) {
				l := newLog()
				l.refused(a, cut)
				l.at(100).refused(b, cut, cut+20)
				st, x := loadText(t, l.b.String(), live, uint64(cut))
				checkCalls(t, st, x, l, map[string]State{a.callID: Failed, b.callID: Failed},
					map[string]string{a.callID: a.participantID, b.callID: b.participantID})
				for _, id := range st.IDs(model.CallID) {
					if id != a.callID && id != b.callID {
						t.Errorf("the store holds the Call-ID %q", id)
					}
				}
			})
		}
	}
}

// TestFragmentsHeldBriefly: the index waits for the rest of a message whose Call-ID it
// cannot read yet only briefly — until fragmentReach more entries came (looked at every
// fragmentSweep), and for at most maxPending messages at once — and a message whose later fragment never comes is still
// put together from what came: its Call-ID, whole in its first fragment's successors
// that did come, joins its call.
func TestFragmentsHeldBriefly(t *testing.T) {
	c := sipCall{callID: "feed0001@10.44.5.9", user: "carol@example.com", display: "Carol", alias: "meet@example.com",
		participantID: "cccc3333-0000-4000-8000-000000000003", remote: "10.44.5.9", node: "10.0.1.12"}
	invite := c.invite()
	header := strings.Index(invite, "Call-ID: ")
	l := newLog()
	// Fragments 0 and 1 of 3 (the Call-ID cut between them); fragment 2 never comes.
	l.line(c.node, "INFO", "support.sip", "Message", "Received SIP request", "Src-address", c.remote, "Fragment-id", "lost0001",
		"Fragment-number", "0", "Fragment-total", "3", "Detail", invite[:header+12])
	l.line(c.node, "INFO", "support.sip", "Message", "Received SIP request", "Src-address", c.remote, "Fragment-id", "lost0001",
		"Fragment-number", "1", "Fragment-total", "3", "Detail", invite[header+12:header+60])
	// Many messages that never get their second fragment, and no Call-ID in their first.
	for i := range maxPending + 100 {
		l.line("10.0.1.13", "INFO", "support.sip", "Message", "Received SIP request", "Src-address", "10.9.9.9",
			"Fragment-id", fmt.Sprintf("gone%04d", i), "Fragment-number", "0", "Fragment-total", "2", "Detail", "OPTIONS sip:x SIP/2.0^MVia: x^MCall-")
	}
	st, x := loadText(t, l.b.String(), false, 1)
	x.mu.RLock()
	waiting := len(x.frags.waiting)
	x.mu.RUnlock()
	if waiting > maxPending {
		t.Errorf("%d messages wait for their fragments, at most %d may", waiting, maxPending)
	}
	for i := range fragmentReach + fragmentSweep + 1 {
		l.line("10.0.1.14", "INFO", "support.participant", "Message", "Media offer", "Participant-Id", fmt.Sprint("p", i%10))
	}
	st, x = loadText(t, l.b.String(), false, 1)
	x.mu.RLock()
	waiting = len(x.frags.waiting)
	x.mu.RUnlock()
	if waiting != 0 {
		t.Errorf("%d messages still wait for their fragments after %d more entries", waiting, fragmentReach+fragmentSweep+1)
	}
	n, ok := x.Find(st, c.callID)
	if !ok {
		t.Fatalf("no call carries %s", c.callID)
	}
	if got := len(x.Entries(st, n)); got != 2 {
		t.Errorf("the call of the message cut short has %d entries, want its 2 fragments", got)
	}
}
