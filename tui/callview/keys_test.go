package callview

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// legLine logs a SIP message of call id between from and to, at 10:00:s.ms.
func legLine(s, ms int, id, message, from, to, start string) string {
	return fmt.Sprintf(`2026-05-14 10:00:%02d,%03d Level="INFO" Name="support.sip" Message="%s" Src-address="%s" Src-port="5061" Dst-address="%s" Dst-port="5061" Transport="TLS" Detail="%s^MFrom: <sip:alice@example.com>;tag=1^MTo: <sip:bob@example.com>^MCall-ID: %s^MCSeq: 1 INVITE^MVia: SIP/2.0/TLS %s:5061^M"`+"\n",
		s, ms, message, from, to, start, id, from)
}

// gateway logs a gateway call's two legs: alice's INVITE in on leg-a, and the INVITE out
// to bob on leg-b, each answered.
const gateway = `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Participant="sip:alice@example.com" DisplayName="Alice" Conference="Route to Teams" Protocol="SIP" Direction="in" Call-Id="leg-a" Participant-Id="pa" Conversation-Id="conv"
2026-05-14 10:00:00,100 Level="INFO" Name="administrator.conference" Message="Participant has joined." Participant="sip:bob@example.com" DisplayName="Bob" Conference="Route to Teams" Protocol="SIP" Direction="out" Call-Id="leg-b" Participant-Id="pb" Conversation-Id="conv"
`

func gatewayLog() string {
	return gateway + legLine(1, 0, "leg-a", "Received SIP request", "10.44.5.9", "10.0.1.11", "INVITE sip:teams@example.com SIP/2.0") +
		legLine(1, 3, "leg-a", "Sending SIP response", "10.0.1.11", "10.44.5.9", "SIP/2.0 100 Trying") +
		legLine(1, 250, "leg-b", "Sending SIP request", "10.0.1.11", "52.112.0.1", "INVITE sip:bob@example.com SIP/2.0") +
		legLine(2, 0, "leg-b", "Received SIP response", "52.112.0.1", "10.0.1.11", "SIP/2.0 200 OK") +
		legLine(2, 10, "leg-a", "Sending SIP response", "10.0.1.11", "10.44.5.9", "SIP/2.0 200 OK")
}

// TestCompactHeader: below 40 rows the header takes two lines, H shows the whole summary
// and hides it again; the header took 15 of 24 rows.
func TestCompactHeader(t *testing.T) {
	m := open(t, gatewayLog())
	m.SetSize(80, 22)
	tabsAt := func() int {
		for i, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if strings.Contains(l, "Timeline") && strings.Contains(l, "Signalling") {
				return i
			}
		}
		return -1
	}
	if at := tabsAt(); at != 2 {
		t.Errorf("the tabs are on line %d at 80x24, want 2 (a header of two lines):\n%s", at, ansi.Strip(m.View()))
	}
	m.Update(tea.KeyPressMsg{Code: 'H', Text: "H"})
	if at := tabsAt(); at <= 2 || !strings.Contains(ansi.Strip(m.View()), "Conversation-ID") {
		t.Errorf("H did not show the whole summary:\n%s", ansi.Strip(m.View()))
	}
	m.Update(tea.KeyPressMsg{Code: 'H', Text: "H"})
	if at := tabsAt(); at != 2 {
		t.Errorf("H again did not fold the summary:\n%s", ansi.Strip(m.View()))
	}
}

// TestKeysInEveryTab: in every tab, esc and q go back and y copies (the entry, the
// message, the tab's text); y did nothing outside the timeline.
func TestKeysInEveryTab(t *testing.T) {
	m := open(t, gatewayLog())
	for tab := range tabNames {
		keysAsk(t, m, tabNames[tab]+" tab")
		m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	}
}
