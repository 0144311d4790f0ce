package pexip

import (
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
)

// want is what a test expects of a parsed record; empty strings are not checked.
type want struct {
	time, syslogTime string
	node, module     string
	level            model.Level
	plain            bool
	details          string
	fields           map[string]string
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		line string
		want want
	}{{
		name: "full line with syslog prefix, milliseconds",
		line: `2026-05-14T23:38:44.061+00:00 conf01 2026-05-14 23:38:44,061 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Protocol="SIP"`,
		want: want{time: "2026-05-14 23:38:44.061Z", syslogTime: "2026-05-14 23:38:44.061Z", node: "conf01", module: "administrator.conference",
			level: model.LevelInfo, fields: map[string]string{"message": "Participant attempting to join conference.", "PROTOCOL": "SIP"}},
	}, {
		name: "rsyslog microsecond syslog time and an IP system",
		line: `2019-05-11T08:29:33.751132+00:00 10.0.1.11 2019-05-11 08:29:33,751 Level="WARNING" Name="support.sip" Message="x"`,
		want: want{time: "2019-05-11 08:29:33.751Z", syslogTime: "2019-05-11 08:29:33.751132Z", node: "10.0.1.11", module: "support.sip", level: model.LevelWarning},
	}, {
		name: "syslog time in another zone is converted to UTC",
		line: `2026-05-14T23:38:44.061+02:00 conf01 2026-05-14 21:38:44,061 Level="INFO" Name="support.sip" Message="x"`,
		want: want{time: "2026-05-14 21:38:44.061Z", syslogTime: "2026-05-14 21:38:44.061Z", node: "conf01"},
	}, {
		name: "export starting at the system",
		line: `conf02 2026-05-14 23:38:45,100 Level="ERROR" Name="administrator.configuration" Message="User login failed"`,
		want: want{time: "2026-05-14 23:38:45.1Z", node: "conf02", module: "administrator.configuration", level: model.LevelError},
	}, {
		name: "no syslog prefix and no system",
		line: `2026-05-14 23:38:45,200 Level="INFO" Name="support.dns" Message="DNS lookup"`,
		want: want{time: "2026-05-14 23:38:45.2Z", module: "support.dns", level: model.LevelInfo},
	}, {
		name: "microsecond originating time",
		line: `2026-05-14 23:38:45,200123 Level="INFO" Name="support.dns" Message="DNS lookup"`,
		want: want{time: "2026-05-14 23:38:45.200123Z"},
	}, {
		name: "bare level word and bare module (older releases)",
		line: `2026-05-14T23:38:45.300+00:00 conf01 2026-05-14 23:38:45,300 WARNING support.participant Message="Lost incoming video" Call-Id="890b"`,
		want: want{module: "support.participant", level: model.LevelWarning, fields: map[string]string{"call-id": "890b"}},
	}, {
		name: "level spellings: WARN, ERR, CRITICAL, lower case",
		line: `2026-05-14 23:38:45,300 Level="warn" Name="support.x" Message="y"`,
		want: want{level: model.LevelWarning},
	}, {
		name: "CRITICAL level",
		line: `2026-05-14 23:38:45,300 Level="CRITICAL" Name="support.x" Message="y"`,
		want: want{level: model.LevelCritical},
	}, {
		name: "unknown level word is INFO but the line stays structured",
		line: `2026-05-14 23:38:45,300 Level="VERBOSE" Name="support.x" Message="y"`,
		want: want{level: model.LevelInfo, module: "support.x"},
	}, {
		name: "case-insensitive keys and empty values",
		line: `2026-05-14 23:38:45,300 Level="INFO" Name="administrator.conference" Message="Participant has joined." Service-tag="" Call-id="fe71" Participant-ID="44be"`,
		want: want{fields: map[string]string{"service-tag": "", "CALL-ID": "fe71", "participant-id": "44be"}},
	}, {
		name: "broken quoting: Call-id=890b38520c27737c@\"",
		line: `2026-05-14 23:38:45,400 Level="INFO" Name="support.participant" Message="Stopped sending presentation to participant" Last-presenter="" Participant="" Call-id=890b38520c27737c@"`,
		want: want{fields: map[string]string{"call-id": "890b38520c27737c@", "last-presenter": "", "participant": ""}},
	}, {
		name: "escaped quotes inside a value",
		line: `2026-05-14 23:38:45,500 Level="INFO" Name="support.rest" Message="Sending REST API response" Detail="{\"status\": \"success\"}" Status="200"`,
		want: want{fields: map[string]string{"detail": `{\"status\": \"success\"}`, "status": "200"}},
	}, {
		name: "unterminated quote at the end of the line",
		line: `2026-05-14 23:38:45,500 Level="INFO" Name="support.sip" Message="Received" Detail="INVITE sip:x SIP/2.0^MVia: y`,
		want: want{fields: map[string]string{"detail": "INVITE sip:x SIP/2.0^MVia: y", "message": "Received"}},
	}, {
		name: "^M line breaks stay in the value",
		line: `2026-05-14 23:38:45,800 Level="INFO" Name="support.media" Message="Media Stream destroyed" Detail="Stream 1 (video)^M  RX: rate 1085kbps"`,
		want: want{fields: map[string]string{"detail": "Stream 1 (video)^M  RX: rate 1085kbps"}},
	}, {
		name: "value on physical continuation lines",
		line: "2026-05-14 23:38:45,700 Level=\"INFO\" Name=\"support.participant\" Message=\"Media Stream destroyed\" Detail=\"Stream 0 (audio)\n  RX: rate 54kbps loss 0.77% jitter 6ms\n    codec MP4A-LATM rate 64kbps\" Call-id=\"890b\"",
		want: want{fields: map[string]string{"detail": "Stream 0 (audio)\n  RX: rate 54kbps loss 0.77% jitter 6ms\n    codec MP4A-LATM rate 64kbps", "call-id": "890b"}},
	}, {
		name: "RFC 3164 envelope, no tag",
		line: `<134>Nov 20 08:00:01 conf01 2026-11-20 08:00:01,123 Level="INFO" Name="administrator.conference" Message="Conference has been created."`,
		want: want{time: "2026-11-20 08:00:01.123Z", syslogTime: "2026-11-20 08:00:01Z", node: "conf01", module: "administrator.conference"},
	}, {
		name: "RFC 3164 envelope with a tag and a space-padded day",
		line: `<134>Nov  2 08:00:01 conf01 pexip[123]: 2026-11-02 08:00:01,123 Level="INFO" Name="support.sip" Message="x"`,
		want: want{time: "2026-11-02 08:00:01.123Z", syslogTime: "2026-11-02 08:00:01Z", node: "conf01", module: "support.sip"},
	}, {
		name: "RFC 5424 envelope",
		line: `<132>1 2026-11-20T08:00:02.123Z conf02 pexip - - - 2026-11-20 08:00:02,120 Level="WARNING" Name="administrator.conference" Message="x"`,
		want: want{time: "2026-11-20 08:00:02.12Z", syslogTime: "2026-11-20 08:00:02.123Z", node: "conf02", level: model.LevelWarning},
	}, {
		name: "RFC 5424 envelope with structured data and a BOM",
		line: "<134>1 2026-11-20T08:00:01.123456+01:00 conf01 app 42 ID7 [exampleSDID@32473 iut=\"3\" x=\"a\\]b\"] \xef\xbb\xbf2026-11-20 07:00:01,123 Level=\"INFO\" Name=\"support.sip\" Message=\"x\"",
		want: want{time: "2026-11-20 07:00:01.123Z", syslogTime: "2026-11-20 07:00:01.123456Z", node: "conf01", module: "support.sip"},
	}, {
		name: "envelope whose payload has no level: severity gives the level",
		line: `<131>1 2026-11-20T08:00:02.123Z conf02 pexip - - - something failed badly`,
		want: want{plain: true, level: model.LevelError, node: "conf02", time: "2026-11-20 08:00:02.123Z", details: "something failed badly"},
	}, {
		name: "syslog-prefixed line of another program is plain, with time and node",
		line: `2026-05-14T23:38:46.000+00:00 conf01 kernel: [12345.678] TCP: out of memory -- consider tuning tcp_mem`,
		want: want{plain: true, node: "conf01", time: "2026-05-14 23:38:46Z", level: model.LevelInfo, details: "[12345.678] TCP: out of memory -- consider tuning tcp_mem"},
	}, {
		name: "line of no known shape: level guessed from its words",
		line: `FATAL: cannot bind 0.0.0.0:5061`,
		want: want{plain: true, level: model.LevelCritical, details: "FATAL: cannot bind 0.0.0.0:5061"},
	}, {
		name: "plain line: a whole level word counts, \"errors\" does not",
		line: `an error occurred? no: errors are counted`,
		want: want{plain: true, level: model.LevelError},
	}, {
		name: "a plain line starting with a level word is not a bare-level line",
		line: `Info about the call: it failed with ERROR`,
		want: want{plain: true, level: model.LevelError, details: "Info about the call: it failed with ERROR"},
	}, {
		name: "a word that is a level is not a system name",
		line: `ERROR 2026-05-14 12:00:00 disk full`,
		want: want{plain: true, level: model.LevelError, details: "ERROR 2026-05-14 12:00:00 disk full"},
	}, {
		name: "a bare level word needs a module after it",
		line: `2026-05-14T23:38:46.000+00:00 conf01 2026-05-14 23:38:46,000 ERROR disk full`,
		want: want{plain: true, level: model.LevelError, node: "conf01", details: "ERROR disk full"},
	}, {
		name: "bare level with a quoted name",
		line: `2026-05-14 23:38:46,000 WARNING Name="support.ice" Message="ICE failed"`,
		want: want{level: model.LevelWarning, module: "support.ice", fields: map[string]string{"message": "ICE failed"}},
	}, {
		name: "the payload's system names the node, not the relaying syslog host",
		line: `<134>Nov 20 08:00:01 relay01 conf01 2026-11-20 08:00:01,123 Level="INFO" Name="support.sip" Message="x"`,
		want: want{node: "conf01", module: "support.sip", time: "2026-11-20 08:00:01.123Z"},
	}, {
		name: "empty line",
		line: ``,
		want: want{plain: true, level: model.LevelInfo},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Parser{Year: 2026}
			var r model.Record
			p.Parse([]byte(tt.line), &r)
			w := tt.want
			if string(r.Raw) != tt.line {
				t.Errorf("Raw = %q, want the line unchanged", r.Raw)
			}
			if r.Plain != w.plain {
				t.Errorf("Plain = %v, want %v", r.Plain, w.plain)
			}
			if w.time != "" && r.Time != parsertest.Micros(w.time) {
				t.Errorf("Time = %v, want %s", model.TimeOf(r.Time), w.time)
			}
			if w.syslogTime != "" && r.SyslogTime != parsertest.Micros(w.syslogTime) {
				t.Errorf("SyslogTime = %v, want %s", model.TimeOf(r.SyslogTime), w.syslogTime)
			}
			if w.node != "" && string(r.Node) != w.node {
				t.Errorf("Node = %q, want %q", r.Node, w.node)
			}
			if w.module != "" && string(r.Module) != w.module {
				t.Errorf("Module = %q, want %q", r.Module, w.module)
			}
			if r.Level != w.level {
				t.Errorf("Level = %v, want %v", r.Level, w.level)
			}
			if w.details != "" && string(r.Details) != w.details {
				t.Errorf("Details = %q, want %q", r.Details, w.details)
			}
			for k, v := range w.fields {
				got, ok := r.Field(k)
				if !ok || string(got) != v {
					t.Errorf("Field(%q) = %q, %v; want %q", k, got, ok, v)
				}
			}
		})
	}
}

