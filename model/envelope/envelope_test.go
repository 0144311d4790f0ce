package envelope

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/timestamp"
)

const bom = "\xef\xbb\xbf"

func us(t *testing.T, rfc3339 string) int64 {
	t.Helper()
	if rfc3339 == "" {
		return 0
	}
	tm, err := time.Parse(time.RFC3339Nano, rfc3339)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UnixMicro()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		time     string // RFC 3339, "" for none
		host     string
		tag      string
		severity int
		payload  string // the line from Payload on
	}{
		// RFC 3164 on the wire.
		{"3164 host and Pexip payload",
			`<134>Nov 20 08:00:01 conf01 2026-11-20 08:00:01,123 Level="INFO" Name="x"`,
			"2026-11-20T08:00:01Z", "conf01", "", 6, `2026-11-20 08:00:01,123 Level="INFO" Name="x"`},
		{"3164 host and tag with pid",
			`<134>Nov 20 08:00:01 conf01 pexip[1234]: msg text`,
			"2026-11-20T08:00:01Z", "conf01", "pexip", 6, "msg text"},
		{"3164 host and tag",
			`<134>Nov 20 08:00:01 conf01 pexip: msg`,
			"2026-11-20T08:00:01Z", "conf01", "pexip", 6, "msg"},
		{"3164 tag with path characters",
			`<30>Nov 20 08:00:01 conf01 /usr/sbin/cron[77]: job`,
			"2026-11-20T08:00:01Z", "conf01", "/usr/sbin/cron", 6, "job"},
		{"3164 space-padded day",
			`<134>Nov  1 08:00:01 conf01 msg`,
			"2026-11-01T08:00:01Z", "conf01", "", 6, "msg"},
		{"3164 zero-padded day",
			`<134>Nov 01 08:00:01 conf01 msg`,
			"2026-11-01T08:00:01Z", "conf01", "", 6, "msg"},
		{"3164 IPv4 host",
			`<134>Nov 20 08:00:01 10.0.1.12 msg`,
			"2026-11-20T08:00:01Z", "10.0.1.12", "", 6, "msg"},
		{"3164 long IPv4 host",
			`<134>Nov 20 08:00:01 192.168.100.200 msg`,
			"2026-11-20T08:00:01Z", "192.168.100.200", "", 6, "msg"},
		{"3164 IPv6 host",
			`<134>Nov 20 08:00:01 2001:db8::1 msg`,
			"2026-11-20T08:00:01Z", "2001:db8::1", "", 6, "msg"},
		{"3164 host with dashes where a date has them",
			`<134>Nov 20 08:00:01 node-uk-01 msg`,
			"2026-11-20T08:00:01Z", "node-uk-01", "", 6, "msg"},
		{"3164 host like pexp-eu-conf01",
			`<134>Nov 20 08:00:01 pexp-eu-conf01 pexip: msg`,
			"2026-11-20T08:00:01Z", "pexp-eu-conf01", "pexip", 6, "msg"},
		{"3164 fully qualified host",
			`<134>Nov 20 08:00:01 conf01.example.com msg`,
			"2026-11-20T08:00:01Z", "conf01.example.com", "", 6, "msg"},
		{"3164 without hostname, tag only",
			`<134>Nov 20 08:00:01 pexip[1]: msg`,
			"2026-11-20T08:00:01Z", "", "pexip", 6, "msg"},
		{"3164 without hostname, Pexip payload with a date",
			`<134>Nov 20 08:00:01 2026-11-20 08:00:01,123 Level="INFO"`,
			"2026-11-20T08:00:01Z", "", "", 6, `2026-11-20 08:00:01,123 Level="INFO"`},
		{"3164 without hostname, key=value payload",
			`<134>Nov 20 08:00:01 Level="INFO" Name="x"`,
			"2026-11-20T08:00:01Z", "", "", 6, `Level="INFO" Name="x"`},
		{"3164 without hostname, quoted payload",
			`<134>Nov 20 08:00:01 "quoted" text`,
			"2026-11-20T08:00:01Z", "", "", 6, `"quoted" text`},
		{"3164 ends after the host",
			`<134>Nov 20 08:00:01 conf01`,
			"2026-11-20T08:00:01Z", "conf01", "", 6, ""},
		{"3164 ends after the time",
			`<134>Nov 20 08:00:01`,
			"2026-11-20T08:00:01Z", "", "", 6, ""},
		{"3164 tag is not a key=value word",
			`<134>Nov 20 08:00:01 conf01 Detail=x: y`,
			"2026-11-20T08:00:01Z", "conf01", "", 6, "Detail=x: y"},
		{"PRI 0", `<0>Nov 20 08:00:01 h m`, "2026-11-20T08:00:01Z", "h", "", 0, "m"},
		{"PRI 191", `<191>Nov 20 08:00:01 h m`, "2026-11-20T08:00:01Z", "h", "", 7, "m"},
		{"PRI 13", `<13>Nov 20 08:00:01 h m`, "2026-11-20T08:00:01Z", "h", "", 5, "m"},
		{"PRI with an RFC 3339 time",
			`<134>2026-11-20T08:00:01.5Z conf01 msg`,
			"2026-11-20T08:00:01.5Z", "conf01", "", 6, "msg"},
		// A PRI and no time stamp: RFC 3164 §4.3.3 makes everything after the PRI the content.
		{"PRI then garbage", `<13>garbage`, "", "", "", 5, "garbage"},
		{"PRI then words", `<13>hello world`, "", "", "", 5, "hello world"},
		{"PRI then tag", `<13>pexip: msg`, "", "", "pexip", 5, "msg"},
		{"PRI only", `<13>`, "", "", "", 5, ""},
		{"PRI then Pexip line",
			`<134>2026-11-20 08:00:01,123 Level="INFO"`,
			"", "", "", 6, `2026-11-20 08:00:01,123 Level="INFO"`},
		{"PRI then system and Pexip line",
			`<134>conf01 2026-11-20 08:00:01,123 Level="INFO"`,
			"", "", "", 6, `conf01 2026-11-20 08:00:01,123 Level="INFO"`},

		// RFC 5424 on the wire.
		{"5424",
			`<134>1 2026-11-20T08:00:01.123Z conf01 app - - - msg`,
			"2026-11-20T08:00:01.123Z", "conf01", "app", 6, "msg"},
		{"5424 Pexip payload",
			`<132>1 2026-11-20T08:00:02.123Z conf02 pexip - - - 2026-11-20 08:00:02,120 Level="WARNING"`,
			"2026-11-20T08:00:02.123Z", "conf02", "pexip", 4, `2026-11-20 08:00:02,120 Level="WARNING"`},
		{"5424 all nil",
			`<134>1 - - - - - - msg`,
			"", "", "", 6, "msg"},
		{"5424 offset converted to UTC, procid, msgid, structured data with escaped bracket, BOM",
			`<134>1 2026-11-20T08:00:01.123456+01:00 conf01 app 42 ID7 [exampleSDID@32473 iut="3" x="a\]b"] ` + bom + `msg`,
			"2026-11-20T07:00:01.123456Z", "conf01", "app", 6, "msg"},
		{"5424 structured data with escaped quote and backslash",
			`<134>1 2026-11-20T08:00:01Z h a - - [id x="q\"]\\" y="]"] msg`,
			"2026-11-20T08:00:01Z", "h", "a", 6, "msg"},
		{"5424 several structured data elements",
			`<134>1 2026-11-20T08:00:01Z h a - - [a x="1"][b y="2"] msg`,
			"2026-11-20T08:00:01Z", "h", "a", 6, "msg"},
		{"5424 structured data, no message",
			`<134>1 2026-11-20T08:00:01Z h a - - [a x="1"]`,
			"2026-11-20T08:00:01Z", "h", "a", 6, ""},
		{"5424 unterminated structured data",
			`<134>1 2026-11-20T08:00:01Z h a - - [a x="1 msg`,
			"2026-11-20T08:00:01Z", "h", "a", 6, ""},
		{"5424 no message",
			`<134>1 2026-11-20T08:00:01Z h a - - -`,
			"2026-11-20T08:00:01Z", "h", "a", 6, ""},
		{"5424 BOM without message",
			`<134>1 2026-11-20T08:00:01Z h a - - - ` + bom,
			"2026-11-20T08:00:01Z", "h", "a", 6, ""},
		{"5424 IP host, microseconds",
			`<14>1 2019-05-11T08:29:33.751132+00:00 10.0.1.11 pexip 1 - - x`,
			"2019-05-11T08:29:33.751132Z", "10.0.1.11", "pexip", 6, "x"},
		{"5424 truncated after the host",
			`<134>1 2026-11-20T08:00:01Z h`,
			"2026-11-20T08:00:01Z", "h", "", 6, ""},

		// Prefixes syslog daemons write to files.
		{"rsyslog RFC 3339 and host",
			`2026-05-14T23:38:44.061+00:00 conf01 2026-05-14 23:38:44,061 Level="INFO"`,
			"2026-05-14T23:38:44.061Z", "conf01", "", -1, `2026-05-14 23:38:44,061 Level="INFO"`},
		{"rsyslog microseconds and IP host",
			`2019-05-11T08:29:33.751132+00:00 10.0.1.11 2019-05-11 08:29:33,751 Level="INFO"`,
			"2019-05-11T08:29:33.751132Z", "10.0.1.11", "", -1, `2019-05-11 08:29:33,751 Level="INFO"`},
		{"rsyslog offset",
			`2026-05-14T23:38:44.061-02:00 conf01 x`,
			"2026-05-15T01:38:44.061Z", "conf01", "", -1, "x"},
		{"rsyslog without host",
			`2026-05-14T23:38:44.061+00:00 2026-05-14 23:38:44,061 Level="INFO"`,
			"2026-05-14T23:38:44.061Z", "", "", -1, `2026-05-14 23:38:44,061 Level="INFO"`},
		{"rsyslog host and tag",
			`2026-05-14T23:38:46.000+00:00 conf01 kernel: [12345.678] TCP: out of memory`,
			"2026-05-14T23:38:46Z", "conf01", "kernel", -1, "[12345.678] TCP: out of memory"},
		{"rsyslog at the epoch",
			`1970-01-01T00:00:00Z conf01 x`,
			"1970-01-01T00:00:00Z", "conf01", "", -1, "x"},
		{"RFC 3339 with T and no zone",
			`2026-05-14T23:38:44 conf01 x`,
			"2026-05-14T23:38:44Z", "conf01", "", -1, "x"},
		{"RFC 3339 with a zone and a space",
			`2026-05-14 23:38:44Z conf01 x`,
			"2026-05-14T23:38:44Z", "conf01", "", -1, "x"},
		{"BSD file prefix",
			`Nov 20 08:00:01 host tag: msg`,
			"2026-11-20T08:00:01Z", "host", "tag", -1, "msg"},
		{"BSD file prefix with pid",
			`Nov 20 08:00:01 conf01 pexip[99]: 2026-11-20 08:00:01,123 Level="INFO"`,
			"2026-11-20T08:00:01Z", "conf01", "pexip", -1, `2026-11-20 08:00:01,123 Level="INFO"`},
		{"BSD file prefix, host only",
			`Nov  2 08:00:01 conf01 2026-11-02 08:00:01,123 Level="INFO"`,
			"2026-11-02T08:00:01Z", "conf01", "", -1, `2026-11-02 08:00:01,123 Level="INFO"`},
		// Real lines pasted in public issues (model/sipsyslog/testdata/SOURCES.md).
		{"OpenSIPS's stderr: the [pid] after the time is no host (OpenSIPS/opensips#2157)",
			`Jul  6 10:47:23 [1462] ERROR:core:pv_get_callid: cannot parse Call-Id header`,
			"2026-07-06T10:47:23Z", "", "", -1, `[1462] ERROR:core:pv_get_callid: cannot parse Call-Id header`},
		{"a pasted Asterisk time that lost its [: the ] is no host (asterisk/asterisk#293)",
			`2023-09-01 23:19:35.558-0400] VERBOSE[30874]: <--- Received SIP request (1286 bytes) from UDP:167.98.76.54:5060 --->`,
			"2023-09-02T03:19:35.558Z", "", "", -1, `] VERBOSE[30874]: <--- Received SIP request (1286 bytes) from UDP:167.98.76.54:5060 --->`},
		{"an empty host leaves two spaces (kamailio/kamailio#1571)",
			`Jun 25 10:10:39  kamailio[13803]: {1 102 ACK 561fa4601e12e9e0174a5a5447aa3910@10.10.10.133} DEBUG: topos`,
			"2026-06-25T10:10:39Z", "", "kamailio", -1, `{1 102 ACK 561fa4601e12e9e0174a5a5447aa3910@10.10.10.133} DEBUG: topos`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, ok := Parse([]byte(tt.line), 2026)
			if !ok {
				t.Fatalf("Parse(%q) not ok", tt.line)
			}
			if want := us(t, tt.time); p.Time != want {
				t.Errorf("Time = %d (%s), want %d (%s)", p.Time, time.UnixMicro(p.Time).UTC().Format(time.RFC3339Nano), want, tt.time)
			}
			if string(p.Host) != tt.host {
				t.Errorf("Host = %q, want %q", p.Host, tt.host)
			}
			if string(p.Tag) != tt.tag {
				t.Errorf("Tag = %q, want %q", p.Tag, tt.tag)
			}
			if p.Severity != tt.severity {
				t.Errorf("Severity = %d, want %d", p.Severity, tt.severity)
			}
			if p.Payload < 0 || p.Payload > len(tt.line) {
				t.Fatalf("Payload = %d, out of [0, %d]", p.Payload, len(tt.line))
			}
			if got := tt.line[p.Payload:]; got != tt.payload {
				t.Errorf("payload = %q, want %q", got, tt.payload)
			}
		})
	}
}

