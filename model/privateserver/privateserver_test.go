package privateserver

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
)

// want is what a test expects of a parsed record; fields maps a name, in the letter case
// the test looks it up with, to its value.
type want struct {
	time    string // UTC, empty for none
	level   model.Level
	module  string
	message string
	fields  map[string]string
	listed  string // what Fields yields, as name=value joined by "|"
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		line string
		want want
	}{{
		name: "session REGISTER",
		line: "2012-05-10 17:12:24.882\tREGISTER\tCLIENT\t909\tSara\t200 OK\tsnom320/8.4.18\t93.57.41.37:28224\t\ttrue",
		want: want{time: "2012-05-10 17:12:24.882Z", level: model.LevelInfo, module: "privateserver.sessions", message: "REGISTER",
			fields: map[string]string{"Timestamp": "2012-05-10 17:12:24.882", "peername": "909", "ACCOUNT": "Sara", "Remoteaddr": "93.57.41.37:28224",
				"useragent": "snom320/8.4.18", "Tlscipher": "", "tiscipher": "", "Reconciled": "true"},
			listed: "Source=CLIENT|Peername=909|Account=Sara|Details=200 OK|Useragent=snom320/8.4.18|Remoteaddr=93.57.41.37:28224|Reconciled=true"},
	}, {
		name: "session DISCONNECT with NETWORK_ERROR is a warning",
		line: "2012-05-10 17:09:24.626\tDISCONNECT\tCLIENT\t1932\t\tNETWORK_ERROR\t\t93.57.41.37:33998\t\ttrue",
		want: want{time: "2012-05-10 17:09:24.626Z", level: model.LevelWarning, module: "privateserver.sessions", message: "DISCONNECT",
			fields: map[string]string{"Details": "NETWORK_ERROR", "Account": ""},
			listed: "Source=CLIENT|Peername=1932|Details=NETWORK_ERROR|Remoteaddr=93.57.41.37:33998|Reconciled=true"},
	}, {
		name: "session DISCONNECT closed by the client is info",
		line: "2012-05-10 17:02:51.377\tDISCONNECT\tCLIENT\t\t\tCLIENT_CLOSED\t\t62.196.64.113:52034\tTLS_RSA_WITH_AES_128_CBC_SHA\tfalse",
		want: want{level: model.LevelInfo, message: "DISCONNECT", fields: map[string]string{"TISCIPHER": "TLS_RSA_WITH_AES_128_CBC_SHA", "tlscipher": "TLS_RSA_WITH_AES_128_CBC_SHA"}},
	}, {
		name: "session REGISTER refused with a SIP failure is a warning",
		line: "2012-05-10 17:13:05.410\tREGISTER\tCLIENT\t912\tGiulia\t403 Forbidden\tsnom300/8.4.22\t151.40.12.9:5060\t\ttrue",
		want: want{level: model.LevelWarning, message: "REGISTER"},
	}, {
		name: "account: thousands separators kept, no event time",
		line: "3,169\t592023684\t62.196.64.113\t52,034\tSelfregistration user (592023684)\t2012-05-10 17:49:20 CEST\tPGSM-10.3.5-iphone",
		want: want{level: model.LevelInfo, module: "privateserver.accounts", message: "592023684",
			fields: map[string]string{"Id": "3,169", "PORT": "52,034", "ipaddr": "62.196.64.113", "Registration Expires": "2012-05-10 17:49:20 CEST",
				"registration_expires": "2012-05-10 17:49:20 CEST", "useragent": "PGSM-10.3.5-iphone", "Username": "592023684"},
			listed: "Id=3,169|IpAddr=62.196.64.113|Port=52,034|Description=Selfregistration user (592023684)|Registration Expires=2012-05-10 17:49:20 CEST|UserAgent=PGSM-10.3.5-iphone"},
	}, {
		name: "account with an empty user agent",
		line: "919\t519178286\t94.175.55.145\t55,998\tSelfregistration user (519178286)\t2012-05-10 17:33:07 CEST\t",
		want: want{module: "privateserver.accounts", message: "519178286", fields: map[string]string{"UserAgent": ""},
			listed: "Id=919|IpAddr=94.175.55.145|Port=55,998|Description=Selfregistration user (519178286)|Registration Expires=2012-05-10 17:33:07 CEST"},
	}, {
		name: "account whose empty last column lost its tab",
		line: "919\t519178286\t94.175.55.145\t55,998\tSelfregistration user (519178286)\t2012-05-10 17:33:07 CEST",
		want: want{module: "privateserver.accounts", message: "519178286", fields: map[string]string{"UserAgent": "", "Port": "55,998"}},
	}, {
		name: "web authentication success",
		line: "2012-05-10 17:29:42.000\tSUCCESS_INTERACTIVE\tadmin\t93.57.41.37",
		want: want{time: "2012-05-10 17:29:42Z", level: model.LevelInfo, module: "privateserver.webauth", message: "SUCCESS_INTERACTIVE",
			fields: map[string]string{"IP Address": "93.57.41.37", "ip_address": "93.57.41.37", "principal": "admin", "Event Type": "SUCCESS_INTERACTIVE"},
			listed: "Principal=admin|IP Address=93.57.41.37"},
	}, {
		name: "web authentication failure is a warning",
		line: "2012-05-10 17:29:37.000\tFAIL_BAD_CREDENTIALS\tadmin\t93.57.41.37",
		want: want{level: model.LevelWarning, module: "privateserver.webauth", message: "FAIL_BAD_CREDENTIALS"},
	}, {
		name: "CDR answered, CEST converted to UTC",
		line: "2012-05-10 12:37:35 CEST\t1122334462\t600\t5\tANSWERED",
		want: want{time: "2012-05-10 10:37:35Z", level: model.LevelInfo, module: "privateserver.cdr", message: "ANSWERED",
			fields: map[string]string{"Call Date": "2012-05-10 12:37:35 CEST", "calldate": "2012-05-10 12:37:35 CEST", "SRC": "1122334462", "dst": "600", "Duration": "5"},
			listed: "Src=1122334462|Dst=600|Duration=5"},
	}, {
		name: "CDR in winter time, duration with a separator",
		line: "2012-03-21 09:14:03 CET\t1913\t600\t3,725\tANSWERED",
		want: want{time: "2012-03-21 08:14:03Z", fields: map[string]string{"Duration": "3,725"}},
	}, {
		name: "CDR in US Pacific time",
		line: "2012-05-10 05:37:35 PDT\t1913\t600\t0\tFAILED",
		want: want{time: "2012-05-10 12:37:35Z", level: model.LevelError, message: "FAILED"},
	}, {
		name: "CDR with an unknown zone is taken as UTC",
		line: "2012-05-10 12:37:35 XYZT\t1913\t600\t0\tBUSY",
		want: want{time: "2012-05-10 12:37:35Z", level: model.LevelWarning, message: "BUSY"},
	}, {
		name: "CDR no answer is a warning",
		line: "2012-04-23 11:56:58 CEST\t1913\t600\t0\tNO_ANSWER",
		want: want{time: "2012-04-23 09:56:58Z", level: model.LevelWarning, message: "NO_ANSWER"},
	}, {
		name: "sessions header, with the vendor's Tiscipher",
		line: "Timestamp\tEvent\tSource\tPeername\tAccount\tDetails\tUseragent\tRemoteaddr\tTiscipher\tReconciled",
		want: want{level: model.LevelInfo, module: "privateserver.sessions", message: "Timestamp\tEvent\tSource\tPeername\tAccount\tDetails\tUseragent\tRemoteaddr\tTiscipher\tReconciled"},
	}, {
		name: "sessions header, spelt right",
		line: "Timestamp\tEvent\tSource\tPeername\tAccount\tDetails\tUseragent\tRemoteaddr\tTlscipher\tReconciled",
		want: want{module: "privateserver.sessions"},
	}, {
		name: "accounts header",
		line: "Id\tUsername\tIpAddr\tPort\tDescription\tRegistration Expires\tUserAgent",
		want: want{module: "privateserver.accounts", message: "Id\tUsername\tIpAddr\tPort\tDescription\tRegistration Expires\tUserAgent"},
	}, {
		name: "web authentication header with a sort arrow",
		line: "Date Created ▼\tEvent Type\tPrincipal\tIP Address",
		want: want{module: "privateserver.webauth", message: "Date Created ▼\tEvent Type\tPrincipal\tIP Address"},
	}, {
		name: "CDR header with a sort arrow",
		line: "Call Date ▼\tSrc\tDst\tDuration\tDisposition",
		want: want{module: "privateserver.cdr", message: "Call Date ▼\tSrc\tDst\tDuration\tDisposition"},
	}, {
		name: "CRLF line ending",
		line: "2012-05-10 17:29:37.000\tFAIL_BAD_CREDENTIALS\tadmin\t93.57.41.37\r",
		want: want{level: model.LevelWarning, fields: map[string]string{"IP Address": "93.57.41.37"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r model.Record
			var p Parser
			if !p.StartsEntry([]byte(tt.line)) || !isExportLine([]byte(tt.line)) {
				t.Errorf("StartsEntry or isExportLine is false")
			}
			p.Parse([]byte(tt.line), &r)
			if r.Plain || r.Shape == nil || r.Format() != "privateserver" || string(r.Raw) != tt.line || r.Node != nil {
				t.Fatalf("plain %v, format %q, raw %q, node %q", r.Plain, r.Format(), r.Raw, r.Node)
			}
			if got := timeText(r.Time); tt.want.time != "" && got != tt.want.time {
				t.Errorf("time = %s, want %s", got, tt.want.time)
			}
			if r.Level != tt.want.level {
				t.Errorf("level = %v, want %v", r.Level, tt.want.level)
			}
			if tt.want.module != "" && string(r.Module) != tt.want.module {
				t.Errorf("module = %q, want %q", r.Module, tt.want.module)
			}
			if tt.want.message != "" && string(r.Message()) != tt.want.message {
				t.Errorf("message = %q, want %q", r.Message(), tt.want.message)
			}
			for name, value := range tt.want.fields {
				if got, ok := r.Field(name); !ok || string(got) != value {
					t.Errorf("field %s = %q, %v; want %q", name, got, ok, value)
				}
			}
			if _, ok := r.Field("Nonesuch"); ok {
				t.Errorf("field Nonesuch found")
			}
			if got := listed(&r); tt.want.listed != "" && got != tt.want.listed {
				t.Errorf("fields = %s\nwant     %s", got, tt.want.listed)
			}
		})
	}
}

