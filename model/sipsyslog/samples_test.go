package sipsyslog

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/parsertest"
	splitter "github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
)

// sample returns line n (from 1) of a sample file in testdata (see testdata/SOURCES.md).
func sample(t *testing.T, file string, n int) string {
	t.Helper()
	lines := strings.Split(string(read(t, file)), "\n")
	if n < 1 || n > len(lines) {
		t.Fatalf("%s has no line %d", file, n)
	}
	return lines[n-1]
}

func read(t testing.TB, file string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestSamples reads lines that Kamailio, OpenSIPS and rtpengine wrote, as people pasted
// them in public issues: through syslog (with a host, without one, with a pid in the tag or
// only in Kamailio's rank(pid)) and to stderr (Kamailio's rank(pid), OpenSIPS's time and
// [pid], rtpengine's epoch time). Each Call-ID spelling is read from a line that has it.
func TestSamples(t *testing.T) {
	tests := []struct {
		name       string
		file       string
		line       int
		want       want
		syslogTime bool // the time is syslog's (else the server's own, or none)
	}{
		{"Kamailio debug, program with a directory", "kamailio-syslog.log", 1, want{time: "2024-01-12 12:52:20Z", node: "kamailio-alone", module: "kamailio", pid: "797", level: model.LevelDebug}, true},
		{"<SIP/2.0> in a debug line is no SIP message", "kamailio-syslog.log", 4, want{node: "kamailio-alone", module: "kamailio", pid: "797", level: model.LevelDebug}, true},
		{"log_prefix {$mt $hdr(CSeq) $ci}, NOTICE", "kamailio-syslog.log", 5, want{node: "proxy1", module: "kamailio", pid: "58605", call: "e5f4a465617525e4f7a159", level: model.LevelNotice}, true},
		{"log_prefix, INFO", "kamailio-syslog.log", 6, want{node: "proxy1", module: "kamailio", pid: "58634", call: "E3fNnAyni0_xvXIr3YHXrQ..", level: model.LevelInfo}, true},
		{"no host: two spaces after the time", "kamailio-syslog.log", 7, want{time: "2024-06-25 10:10:39Z", module: "kamailio", pid: "13803", call: "561fa4601e12e9e0174a5a5447aa3910@10.10.10.133", level: model.LevelDebug}, true},
		{"tag without a pid: the pid of rank(pid)", "kamailio-syslog.log", 8, want{node: "c4-proxy-1", module: "kamailio", pid: "1925", call: "4a681d8626b801ce1a8185472fda8e86@48.146.161.153:5060", level: model.LevelDebug}, true},
		{"callid='x' (ims_dialog)", "kamailio-syslog.log", 9, want{node: "openims-node-focal", module: "pcscf", pid: "78412", call: "SssE-170264272538027@104.0.0.1", level: model.LevelDebug}, true},
		{"callid 'x' (ims_dialog)", "kamailio-syslog.log", 10, want{node: "openims-node-focal", module: "pcscf", pid: "78412", call: "SssE-170264272538027@104.0.0.1", level: model.LevelDebug}, true},
		{"ID=x (NGCP-style script)", "kamailio-syslog.log", 11, want{module: "kamailio", pid: "3024", call: "ydEOk0BD1449045968@192.168.1.116", level: model.LevelError}, false},
		{"Kazoo's x|log|, through journald", "kamailio-syslog.log", 12, want{node: "node0.docker.rcsnet.ru", module: "sh", pid: "17746", call: "6F3E-C434-46684819C4E9AF592AFC-001@SipHost", level: model.LevelInfo}, true},
		{"message=<PING> is no SIP message", "kamailio-syslog.log", 13, want{node: "vaglxc01.goautodial.com", module: "kamailio", pid: "17676", level: model.LevelError}, true},
		{"Kamailio stderr: rank padded with a blank", "kamailio-stderr.log", 21, want{module: "kamailio", pid: "25", level: model.LevelWarning}, false},
		{"Kamailio stderr", "kamailio-stderr.log", 22, want{module: "kamailio", pid: "41", level: model.LevelError}, false},
		{"Kamailio stderr, rtpengine module", "kamailio-stderr.log", 36, want{module: "kamailio", pid: "279", level: model.LevelError}, false},
		{"OpenSIPS stderr: [pid] is no node", "opensips.log", 1, want{time: "2024-07-06 10:47:23Z", module: "opensips", pid: "1462", level: model.LevelError}, false},
		{"OpenSIPS stderr, INFO", "opensips.log", 4, want{time: "2024-07-06 10:47:23Z", module: "opensips", pid: "1478", level: model.LevelInfo}, false},
		{"OpenSIPS stderr format through syslog, clid 'x'", "opensips.log", 5, want{time: "2024-10-03 10:12:24Z", node: "proxy01", module: "opensips", pid: "771739", call: "4f92d67a2b0044293926cb2f40a259fb@giovanni.cloud", level: model.LevelWarning}, true},
		{"OpenSIPS DBG, no host", "opensips.log", 6, want{module: "opensips", pid: "2910", level: model.LevelDebug}, true},
		{"OpenSIPS NOTICE", "opensips.log", 7, want{node: "iZ2ze8mav2o3p18vgvvk8zZ", module: "opensips", pid: "1604", level: model.LevelNotice}, true},
		{"\"Unknown call-id\" names none", "opensips.log", 9, want{node: "ip-172-31-34-24", module: "opensips", pid: "97074", level: model.LevelError}, true},
		{"rtpengine [callid]", "rtpengine.log", 1, want{node: "rtp-colt-hh", module: "rtpengine", pid: "1609", call: "73901ba04126e46b0c920dbd5c5d3c0a@next-id.de", level: model.LevelInfo}, true},
		{"rtpengine \"call-id\": \"x\" on a syslog line of a dump", "rtpengine.log", 4, want{node: "rtp-colt-hh", module: "rtpengine", pid: "1609", call: "73901ba04126e46b0c920dbd5c5d3c0a@next-id.de", level: model.LevelInfo}, true},
		{"rtpengine NOTICE", "rtpengine.log", 6, want{node: "localhost", module: "rtpengine", pid: "18241", call: "1-28708@1.1.1.60", level: model.LevelNotice}, true},
		{"rtpengine [callid] without a level", "rtpengine.log", 7, want{node: "sd-75975", module: "rtpengine", pid: "22919", call: "flqhlCgQLc", level: model.LevelInfo}, true},
		{"rtpengine [callid port N]", "rtpengine.log", 8, want{module: "rtpengine", pid: "18904", call: "4A5234339745199346116", level: model.LevelInfo}, false},
		{"rtpengine [$ci]: an unexpanded variable is no Call-ID", "rtpengine.log", 9, want{node: "ip-172-31-34-24", module: "rtpengine", pid: "92070", level: model.LevelWarning}, true},
		{"rtpengine [callid]: [control]", "rtpengine.log", 10, want{node: "ip-172-31-34-24", module: "rtpengine", pid: "92070", call: "atb7enlqm567cu693l79", level: model.LevelInfo}, true},
		{"rtpengine stderr: [epoch] and [ID=\"x\"]", "rtpengine.log", 12, want{time: "2020-02-10 11:32:43.918166Z", module: "rtpengine", call: "1-92581@x.x.x.x", level: model.LevelInfo}, false},
		{"rtpengine stderr, WARNING", "rtpengine.log", 13, want{time: "2020-02-10 11:32:43.918203Z", module: "rtpengine", call: "1-92581@x.x.x.x", level: model.LevelWarning}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			line := sample(t, tt.file, tt.line)
			p := &Parser{Year: 2024}
			if !p.StartsEntry([]byte(line)) {
				t.Errorf("StartsEntry = false")
			}
			var r model.Record
			p.Parse([]byte(line), &r)
			check(t, &r, line, tt.want)
			if tt.syslogTime != (r.SyslogTime != 0) {
				t.Errorf("SyslogTime = %v; want one: %v", r.SyslogTime, tt.syslogTime)
			}
		})
	}
}