func TestParseYear(t *testing.T) {
	line := []byte(`<134>Feb 29 08:00:01 conf01 x`)
	for _, year := range []int{2024, 2028} {
		p, ok := Parse(line, year)
		want := time.Date(year, 2, 29, 8, 0, 1, 0, time.UTC).UnixMicro()
		if !ok || p.Time != want {
			t.Errorf("Parse(%q, %d) = %+v, %v; want time %d", line, year, p, ok, want)
		}
	}
	// RFC 5424 and RFC 3339 times carry their own year.
	p, ok := Parse([]byte(`<134>1 2019-01-02T03:04:05Z h a - - - m`), 2026)
	if want := time.Date(2019, 1, 2, 3, 4, 5, 0, time.UTC).UnixMicro(); !ok || p.Time != want {
		t.Errorf("5424 time = %d, want %d", p.Time, want)
	}
}

// TestParseIn puts an RFC 3164 time in the latest year that does not make it later than
// the reference: a line of Learn-Kamailio#5 read from a file last written in the spring
// after it is of the year before; RFC 5424 times keep their own year.
func TestParseIn(t *testing.T) {
	line := []byte(`Nov  6 10:23:55 proxy1 kamailio[58605]: NOTICE: {1 3 REGISTER e5f4a465617525e4f7a159} <core>`)
	modified := time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	p, ok := ParseIn(line, timestamp.Year{Ref: modified})
	if want := time.Date(2022, 11, 6, 10, 23, 55, 0, time.UTC).UnixMicro(); !ok || p.Time != want || string(p.Host) != "proxy1" {
		t.Errorf("ParseIn = %+v, %v; want time %d", p, ok, want)
	}
	p, ok = ParseIn([]byte(`<134>1 2024-01-02T03:04:05Z h a - - - m`), timestamp.Year{Ref: modified})
	if want := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC).UnixMicro(); !ok || p.Time != want {
		t.Errorf("5424 time = %d, want %d", p.Time, want)
	}
}

