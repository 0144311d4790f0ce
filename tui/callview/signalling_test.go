package callview

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// sipLine logs a SIP message of call c1 at second s.
func sipLine(s int, message, detail string) string {
	return fmt.Sprintf(`2026-05-14 10:%02d:%02d,000 Level="INFO" Name="support.sip" Message="%s" Src-address="10.44.5.9" Src-port="5061" Dst-address="10.0.1.11" Dst-port="5061" Transport="TLS" Detail="%s"`+"\n",
		s/60, s%60, message, detail)
}

const sipHead = `^MFrom: <sip:alice@example.com>;tag=1^MTo: <sip:meet@example.com>^MCall-ID: c1@10.44.5.9^M`

// TestSignallingNotes shows the Signalling tab of a refused call: the refusal's Reason
// and Warning headers under its arrow, the selected INVITE's SDP with its direction and
// crypto.
func TestSignallingNotes(t *testing.T) {
	m := open(t, sipLine(0, "Received SIP request", `INVITE sip:meet@example.com SIP/2.0`+sipHead+`CSeq: 1 INVITE^MContent-Type: application/sdp^M^Mv=0^Mc=IN IP4 10.44.5.9^Mm=audio 4000 RTP/AVP 0^Ma=recvonly`)+
		sipLine(1, "Sending SIP response", `SIP/2.0 488 Not Acceptable Here`+sipHead+`CSeq: 1 INVITE^MReason: Q.850;cause=88;text=\"Incompatible destination\"^MWarning: 304 pexip \"Media type not available\"^MContent-Length: 0^M^M`))
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	sc := ansi.Strip(m.View())
	for _, want := range []string{"INVITE + SDP", "c=IN IP4 10.44.5.9  m=audio 4000 RTP/AVP 0 [recvonly]  no crypto",
		"488 Not Acceptable Here (1 INVITE)", indent + `Reason: Q.850;cause=88;text="Incompatible destination"`,
		indent + `Warning: 304 pexip "Media type not available"`} {
		if !strings.Contains(sc, want) {
			t.Errorf("the signalling tab lacks %q:\n%s", want, sc)
		}
	}
}

// TestSignallingScrollsToTheSelected moves to the last of many messages, each with notes:
// the selected message stays on screen.
func TestSignallingScrollsToTheSelected(t *testing.T) {
	var log strings.Builder
	log.WriteString(sipLine(0, "Received SIP request", `INVITE sip:meet@example.com SIP/2.0`+sipHead+`CSeq: 1 INVITE^M^M`))
	for i := range 30 {
		log.WriteString(sipLine(i, "Sending SIP response", fmt.Sprintf(`SIP/2.0 480 Temporarily Unavailable %d`+sipHead+`CSeq: %d INVITE^MReason: SIP;cause=480^MWarning: 399 x \"busy\"^M^M`, i, i+1)))
	}
	m := open(t, log.String())
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	for range 40 { // past the last
		m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	}
	if sc := ansi.Strip(m.View()); !strings.Contains(sc, "Unavailable 29 (30 INVITE)") || strings.Contains(sc, "Unavailable 2 (3 INVITE)") {
		t.Errorf("after moving to the last message, the screen shows:\n%s", sc)
	}
}

// TestH323Ladder shows the Signalling tab of an H.323 call: its H.225 and H.245 messages
// as a ladder, the H.239 token and the release's reason on their arrows.
func TestH323Ladder(t *testing.T) {
	h323 := func(s int, module, message, src, dst, detail string) string {
		return fmt.Sprintf(`2026-05-14 10:00:%02d,000 Level="INFO" Name="%s" Message="%s" Src-address="%s" Dst-address="%s" Uuid="u1" Detail="%s"`+"\n", s, module, message, src, dst, detail)
	}
	m := open(t, h323(0, "support.h323.q931", "Received H.225 message", "10.44.9.1", "10.0.1.11", "setup: callIdentifier u1, destinationAddress meet")+
		h323(1, "support.h323.q931", "Sending H.225 message", "10.0.1.11", "10.44.9.1", "connect: callIdentifier u1")+
		h323(2, "support.h323.h245", "Received H.245 message", "10.44.9.1", "10.0.1.11", "genericRequest: subMessageIdentifier 3")+
		h323(3, "support.h323.q931", "Received H.225 message", "10.44.9.1", "10.0.1.11", "releaseComplete: reason undefinedReason"))
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	sc := ansi.Strip(m.View())
	for _, want := range []string{"H.225 setup", "H.225 connect", "H.245 genericRequest (presentationTokenRequest)", "H.225 releaseComplete (reason undefinedReason)"} {
		if !strings.Contains(sc, want) {
			t.Errorf("the H.323 call's signalling tab lacks %q:\n%s", want, sc)
		}
	}
}