// TestRsyslogEscapes reads a SIP message that rsyslog logged on one line, each line break
// escaped as #012 (an Audiocodes SBC's, as paStash quoted it): the Detail is the message
// with real line breaks, and its Call-ID header is read after the escape. rtpengine's SDP
// in #015#012 is no SIP message; its Call-ID comes from its prefix.
func TestRsyslogEscapes(t *testing.T) {
	p := &Parser{Year: 2024}
	var r model.Record
	line := sample(t, "audiocodes-escaped.log", 1)
	p.Parse([]byte(line), &r)
	check(t, &r, line, want{call: "143672392819122020124456@sbc.llspa.it", level: model.LevelNotice,
		detail: "SIP/2.0 200 OK \nFROM: <sip:10.160.111.51>;tag=1c808889852 \nTO: <sip:10.160.111.51> \nCSEQ: 1 OPTIONS \n" +
			"CALL-ID: 143672392819122020124456@sbc.llspa.it \nVIA: SIP/2.0/TLS sbc.llspa.it:5061;branch=z9hG4bKac10785"})

	line = sample(t, "rtpengine.log", 5)
	p.Parse([]byte(line), &r)
	check(t, &r, line, want{node: "localhost", module: "rtpengine", pid: "18241", call: "1-28708@1.1.1.60", level: model.LevelDebug})
}

