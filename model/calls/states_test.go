package calls

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
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

// TestMediaLocationFromTheJoinedLine reads the lines of the vendor's own example: the
// attempt's Location is where the call arrived (Europe), the joined line's is the media
// node's (London), which the call's media location is.
func TestMediaLocationFromTheJoinedLine(t *testing.T) {
	log := `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." ConferenceAlias="sip:meet.alice@example.com" Participant="sip:alice@example.com" Protocol="SIP" Direction="in" Remote-Address="10.47.2.55" Participant-Id="44be63a0-0c52" Registered="False" Location="Europe"
2026-05-14 10:00:01,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Conference="Meet Alice" Service-Tag="" Service-Type="conference" ConferenceAlias="sip:meet.alice@example.com" Participant="sip:alice@example.com" DisplayName="Alice Smith" Protocol="SIP" Direction="in" Vendor="TANDBERG/257 (TE4.1.1.273710)" Call-Id="fe7107ba-016c" Conversation-Id="fe7107ba-016c" Participant-Id="44be63a0-0c52" Remote-Address="10.47.2.55" Location="London" Licenses="1" Signaling-Node="192.168.0.1" Signaling-Location="London" Media-Node="192.168.0.2" Conference-ID="cc7f6255-0986-447d-8ee9-561c5bbf4a24" Proxy-Node="10.47.2.46" Proxy-Location="London Proxy"
`
	st := store.New()
	x := New(st, newParser)
	storetest.Load(t, st, "example.log", strings.NewReader(log), split.Options{})
	all := x.Calls()
	if len(all) != 1 || all[0].MediaLocation != "London" || all[0].MediaNode != "192.168.0.2" {
		t.Fatalf("calls %+v: want one, its media on 192.168.0.2 in London", all)
	}
}

// TestTogetherAndLegs: of a conference's participants, those there at the same time as a
// call; and the legs that share its Conversation-Id.
func TestTogetherAndLegs(t *testing.T) {
	joined := func(sec int, who, pid, conv string) string {
		return fmt.Sprintf(`2026-05-14 10:00:%02d,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Conference="Meet" ConferenceAlias="meet" Participant="%s" Protocol="SIP" Call-Id="call-%s" Conversation-Id="%s" Participant-Id="%s" Conference-ID="conf-1"`+"\n", sec, who, pid, conv, pid)
	}
	left := func(sec int, pid string) string {
		return fmt.Sprintf(`2026-05-14 10:00:%02d,000 Level="INFO" Name="administrator.conference" Message="Participant has disconnected." Participant-Id="%s" Conference-ID="conf-1" Duration="1"`+"\n", sec, pid)
	}
	log := joined(1, "alice", "p1", "conv-a") + joined(2, "bob", "p2", "conv-b") + left(3, "p2") +
		joined(5, "carol", "p3", "conv-c") + joined(6, "alice-slides", "p4", "conv-a") + left(9, "p1")
	st := store.New()
	x := New(st, newParser)
	storetest.Load(t, st, "conf.log", strings.NewReader(log), split.Options{})
	x.Calls()
	who := func(all []Call) (out []string) {
		for _, c := range all {
			out = append(out, c.Participant)
		}
		return out
	}
	bob, _ := x.Find(st, "p2")
	alice, _ := x.Find(st, "p1")
	if got := strings.Join(who(x.Together(bob)), " "); got != "alice bob" {
		t.Errorf("there with bob: %s, want alice and bob (carol came after he left)", got)
	}
	if got := strings.Join(who(x.Legs(alice)), " "); got != "alice-slides" {
		t.Errorf("alice's other legs: %q, want alice-slides", got)
	}
}
