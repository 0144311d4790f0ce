package sipsyslog

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
)

// want is what a test expects of a parsed record. Node, module, pid, Call-ID and the SIP
// message (detail) are always checked ("" for none); the times and details only when given.
type want struct {
	time, syslogTime        string
	node, module, pid, call string
	details, detail         string
	level                   model.Level
	plain                   bool
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		line string
		want want
	}{{
		name: "Kamailio ERROR after a process tag, RFC 3164, program with a directory",
		line: `Dec 17 18:17:52 sbc1 /usr/sbin/kamailio[8813]:  7(8813) ERROR: tm [t_lookup.c:1356]: t_lookup_request(): no transaction`,
		want: want{time: "2024-12-17 18:17:52Z", syslogTime: "2024-12-17 18:17:52Z", node: "sbc1", module: "kamailio", pid: "8813",
			details: ` 7(8813) ERROR: tm [t_lookup.c:1356]: t_lookup_request(): no transaction`, level: model.LevelError},
	}, {
		name: "Kamailio WARNING, rsyslog ISO prefix",
		line: `2024-12-17T18:17:53.104213+01:00 sbc1 kamailio[8815]:  9(8815) WARNING: <core> [core/tcp_main.c:1297]: bind failed`,
		want: want{time: "2024-12-17 17:17:53.104213Z", syslogTime: "2024-12-17 17:17:53.104213Z", node: "sbc1", module: "kamailio", pid: "8815", level: model.LevelWarning},
	}, {
		name: "Kamailio NOTICE and callid=",
		line: `Dec 17 18:17:53 sbc1 kamailio[8814]:  8(8814) NOTICE: <script>: REGISTER callid=5f1e2a7c@10.0.0.5 src=10.0.0.5`,
		want: want{node: "sbc1", module: "kamailio", pid: "8814", call: "5f1e2a7c@10.0.0.5", level: model.LevelNotice},
	}, {
		name: "Kamailio BUG is critical",
		line: `Dec 17 18:17:53 sbc1 kamailio[1]: BUG: <core> [core/mem/q_malloc.c:471]: qm_free(): freeing already freed pointer`,
		want: want{node: "sbc1", module: "kamailio", pid: "1", level: model.LevelCritical},
	}, {
		name: "ci=<x>, angle brackets stripped",
		line: `Dec 17 18:17:54 sbc1 kamailio[8816]: 10(8816) INFO: <script>: INVITE ci=<a84b4c76e66710@pc33.example.org> fu=sip:100@example.org`,
		want: want{node: "sbc1", module: "kamailio", pid: "8816", call: "a84b4c76e66710@pc33.example.org", level: model.LevelInfo},
	}, {
		name: "call-id= ends at a semicolon, DEBUG",
		line: `Dec 17 18:17:54 sbc1 kamailio[8816]: DEBUG: sl [sl_funcs.c:415]: call-id=x9@h;tag=1`,
		want: want{node: "sbc1", module: "kamailio", pid: "8816", call: "x9@h", level: model.LevelDebug},
	}, {
		name: "Kamailio <null> is no Call-ID",
		line: `Dec 17 18:17:54 sbc1 kamailio[8816]: INFO: <script>: ci=<null> ru=<null>`,
		want: want{node: "sbc1", module: "kamailio", pid: "8816", level: model.LevelInfo},
	}, {
		name: "OpenSIPS ERROR:core:, no space after the level",
		line: `2024-12-17T18:17:55.104390+00:00 proxy2 opensips[3001]: ERROR:core:receive_msg: Unable to parse msg`,
		want: want{node: "proxy2", module: "opensips", pid: "3001", level: model.LevelError},
	}, {
		name: "OpenSIPS DBG",
		line: `2024-12-17T18:17:55.104390+00:00 proxy2 opensips[3005]: DBG:usrloc:db_timer_udomain: removed 3 expired contacts`,
		want: want{node: "proxy2", module: "opensips", pid: "3005", level: model.LevelDebug},
	}, {
		name: "SIP header Call-ID: in a line, ends at a comma",
		line: `2024-12-17T18:17:56.551002+00:00 proxy2 opensips[3004]: WARNING:tm:t_should_relay_response: loop, Call-ID: 3c26700e@proxy2, cseq 2`,
		want: want{node: "proxy2", module: "opensips", pid: "3004", call: "3c26700e@proxy2", level: model.LevelWarning},
	}, {
		name: "Asterisk NOTICE via syslog",
		line: `Dec 17 18:17:58 pbx1 asterisk[1234]: NOTICE[1301]: chan_sip.c:28231 in handle_request_register: Registration from '<sip:100@10.0.0.5>' failed for '203.0.113.9:5060' - Wrong password`,
		want: want{node: "pbx1", module: "asterisk", pid: "1234", level: model.LevelNotice},
	}, {
		name: "Asterisk C-000 is not a Call-ID",
		line: `Dec 17 18:17:58 pbx1 asterisk[1234]: WARNING[1302][C-00000003] chan_pjsip.c: Failed to create outgoing session [C-00000003]`,
		want: want{node: "pbx1", module: "asterisk", pid: "1234", level: model.LevelWarning},
	}, {
		name: "Asterisk VERBOSE is info",
		line: `Dec 17 18:17:59 pbx1 asterisk[1234]: VERBOSE[1302][C-00000003]: app_dial.c:1112 in wait_for_answer: PJSIP/trunk-out-00000007 is ringing`,
		want: want{node: "pbx1", module: "asterisk", pid: "1234", level: model.LevelInfo},
	}, {
		name: "Asterisk's own time stamp is the originating time",
		line: `Dec 17 18:18:00 pbx1 asterisk: [2024-12-17 18:17:59] ERROR[1310] res_pjsip_outbound_registration.c: Fatal response '403'`,
		want: want{time: "2024-12-17 18:17:59Z", syslogTime: "2024-12-17 18:18:00Z", node: "pbx1", module: "asterisk", level: model.LevelError},
	}, {
		name: "Asterisk's default [Mmm dd HH:MM:SS] time stamp",
		line: `2024-12-17T18:18:00Z pbx1 asterisk: [Dec 17 18:17:59] WARNING[1310] chan_sip.c: x`,
		want: want{time: "2024-12-17 18:17:59Z", syslogTime: "2024-12-17 18:18:00Z", node: "pbx1", module: "asterisk", level: model.LevelWarning},
	}, {
		name: "FreeSWITCH [WARNING]",
		line: `Dec 17 18:18:01 fs1 freeswitch[2345]: [WARNING] sofia_reg.c:3210 Can't find user [1000@10.0.0.10] from 203.0.113.9`,
		want: want{node: "fs1", module: "freeswitch", pid: "2345", level: model.LevelWarning},
	}, {
		name: "FreeSWITCH [ERR] after a UUID",
		line: `Dec 17 18:18:02 fs1 freeswitch[2345]: 6b1e0f36-5a2e-4b1b-9a4c-2a3f10de1f6a [ERR] mod_sofia.c:2251 CODEC NEGOTIATION ERROR`,
		want: want{node: "fs1", module: "freeswitch", pid: "2345", level: model.LevelError},
	}, {
		name: "FreeSWITCH [NOTICE] after its own time stamp",
		line: `Dec 17 18:18:02 fs1 freeswitch[2345]: 2024-12-17 18:18:01.500000 95.00% [NOTICE] switch_channel.c:1133 New Channel`,
		want: want{time: "2024-12-17 18:18:01.5Z", node: "fs1", module: "freeswitch", pid: "2345", level: model.LevelNotice},
	}, {
		name: "Flexisip, no pid, level guessed from the words",
		line: `Dec 17 18:18:04 sip3 flexisip: warning: MediaRelay: no RTP received`,
		want: want{node: "sip3", module: "flexisip", level: model.LevelWarning},
	}, {
		name: "envelope severity when the text gives none (RFC 5424, PROCID as pid)",
		line: `<132>1 2024-12-17T18:18:06.000Z sip3 flexisip 4410 - - Presence: subscription expired`,
		want: want{time: "2024-12-17 18:18:06Z", node: "sip3", module: "flexisip", pid: "4410", details: "Presence: subscription expired", level: model.LevelWarning},
	}, {
		name: "the text's mark wins over the envelope severity",
		line: `<131>1 2024-12-17T18:18:05Z sbc1 kamailio 8813 - - DEBUG: <core> x`,
		want: want{node: "sbc1", module: "kamailio", pid: "8813", level: model.LevelDebug},
	}, {
		name: "RFC 3164 PRI severity",
		line: `<29>Dec 17 18:18:07 sbc2 rtpengine[991]: Offer for call timed out`,
		want: want{node: "sbc2", module: "rtpengine", pid: "991", level: model.LevelNotice},
	}, {
		name: "no severity and no mark: guessed, and a lower-case word is no mark",
		line: `Dec 17 18:18:07 sbc2 rtpengine[991]: error: port allocation failed`,
		want: want{node: "sbc2", module: "rtpengine", pid: "991", level: model.LevelError},
	}, {
		name: "header form on a continuation line, compact i:",
		line: "Dec 17 18:18:08 sbc1 kamailio[8813]: INFO: received\nINVITE sip:bob@example.org SIP/2.0\n i: 77aa@host\nCSeq: 1 INVITE",
		want: want{node: "sbc1", module: "kamailio", pid: "8813", call: "77aa@host", level: model.LevelInfo,
			detail: "INVITE sip:bob@example.org SIP/2.0\n i: 77aa@host\nCSeq: 1 INVITE"},
	}, {
		name: "i: within a line is not a header",
		line: `Dec 17 18:18:08 sbc1 kamailio[8813]: INFO: phase i: 12 and taxi: 3`,
		want: want{node: "sbc1", module: "kamailio", pid: "8813", level: model.LevelInfo},
	}, {
		name: "a tag with a pid and no envelope",
		line: `kamailio[8813]: ERROR: tm: x`,
		want: want{module: "kamailio", pid: "8813", details: "ERROR: tm: x", level: model.LevelError},
	}, {
		name: "plain line",
		line: `--- sbc1 restarted by operator, WARNING ---`,
		want: want{plain: true, details: `--- sbc1 restarted by operator, WARNING ---`, level: model.LevelWarning},
	}, {
		name: "a word and a colon without an envelope is plain",
		line: `Note: see callid=abc`,
		want: want{plain: true, level: model.LevelInfo},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Parser{Year: 2024}
			var r model.Record
			p.Parse([]byte(tt.line), &r)
			check(t, &r, tt.line, tt.want)
		})
	}
}

