package asterisk

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/split"
)

// samples are the files of testdata, each read as Asterisk wrote it (see withCR).
var samples = []string{"fail2ban.log", "crowdsec.log", "full.log", "console.log", "chansip-full.log", "pjsip-full.log", "pjsip-console.log"}

func sample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// withCR turns the ^M a terminal showed for each carriage return back into one, as the
// file held it (see testdata/SOURCES.md).
func withCR(data []byte) []byte { return bytes.ReplaceAll(data, []byte("^M"), []byte("\r")) }

// records parses every entry of data.
func records(p *Parser, data []byte) []model.Record {
	var out []model.Record
	for _, raw := range split.Entries(data, p.StartsEntry) {
		var r model.Record
		p.Parse(raw, &r)
		out = append(out, r)
	}
	return out
}

// entryStarting returns the entry of a sample whose first line is line.
func entryStarting(t *testing.T, p *Parser, file, line string) model.Record {
	t.Helper()
	for _, r := range records(p, sample(t, file)) {
		if string(firstLine(r.Raw)) == line {
			return r
		}
	}
	t.Fatalf("%s: no entry starts with %q", file, line)
	return model.Record{}
}

func field(r *model.Record, name string) string {
	v, _ := r.Field(name)
	return string(v)
}

// TestLines reads lines of every shape the samples hold: the time (with the year given
// for those that carry none), the level as Asterisk wrote it, the file as the module,
// the text as the message, and the prefix's fields.
func TestLines(t *testing.T) {
	for _, tc := range []struct {
		file, line, time string // time "" for none
		level            model.Level
		module, message  string
		fields           map[string]string
	}{
		{"fail2ban.log", `[2012-02-13 17:36:23] NOTICE[1638] chan_sip.c: Registration from '<sip:301@example.com>' failed for '1.2.3.4' - ACL error (permit/deny)`,
			"2012-02-13 17:36:23Z", model.LevelNotice, "chan_sip.c", "Registration from '<sip:301@example.com>' failed for '1.2.3.4' - ACL error (permit/deny)",
			map[string]string{"Thread": "1638"}},
		{"fail2ban.log", `[2013-02-05 23:44:42] NOTICE[436][C-00000fa9] chan_sip.c: Call from '' (1.2.3.4:10836) to extension '0972598285108' rejected because extension not found in context 'default'.`,
			"2013-02-05 23:44:42Z", model.LevelNotice, "chan_sip.c", "Call from '' (1.2.3.4:10836) to extension '0972598285108' rejected because extension not found in context 'default'.",
			map[string]string{"Thread": "436", "Channel-ID": "C-00000fa9"}},
		{"fail2ban.log", `[Jan 18 17:39:50] NOTICE[12049]: res_pjsip_session.c:2337 new_invite: Call from 'anonymous' (TCP:[1.2.3.4]:61470) to extension '9011+442037690237' rejected because extension not found in context 'default'.`,
			"2005-01-18 17:39:50Z", model.LevelNotice, "res_pjsip_session.c", "Call from 'anonymous' (TCP:[1.2.3.4]:61470) to extension '9011+442037690237' rejected because extension not found in context 'default'.",
			map[string]string{"Line": "2337", "Function": "new_invite"}},
		{"fail2ban.log", `[Jun 12 15:13:54] NOTICE[3980] res_pjsip_session.c:  anonymous: Call (UDP:1.2.3.4:65049) to extension '001447441452805' rejected because extension not found in context 'inbound-foo-bar'.`,
			"2005-06-12 15:13:54Z", model.LevelNotice, "res_pjsip_session.c", "anonymous: Call (UDP:1.2.3.4:65049) to extension '001447441452805' rejected because extension not found in context 'inbound-foo-bar'.", nil},
		{"fail2ban.log", `[2016-06-09 00:01:02] NOTICE [22382] manager.c: 192.0.2.1 failed to authenticate as 'admin'`,
			"2016-06-09 00:01:02Z", model.LevelNotice, "manager.c", "192.0.2.1 failed to authenticate as 'admin'", map[string]string{"Thread": "22382"}},
		{"fail2ban.log", `[2013-11-11 14:33:38] WARNING[6756][C-0000001d] Ext. s: "Rejecting unknown SIP connection from 192.168.55.152"`,
			"2013-11-11 14:33:38Z", model.LevelWarning, "Ext. s", `"Rejecting unknown SIP connection from 192.168.55.152"`, map[string]string{"Channel-ID": "C-0000001d"}},
		{"fail2ban.log", `[2016-08-19 11:11:26] NOTICE[12931]: chan_sip.c:28468 handle_request_register: Registration from 'sip:bob@192.0.2.1' failed for '192.0.2.1:42406' - Wrong password`,
			"2016-08-19 11:11:26Z", model.LevelNotice, "chan_sip.c", "Registration from 'sip:bob@192.0.2.1' failed for '192.0.2.1:42406' - Wrong password",
			map[string]string{"Line": "28468", "Function": "handle_request_register"}},
		// The journal: no time.
		{"fail2ban.log", `NOTICE[566]: chan_sip.c:28926 handle_request_register: Registration from '"28" <sip:28@127.0.0.100>' failed for '192.0.2.1:7998' - Wrong password`,
			"", model.LevelNotice, "chan_sip.c", `Registration from '"28" <sip:28@127.0.0.100>' failed for '192.0.2.1:7998' - Wrong password`, map[string]string{"Thread": "566"}},
		{"crowdsec.log", `[Mar  6 08:44:27] SECURITY[1310] res_security_log.c: SecurityEvent="InvalidPassword",EventTV="2022-03-06T08:44:27.151+1100",Severity="Error",Service="SIP",EventVersion="2",AccountID="6001",SessionID="0x7fa52803a000",LocalAddress="IPV4/UDP/172.17.0.2/5060",RemoteAddress="IPV4/UDP/172.17.0.1/56433",Challenge="62790d2c",ReceivedChallenge="62790d2c",ReceivedHash="c3b9d05b8f36265eb89edee60aad693a"`,
			"2005-03-06 08:44:27Z", model.LevelError, "res_security_log.c", "", map[string]string{"SecurityEvent": "InvalidPassword", "AccountID": "6001"}},
		{"full.log", `[Jan 26 18:50:12] VERBOSE[13942][C-00000089] pbx.c:     -- Executing [s@default-incoming:1] Set("SIP/callcentric-000000d1", "caller=19149775129") in new stack`,
			"2005-01-26 18:50:12Z", model.LevelInfo, "pbx.c", `Executing [s@default-incoming:1] Set("SIP/callcentric-000000d1", "caller=19149775129") in new stack`,
			map[string]string{"Thread": "13942", "Channel-ID": "C-00000089"}},
		{"full.log", `[Jan 14 12:33:40] DEBUG[7585][C-00000003]: chan_pjsip.c:1647 chan_pjsip_indicate:  PJSIP/home-sip-phone-00000004: Indicated Private Cause Code`,
			"2005-01-14 12:33:40Z", model.LevelDebug, "chan_pjsip.c", "PJSIP/home-sip-phone-00000004: Indicated Private Cause Code",
			map[string]string{"Channel-ID": "C-00000003", "Line": "1647", "Function": "chan_pjsip_indicate"}},
		{"pjsip-console.log", `[2022-07-22 09:00:29] NOTICE[6206]: res_pjsip/pjsip_distributor.c:676 log_failed_request: Request 'REGISTER' from '<sip:408@31.42.177.246>' failed for '185.108.106.149:56626' (callid: e5f4a34671937e4f7a) - Failed to authenticate`,
			"2022-07-22 09:00:29Z", model.LevelNotice, "res_pjsip/pjsip_distributor.c", "Request 'REGISTER' from '<sip:408@31.42.177.246>' failed for '185.108.106.149:56626' (callid: e5f4a34671937e4f7a) - Failed to authenticate",
			map[string]string{"Call-ID": "e5f4a34671937e4f7a", "Function": "log_failed_request"}},
		// chan_sip's trace: the prefix alone, a comma before the milliseconds.
		{"chansip-full.log", `[2026-01-07 11:25:48,476] VERBOSE[13892] chan_sip.c: `, "2026-01-07 11:25:48.476Z", model.LevelInfo, "chan_sip.c",
			"<--- Transmitting (NAT) to 192.168.0.1:54606 --->", map[string]string{"Thread": "13892"}},
		// The console: no prefix at all.
		{"console.log", `    -- Called SIP/+15038419766@twilio-termination`, "", model.LevelInfo, "", "Called SIP/+15038419766@twilio-termination", nil},
		{"console.log", `       > 0x7f165c1a9740 -- Strict RTP learning after remote address set to: 67.231.9.12:63426`, "", model.LevelInfo, "",
			"0x7f165c1a9740 -- Strict RTP learning after remote address set to: 67.231.9.12:63426", nil},
	} {
		r := entryStarting(t, &Parser{Year: 2005}, tc.file, tc.line)
		var want int64
		if tc.time != "" {
			want = parsertest.Micros(tc.time)
		}
		if r.Plain || r.Format() != "asterisk" || r.Time != want || r.Level != tc.level || string(r.Module) != tc.module {
			t.Errorf("%.60q: format %s, time %v, level %v, module %q; want %s, %v, %q", tc.line, r.Format(), model.TimeOf(r.Time), r.Level, r.Module, tc.time, tc.level, tc.module)
		}
		if tc.message != "" && string(r.Message()) != tc.message {
			t.Errorf("%.60q: message %q, want %q", tc.line, r.Message(), tc.message)
		}
		for k, v := range tc.fields {
			if got := field(&r, k); got != v {
				t.Errorf("%.60q: %s = %q, want %q", tc.line, k, got, v)
			}
		}
	}
}