func TestParseRejects(t *testing.T) {
	for _, line := range []string{
		``,
		`plain text`,
		`Traceback line with no time stamp: ERROR in worker`,
		`  File "/opt/pexip/participant.py", line 42, in run`,
		`conf01 2026-05-14 23:38:45,100 Level="WARNING"`, // export starting at the system
		`2026-05-14 23:38:45,200 Level="ERROR"`,          // Pexip's own time: no zone, no T
		`Level="INFO" Name="x"`,
		`Nov 20 08:00`,      // truncated time stamp
		`Nov 31 08:00:01 h`, // no such day
		`<`,
		`<>`,
		`<>Nov 20 08:00:01 h m`,
		`<999>Nov 20 08:00:01 h m`,
		`<192>Nov 20 08:00:01 h m`,
		`<1234>Nov 20 08:00:01 h m`, // too many digits
		`<13`,
		`<13 garbage`,
		`<1a>x`,
		`<-1>x`,
		`< 1>x`,
		`<134>1 notatime host app - - - msg`,
		`<134>1 2026-11-20T08:00:01.123Zjunk host app - - - msg`,
		`<134>1 2026-02-30T08:00:01Z host app - - - msg`,
		`<134>1 2026-11-20 08:00:01 host app - - - msg`, // a space inside the time stamp
		`<134>1 `,
		`<134>1  host app - - - msg`, // empty time stamp
	} {
		if p, ok := Parse([]byte(line), 2026); ok {
			t.Errorf("Parse(%q) = %+v (payload %q), want false", line, p, line[p.Payload:])
		} else if p.Host != nil || p.Tag != nil || p.Time != 0 || p.Payload != 0 {
			t.Errorf("Parse(%q) = %+v with false, want the zero Prefix", line, p)
		}
	}
}

