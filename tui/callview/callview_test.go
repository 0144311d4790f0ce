package callview

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/tui/common/commontest"
)

// open indexes log and opens its first call.
func open(t *testing.T, log string) *Model {
	t.Helper()
	m := New(commontest.New(t, log, "default"), 1)
	t.Cleanup(m.Close)
	m.SetSize(120, 30)
	return m
}

// A call without SIP messages (WebRTC) has an empty ladder: moving and opening on it
// must say so, not fail.
func TestSignallingWithoutSIP(t *testing.T) {
	m := open(t, `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="alice" ConferenceAlias="meet" Protocol="WebRTC" Participant-Id="p1"`+"\n")
	for _, k := range []tea.KeyPressMsg{{Code: tea.KeyTab}, {Code: tea.KeyDown}, {Code: tea.KeyEnter}, {Code: tea.KeyUp}, {Code: tea.KeyEnter}} {
		m.Update(k)
	}
	if sc := ansi.Strip(m.View()); !strings.Contains(sc, "WebRTC call: its signalling lines are in the timeline") {
		t.Errorf("the signalling tab of a WebRTC call:\n%s", sc)
	}
}