func TestStartsEntry(t *testing.T) {
	p := &Parser{}
	starts := []string{
		`2026-05-14T23:38:44.061+00:00 conf01 2026-05-14 23:38:44,061 Level="INFO"`,
		`2026-05-14 23:38:44,061 Level="INFO"`,
		`conf02 2026-05-14 23:38:45,100 Level="WARNING"`,
		`<134>Nov 20 08:00:01 conf01 x`,
		`<134>1 2026-11-20T08:00:01.123Z conf01 app - - - x`,
		`Nov 20 08:00:01 conf01 sshd[99]: Accepted publickey`,
	}
	for _, l := range starts {
		if !p.StartsEntry([]byte(l)) {
			t.Errorf("StartsEntry(%q) = false, want true", l)
		}
	}
	continuations := []string{
		``, `  RX: rate 54kbps loss 0.77% jitter 6ms`, `    codec MP4A-LATM rate 64kbps"`,
		`Traceback (most recent call last):`, `ValueError: bad state"`, `Via: SIP/2.0/TLS 10.44.5.9:5061`,
		`<not a priority>`, `2026-13-45 99:99:99 not a time`,
	}
	for _, l := range continuations {
		if p.StartsEntry([]byte(l)) {
			t.Errorf("StartsEntry(%q) = true, want false", l)
		}
	}
}

