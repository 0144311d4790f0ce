package calls

import (
	"fmt"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
)

// TestNearbyConnections: the TLS connection a call's INVITE came over, logged with no id
// of the call, is shown in its ladder, joined by address; one of another address, or long
// after the call, is not.
func TestNearbyConnections(t *testing.T) {
	line := func(sec int, module, msg, fields string) string {
		return fmt.Sprintf(`2026-05-14 10:%02d:%02d,000 Level="INFO" Name="%s" Message="%s" %s`+"\n", sec/60, sec%60, module, msg, fields)
	}
	sip := func(sec int, msg, src, dst, detail string) string {
		s, d := strings.Split(src, ":"), strings.Split(dst, ":")
		return line(sec, "support.sip", msg, fmt.Sprintf(`Src-address="%s" Src-port="%s" Dst-address="%s" Dst-port="%s" Transport="TLS" Detail="%s"`, s[0], s[1], d[0], d[1], detail))
	}
	conn := func(sec int, msg, remote string) string {
		return line(sec, "support.sip", msg, `Local-address="10.0.1.11" Local-port="5061" Remote-address="`+remote+`" Remote-port="5061" Detail="tls"`)
	}
	invite := `INVITE sip:meet@example.com SIP/2.0^MFrom: <sip:alice@example.com>;tag=1^MTo: <sip:meet@example.com>^MCall-ID: c1@203.0.113.5^MCSeq: 1 INVITE^M^M`
	ok := `SIP/2.0 200 OK^MFrom: <sip:alice@example.com>;tag=1^MTo: <sip:meet@example.com>;tag=2^MCall-ID: c1@203.0.113.5^MCSeq: 1 INVITE^M^M`
	log := conn(1, "TLS Connection established", "203.0.113.5") +
		conn(2, "TLS Connection established", "198.51.100.9") +
		sip(3, "Received SIP request", "203.0.113.5:5061", "10.0.1.11:5061", invite) +
		sip(4, "Sending SIP response", "10.0.1.11:5061", "203.0.113.5:5061", ok) +
		conn(200, "TLS Connection closed", "203.0.113.5")
	st := store.New()
	x := New(st, newParser)
	storetest.Load(t, st, "t.log", strings.NewReader(log), split.Options{})
	n, found := x.Find(st, "c1@203.0.113.5")
	if !found {
		t.Fatal("no call c1")
	}
	d, _, err := x.Detail(st, n, newParser())
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, m := range d.Signalling {
		labels = append(labels, m.Label())
	}
	want := "TLS Connection established (joined by address; tls), INVITE, 200 OK (1 INVITE)"
	if got := strings.Join(labels, ", "); got != want {
		t.Errorf("ladder %s\nwant   %s", got, want)
	}
}