// TestXlogDumpIsAnEntry reads a Kamailio log (timed syslog lines, then what Kamailio wrote
// to stderr: an xlog line and the SIP message it dumped on the next lines, indented): the
// message is an entry of its own, joined to nothing before it, with its Call-ID and the
// message as its Detail; the syslog line before it keeps its own line and time.
func TestXlogDumpIsAnEntry(t *testing.T) {
	syslog, dump := read(t, "kamailio-syslog.log"), read(t, "kamailio-xlog-dump.log")
	data := append(append([]byte(nil), syslog...), dump...)
	p := &Parser{Year: 2024}
	var raws []string
	for _, raw := range splitter.Entries(data, p.StartsEntry) {
		raws = append(raws, string(raw))
	}
	if want := strings.Count(string(syslog), "\n") + 2; len(raws) != want {
		t.Fatalf("%d entries, want %d: the syslog lines, the xlog line, the message", len(raws), want)
	}
	last := raws[len(raws)-3]
	if strings.Contains(last, "\n") {
		t.Errorf("the last syslog entry took other lines: %q", last)
	}
	var r model.Record
	p.Parse([]byte(raws[len(raws)-2]), &r)
	check(t, &r, raws[len(raws)-2], want{module: "kamailio", pid: "3643", level: model.LevelInfo})
	msg := raws[len(raws)-1]
	p.Parse([]byte(msg), &r)
	detail := strings.TrimPrefix(strings.TrimSuffix(string(dump), "\n"), "17(3643) INFO: <script>: New message:\n ")
	check(t, &r, msg, want{call: "JRsgN1qwek", level: model.LevelInfo, detail: detail})
	if r.Time != 0 || r.Node != nil {
		t.Errorf("the message has no Date header and no prefix, yet Time %d, Node %q", r.Time, r.Node)
	}
}

// TestXlogDumpMakesACall indexes the Kamailio xlog dump with the calls index: the INVITE
// makes a call that --call finds by its Call-ID, with From, To and User-Agent read from
// the message.
func TestXlogDumpMakesACall(t *testing.T) {
	data := read(t, "kamailio-xlog-dump.log")
	newParser := func() model.Parser { return &Parser{Year: 2024} }
	st := store.New()
	x := calls.New(st, newParser)
	src := st.AddOrigin(store.Origin{Name: "kamailio-xlog-dump.log", Text: bytes.NewReader(data)})
	if err := st.Load(context.Background(), src, bytes.NewReader(data), newParser, splitter.Options{}); err != nil {
		t.Fatal(err)
	}
	n, ok := x.Find(st, "JRsgN1qwek")
	if !ok {
		t.Fatalf("no call with the Call-ID of the dumped INVITE; calls: %+v", x.Calls())
	}
	c, _ := x.Call(n)
	if c.From != "<sip:edi-1@time-reversal.com>;tag=J8Qbs6r5C" || c.To != "sip:edi-2001@time-reversal.com" || c.Vendor != "LinphoneAndroid/3.2.7 (belle-sip/1.6.1)" {
		t.Errorf("From %q, To %q, Vendor %q", c.From, c.To, c.Vendor)
	}
}