// TestSamplesAreReadWhole reads every sample: each entry of Asterisk's shape, the lines
// of the files of one line per entry each an entry, and a time on every entry that
// carries one.
func TestSamplesAreReadWhole(t *testing.T) {
	for _, tc := range []struct {
		file    string
		entries int // -1: one per line
		timed   int // entries with a time; -1: all
	}{
		{"fail2ban.log", -1, 45}, // the journal's line has none
		{"crowdsec.log", -1, -1},
		{"full.log", -1, -1},
		{"console.log", -1, 2},       // the two warnings; the console's verbose lines have none
		{"chansip-full.log", 1, 1},   // the prefix and its trace
		{"pjsip-full.log", 3, 3},     // the trace and two debug lines
		{"pjsip-console.log", 10, 1}, // seven traces, two verbose lines, the NOTICE
	} {
		data := withCR(sample(t, tc.file))
		recs := records(&Parser{Year: 2024}, data)
		want := tc.entries
		if want < 0 {
			want = bytes.Count(data, []byte("\n"))
		}
		timed := 0
		for i := range recs {
			if recs[i].Plain || recs[i].Format() != "asterisk" {
				t.Errorf("%s: entry %q is %s", tc.file, firstLine(recs[i].Raw), recs[i].Format())
			}
			if recs[i].Time != 0 {
				timed++
			}
		}
		if tc.timed < 0 {
			tc.timed = want
		}
		if len(recs) != want || timed != tc.timed {
			t.Errorf("%s: %d entries, %d with a time; want %d, %d", tc.file, len(recs), timed, want, tc.timed)
		}
	}
}

