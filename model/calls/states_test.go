package calls

import (
	"fmt"
	"testing"
	"time"
)

// person makes the SIP call of participant i of the test logs, through one SBC.
func person(i int, name, node string) sipCall {
	return sipCall{callID: fmt.Sprintf("%08x@10.44.5.9", 0xca11000+i), user: name + "@example.com", display: name,
		alias: "meet@example.com", participantID: fmt.Sprintf("%08x-0000-4000-8000-%012d", 0xbead000+i, i),
		remote: "10.44.5.9", node: node}
}

// joining logs a SIP call's INVITE, its 100 Trying, its attempt and, if answered, the
// 200 OK and ACK of an IVR that asks for a PIN.
func (l *logBuilder) joining(c sipCall, answered bool) {
	l.tag = c.callID
	l.sip(c.node, "Received SIP request", c.remote, c.node, c.invite())
	l.at(2).sip(c.node, "Sending SIP response", c.node, c.remote, c.response("100 Trying", "1 INVITE"))
	l.at(5).attempt(c)
	if answered {
		l.at(90).sip(c.node, "Sending SIP response", c.node, c.remote, c.response("200 OK", "1 INVITE"))
		l.at(30).sip(c.node, "Received SIP request", c.remote, c.node, c.request("ACK", "1 ACK"))
	}
}

// pin logs an administrator line of the PIN dialogue, which carries the Call-Id.
func (l *logBuilder) pin(c sipCall, message string, pairs ...string) {
	l.admin(c.node, message, append([]string{"Participant", "sip:" + c.user, "ConferenceAlias", c.alias, "Call-id", c.callID}, pairs...)...)
}

// hangUp logs the BYE the node sends and the 200 OK it gets.
func (l *logBuilder) hangUp(c sipCall) {
	l.at(3).sip(c.node, "Sending SIP request", c.node, c.remote, c.request("BYE", "2 BYE"))
	l.at(20).sip(c.node, "Received SIP response", c.remote, c.node, c.response("200 OK", "2 BYE"))
}

// TestStatesFromWhatTheLogSays: calls refused for their PIN, for want of a host, by a
// final SIP response with no administrator line at all, or by a lone response whose
// INVITE is not in the log, are failed, with the reason in a user's words; an OPTIONS
// dialogue is no call; a call that failed stays failed when its BYE comes.
func TestStatesFromWhatTheLogSays(t *testing.T) {
	l := newLog()
	retries := person(1, "alice", "10.0.1.12")
	l.joining(retries, true)
	for range 3 {
		l.at(2500).pin(retries, "Participant entered incorrect conference PIN", "RetriesRemaining", "0")
	}
	l.at(1).pin(retries, "Participant exceeded PIN entry retries. Call will be disconnected.")
	l.hangUp(retries)

	timeout := person(2, "bob", "10.0.1.13")
	l.at(1000).joining(timeout, true)
	l.at(30000).pin(timeout, "PIN entry timed out.", "Detail", "The correct PIN has not been received. Call will be disconnected.")
	l.hangUp(timeout)

	host := person(3, "carol", "10.0.1.12")
	l.at(1000).joining(host, true)
	l.at(10).pin(host, "Guest participant waiting.", "Role", "guest", "Detail", "Waiting until participant is allowed to join the conference.")
	l.at(60000).pin(host, "Conference host timeout.", "Detail", "The conference host has not joined. Call will be disconnected.")
	l.hangUp(host)

	busy := person(4, "dave", "10.0.1.13") // refused at once: no administrator line
	l.tag = busy.callID
	l.at(1000).sip(busy.node, "Received SIP request", busy.remote, busy.node, busy.invite())
	l.at(3).sip(busy.node, "Sending SIP response", busy.node, busy.remote, busy.response("486 Busy Here", "1 INVITE",
		`Warning: 399 conf01 "Too many calls"`, `Reason: Q.850;cause=17;text="User busy"`))
	l.at(30).sip(busy.node, "Received SIP request", busy.remote, busy.node, busy.request("ACK", "1 ACK"))

	lone := person(5, "erin", "10.0.1.12") // its INVITE was logged before the log begins
	l.tag = lone.callID
	l.at(1000).sip(lone.node, "Sending SIP response", lone.node, lone.remote, lone.response("404 Not Found", "1 INVITE"))

	ping := person(6, "frank", "10.0.1.12") // no call
	l.tag = ""
	l.at(1000).sip(ping.node, "Received SIP request", ping.remote, ping.node, ping.request("OPTIONS", "1 OPTIONS"))
	l.at(1).sip(ping.node, "Sending SIP response", ping.node, ping.remote, ping.response("200 OK", "1 OPTIONS"))

	for _, live := range []bool{false, true} {
		st, x := loadText(t, l.b.String(), live, 3)
		checkCalls(t, st, x, l, map[string]State{retries.callID: Failed, timeout.callID: Failed, host.callID: Failed,
			busy.callID: Failed, lone.callID: Failed}, map[string]string{retries.callID: retries.participantID,
			timeout.callID: timeout.participantID, host.callID: host.participantID})
		for id, want := range map[string]string{
			retries.callID: "PIN entry retries exceeded",
			timeout.callID: "PIN entry timed out",
			host.callID:    "Conference host timeout",
			busy.callID:    "486 Busy Here: Too many calls; User busy",
			lone.callID:    "404 Not Found",
		} {
			n, _ := x.Find(st, id)
			c, _ := x.Call(n)
			if c.Reason != want {
				t.Errorf("live=%v: call %s (%s): reason %q, want %q", live, id, c.Who(), c.Reason, want)
			}
			if entries := x.Entries(st, n); c.End != st.View().Entry(int(entries[len(entries)-1])).Time {
				t.Errorf("live=%v: call %s (%s) ends at %v, not at its last line", live, id, c.Who(), c.End)
			}
		}
	}
}

// TestEndIsTheLastLine: a call ends with its last line — the BYE and its 200 OK come after
// "Participant has disconnected." — keeps the Duration logged, and spans from its first
// line to its last.
func TestEndIsTheLastLine(t *testing.T) {
	l := newLog()
	c := person(1, "alice", "10.0.1.12")
	first := l.now
	l.joining(c, true)
	l.at(20).admin(c.node, "Participant has joined.", "Conference", "Meet", "ConferenceAlias", c.alias, "Participant", "sip:"+c.user,
		"Protocol", "SIP", "Call-id", c.callID, "Participant-id", c.participantID)
	l.at(63123).admin(c.node, "Participant has disconnected.", "Conference", "Meet", "Participant", "sip:"+c.user,
		"Call-id", c.callID, "Participant-id", c.participantID, "Duration", "63.123", "Detail", "Remote disconnect")
	l.tag = c.callID
	l.at(4).sip(c.node, "Received SIP request", c.remote, c.node, c.request("BYE", "2 BYE"))
	l.at(2).sip(c.node, "Sending SIP response", c.node, c.remote, c.response("200 OK", "2 BYE"))
	st, x := loadText(t, l.b.String(), false, 1)
	checkCalls(t, st, x, l, map[string]State{c.callID: Ended}, map[string]string{c.callID: c.participantID})
	got := x.Calls()[0]
	if got.End != l.now.UnixMicro() || got.Duration != "63.123" || got.Span != l.now.Sub(first) || got.Reason != "Remote disconnect" {
		t.Errorf("end %v, duration %q, span %v, reason %q; want end %v (the 200 OK to the BYE), duration 63.123, span %v",
			time.UnixMicro(got.End).UTC(), got.Duration, got.Span, got.Reason, l.now, l.now.Sub(first))
	}
}