func TestIDs(t *testing.T) {
	line := `2026-05-14 23:38:45,600 Level="INFO" Name="support.sip" Message="Received SIP request" Call-id="abc@10.44.5.9" ` +
		`Conversation-ID="conv-1" participant-id="part-1" Conference-ID="conf-1" Uuid="uuid-1" Service-Tag="" ` +
		`Detail="INVITE sip:meet@example.com SIP/2.0^MVia: SIP/2.0/TLS 10.44.5.9^MCall-ID: abc@10.44.5.9^MCSeq: 1 INVITE^M^Mv=0^Mi=Call-ID: not-a-header"`
	var r model.Record
	(&Parser{}).Parse([]byte(line), &r)
	got := map[model.IDKind][]string{}
	r.IDs(func(k model.IDKind, id []byte) { got[k] = append(got[k], string(id)) })
	wantIDs := map[model.IDKind][]string{
		model.CallID:         {"abc@10.44.5.9", "abc@10.44.5.9"},
		model.ConversationID: {"conv-1"},
		model.ParticipantID:  {"part-1"},
		model.ConferenceID:   {"conf-1"},
		model.UUID:           {"uuid-1"},
	}
	for k, w := range wantIDs {
		if len(got[k]) != len(w) || got[k][0] != w[0] || got[k][len(w)-1] != w[len(w)-1] {
			t.Errorf("%v ids = %q, want %q", k, got[k], w)
		}
	}
}

func TestIDsFromCompactSIPHeader(t *testing.T) {
	line := `2026-05-14 23:38:45,650 Level="INFO" Name="support.sip" Message="Sending SIP response" Detail="SIP/2.0 200 OK^Mv: SIP/2.0/TLS 10.44.7.2^Mi: 5e7a11c2b0f94a33@10.44.7.2^MCSeq: 2 BYE^Ml: 0^M"`
	var r model.Record
	(&Parser{}).Parse([]byte(line), &r)
	var ids []string
	r.IDs(func(k model.IDKind, id []byte) { ids = append(ids, k.String()+"="+string(id)) })
	if len(ids) != 1 || ids[0] != "Call-Id=5e7a11c2b0f94a33@10.44.7.2" {
		t.Errorf("IDs = %q, want the compact i: header as the Call-Id", ids)
	}
}
