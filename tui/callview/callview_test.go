package callview

import (
	"fmt"
	"regexp"
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

// TestConferenceShowsHostileText opens the conference tab of a call whose protocol and
// names carry escape sequences and invisible characters: they are shown as text.
func TestConferenceShowsHostileText(t *testing.T) {
	m := open(t, `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="al`+"\x1b]0;x\x07"+`ice" Conference="meet`+"\u202e"+`" Conference-ID="c1" Protocol="SIP`+"\x1b[2J\u009b\u2028"+`" Participant-Id="p1"`+"\n")
	for range 3 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	}
	// The view's own colours are the only escape sequences it may hold.
	sc := regexp.MustCompile(`\x1b\[[0-9;:]*m`).ReplaceAllString(m.View(), "")
	if !strings.Contains(sc, "SIP^[[2J<U+009B><U+2028>") || !strings.Contains(sc, "meet<U+202E>") {
		t.Errorf("the conference tab does not show the protocol and name as text:\n%s", sc)
	}
	for _, bad := range []string{"\x1b", "\u009b", "\u202e", "\u2028"} {
		if strings.Contains(sc, bad) {
			t.Errorf("the conference tab holds %q:\n%q", bad, sc)
		}
	}
}

// TestConferenceTabScrolls: a conference of more participants than the tab holds scrolls
// with the movement keys (j, pgdown, G did nothing, and the list was cut).
func TestConferenceTabScrolls(t *testing.T) {
	var log strings.Builder
	for i := range 40 {
		fmt.Fprintf(&log, `2026-05-14 10:00:%02d,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Conference="Meet" ConferenceAlias="meet" Participant="person%02d" Protocol="WebRTC" Call-Id="c%d" Participant-Id="p%d" Conference-ID="conf-1"`+"\n", i, i, i, i)
	}
	m := New(commontest.New(t, log.String(), "mono"), 1)
	t.Cleanup(m.Close)
	m.SetSize(120, 24)
	for range 3 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "person01") || strings.Contains(v, "person39") {
		t.Fatalf("the conference tab before scrolling:\n%s", v)
	}
	m.Update(tea.KeyPressMsg{Code: 'G', Text: "G"})
	if v := ansi.Strip(m.View()); !strings.Contains(v, "person39") {
		t.Errorf("G did not scroll to the last participant:\n%s", v)
	}
}

// TestTimelineLetsKeysThrough: on the Timeline tab, where every call opens, esc and q go
// back and y copies the selected line (the timeline swallowed them).
func TestTimelineLetsKeysThrough(t *testing.T) {
	m := open(t, `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="alice" ConferenceAlias="meet" Protocol="WebRTC" Participant-Id="p1"`+"\n")
	keysAsk(t, m, "timeline")
}

// keysAsk checks that esc and q on the view ask to go back and y asks to copy; where
// names the tab for the errors.
func keysAsk(t *testing.T, m *Model, where string) {
	t.Helper()
	for _, tc := range []struct {
		key  tea.KeyPressMsg
		want string
	}{{tea.KeyPressMsg{Code: tea.KeyEscape}, "common.BackMsg"}, {tea.KeyPressMsg{Code: 'q', Text: "q"}, "common.BackMsg"}, {tea.KeyPressMsg{Code: 'y', Text: "y"}, "common.CopyMsg"}} {
		asked := commontest.Run(m.Update(tc.key))
		if len(asked) != 1 || fmt.Sprintf("%T", asked[0]) != tc.want {
			t.Errorf("%s on the %s asked for %v, want a %s", tc.key, where, asked, tc.want)
		}
	}
}
