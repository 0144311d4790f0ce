package security

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
)

// sampleLine returns line n (1-based) of a sample in testdata/servers.
func sampleLine(t testing.TB, name string, n int) []byte {
	t.Helper()
	text, err := os.ReadFile("../../testdata/servers/" + name)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(text, []byte("\n"))
	if n < 1 || n > len(lines) {
		t.Fatalf("%s has no line %d", name, n)
	}
	return bytes.TrimSuffix(lines[n-1], []byte("\r"))
}

// TestSIPServerLines reads one real line of every wording the SIP servers' rules know,
// as the lines' own format parses it: its kind, the address it names (not one the remote
// party wrote in its From, Call-ID or session id), and the user tried as the From names
// it, whole ("28", not `"28" <sip:28@127.0.0.100`). The lines that are no attack are not
// events.
func TestSIPServerLines(t *testing.T) {
	const ast, fs = "asterisk/fail2ban-asterisk.log", "freeswitch/fail2ban-freeswitch.log"
	newParser, _ := formats.New("auto", 2024)
	p := newParser()
	for _, tc := range []struct {
		file         string
		line         int
		kind         Kind
		address, who string
		notAnEvent   bool
	}{
		{ast, 3, SIPAuthFailed, "1.2.3.4", "301", false},                   // Wrong password
		{ast, 5, UnknownUser, "1.2.3.4", "301", false},                     // No matching peer found
		{ast, 7, SIPAuthFailed, "1.2.3.4", "301", false},                   // Username/auth name mismatch
		{ast, 9, ACLRefused, "1.2.3.4", "301", false},                      // Device does not match ACL
		{ast, 11, RegistrationFailed, "1.2.3.4", "301", false},             // Peer is not supposed to register
		{ast, 13, ACLRefused, "1.2.3.4", "301", false},                     // ACL error (permit/deny)
		{ast, 31, RegistrationFailed, "1.2.3.4", "100", false},             // Not a local domain, '"100"<sip:100@…>'
		{ast, 27, UnknownUser, "1.2.3.4", "100", false},                    // '"100"sip:100@1.2.3.4'
		{ast, 52, SIPAuthFailed, "192.0.2.1", "bob", false},                // 'sip:bob@192.0.2.1'
		{ast, 129, SIPAuthFailed, "192.0.2.1", "28", false},                // the journal's line, '"28" <sip:28@127.0.0.100>'
		{ast, 15, SIPAuthFailed, "1.2.3.4", "Fail2ban", false},             // IAX2
		{ast, 19, SIPAuthFailed, "1.2.3.4", "Fail2ban", false},             // IAX2, MD5
		{ast, 17, UnknownUser, "1.2.3.4", "Fail2ban", false},               // IAX2, no such peer
		{ast, 21, RejectedCall, "1.2.3.4", "0972598285108", false},         // chan_sip
		{ast, 23, RejectedCall, "1.2.3.4", "9011+442037690237", false},     // PJSIP, TCP:[1.2.3.4]:61470
		{ast, 25, RejectedCall, "1.2.3.4", "001447441452805", false},       // PJSIP, after the endpoint
		{ast, 34, RefusedRequest, "192.168.2.102", "", false},              // hacking attempt detected
		{ast, 36, SIPAuthFailed, "141.255.164.106", "972592891005", false}, // InvalidPassword
		{ast, 38, ACLRefused, "50.30.42.14", "", false},                    // FailedACL
		{ast, 29, UnknownUser, "1.2.3.4", "00972599580679", false},         // InvalidAccountID
		{ast, 56, SIPAuthFailed, "10.250.251.252", "", false},              // ChallengeResponseFailed, AccountID <unknown>
		{ast, 66, UnknownUser, "10.250.251.252", "70000180", false},        // a forged RemoteAddress in the SessionID
		{ast, 47, RejectedCall, "2001:db8::1", "", false},                  // Rejecting unknown SIP connection from [2001:db8::1]:5060
		{ast, 85, UnknownUser, "1.2.3.4", "1000", false},                   // PJSIP, No matching endpoint found
		{ast, 87, ACLRefused, "1.2.3.4", "1000", false},                    // Not match Endpoint ACL
		{ast, 91, SIPAuthFailed, "1.2.3.4", "1000", false},                 // Failed to authenticate
		{ast, 97, UnknownUser, "1.2.3.4", "'or''='", false},                // a From that is an injection attempt
		{ast, 112, UnknownUser, "192.0.2.7", "test2", false},               // "… after 5 tries in 2.500 ms"
		{ast, 100, AdminLoginFailed, "192.0.2.1", "admin", false},          // AMI
		{ast, 104, AdminLoginFailed, "192.0.2.4", "opennms", false},        // AMI, nonexistent user
		{"asterisk/pjsip-logger-register-401.log", 16, SIPAuthFailed, "185.108.106.149", "408", false},
		{"asterisk/messages-pjsip-no-endpoint.log", 1, UnknownUser, "10.137.0.45", "1002", false},
		{"asterisk/crowdsec-asterisk-syslogs.log", 2, UnknownUser, "192.168.100.12", "kiwi", false},
		{"asterisk/crowdsec-asterisk-syslogs.log", 3, 0, "", "", true},                          // ChallengeSent
		{"asterisk/syslog-freepbx-ansi.log", 1, SIPAuthFailed, "137.184.125.78", "1951", false}, // ANSI colours through syslog
		{fs, 4, 0, "", "", true},                                                                // SIP auth challenge
		{fs, 9, SIPAuthFailed, "5.11.47.236", "000972543480510", false},
		{fs, 11, 0, "", "", true}, // Rejected by acl "domains". Falling back to Digest auth.
		{fs, 14, UnknownUser, "5.11.47.236", "1001", false},
		{fs, 19, UnknownUser, "192.0.2.1", "201", false}, // Can't find user [201@::1]
		{fs, 24, UnknownUser, "192.0.2.3", "101", false}, // [WARN] [SOFIA] [sofia_reg.c:4130]
		{"freeswitch/crowdsec-freeswitch.log", 3, ACLRefused, "1.2.3.4", "", false},
		{"freeswitch/crowdsec-freeswitch-bf.log", 1, SIPAuthFailed, "1.2.3.4", "123", false}, // for [123]
		{"kamailio/syslog-pike-unblock.log", 1, 0, "", "", true},                             // PIKE - UNBLOCKing node: no address, no attack
	} {
		line := sampleLine(t, tc.file, tc.line)
		var r model.Record
		p.Parse(line, &r)
		e, ok := Classify(&r)
		if ok == tc.notAnEvent || ok && (e.Kind != tc.kind || e.Address != tc.address || e.Who != tc.who) {
			t.Errorf("%s:%d (%s) %.100s…:\n got %+v, %v\nwant kind %v address %q who %q",
				tc.file, tc.line, r.Format(), line, e, ok, tc.kind, tc.address, tc.who)
		}
		if ok && !holdsNeedle(line) {
			t.Errorf("%s:%d, an event, holds none of the Needles", tc.file, tc.line)
		}
	}
}