// TestNGCPTestCallID reads a REGISTER from Sipwise's NGCP test suite, whose Call-ID its
// harness builds as "NGCP%<scenario>%///<SIPp's Call-ID>": the Call-ID is the whole
// value, as the header carries it, and its scenario the cfgt field.
func TestNGCPTestCallID(t *testing.T) {
	msg := read(t, "ngcp-sipp.msg")
	p := &Parser{Year: 2024}
	var r model.Record
	p.Parse(msg, &r)
	if id, _ := r.Field("Call-ID"); string(id) != "NGCP%auth_fail%///1-29092@10.20.29.2" {
		t.Errorf("Call-ID = %q", id)
	}
	if test, _ := r.Field("cfgt"); string(test) != "auth_fail" {
		t.Errorf("cfgt = %q", test)
	}
	if d, _ := r.Field("Detail"); !bytes.Equal(d, msg) {
		t.Errorf("Detail = %q, want the whole message", d)
	}
	var fields []string
	for k := range r.Fields() {
		fields = append(fields, string(k))
	}
	if strings.Join(fields, " ") != "Call-ID cfgt Detail" {
		t.Errorf("Fields %q", fields)
	}
}

// TestShipped reads server lines behind the time a log shipper put before them (docker
// logs -t), with the shipper's level word or without: the time is the shipper's, the level
// the server's mark, the program told by the line's shape. (Composed: no published log of
// these together was found; see testdata/SOURCES.md.)
func TestShipped(t *testing.T) {
	const at = "2024-04-09 17:33:12.238986Z"
	for i, w := range []want{
		{time: at, module: "kamailio", pid: "41", level: model.LevelError},
		{time: at, module: "kamailio", level: model.LevelDebug},
		{time: at, module: "opensips", level: model.LevelError},
		{time: at, module: "rtpengine", call: "73901ba04126e46b0c920dbd5c5d3c0a@next-id.de", level: model.LevelInfo},
	} {
		line := sample(t, "shipped.log", i+1)
		p := &Parser{Year: 2024}
		var r model.Record
		if !p.StartsEntry([]byte(line)) {
			t.Errorf("%s: StartsEntry = false", line)
		}
		p.Parse([]byte(line), &r)
		check(t, &r, line, w)
		if r.SyslogTime != 0 || r.Node != nil {
			t.Errorf("%s: SyslogTime %d, Node %q", line, r.SyslogTime, r.Node)
		}
	}
}

// TestParserYear reads RFC 3164 times from a file last written on January 13th: December's
// and July's lines are of the year before, those of January 12th of that year, those of
// January 15th (later than the file) of the year before — by syslog's time and by
// OpenSIPS's own on its stderr lines. A year given (--year) is every line's.
func TestParserYear(t *testing.T) {
	modified := time.Date(2024, 1, 13, 9, 0, 0, 0, time.UTC).UnixMicro()
	for _, tt := range []struct {
		file      string
		line      int
		want      string
		wantFixed string // with Year 2021
	}{
		{"kamailio-syslog.log", 9, "2023-12-15 12:18:45Z", "2021-12-15 12:18:45Z"},
		{"kamailio-syslog.log", 1, "2024-01-12 12:52:20Z", "2021-01-12 12:52:20Z"},
		{"opensips.log", 1, "2023-07-06 10:47:23Z", "2021-07-06 10:47:23Z"},
		{"opensips.log", 6, "2023-01-15 15:13:57Z", "2021-01-15 15:13:57Z"},
	} {
		line := []byte(sample(t, tt.file, tt.line))
		var r model.Record
		(&Parser{Modified: modified}).Parse(line, &r)
		if want := parsertest.Micros(tt.want); r.Time != want {
			t.Errorf("%s: Time %s, want %s", line, model.TimeOf(r.Time), tt.want)
		}
		(&Parser{Year: 2021, Modified: modified}).Parse(line, &r)
		if want := parsertest.Micros(tt.wantFixed); r.Time != want {
			t.Errorf("%s with --year 2021: Time %s, want %s", line, model.TimeOf(r.Time), tt.wantFixed)
		}
	}
}

// TestIDsDoNotAllocate: the calls index asks every entry for its ids and its Detail as it
// indexes; on the samples that costs no allocation (but decoding a message rsyslog
// escaped, which makes a copy).
func TestIDsDoNotAllocate(t *testing.T) {
	for _, file := range []string{"kamailio-syslog.log", "kamailio-stderr.log", "opensips.log", "rtpengine.log", "shipped.log"} {
		p := &Parser{Year: 2024}
		var r model.Record
		for raw := range bytes.Lines(read(t, file)) {
			p.Parse(bytes.TrimSuffix(raw, []byte("\n")), &r)
			if n := testing.AllocsPerRun(10, func() {
				r.IDs(func(model.IDKind, []byte) {})
				r.Field("Detail")
			}); n != 0 {
				t.Errorf("%v allocations: %s", n, raw)
			}
		}
	}
}
