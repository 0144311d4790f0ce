package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestCallScreens draws the calls list and every tab of a call at 200x50 and 80x24, as
// golden screens: at 80x24 the list shows each call's state, duration and reason, and
// the call's header takes two lines; at 200x50 the header is whole and the ladder has the
// selected message beside it.
func TestCallScreens(t *testing.T) {
	h := newHarness(t, 2000, "default")
	call := ended(t, truthOf(2000))
	openCalls(h)
	tabs := []struct{ name, shows string }{{"timeline", "support.sip"}, {"signalling", "INVITE"}, {"media", "RX"}, {"conference", call.DisplayName}}
	for _, size := range [][2]int{{200, 50}, {80, 24}} {
		name := fmt.Sprintf("%dx%d", size[0], size[1])
		h.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		h.waitFor("the list at "+name, func(s string) bool { return strings.Contains(s, "STATE") && strings.Contains(s, "DURATION") })
		golden(t, "calls."+name, h.plainScreen())
		h.keys("/", call.CallID, "enter", "enter")
		h.waitFor("the call view", func(s string) bool { return strings.Contains(s, "Timeline") && strings.Contains(s, call.CallID) })
		for i, tab := range tabs {
			if i > 0 {
				h.keys("tab")
			}
			h.waitFor("the "+tab.name+" tab", func(s string) bool { return strings.Contains(s, tab.shows) })
			golden(t, "call."+tab.name+"."+name, h.plainScreen())
		}
		h.keys("esc", "/", "esc")
		h.waitFor("the whole list again", func(s string) bool { return !strings.Contains(s, " of ") && strings.Contains(s, "STATE") })
	}
}

// openCalls opens the calls list of the simulated log and waits until its calls are read.
func openCalls(h *harness) {
	h.keys("c")
	h.waitFor("the calls list", func(s string) bool {
		return strings.Contains(s, "PARTICIPANT") && strings.Contains(s, "08:0") && !strings.Contains(s, "reading the calls")
	})
}
