package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestMarkedCallsAsOneFlow marks two calls in the calls list with space and opens them
// with enter, in the built binary: one view shows both, its ladder the messages of both;
// esc goes back to the list.
func TestMarkedCallsAsOneFlow(t *testing.T) {
	x, _ := startUI(t, "--no-follow")
	x.keys("c")
	x.waitFor("the calls list", func(s string) bool {
		return strings.Contains(s, "DURATION") && !strings.Contains(s, "reading the calls")
	})
	x.keys("/", "SIP", "Enter") // calls with a ladder
	x.keys(" ", " ")
	list := x.waitFor("two calls marked", func(s string) bool { return strings.Contains(s, "2 calls marked") })
	marked := regexp.MustCompile(`\*([0-9]+) `).FindAllStringSubmatch(list, -1)
	if len(marked) != 2 {
		t.Fatalf("the list does not show two calls marked with *:\n%s", list)
	}
	x.keys("Enter")
	flow := x.waitFor("the calls as one", func(s string) bool { return strings.Contains(s, " as one flow") })
	for _, m := range marked {
		if !regexp.MustCompile(`(?m)^` + m[1] + `  `).MatchString(flow) {
			t.Errorf("the view of the marked calls lacks call %s:\n%s", m[1], flow)
		}
	}
	x.keys("Tab")
	ladder := x.waitFor("one ladder", func(s string) bool { return strings.Contains(s, "INVITE") })
	if n := strings.Count(ladder, "INVITE + SDP"); n < 2 {
		t.Errorf("the ladder has %d INVITEs, want those of both calls:\n%s", n, ladder)
	}
	x.keys("Escape")
	x.waitFor("the list again", func(s string) bool { return strings.Contains(s, "2 calls marked") && !strings.Contains(s, "Timeline") })
}

// TestEveryCallTabAnswers: in every tab of a call, ? shows the call view's help, esc
// leaves it, and esc goes back to the calls list (the timeline swallowed esc).
func TestEveryCallTabAnswers(t *testing.T) {
	x, _ := startUI(t, "--no-follow")
	x.keys("c")
	x.waitFor("the calls list", func(s string) bool {
		return strings.Contains(s, "DURATION") && !strings.Contains(s, "reading the calls")
	})
	for tab, name := range []string{"Timeline", "Signalling", "Media", "Conference"} {
		x.keys("Enter")
		x.waitFor("a call", func(s string) bool { return strings.Contains(s, "Call-ID") && strings.Contains(s, "Timeline") })
		for range tab {
			x.keys("Tab")
		}
		x.keys("?")
		x.waitFor("the help of the "+name+" tab", func(s string) bool { return strings.Contains(s, "copies the entry, the message or the tab") })
		x.keys("Escape")
		x.waitFor("the "+name+" tab again", func(s string) bool { return strings.Contains(s, "Call-ID") })
		x.keys("Escape")
		x.waitFor("the list from the "+name+" tab", func(s string) bool { return strings.Contains(s, "DURATION") && !strings.Contains(s, "Call-ID") })
	}
}
