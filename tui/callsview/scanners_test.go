package callsview

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestHideScanners presses x in the calls list of two scanners' calls (a SIPVicious
// INVITE, and a caller the administrator log names by a sipcli Vendor) and an endpoint's:
// the scanners' calls leave the list, counted; x again brings them back.
func TestHideScanners(t *testing.T) {
	log := `2026-05-14 10:00:00,000 Level="INFO" Name="support.sip" Message="Received SIP request" Src-address="203.0.113.9" Src-port="5070" Dst-address="10.0.1.11" Dst-port="5060" Transport="UDP" Detail="INVITE sip:100@10.0.1.11 SIP/2.0^MFrom: \"sipvicious\"<sip:100@1.1.1.1>;tag=1^MTo: <sip:100@10.0.1.11>^MCall-ID: scan1^MCSeq: 1 INVITE^MUser-Agent: friendly-scanner^M^M"
2026-05-14 10:00:01,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="sip:100@1.1.1.1" ConferenceAlias="100" Protocol="SIP" Vendor="sipcli/v1.8" Participant-Id="p2"
2026-05-14 10:00:02,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="alice" ConferenceAlias="meet" Protocol="SIP" Vendor="TANDBERG/257 (TE4.1.1.273710)" Participant-Id="p3"
`
	m := listOf(t, log)
	if len(m.rows) != 3 {
		t.Fatalf("%d calls listed, want 3", len(m.rows))
	}
	press(m, "x")
	sc := ansi.Strip(m.View())
	if len(m.rows) != 1 || !strings.Contains(sc, "TANDBERG") || strings.Contains(sc, "sipcli") || !strings.Contains(sc, "2 scanner calls hidden (x shows them)") {
		t.Errorf("after x: %d calls listed:\n%s", len(m.rows), sc)
	}
	press(m, "x")
	if sc := ansi.Strip(m.View()); len(m.rows) != 3 || strings.Contains(sc, "hidden") {
		t.Errorf("after x again: %d calls listed:\n%s", len(m.rows), sc)
	}
}