func check(t *testing.T, r *model.Record, line string, w want) {
	t.Helper()
	if string(r.Raw) != line {
		t.Errorf("Raw = %q", r.Raw)
	}
	if r.Plain != w.plain {
		t.Fatalf("Plain = %v, want %v", r.Plain, w.plain)
	}
	if r.Level != w.level {
		t.Errorf("Level = %v, want %v", r.Level, w.level)
	}
	if w.details != "" && string(r.Details) != w.details {
		t.Errorf("Details = %q, want %q", r.Details, w.details)
	}
	if w.plain {
		if r.Shape != nil || r.Format() != "plain" {
			t.Errorf("plain record has a shape: %v", r.Shape)
		}
		return
	}
	if w.time != "" && r.Time != parsertest.Micros(w.time) {
		t.Errorf("Time = %v, want %s", model.TimeOf(r.Time), w.time)
	}
	if w.syslogTime != "" && r.SyslogTime != parsertest.Micros(w.syslogTime) {
		t.Errorf("SyslogTime = %v, want %s", model.TimeOf(r.SyslogTime), w.syslogTime)
	}
	if string(r.Node) != w.node || string(r.Module) != w.module {
		t.Errorf("Node, Module = %q, %q; want %q, %q", r.Node, r.Module, w.node, w.module)
	}
	if r.Format() != "syslog" || string(r.Message()) != string(r.Details) {
		t.Errorf("Format, Message = %q, %q", r.Format(), r.Message())
	}
	if pid, _ := r.Field("PID"); string(pid) != w.pid {
		t.Errorf("pid = %q, want %q", pid, w.pid)
	}
	if prog, _ := r.Field("Program"); string(prog) != w.module {
		t.Errorf("program = %q, want %q", prog, w.module)
	}
	if id, _ := r.Field("call-id"); string(id) != w.call {
		t.Errorf("Call-ID field = %q, want %q", id, w.call)
	}
	var ids []string
	r.IDs(func(k model.IDKind, id []byte) {
		if k != model.CallID {
			t.Errorf("id kind %v", k)
		}
		ids = append(ids, string(id))
	})
	var fields []string
	for name, value := range r.Fields() {
		fields = append(fields, string(name)+"="+string(value))
	}
	var wantIDs, wantFields []string
	if w.pid != "" {
		wantFields = append(wantFields, "pid="+w.pid)
	}
	if w.call != "" {
		wantIDs, wantFields = []string{w.call}, append(wantFields, "Call-ID="+w.call)
	}
	if w.detail != "" {
		wantFields = append(wantFields, "Detail="+w.detail)
	}
	if d, _ := r.Field("detail"); string(d) != w.detail {
		t.Errorf("Detail = %q, want %q", d, w.detail)
	}
	if strings.Join(ids, " ") != strings.Join(wantIDs, " ") || strings.Join(fields, " ") != strings.Join(wantFields, " ") {
		t.Errorf("IDs %q, Fields %q; want %q, %q", ids, fields, wantIDs, wantFields)
	}
}

