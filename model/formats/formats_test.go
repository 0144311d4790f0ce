package formats

import (
	"os"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
)

func read(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestDetect names the format of each sample, of ambiguous text and of mixes.
func TestDetect(t *testing.T) {
	kamailio := "Dec 17 18:17:52 sbc1 kamailio[8813]:  7(8813) ERROR: tm [t_lookup.c:1356]: t_lookup_request(): no transaction\n"
	journal := lastLine(read(t, "../asterisk/testdata/fail2ban.log"), "NOTICE[566]: ")
	pexipOverSyslog := `<134>Nov 20 08:00:01 conf01 2026-11-20 08:00:01,123 Level="INFO" Name="administrator.conference" Message="Conference has been created." Conference="Meet Alice"` + "\n"
	for _, tc := range []struct {
		name, text, want string
	}{
		{"pexip", string(read(t, "../../testdata/quirks.log")), "pexip"},
		{"flexisip general log", string(read(t, "../../testdata/flexisip/flexisip-proxy.log")), "flexisip"},
		{"flexisip event log", string(read(t, "../../testdata/flexisip/users/example.org/alice/2024-12-17.log")), "flexisip"},
		{"privateserver sessions", string(read(t, "../../testdata/privateserver/sessions.tsv")), "privateserver"},
		{"privateserver accounts", string(read(t, "../../testdata/privateserver/accounts.tsv")), "privateserver"},
		{"privateserver web authentication", string(read(t, "../../testdata/privateserver/webauth.tsv")), "privateserver"},
		{"privateserver CDRs", string(read(t, "../../testdata/privateserver/cdr.tsv")), "privateserver"},
		{"SIP servers over syslog", string(read(t, "../../testdata/sipsyslog/sip-servers.log")), "syslog"},
		{"asterisk: fail2ban's sample", string(read(t, "../asterisk/testdata/fail2ban.log")), "asterisk"},
		{"asterisk: year-less security events", string(read(t, "../asterisk/testdata/crowdsec.log")), "asterisk"},
		{"asterisk: full and messages files", string(read(t, "../asterisk/testdata/full.log")), "asterisk"},
		{"asterisk: the console", string(read(t, "../asterisk/testdata/console.log")), "asterisk"},
		{"asterisk: a pjsip trace", string(read(t, "../asterisk/testdata/pjsip-full.log")), "asterisk"},
		{"asterisk: pjsip traces on the console", string(read(t, "../asterisk/testdata/pjsip-console.log")), "asterisk"},
		{"asterisk: a chan_sip trace", string(read(t, "../asterisk/testdata/chansip-full.log")), "asterisk"},
		{"freeswitch.log with channel UUIDs", string(read(t, "../freeswitch/testdata/issue1559-proxy-media.log")), "freeswitch"},
		{"freeswitch.log with a siptrace", string(read(t, "../freeswitch/testdata/issue323-hold.log")), "freeswitch"},
		// fail2ban's test log: eight of FreeSWITCH's own lines, three that came through syslog.
		{"fail2ban's freeswitch log", string(read(t, "../freeswitch/testdata/fail2ban-freeswitch.log")), "freeswitch+syslog"},
		{"plain", string(read(t, "../../testdata/plain.log")), "plain"},
		{"empty", "", "plain"},
		// Ambiguous: a time stamp and free text is no format's line; one known line among
		// plain ones names the format.
		{"dated free text", "2024-12-17 18:17:52 something happened\n2024-12-17 18:17:53 and again\n", "plain"},
		{"one known line", "starting\n" + kamailio + "done\n", "syslog"},
		// Asterisk's line in the journal, without a time, looks like a syslog tag with a pid.
		{"asterisk: the journal", journal, "asterisk"},
		// A syslog host's mix: both formats named, most first; a format of less than a
		// fifth of the entries is left out.
		{"mixed", strings.Repeat(pexipOverSyslog, 6) + strings.Repeat(kamailio, 4), "pexip+syslog"},
		{"mostly one", strings.Repeat(pexipOverSyslog, 9) + kamailio, "pexip"},
	} {
		if got := Detect([]byte(tc.text)); got != tc.want {
			t.Errorf("%s: Detect = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestAutoReadsEachEntryByItsShape parses every sample with the parser of every format
// and with its own: the same entries, the same fields — but where its own format sees a
// plain line, another may know it (a kernel line in a Pexip log is syslog's).
func TestAutoReadsEachEntryByItsShape(t *testing.T) {
	auto, _ := New("auto", 0)
	for path, format := range map[string]string{
		"../../testdata/quirks.log":                                      "pexip",
		"../../testdata/flexisip/flexisip-proxy.log":                     "flexisip",
		"../../testdata/flexisip/users/example.org/alice/2024-12-17.log": "flexisip",
		"../../testdata/privateserver/sessions.tsv":                      "privateserver",
		"../../testdata/privateserver/cdr.tsv":                           "privateserver",
		"../../testdata/sipsyslog/sip-servers.log":                       "syslog",
		"../asterisk/testdata/fail2ban.log":                              "asterisk",
		"../asterisk/testdata/crowdsec.log":                              "asterisk",
		"../asterisk/testdata/full.log":                                  "asterisk",
		"../asterisk/testdata/console.log":                               "asterisk",
		"../asterisk/testdata/pjsip-full.log":                            "asterisk",
		"../asterisk/testdata/pjsip-console.log":                         "asterisk",
		"../asterisk/testdata/chansip-full.log":                          "asterisk",
		"../freeswitch/testdata/issue1559-proxy-media.log":               "freeswitch",
		"../freeswitch/testdata/issue1144-trying.log":                    "freeswitch",
		"../freeswitch/testdata/issue323-hold.log":                       "freeswitch",
	} {
		own, err := New(format, 0)
		if err != nil {
			t.Fatal(err)
		}
		data := read(t, path)
		got, want := entries(data, auto()), entries(data, own())
		if len(got) != len(want) {
			t.Errorf("%s: %d entries read with every format, %d with %s's", path, len(got), len(want), format)
			continue
		}
		for i := range got {
			if got[i] != want[i] && !strings.HasPrefix(want[i], "plain ") {
				t.Errorf("%s: entry %d read with every format:\n%s\nwith %s's:\n%s", path, i, got[i], format, want[i])
				break
			}
		}
	}
}

// entries describes each entry p reads in data.
func entries(data []byte, p model.Parser) []string {
	var out []string
	for _, raw := range split.Entries(data, p.StartsEntry) {
		var r model.Record
		p.Parse(raw, &r)
		var b strings.Builder
		b.WriteString(r.Format() + " " + r.Level.String() + " " + string(r.Module) + " " + string(r.Message()))
		for k, v := range r.Fields() {
			b.WriteString(" " + string(k) + "=" + string(v))
		}
		r.IDs(func(k model.IDKind, id []byte) { b.WriteString(" " + k.String() + ":" + string(id)) })
		out = append(out, b.String())
	}
	return out
}

// lastLine returns the last line of data that starts with prefix, with its line break.
func lastLine(data []byte, prefix string) string {
	line := ""
	for l := range strings.Lines(string(data)) {
		if strings.HasPrefix(l, prefix) {
			line = l
		}
	}
	return line
}

func TestNewRefusesUnknownFormats(t *testing.T) {
	_, err := New("kamailio", 0)
	if err == nil || !strings.Contains(err.Error(), "pexip, flexisip, privateserver, asterisk, freeswitch, syslog, plain") {
		t.Errorf("New(kamailio) = %v, want an error naming the formats", err)
	}
	p, err := New("plain", 0)
	if err != nil {
		t.Fatal(err)
	}
	var r model.Record
	p().Parse([]byte(`2026-05-14 10:00:01,000 Level="ERROR" Name="support.sip" Message="x"`), &r)
	if !r.Plain || r.Level != model.LevelError {
		t.Errorf("--format plain read a Pexip line as %+v", r)
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	newParser, _ := New("auto", 2024)
	p := newParser()
	lines := [][]byte{
		[]byte(`2026-05-14 10:00:01,000 Level="INFO" Name="support.sip" Message="Received SIP request"`),
		[]byte("2024-12-17 18:17:52:656 flexisip-debug- nta: received INVITE sip:bob@example.org SIP/2.0"),
		[]byte("Dec 17 18:17:52 sbc1 kamailio[8813]: ERROR: tm: no transaction"),
		[]byte("[Jan 14 12:33:40] DEBUG[7585][C-00000003]: chan_pjsip.c:1647 chan_pjsip_indicate:  PJSIP/home-sip-phone-00000004"),
		[]byte("8b952f41-bb60-4332-9599-186d4a6d5c8a 2022-02-21 16:53:28.516605 86.53% [NOTICE] switch_channel.c:1123 New Channel sofia/internal/1234567@172.16.30.51:59439 [8b952f41-bb60-4332-9599-186d4a6d5c8a]"),
		[]byte("recv 352 bytes from udp/[192.0.2.2]:5064 at 17:28:11.113313:\n----------------------------------------\nSIP/2.0 100 Trying\nCall-ID: 1d393ec9\nContent-Length: 0\n"),
		[]byte("just a plain line"),
	}
	var r model.Record
	if n := testing.AllocsPerRun(100, func() {
		for _, l := range lines {
			p.Parse(l, &r)
		}
	}); n > 0 {
		t.Errorf("Parse allocates %.1f times per five lines", n)
		t.Errorf("Parse allocates %.1f times per %d lines", n, len(lines))
	}
}
