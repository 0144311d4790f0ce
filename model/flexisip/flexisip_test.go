package flexisip

import (
	"os"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/timestamp"
)

func parse(line string) model.Record {
	var r model.Record
	new(Parser).Parse([]byte(line), &r)
	return r
}

func field(r *model.Record, name string) string {
	v, _ := r.Field(name)
	return string(v)
}

func TestGeneralLog(t *testing.T) {
	for _, tc := range []struct {
		line                    string
		level                   model.Level
		module, message, callID string
	}{
		{"2024-12-17 18:17:52:656 flexisip-debug- nta: received INVITE sip:bob@example.org SIP/2.0 (CSeq 483)",
			model.LevelDebug, "nta", "nta: received INVITE sip:bob@example.org SIP/2.0 (CSeq 483)", ""},
		{"2024-12-17 18:17:52:656 flexisip-message- Agent::processRequest - Received SIP request [0x5581c2a3f0d0] INVITE (20 - a84b4c76e66710) from sip:alice@example.org to sip:bob@example.org",
			model.LevelInfo, "Agent", "Agent::processRequest - Received SIP request [0x5581c2a3f0d0] INVITE (20 - a84b4c76e66710) from sip:alice@example.org to sip:bob@example.org", "a84b4c76e66710"},
		{"2024-12-17 18:17:52:660 flexisip-warning- RequestSipEvent[0x5581c2a3f0d0]::send - no route",
			model.LevelWarning, "RequestSipEvent", "RequestSipEvent[0x5581c2a3f0d0]::send - no route", ""},
		{"2024-12-17 18:18:10:000 flexisip-error- RegistrarDb::connect - Redis unreachable", model.LevelError, "RegistrarDb", "RegistrarDb::connect - Redis unreachable", ""},
		{"2024-12-17 18:19:31:000 flexisip-fatal- out of file descriptors", model.LevelCritical, "flexisip", "out of file descriptors", ""},
		{"2024-12-17 18:18:10:500 flexisip-user-error- bad Contact", model.LevelError, "flexisip-user", "bad Contact", ""},
		// Older releases: no space after the level.
		{"2024-12-17 18:17:56:002 flexisip-debug-Invoking onRequest on module Router", model.LevelDebug, "flexisip", "Invoking onRequest on module Router", ""},
		// Tags between the level's dashes and the text.
		{"2024-12-17 18:17:56:002 flexisip-message-[conf][x] Conference created", model.LevelInfo, "flexisip", "Conference created", ""},
	} {
		r := parse(tc.line)
		if r.Plain || r.Level != tc.level || string(r.Module) != tc.module || string(r.Message()) != tc.message || r.Format() != "flexisip" {
			t.Errorf("%q:\n got level %v module %q message %q plain %v", tc.line, r.Level, r.Module, r.Message(), r.Plain)
		}
		if want, _ := timestamp.DateTime([]byte(tc.line)); r.Time != want.Micros || r.Time%1000000 != 656000 && strings.Contains(tc.line, ":656 ") {
			t.Errorf("%q: time %d, want %d", tc.line, r.Time, want.Micros)
		}
		var ids []string
		r.IDs(func(k model.IDKind, id []byte) { ids = append(ids, k.String()+"="+string(id)) })
		if want := []string{"Call-Id=" + tc.callID}; tc.callID != "" && (len(ids) != 1 || ids[0] != want[0]) || tc.callID == "" && len(ids) > 0 {
			t.Errorf("%q: ids %v, want Call-Id %q", tc.line, ids, tc.callID)
		}
	}
}

