package asterisk

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/sip"
)

// traceSamples are the samples that hold SIP traces: as pasted, and as the file held
// them (^M a carriage return).
var traceSamples = []struct {
	name string
	cr   bool
}{{"pjsip-full.log", false}, {"pjsip-full.log", true}, {"chansip-full.log", false}, {"pjsip-console.log", false}}

// startLine matches the start line of a SIP request or response, its ^M or carriage
// return removed.
var startLine = regexp.MustCompile(`^(SIP/2\.0 [1-6][0-9][0-9] |[A-Z]+ \S+ SIP/2\.0$)`)

// startLines counts the SIP start lines of text.
func startLines(text []byte) int {
	n := 0
	for line := range bytes.Lines(text) {
		line = bytes.TrimRight(line, "\r\n")
		if startLine.Match(bytes.TrimSuffix(line, []byte("^M"))) {
			n++
		}
	}
	return n
}

// TestEverySIPMessageIsAnEntry finds each SIP message of the traces in an entry of its
// own, as its Detail, starting at its start line: pjsip's with the header that starts
// the entry, chan_sip's after the prefix alone on its line, without its end marker.
func TestEverySIPMessageIsAnEntry(t *testing.T) {
	for _, s := range traceSamples {
		data := sample(t, s.name)
		if s.cr {
			data = withCR(data)
		}
		want := startLines(data)
		got := 0
		for _, r := range records(&Parser{Year: 2024}, data) {
			detail, ok := r.Field("Detail")
			if n := startLines(r.Raw); ok != (n == 1) || n > 1 {
				t.Errorf("%s: entry %q holds %d SIP messages; Detail %v", s.name, firstLine(r.Raw), n, ok)
				continue
			}
			if !ok {
				continue
			}
			got++
			if first := firstLine(detail); !startLine.Match(bytes.TrimSuffix(first, []byte("^M"))) || !sip.IsMessage(detail) {
				t.Errorf("%s: Detail starts with %q", s.name, first)
			}
			if bytes.Contains(detail, []byte("<----")) || bytes.HasSuffix(detail, []byte("\n")) {
				t.Errorf("%s: Detail %q holds the end marker or blank lines", s.name, detail)
			}
		}
		if got != want || want == 0 {
			t.Errorf("%s (carriage returns %v): %d SIP messages in entries, %d in the text", s.name, s.cr, got, want)
		}
	}
}

// TestTraceEnds reads each kind of header: the direction, the transport, the peer's
// address (the source of what Asterisk received, the destination of what it sent) and
// the size.
func TestTraceEnds(t *testing.T) {
	for _, tc := range []struct {
		file, header string
		fields       map[string]string // "" for a field the entry must not have
	}{
		{"pjsip-full.log", "<--- Received SIP request (924 bytes) from UDP:123.127.194.4:32766 --->",
			map[string]string{"Direction": "in", "Transport": "UDP", "Src-address": "123.127.194.4", "Src-port": "32766", "Bytes": "924", "Dst-address": ""}},
		{"pjsip-console.log", "<--- Transmitting SIP response (312 bytes) to WSS:49.37.212.107:33678 --->",
			map[string]string{"Direction": "out", "Transport": "WSS", "Dst-address": "49.37.212.107", "Dst-port": "33678", "Bytes": "312", "Src-address": "",
				"Call-ID": "5s85umevn8uhucadvnlf", "CSeq": "2 INVITE", "To": "<sip:1338@redacted-domain-name.com>"}},
		{"pjsip-console.log", "<--- Received SIP request (725 bytes) from UDP:185.108.106.149:56626 --->",
			map[string]string{"Direction": "in", "Src-address": "185.108.106.149", "Src-port": "56626", "User-Agent": "PolycomSoundPointIP SPIP_550 UA 3.3.2.0413"}},
		{"chansip-full.log", "<--- Transmitting (NAT) to 192.168.0.1:54606 --->",
			map[string]string{"Direction": "out", "Transport": "", "Dst-address": "192.168.0.1", "Dst-port": "54606", "Bytes": "", "CSeq": "5 BYE"}},
		// Neither direction nor peer.
		{"pjsip-console.log", "<--- Transaction Packet request (1055 bytes) --->",
			map[string]string{"Direction": "", "Src-address": "", "Dst-address": "", "Bytes": "1055", "Call-ID": "f5bdc622-365c-4a53-9349-dc28c922e59d"}},
	} {
		var r model.Record
		for _, rec := range records(&Parser{Year: 2024}, sample(t, tc.file)) {
			if bytes.Contains(firstLine(rec.Raw), []byte(tc.header)) || bytes.Contains(rec.Raw, []byte("\n"+tc.header+"\n")) {
				r = rec
			}
		}
		if string(r.Message()) != tc.header {
			t.Errorf("%s: no entry of the header %q", tc.file, tc.header)
			continue
		}
		for k, want := range tc.fields {
			got, ok := r.Field(k)
			if string(got) != want || ok != (want != "") {
				t.Errorf("%q: %s = %q, %v; want %q", tc.header, k, got, ok, want)
			}
		}
	}
}

