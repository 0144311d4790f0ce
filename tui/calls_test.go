package tui

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/source"
)

// truthOf returns what the simulator logged for the harness's calls.
func truthOf(lines int) []*sim.CallTruth {
	s := sim.New(3)
	s.WriteLines(io.Discard, lines)
	return s.Truth()
}

// ended returns a SIP call of the truth that joined and logged its media statistics.
func ended(t *testing.T, truth []*sim.CallTruth) *sim.CallTruth {
	for _, c := range truth {
		if c.Protocol == "SIP" && !c.Failed && c.DisplayName != "" && len(c.Streams) > 0 {
			return c
		}
	}
	t.Fatal("the simulation logged no ended SIP call with media statistics")
	return nil
}

func TestCallsListAndCallView(t *testing.T) {
	h := newHarness(t, 2000, "default")
	call := ended(t, truthOf(2000))

	openCalls(h)
	golden(t, "calls", h.plainScreen())
	golden(t, "calls.256", h.colourScreen())

	// The fuzzy prompt finds the call by its Call-Id; enter opens it.
	h.keys("/", call.CallID)
	h.waitFor("the call alone", func(s string) bool { return strings.Contains(s, " of ") })
	if sc := h.screen(); !strings.Contains(sc, call.DisplayName) || !strings.Contains(sc, "1 of ") {
		t.Fatalf("filtering by %s did not leave its call alone:\n%s", call.CallID, sc)
	}
	h.keys("enter", "enter")
	h.waitFor("the call view", func(s string) bool { return strings.Contains(s, "Timeline") })
	sc := h.screen()
	for _, want := range []string{"Call ", call.DisplayName, call.Conference, call.CallID, "ended"} {
		if !strings.Contains(sc, want) {
			t.Errorf("the call view's header lacks %q:\n%s", want, sc)
		}
	}
	if !strings.Contains(sc, "Participant has joined.") {
		t.Errorf("the timeline lacks the administrator lines joined through the Participant-Id:\n%s", sc)
	}
	golden(t, "call", h.plainScreen())
	golden(t, "call.256", h.colourScreen())

	h.keys("tab")
	h.waitFor("the ladder", func(s string) bool { return strings.Contains(s, "INVITE") })
	if sc := h.screen(); !strings.Contains(sc, "+ SDP") || !strings.Contains(sc, "200 OK") {
		t.Errorf("the ladder lacks the INVITE's SDP or its answer:\n%s", sc)
	}
	h.keys("enter")
	h.waitFor("a whole message", func(s string) bool { return strings.Contains(s, "Call-ID: "+call.CallID) })
	h.keys("esc")

	// The media tab shows every stream's values as logged.
	h.keys("tab")
	h.waitFor("the media tab", func(s string) bool { return strings.Contains(s, "RX rate") || strings.Contains(s, "RX") })
	sc = h.screen()
	for _, detail := range call.Streams {
		streams, _ := media.Parse([]byte(detail))
		for _, s := range streams {
			for _, want := range []string{s.Kind, s.RX.Rate, s.RX.Loss, s.TX.Jitter, s.Codec} {
				if !strings.Contains(sc, want) {
					t.Errorf("the media tab lacks %q of stream %d:\n%s", want, s.Index, sc)
				}
			}
		}
	}

	h.keys("tab")
	h.waitFor("the conference tab", func(s string) bool { return strings.Contains(s, call.DisplayName) })

	// esc goes back to the list, and from there to the logs.
	h.keys("esc")
	h.waitFor("the list again", func(s string) bool { return strings.Contains(s, "PARTICIPANT") })
	h.keys("esc")
	h.waitFor("the logs again", func(s string) bool { return strings.Contains(s, "following") })
}

// o on a log line opens the call the line belongs to.
func TestOpenCallOfLine(t *testing.T) {
	h := newHarness(t, 2000, "default")
	call := ended(t, truthOf(2000))
	h.keys("/", call.CallID, "enter")
	h.waitFor("the search", searchCounted)
	h.keys("o")
	h.waitFor("the call view", func(s string) bool { return strings.Contains(s, "Timeline") })
	if sc := h.screen(); !strings.Contains(sc, call.CallID) || !strings.Contains(sc, call.DisplayName) {
		t.Fatalf("o on a line of call %s opened another:\n%s", call.CallID, sc)
	}
	h.keys("esc")
	h.waitFor("the logs again", func(s string) bool { return strings.Contains(s, "following") })
}

// TestFlexisipCallsAndLadder: a Flexisip proxy's log makes calls from its SIP traffic; the
// calls list shows them, and a call's ladder has the proxy as a column between the peers.
func TestFlexisipCallsAndLadder(t *testing.T) {
	data, err := os.ReadFile("../testdata/flexisip/flexisip-proxy.log")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "flexisip-proxy.log")
	os.WriteFile(path, data, 0o600)
	h := harnessOf(t, []source.Live{source.NewFile(path, source.FollowOptions{Interval: 20 * time.Millisecond})}, "default")
	h.waitFor("the log", func(s string) bool {
		return strings.Contains(s, "flexisip │") || strings.Contains(s, "following flexisip")
	})
	h.keys("c")
	h.waitFor("the calls", func(s string) bool { return strings.Contains(s, "carol@example.org") && strings.Contains(s, "Alice") })
	h.keys("down", "enter") // the list is newest first: Alice's call is the second
	h.waitFor("the call view", func(s string) bool { return strings.Contains(s, "Timeline") })
	h.keys("tab")
	h.waitFor("the ladder", func(s string) bool { return strings.Contains(s, "180 Ringing") })
	sc := h.screen()
	a, proxy, b := strings.Index(sc, "192.0.2.10"), strings.Index(sc, "flexisip "), strings.Index(sc, "192.0.2.20")
	if a < 0 || proxy < a || b < proxy || !strings.Contains(sc, "INVITE") || !strings.Contains(sc, "BYE") {
		t.Errorf("the ladder lacks its three columns (caller, proxy, callee) or its messages:\n%s", sc)
	}
}