// TestSample parses every line of the sample file: each is a syslog entry but the one line
// written to have no known shape.
func TestSample(t *testing.T) {
	f, err := os.Open("../../testdata/sipsyslog/sip-servers.log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const plain = "--- sbc1 restarted by operator ---"
	p := &Parser{Year: 2024}
	lines := 0
	for sc := bufio.NewScanner(f); sc.Scan(); lines++ {
		line := sc.Bytes()
		var r model.Record
		p.Parse(line, &r)
		isPlain := string(line) == plain
		if r.Plain != isPlain || p.StartsEntry(line) == isPlain {
			t.Errorf("Plain %v, StartsEntry %v: %s", r.Plain, p.StartsEntry(line), line)
		}
		if !isPlain && (len(r.Module) == 0 || len(r.Node) == 0 || r.Time == 0) {
			t.Errorf("no program, node or time: %s", line)
		}
	}
	if lines < 25 {
		t.Errorf("%d lines", lines)
	}
}

func TestStartsEntry(t *testing.T) {
	p := &Parser{Year: 2024}
	for line, want := range map[string]bool{
		`Dec 17 18:17:52 sbc1 kamailio[8813]: x`:                    true,
		`2024-12-17T18:17:52.1+00:00 sbc1 kamailio[8813]: x`:        true,
		`<131>1 2024-12-17T18:18:05Z sbc1 kamailio 8813 - - x`:      true,
		`Call-ID: a84b4c76e66710`:                                   false,
		`  at line 2`:                                               false,
		`kamailio[8813]: a tag with its pid starts an entry`:        true,
		`kamailio: a tag without a pid does not`:                    false,
		``:                                                          false,
		`Feb 29 18:17:52 sbc1 x: in a leap year the date is valid`:  true,
		`Feb 30 18:17:52 sbc1 x: an impossible date is no envelope`: false,
	} {
		if got := p.StartsEntry([]byte(line)); got != want {
			t.Errorf("StartsEntry(%q) = %v", line, got)
		}
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	lines := [][]byte{
		[]byte(`Dec 17 18:17:52 sbc1 /usr/sbin/kamailio[8813]:  7(8813) ERROR: tm [t_lookup.c:1356]: x callid=abc`),
		[]byte(`<131>1 2024-12-17T18:18:05.123456+01:00 sbc1 kamailio 8813 - - Presence: x`),
		[]byte(`Dec 17 18:17:59 pbx1 asterisk: [2024-12-17 18:17:59] ERROR[1310] res_pjsip.c: x`),
		[]byte(`--- plain ---`),
	}
	p := &Parser{Year: 2024}
	var r model.Record
	if n := testing.AllocsPerRun(100, func() {
		for _, line := range lines {
			p.Parse(line, &r)
		}
	}); n != 0 {
		t.Errorf("%v allocations per run", n)
	}
}