// TestCallIDs finds every Call-ID of the samples among the ids of their entries: each
// traced message's Call-ID header, pjsip's "(callid: ...)", chan_sip's debug that names
// one, a PJSIP security event's SessionID (not chan_sip's or the manager's, addresses
// in memory); and each call identifier "[C-...]" as a Uuid.
func TestCallIDs(t *testing.T) {
	texts := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^Call-ID: ([^\r\n^]+)`), regexp.MustCompile(`\(callid: ([^)]+)\)`),
		regexp.MustCompile(`(?:Looking for  Call ID:|new SIP dialog for) (\S+)`),
		regexp.MustCompile(`Service="PJSIP",.*?SessionID="(.*?)",LocalAddress`),
	}
	uuids := regexp.MustCompile(`^\[[^\]]+\] [A-Z]+ ?\[\d+\]\[(C-[0-9a-fA-F]+)\]`)
	for _, name := range samples {
		data := withCR(sample(t, name))
		var want, got, wantUUIDs, gotUUIDs []string
		for line := range bytes.Lines(data) {
			for _, re := range texts {
				if m := re.FindSubmatch(line); m != nil && len(m[1]) > 0 {
					want = append(want, string(m[1]))
				}
			}
			if m := uuids.FindSubmatch(line); m != nil {
				wantUUIDs = append(wantUUIDs, string(m[1]))
			}
		}
		for _, r := range records(&Parser{Year: 2024}, data) {
			r.IDs(func(k model.IDKind, id []byte) {
				switch k {
				case model.CallID:
					got = append(got, string(id))
				case model.UUID:
					gotUUIDs = append(gotUUIDs, string(id))
				default:
					t.Errorf("%s: id %s %q", name, k, id)
				}
			})
		}
		sort.Strings(want)
		sort.Strings(got)
		if !slices.Equal(got, want) || !slices.Equal(gotUUIDs, wantUUIDs) {
			t.Errorf("%s: Call-IDs %q, Uuids %q; want %q, %q", name, got, gotUUIDs, want, wantUUIDs)
		}
	}
}

// TestSecurityEvents reads the address of each security event of fail2ban's sample as
// its filter does, the host its test expects (a forged RemoteAddress in a SessionID
// comes before the event's own), and the events' pairs.
func TestSecurityEvents(t *testing.T) {
	want := []string{"1.2.3.4", "141.255.164.106", "50.30.42.14", "10.250.251.252", "192.0.2.2", "10.250.251.252",
		"10.250.251.252", "10.250.251.252", "192.0.2.4"}
	var got []string
	for _, r := range records(&Parser{Year: 2024}, sample(t, "fail2ban.log")) {
		if _, ok := r.Field("SecurityEvent"); ok {
			got = append(got, field(&r, "Remote-address"))
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("remote addresses %q, want %q", got, want)
	}
	// The SessionID forges a LocalAddress and a RemoteAddress: the event's own come last.
	forged := entryStarting(t, &Parser{}, "fail2ban.log", `[2015-05-25 07:21:48] SECURITY[6988] res_security_log.c: SecurityEvent="InvalidAccountID",EventTV="2015-05-25T07:21:48.275+0300",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="70000180",SessionID="",LocalAddress="IPV4/UDP/127.0.0.1/5060",RemoteAddress="IPV4/UDP/5.6.7.8/1111"",LocalAddress="IPV4/UDP/1.2.3.4/5060",RemoteAddress="IPV4/UDP/10.250.251.252/5061"`)
	if l, r := field(&forged, "LocalAddress"), field(&forged, "RemoteAddress"); l != "IPV4/UDP/1.2.3.4/5060" || r != "IPV4/UDP/10.250.251.252/5061" {
		t.Errorf("forged addresses: LocalAddress %q, RemoteAddress %q", l, r)
	}
	r := entryStarting(t, &Parser{}, "fail2ban.log", `[2015-05-25 07:19:19] SECURITY[6988] res_security_log.c: SecurityEvent="InvalidAccountID",EventTV="2015-05-25T07:19:19.015+0300",Severity="Error",Service="PJSIP",EventVersion="1",AccountID="70000180",SessionID="!@#$%^&   *(}((')[ -+"++",LocalAddress="IPV4/UDP/1.2.3.4/5060",RemoteAddress="IPV4/UDP/10.250.251.252/5061"`)
	for k, v := range map[string]string{"SecurityEvent": "InvalidAccountID", "Service": "PJSIP", "AccountID": "70000180",
		"SessionID": `!@#$%^&   *(}((')[ -+"++`, "RemoteAddress": "IPV4/UDP/10.250.251.252/5061", "Remote-port": "5061"} {
		if got := field(&r, k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

// TestChannelEnds reads what the lines that end a channel tell: the channel the
// dialplan ended on, app_dial's status, the final response chan_sip received.
func TestChannelEnds(t *testing.T) {
	for _, tc := range []struct {
		file, line string
		fields     map[string]string
	}{
		{"console.log", `  == Spawn extension (trunkinbound, 4699497027, 2) exited non-zero on 'SIP/15-000001ba'`, map[string]string{"Channel": "SIP/15-000001ba"}},
		{"console.log", `    -- SIP/twilio-termination-0000000d is busy`, map[string]string{"Channel": "SIP/twilio-termination-0000000d", "Dial-Status": "BUSY"}},
		{"console.log", `  == Everyone is busy/congested at this time (1:1/0/0)`, map[string]string{"Dial-Status": "BUSY"}},
		{"full.log", `[May 12 14:59:23] VERBOSE[4400][C-00000062] app_dial.c:   == Everyone is busy/congested at this time (1:0/1/0)`,
			map[string]string{"Dial-Status": "CONGESTION", "Channel-ID": "C-00000062"}},
		{"console.log", `    -- Got SIP response 486 "Busy Here" back from 54.172.60.3:5060`, map[string]string{"Status": "486", "Reason": "Busy Here"}},
		// Not ends.
		{"full.log", `[Jul 26 17:19:22] VERBOSE[2980272] dial.c: PJSIP/ISP-00000010 is ringing`, map[string]string{"Channel": "", "Dial-Status": ""}},
		{"console.log", `    -- Called SIP/+15038419766@twilio-termination`, map[string]string{"Channel": "", "Status": ""}},
	} {
		r := entryStarting(t, &Parser{}, tc.file, tc.line)
		for k, want := range tc.fields {
			if got, ok := r.Field(k); string(got) != want || ok != (want != "") {
				t.Errorf("%q: %s = %q, %v; want %q", tc.line, k, got, ok, want)
			}
		}
	}
}

// TestStartsEntry: pjsip's header starts an entry even unprefixed; chan_sip's, which
// follows the prefix alone on its line, does not; nor does its end marker.
func TestStartsEntry(t *testing.T) {
	p := &Parser{}
	for line, want := range map[string]bool{
		"<--- Received SIP request (725 bytes) from UDP:185.108.106.149:56626 --->": true,
		"<--- Transmitting SIP request (2448 bytes) to UDP:192.168.29.4:55000 --->": true,
		"<--- Transmitting (NAT) to 192.168.0.1:54606 --->":                         false,
		"<------------>":           false,
		"    -- Called PJSIP/1338": true,
		"Via: SIP/2.0/UDP 10.10.10.6:56626;branch=z9hG4bK-d87543-1224290345-1--d87543-;rport": false,
	} {
		if !bytes.Contains(append(sample(t, "pjsip-console.log"), sample(t, "chansip-full.log")...), []byte(line+"\n")) {
			t.Fatalf("%q is in no sample", line)
		}
		if got := p.StartsEntry([]byte(line)); got != want {
			t.Errorf("StartsEntry(%q) = %v, want %v", line, got, want)
		}
	}
}