// TestParseSubslices checks that Host and Tag point into the line (no copies).
func TestParseSubslices(t *testing.T) {
	for _, line := range []string{
		`<134>Nov 20 08:00:01 conf01 pexip[1]: msg`,
		`<134>1 2026-11-20T08:00:01.123Z conf01 app - - - msg`,
		`2026-05-14T23:38:44.061+00:00 conf01 kernel: x`,
	} {
		b := []byte(line)
		p, ok := Parse(b, 2026)
		if !ok {
			t.Fatalf("Parse(%q) not ok", line)
		}
		if !parsertest.Within(b, p.Host) || !parsertest.Within(b, p.Tag) {
			t.Errorf("Parse(%q): Host %q or Tag %q not inside the line", line, p.Host, p.Tag)
		}
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	lines := [][]byte{
		[]byte(`<134>Nov 20 08:00:01 conf01 pexip[1]: msg`),
		[]byte(`<134>1 2026-11-20T08:00:01.123Z conf01 app - - [a x="]"] ` + bom + `msg`),
		[]byte(`2026-05-14T23:38:44.061+00:00 conf01 2026-05-14 23:38:44,061 Level="INFO"`),
	}
	n := testing.AllocsPerRun(100, func() {
		for _, l := range lines {
			Parse(l, 2026)
		}
	})
	if n != 0 {
		t.Errorf("Parse allocates %v times", n)
	}
}

// TestParseStamped: a line that starts with an RFC 3339 time stamp, already read, has the
// prefix Parse reads.
func TestParseStamped(t *testing.T) {
	for _, line := range []string{
		`2026-05-14T23:38:44.061+00:00 conf01 2026-05-14 23:38:44,061 Level="INFO"`,
		`2026-05-14T23:38:44.061Z conf01 pexip[12]: msg`,
		`2026-05-14T23:38:44 kamailio[13803]: ERROR: x`,
		`2026-05-14 23:38:44+02:00  host tag: x`,
		`2026-05-14T23:38:44.061+00:00`,
	} {
		ts, ok := timestamp.DateTime([]byte(line))
		if !ok || !(ts.Zone || ts.T) {
			t.Fatalf("%q does not start with an RFC 3339 stamp", line)
		}
		checkStamped(t, []byte(line), ts, 2026)
	}
}

func checkStamped(t *testing.T, line []byte, ts timestamp.Stamp, year int) {
	t.Helper()
	want, ok := Parse(line, year)
	if got := ParseStamped(line, ts); !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseStamped(%q) = %+v, Parse = %+v, %v", line, got, want, ok)
	}
}