// TestNeedlesFindEverySample: on every real SIP server log in testdata, the security view
// (Find, which reads only the entries holding a needle) finds every event that Classify
// finds on each entry, each on an entry's first line.
func TestNeedlesFindEverySample(t *testing.T) {
	files, err := filepath.Glob("../../testdata/servers/*/*.log")
	if err != nil || len(files) == 0 {
		t.Fatal("no samples", err)
	}
	files = append(files, "../../testdata/sipsyslog/sip-servers.log")
	total := 0
	for _, name := range files {
		text, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		newParser, _ := formats.New("auto", 2024)
		st := store.New()
		src := st.AddOrigin(store.Origin{Name: name, Text: bytes.NewReader(text)})
		if err := st.Load(context.Background(), src, bytes.NewReader(text), newParser, split.Options{}); err != nil {
			t.Fatal(err)
		}
		classified := len(eventsByLine(t, st, text, newParser))
		groups, err := Find(context.Background(), st, newParser)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, g := range groups {
			found += g.Events
		}
		if found != classified {
			t.Errorf("%s: the security view finds %d events, Classify %d", name, found, classified)
		}
		total += found
	}
	if total < 100 {
		t.Errorf("only %d events in all the samples", total)
	}
}

// FuzzClassify checks, on entries made from the real samples' lines, that Classify never
// panics, and that an event of a SIP server's line names an address and a user that are
// words of the entry's text, on one line, the address without spaces, and that the entry
// holds one of the Needles (else the security view would never read it).
func FuzzClassify(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/servers/*/*.log")
	for _, name := range append(files, "../../testdata/sipsyslog/sip-servers.log") {
		text, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range bytes.Split(text, []byte("\n")) {
			f.Add(line)
		}
	}
	newParser, _ := formats.New("auto", 2024)
	p := newParser()
	f.Fuzz(func(t *testing.T, raw []byte) {
		var r model.Record
		p.Parse(raw, &r)
		e, ok := Classify(&r)
		if !ok {
			return
		}
		switch r.Format() {
		case "asterisk", "freeswitch", "syslog", "plain":
		default:
			return
		}
		if e.Address == "" || bytes.ContainsAny([]byte(e.Address), " \t\r\n") || !bytes.Contains(raw, []byte(e.Address)) {
			t.Fatalf("address %q of %q", e.Address, raw)
		}
		if bytes.ContainsAny([]byte(e.Who), "\r\n") || !bytes.Contains(raw, []byte(e.Who)) {
			t.Fatalf("who %q of %q", e.Who, raw)
		}
		if !holdsNeedle(raw) {
			t.Fatalf("an event holding none of the Needles: %q", raw)
		}
	})
}