func TestSIPMessageJoinsItsEntry(t *testing.T) {
	text := "2024-12-17 18:17:52:657 flexisip-debug- Agent::processRequest - Message:\r\n" +
		"INVITE sip:bob@example.org SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\n" +
		"From: \"Alice\" <sip:alice@example.org>;tag=1928301774\r\nTo: <sip:bob@example.org>\r\n" +
		"Call-ID: a84b4c76e66710\r\nCSeq: 20 INVITE\r\n\r\n" +
		"2024-12-17 18:17:52:701 flexisip-debug- Agent::processResponse - Message:\r\nSIP/2.0 100 Trying\r\ni: a84b4c76e66710\r\n\r\n"
	p := new(Parser)
	var entries [][]byte
	for _, raw := range split.Entries([]byte(text), p.StartsEntry) {
		entries = append(entries, raw)
	}
	if len(entries) != 2 {
		t.Fatalf("%d entries, want 2 (a SIP message continues its entry)", len(entries))
	}
	var r model.Record
	p.Parse(entries[0], &r)
	if string(r.Message()) != "Agent::processRequest - Message:" || field(&r, "Call-ID") != "a84b4c76e66710" || field(&r, "cseq") != "20 INVITE" {
		t.Errorf("message %q, Call-ID %q, CSeq %q", r.Message(), field(&r, "Call-ID"), field(&r, "cseq"))
	}
	if d := field(&r, "Detail"); !strings.HasPrefix(d, "INVITE sip:bob@example.org SIP/2.0") {
		t.Errorf("Detail = %q, want the SIP message", d)
	}
	var names []string
	for k := range r.Fields() {
		names = append(names, string(k))
	}
	if strings.Join(names, ",") != "Call-ID,CSeq,From,To" {
		t.Errorf("fields %v", names)
	}
	p.Parse(entries[1], &r)
	var ids []string
	r.IDs(func(k model.IDKind, id []byte) { ids = append(ids, string(id)) })
	if len(ids) != 1 || ids[0] != "a84b4c76e66710" {
		t.Errorf("the response's ids %v, want its compact i: header", ids)
	}
}

func TestEventLog(t *testing.T) {
	for _, tc := range []struct {
		line         string
		module       string
		level        model.Level
		fields       map[string]string
		message, ids string
	}{
		{"Tue Dec 17 18:17:51 2024: Registered  <sip:alice@example.org> (sip:alice@192.0.2.10:5060;transport=udp) Linphone/5.2.5 (belle-sip/5.2.0)",
			"flexisip.register", model.LevelInfo, map[string]string{"Event": "Registered", "From": "<sip:alice@example.org>", "Contact": "sip:alice@192.0.2.10:5060;transport=udp", "User-Agent": "Linphone/5.2.5 (belle-sip/5.2.0)"},
			"Registered  <sip:alice@example.org> (sip:alice@192.0.2.10:5060;transport=udp) Linphone/5.2.5 (belle-sip/5.2.0)", ""},
		{`Tue Dec 17 18:17:52 2024: "Alice" <sip:alice@example.org> -->  <sip:bob@example.org> 486 Busy Here`,
			"flexisip.call", model.LevelWarning, map[string]string{"From": `"Alice" <sip:alice@example.org>`, "To": "<sip:bob@example.org>", "Status": "486", "Reason": "Busy Here"}, "", ""},
		{`Tue Dec 17 18:18:02 2024: "Alice" <sip:alice@example.org> -->  <sip:erin@example.org> Cancelled`,
			"flexisip.call", model.LevelInfo, map[string]string{"Reason": "Cancelled"}, "", ""},
		{`Tue Dec 17 18:21:00 2024: "Alice" <sip:alice@example.org> -->  <sip:carol@example.org> 503 Service Unavailable`,
			"flexisip.call", model.LevelError, map[string]string{"Status": "503"}, "", ""},
		{`Tue Dec 17 18:18:40 2024: Delivered to user id:f2c81d07aa93 "Alice" <sip:alice@example.org> -->  <sip:bob@example.org> (sip:bob@192.0.2.20:5060;transport=tcp) 200 OK`,
			"flexisip.message", model.LevelInfo, map[string]string{"Event": "Delivered to user", "Call-ID": "f2c81d07aa93", "To": "<sip:bob@example.org>", "Status": "200"}, "", "f2c81d07aa93"},
		// No destination: the status follows the '>' at once.
		{`Tue Dec 17 18:18:41 2024: Received from user id:0d1e2f3a4b5c  <sip:alice@example.org> -->  <sip:nobody@example.org>404 Not Found`,
			"flexisip.message", model.LevelWarning, map[string]string{"Status": "404", "Reason": "Not Found"}, "", "0d1e2f3a4b5c"},
		// Authentication: no colon after the date; a challenge is not a failure.
		{`Tue Dec 17 18:19:05 2024 REGISTER  <sip:alice@example.org> (sip:198.51.100.7:5060;transport=UDP)  (Linphone/5.2.5)  -->  <sip:alice@example.org> 401 Unauthorized`,
			"flexisip.auth", model.LevelInfo, map[string]string{"Method": "REGISTER", "Contact": "sip:198.51.100.7:5060;transport=UDP", "User-Agent": "Linphone/5.2.5", "Status": "401"}, "", ""},
		{`Tue Dec 17 18:19:06 2024 REGISTER  <sip:alice@example.org> (sip:203.0.113.66:5070;transport=UDP)  (friendly-scanner)  -->  <sip:alice@example.org> 403 Forbidden`,
			"flexisip.auth", model.LevelWarning, map[string]string{"Status": "403", "Reason": "Forbidden"}, "", ""},
		{"Tue Dec  3 09:02:11 2024: Registration expired  <sip:alice@example.org>",
			"flexisip.register", model.LevelInfo, map[string]string{"Event": "Registration expired"}, "", ""},
		{"Tue Dec 17 18:20:00 2024  <sip:alice@example.org> -->  <sip:collector@example.org> 200 OK: VQSessionReport: CallTerm\r\nLocalMetrics:",
			"flexisip.report", model.LevelInfo, map[string]string{"To": "<sip:collector@example.org>", "Status": "200", "Reason": "OK"}, "", ""},
	} {
		r := parse(tc.line)
		if r.Plain || string(r.Module) != tc.module || r.Level != tc.level {
			t.Errorf("%q: module %q level %v plain %v; want %s %v", tc.line, r.Module, r.Level, r.Plain, tc.module, tc.level)
			continue
		}
		for name, want := range tc.fields {
			if got := field(&r, name); got != want {
				t.Errorf("%q: %s = %q, want %q", tc.line, name, got, want)
			}
		}
		if tc.message != "" && string(r.Message()) != tc.message {
			t.Errorf("%q: message %q", tc.line, r.Message())
		}
		var ids []string
		r.IDs(func(k model.IDKind, id []byte) { ids = append(ids, string(id)) })
		if strings.Join(ids, ",") != tc.ids {
			t.Errorf("%q: ids %v, want %q", tc.line, ids, tc.ids)
		}
	}
	if r := parse("Tue Dec 17 18:17:51 2024: something else entirely"); !r.Plain || r.Time == 0 {
		t.Errorf("a dated line of no known shape: plain %v, time %d; want plain, with its time", r.Plain, r.Time)
	}
}

