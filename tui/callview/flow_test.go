package callview

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/tui/common/commontest"
)

// TestCallsAsOneFlow: two calls opened as one draw one ladder, the messages of both legs
// in time order across their three parties, with the time since the message before.
func TestCallsAsOneFlow(t *testing.T) {
	m := New(commontest.New(t, gatewayLog(), "mono"), 1, 2)
	t.Cleanup(m.Close)
	m.SetSize(120, 22)
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	sc := ansi.Strip(m.View())
	if !strings.Contains(sc, "Calls 1 + 2 as one flow") {
		t.Errorf("the header does not say the calls are shown as one:\n%s", sc)
	}
	order := []string{"10:00:01.000", "+0.003", "+0.247", "+0.750", "+0.010"}
	at := 0
	for _, want := range order {
		i := strings.Index(sc[at:], want)
		if i < 0 {
			t.Fatalf("the ladder lacks %q after %d (the messages of both legs, in order, with the time since the one before):\n%s", want, at, sc)
		}
		at += i
	}
	if !regexp.MustCompile(`10\.44\.5\.9 .*10\.0\.1\.11.* 52\.112\.0\.1`).MatchString(sc) {
		t.Errorf("the ladder's columns are not the parties of both legs:\n%s", sc)
	}
}

// TestMessageBesideLadder: on a wide screen the selected message shows beside the ladder,
// and follows the selection.
func TestMessageBesideLadder(t *testing.T) {
	m := New(commontest.New(t, gatewayLog(), "mono"), 1, 2)
	t.Cleanup(m.Close)
	m.SetSize(200, 48)
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	if sc := ansi.Strip(m.View()); !strings.Contains(sc, "│INVITE sip:teams@example.com SIP/2.0") || !strings.Contains(sc, "Via: SIP/2.0/TLS 10.44.5.9:5061") {
		t.Errorf("the first INVITE is not beside the ladder:\n%s", sc)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	if sc := ansi.Strip(m.View()); !strings.Contains(sc, "│INVITE sip:bob@example.com SIP/2.0") {
		t.Errorf("the third message, the INVITE to bob, is not beside the ladder:\n%s", sc)
	}
}