func timeText(us int64) string {
	if us == 0 {
		return "none"
	}
	return model.TimeOf(us).Format("2006-01-02 15:04:05.999999Z07:00")
}

func listed(r *model.Record) string {
	var b strings.Builder
	for name, value := range r.Fields() {
		if b.Len() > 0 {
			b.WriteByte('|')
		}
		b.WriteString(string(name) + "=" + string(value))
	}
	return b.String()
}

func TestNoEventTime(t *testing.T) {
	var r model.Record
	(&Parser{}).Parse([]byte("575\t822208948\t93.186.30.117\t23,665\tSelfregistration user (822208948)\t2012-05-10 17:33:11 CEST\tPGSM-10.3.1626-blackberry"), &r)
	if r.Time != 0 {
		t.Errorf("account time = %s, want none", timeText(r.Time))
	}
	(&Parser{}).Parse([]byte("Call Date ▼\tSrc\tDst\tDuration\tDisposition"), &r)
	if r.Time != 0 || listed(&r) != "" {
		t.Errorf("header: time %s, fields %q", timeText(r.Time), listed(&r))
	}
	if _, ok := r.Field("Src"); ok {
		t.Errorf("a header has a Src field")
	}
}

func TestZoneConversion(t *testing.T) {
	var r model.Record
	(&Parser{}).Parse([]byte("2012-05-10 12:37:35 CEST\t1122334462\t600\t5\tANSWERED"), &r)
	if want := parsertest.Micros("2012-05-10 10:37:35Z"); r.Time != want {
		t.Errorf("time = %d, want %d", r.Time, want)
	}
}