// TestLevels counts the levels of fail2ban's sample as Asterisk wrote them: NOTICE is a
// notice (its "ACL error" too), WARNING a warning, and a SECURITY event takes its
// Severity, "Error".
func TestLevels(t *testing.T) {
	data := sample(t, "fail2ban.log")
	counts := map[model.Level]int{}
	for _, r := range records(&Parser{Year: 2024}, data) {
		counts[r.Level]++
	}
	lines := strings.Count(string(data), "\n")
	notices := strings.Count(string(data), "NOTICE[") + strings.Count(string(data), "NOTICE [")
	warnings, security := strings.Count(string(data), "] WARNING["), strings.Count(string(data), "] SECURITY[")
	if counts[model.LevelNotice] != notices || counts[model.LevelWarning] != warnings || counts[model.LevelError] != security ||
		notices+warnings+security != lines {
		t.Errorf("levels %v; want %d notices, %d warnings, %d errors of %d lines", counts, notices, warnings, security, lines)
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	p := &Parser{Year: 2024}
	var lines [][]byte
	for _, name := range samples {
		for _, raw := range split.Entries(sample(t, name), p.StartsEntry) {
			lines = append(lines, raw)
		}
	}
	var r model.Record
	if n := testing.AllocsPerRun(20, func() {
		for _, l := range lines {
			p.Parse(l, &r)
		}
	}); n > 0 {
		t.Errorf("Parse allocates %.1f times for %d entries", n, len(lines))
	}
}

// BenchmarkParse splits and parses every sample, and reads each entry's ids and Detail
// as indexing does.
func BenchmarkParse(b *testing.B) {
	var data []byte
	for _, name := range samples {
		data = append(data, withCR(sample(b, name))...)
	}
	p := &Parser{Year: 2024}
	var r model.Record
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		for _, raw := range split.Entries(data, p.StartsEntry) {
			p.Parse(raw, &r)
			r.IDs(func(model.IDKind, []byte) {})
			r.Field("Detail")
		}
	}
}