func FuzzEnvelope(f *testing.F) {
	for _, s := range []string{
		`<134>Nov 20 08:00:01 conf01 2026-11-20 08:00:01,123 Level="INFO"`,
		`<134>Nov 20 08:00:01 pexip[1]: msg`,
		`<134>1 2026-11-20T08:00:01.123Z conf01 app - - - msg`,
		`<134>1 2026-11-20T08:00:01.123456+01:00 conf01 app 42 ID7 [exampleSDID@32473 iut="3" x="a\]b"] ` + bom + `msg`,
		`<134>1 - - - - - [x y="\`,
		`2026-05-14T23:38:44.061+00:00 conf01 2026-05-14 23:38:44,061 Level="INFO"`,
		`Nov 20 08:00:01 host tag: msg`,
		`<13>garbage`,
		`<999>x`,
		`<134>1 notatime host app - - - msg`,
		`Jul  6 10:47:23 [1462] ERROR:core:pv_get_callid: cannot parse Call-Id header`,
		`Jun 25 10:10:39  kamailio[13803]: {1 102 ACK 561fa4601e12e9e0174a5a5447aa3910@10.10.10.133} DEBUG: topos`,
		`Jan 10 10:00:00.123456 sp1 proxy[1]: x`,
	} {
		f.Add([]byte(s), 2026, int64(1735689600e6))
	}
	f.Fuzz(func(t *testing.T, line []byte, year int, ref int64) {
		year = year%10000 + 1       // keep Civil's arithmetic in range
		ref %= 3000 * 366 * 86400e6 // likewise: within 3000 years of the epoch
		inferred, ok := ParseIn(line, timestamp.Year{Ref: ref})
		start := 0 // where an RFC 3164 stamp would be: after the PRI, if any
		if len(line) > 0 && line[0] == '<' {
			start = bytes.IndexByte(line, '>') + 1
		}
		if _, bsd := timestamp.BSD(line[start:], 2000); ok && bsd {
			if inferred.Time > ref+timestamp.Grace {
				t.Fatalf("ParseIn(%q, ref %d): time %d after the reference", line, ref, inferred.Time)
			}
			tm := time.UnixMicro(inferred.Time).UTC()
			next := timestamp.Civil(tm.Year()+1, int(tm.Month()), tm.Day(), tm.Hour(), tm.Minute(), tm.Second())
			if !(tm.Month() == 2 && tm.Day() == 29) && next <= ref+timestamp.Grace {
				t.Fatalf("ParseIn(%q, ref %d): year %d, yet %d is not after the reference", line, ref, tm.Year(), tm.Year()+1)
			}
		}
		if ts, ok := timestamp.DateTime(line); ok && (ts.Zone || ts.T) {
			checkStamped(t, line, ts, year)
		}
		p, ok := Parse(line, year)
		if !ok {
			if p.Host != nil || p.Tag != nil || p.Time != 0 || p.Payload != 0 || p.Severity != 0 {
				t.Fatalf("Parse(%q) = %+v with false", line, p)
			}
			return
		}
		if p.Payload < 0 || p.Payload > len(line) {
			t.Fatalf("Parse(%q).Payload = %d, out of [0, %d]", line, p.Payload, len(line))
		}
		if p.Severity < -1 || p.Severity > 7 {
			t.Fatalf("Parse(%q).Severity = %d", line, p.Severity)
		}
		if (p.Severity >= 0) != (len(line) > 0 && line[0] == '<') {
			t.Fatalf("Parse(%q).Severity = %d", line, p.Severity)
		}
		if !parsertest.Within(line, p.Host) || !parsertest.Within(line, p.Tag) {
			t.Fatalf("Parse(%q): Host %q or Tag %q not inside the line", line, p.Host, p.Tag)
		}
		for _, w := range [][]byte{p.Host, p.Tag} {
			for _, c := range w {
				if c == ' ' {
					t.Fatalf("Parse(%q): Host %q or Tag %q holds a space", line, p.Host, p.Tag)
				}
			}
		}
	})
}