func TestPlain(t *testing.T) {
	for _, line := range []string{
		"Cdr List",
		"Figure 3. Call Detailed Record List",
		"ERROR: could not export",
		"",
		"2012-05-10 17:12:24.882\tREGISTER\tCLIENT",                                                               // too few columns
		"2012-05-10 17:12:24.882\tregister\tCLIENT\t909\tSara\t200 OK\tsnom320/8.4.18\t93.57.41.37:28224\t\ttrue", // not an event word
		"abc\t822208948\t93.186.30.117\t23,665\tx\t2012-05-10 17:33:11 CEST\ty",                                   // Id not a number
		"2012-05-10 12:37:35 CEST\t1122334462\t600\tfive\tANSWERED",                                               // Duration not a number
		"2012-05-10 12:37:35 CEST\t1\t2\t3\tANSWERED\textra",                                                      // six columns
		"2012-05-10 12:37:35+02:00 CEST\t1\t2\t3\tANSWERED",                                                       // two zones
	} {
		var r model.Record
		(&Parser{}).Parse([]byte(line), &r)
		if !r.Plain || r.Shape != nil || string(r.Details) != line || r.Module != nil {
			t.Errorf("%q: plain %v, module %q, details %q", line, r.Plain, r.Module, r.Details)
		}
		if isExportLine([]byte(line)) {
			t.Errorf("%q sniffed as an export", line)
		}
	}
	var r model.Record
	(&Parser{}).Parse([]byte("ERROR: could not export"), &r)
	if r.Level != model.LevelError || string(r.Message()) != "ERROR: could not export" {
		t.Errorf("plain level %v, message %q", r.Level, r.Message())
	}
}