// TestSamples parses the sample logs: every entry has a known shape, and the SIP messages
// are joined to their entries.
func TestSamples(t *testing.T) {
	for path, want := range map[string]int{
		"../../testdata/flexisip/flexisip-proxy.log":                     27,
		"../../testdata/flexisip/users/example.org/alice/2024-12-17.log": 10,
	} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		p := new(Parser)
		n := 0
		for _, raw := range split.Entries(data, p.StartsEntry) {
			var r model.Record
			p.Parse(raw, &r)
			if r.Plain || r.Time == 0 {
				t.Errorf("%s: entry %q is plain or untimed", path, raw)
			}
			n++
		}
		if n != want {
			t.Errorf("%s: %d entries, want %d", path, n, want)
		}
	}
}

// TestIndexingAllocatesNothing: parsing and reading the ids, as indexing does for every
// entry, allocate nothing.
func TestIndexingAllocatesNothing(t *testing.T) {
	p := new(Parser)
	var r model.Record
	lines := [][]byte{
		[]byte(`Tue Dec 17 18:18:40 2024: Delivered to user id:f2c81d07aa93 "Alice" <sip:alice@example.org> -->  <sip:bob@example.org> 200 OK`),
		[]byte("2024-12-17 18:17:52:657 flexisip-debug- Agent::processRequest - Message:\nINVITE sip:bob@example.org SIP/2.0\nCall-ID: a84b\n"),
	}
	if n := testing.AllocsPerRun(100, func() {
		for _, l := range lines {
			p.Parse(l, &r)
			r.IDs(func(model.IDKind, []byte) {})
		}
	}); n > 0 {
		t.Errorf("%.1f allocations per two entries", n)
	}
}