func TestContinuation(t *testing.T) {
	var p Parser
	// A value holding a line break: the cut row starts an entry, its rest continues it.
	first, rest := "2012-05-10 17:02:51.377\tDISCONNECT\tCLIENT\t\t\tCLIENT", "CLOSED\t\t62.196.64.113:52034\t\tfalse"
	if !p.StartsEntry([]byte(first)) || p.StartsEntry([]byte(rest)) {
		t.Errorf("StartsEntry: cut row %v, rest %v", p.StartsEntry([]byte(first)), p.StartsEntry([]byte(rest)))
	}
	var r model.Record
	p.Parse([]byte(first+"\n"+rest), &r)
	if r.Plain || string(r.Message()) != "DISCONNECT" {
		t.Fatalf("plain %v, message %q", r.Plain, r.Message())
	}
	if v, _ := r.Field("Details"); string(v) != "CLIENT\nCLOSED" {
		t.Errorf("Details = %q", v)
	}
	// A whole row with a line of no known shape below: the row is the first line.
	row := "2012-05-10 17:29:37.000\tFAIL_BAD_CREDENTIALS\tadmin\t93.57.41.37"
	p.Parse([]byte(row+"\r\nsome note\twith a tab"), &r)
	if r.Plain || string(r.Details) != row || r.Level != model.LevelWarning {
		t.Errorf("plain %v, details %q, level %v", r.Plain, r.Details, r.Level)
	}
}

// TestSamples parses every line of the sample exports: the first is the header, every other
// a row of the file's export.
func TestSamples(t *testing.T) {
	for _, name := range []string{"sessions", "accounts", "webauth", "cdr"} {
		f, err := os.Open("../../testdata/privateserver/" + name + ".tsv")
		if err != nil {
			t.Fatal(err)
		}
		s := bufio.NewScanner(f)
		var p Parser
		rows := 0
		for n := 0; s.Scan(); n++ {
			line := s.Bytes()
			if !p.StartsEntry(line) {
				t.Errorf("%s:%d does not start an entry", name, n+1)
			}
			var r model.Record
			p.Parse(line, &r)
			if r.Plain || string(r.Module) != "privateserver."+name {
				t.Errorf("%s:%d: plain %v, module %q", name, n+1, r.Plain, r.Module)
			}
			if header := n == 0; header != (listed(&r) == "") || len(r.Message()) == 0 {
				t.Errorf("%s:%d: fields %q, message %q", name, n+1, listed(&r), r.Message())
			}
			if n > 0 {
				rows++
			}
			if n > 0 && (r.Time == 0) != (name == "accounts") {
				t.Errorf("%s:%d: time %s", name, n+1, timeText(r.Time))
			}
		}
		f.Close()
		if err := s.Err(); err != nil || rows < 5 {
			t.Errorf("%s: %d rows, %v", name, rows, err)
		}
	}
}

func TestParseDoesNotAllocate(t *testing.T) {
	lines := [][]byte{
		[]byte("2012-05-10 17:09:24.626\tDISCONNECT\tCLIENT\t1932\t\tNETWORK_ERROR\t\t93.57.41.37:33998\t\ttrue"),
		[]byte("3,169\t592023684\t62.196.64.113\t52,034\tSelfregistration user (592023684)\t2012-05-10 17:49:20 CEST\tPGSM-10.3.5-iphone"),
		[]byte("2012-05-10 17:29:37.000\tFAIL_BAD_CREDENTIALS\tadmin\t93.57.41.37"),
		[]byte("2012-05-10 12:37:35 CEST\t1122334462\t600\t5\tANSWERED"),
		[]byte("Call Date ▼\tSrc\tDst\tDuration\tDisposition"),
	}
	var p Parser
	var r model.Record
	n := testing.AllocsPerRun(100, func() {
		for _, line := range lines {
			p.StartsEntry(line)
			p.Parse(line, &r)
			r.Field("ip_address")
			r.Message()
		}
	})
	if n != 0 {
		t.Errorf("%v allocations per run", n)
	}
}

func TestCDRRowsAreCalls(t *testing.T) {
	var r model.Record
	new(Parser).Parse([]byte("2012-05-10 12:37:35 CEST\t1122334462\t600\t5\tANSWERED"), &r)
	var ids []string
	r.IDs(func(k model.IDKind, id []byte) { ids = append(ids, k.String()+"="+string(id)) })
	if len(ids) != 1 || ids[0] != "Call-Id=2012-05-10 12:37:35 CEST\t1122334462\t600" {
		t.Errorf("a CDR row's ids: %q, want its date, Src and Dst as one Call-Id", ids)
	}
	new(Parser).Parse([]byte("2012-05-10 17:29:37.000\tFAIL_BAD_CREDENTIALS\tadmin\t93.57.41.37"), &r)
	r.IDs(func(k model.IDKind, id []byte) { t.Errorf("a web authentication row carries id %q", id) })
}
