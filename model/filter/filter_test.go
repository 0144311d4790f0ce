package filter

import (
	"errors"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
)

var lines = map[string]string{
	"joined":  `2026-05-14T23:38:44.061+00:00 conf01 2026-05-14 23:38:44,061 Level="INFO" Name="administrator.conference" Message="Participant has joined." Conference="Meet Alice" Call-id="fe71@10.44.5.9" Participant-Id="44be" Duration="63.123" Service-Tag=""`,
	"warning": `2026-05-14T23:38:45.100+00:00 10.0.1.11 2026-05-14 23:38:45,100 Level="WARNING" Name="administrator.configuration" Message="User login failed" User="admins" Remote-Address="192.0.2.7"`,
	"error":   `2026-05-14T23:38:46.000+00:00 conf02 2026-05-14 23:38:46,000 Level="ERROR" Name="support.ice" Message="ICE failed" Call-Id="abc@10.44.5.9"`,
	"sip":     `2026-05-14T23:38:47.000+00:00 conf02 2026-05-14 23:38:47,000 Level="INFO" Name="support.sip" Message="Received SIP request" Detail="BYE sip:m@x SIP/2.0^MCall-ID: abc@10.44.5.9^MCSeq: 2 BYE^M"`,
	"rest":    `2026-05-14T23:38:48.000+00:00 conf01 2026-05-14 23:38:48,000 Level="INFO" Name="support.rest" Message="Sending REST API response" Detail="{\"display_name\": \"Al \\\"Q\\\" Smith\"}" Duration="7"`,
	"plain":   `kernel: TCP timeout on eth0`,
}

// selected returns the names of the test lines that expr matches, sorted.
func selected(t *testing.T, expr string) string {
	t.Helper()
	f, err := Compile(expr)
	if err != nil {
		t.Fatalf("Compile(%q): %v", expr, err)
	}
	var names []string
	for _, name := range []string{"error", "joined", "plain", "rest", "sip", "warning"} {
		var r model.Record
		(&pexip.Parser{}).Parse([]byte(lines[name]), &r)
		if f.Match(&r) {
			names = append(names, name)
		}
	}
	return strings.Join(names, " ")
}

func TestMatch(t *testing.T) {
	tests := []struct{ expr, want string }{
		{``, "error joined plain rest sip warning"},
		{`level >= warning`, "error warning"},
		{`level == error`, "error"},
		{`level != info`, "error warning"},
		{`level < WARN`, "joined plain rest sip"},
		{`level ~ "warn|error"`, "error warning"},
		{`level ^= warn`, "warning"},
		{`level contains RR`, "error"},
		{`module ^= "administrator."`, "joined warning"},
		{`module == support.sip`, "sip"},
		{`name == support.ice`, "error"},
		{`node == 10.0.1.11`, "warning"},
		{`system != conf01`, "error plain sip warning"},
		{`call-id == "abc@10.44.5.9"`, "error sip"},
		{`CALL-ID == fe71@10.44.5.9`, "joined"},
		{`call-id != "abc@10.44.5.9"`, "joined plain rest warning"},
		{`participant-id == 44be`, "joined"},
		{`Remote-Address == "192.0.2.7"`, "warning"},
		{`service-tag == ""`, "joined"},
		{`user contains ADMIN`, "warning"},
		{`message contains "ice"`, "error"},
		{`message ~ "^(ICE|User) "`, "error warning"},
		{`detail ~ "CSeq: [0-9]+ BYE"`, "sip"},
		{`detail contains '"display_name": "al'`, "rest"},
		{`duration > 60`, "joined"},
		{`duration <= 10`, "rest"},
		{`duration >= 8`, "joined"},
		{`time >= "2026-05-14 23:38:46"`, "error rest sip"},
		{`time < 2026-05-14T23:38:45Z`, "joined"},
		{`time > 2026-05-14`, "error joined rest sip warning"},
		{`timeout`, "plain"},
		{`"ICE FAILED"`, "error"},
		{`'login failed'`, "warning"},
		{`10.44.5.9`, "error joined sip"},
		{`line ~ "^kernel"`, "plain"},
		{`!timeout`, "error joined rest sip warning"},
		{`abc ice`, "error"},
		{`abc && ice`, "error"},
		{`abc || login`, "error sip warning"},
		{`login || abc && ice`, "error warning"},
		{`(login || abc) && ice`, "error"},
		{`!(level == info) && node == conf02`, "error"},
		{`!!timeout`, "plain"},
		{`nosuchfield == x`, ""},
		{`nosuchfield != x`, "error joined plain rest sip warning"},
	}
	for _, tt := range tests {
		if got := selected(t, tt.expr); got != tt.want {
			t.Errorf("%s\n  selects %q\n  want    %q", tt.expr, got, tt.want)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		expr   string
		column int
		msg    string
	}{
		{`level >=`, 9, `expected a value after ">=", found the end of the expression`},
		{`level >= loud`, 10, `unknown level "loud"`},
		{`(a || b`, 8, `expected ")" to close the "(" at column 1`},
		{`a || b)`, 7, `unexpected ")"`},
		{`a &&`, 5, `expected a term after "&&"`},
		{`|| a`, 1, `expected a term, found "||"`},
		{`== a`, 1, `expected a field name before "=="`},
		{`call-id == "abc`, 12, `unterminated string`},
		{`message ~ "(unclosed"`, 11, `bad regular expression`},
		{`time > yesterday`, 8, `cannot read "yesterday" as a time`},
		{`time contains 2026`, 6, `time is compared with`},
		{`a ( b`, 6, `expected ")" to close the "(" at column 3`},
		{`!`, 2, `expected a term, found the end of the expression`},
		{`""`, 1, `empty text`},
	}
	for _, tt := range tests {
		_, err := Compile(tt.expr)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Compile(%q) = %v, want a *SyntaxError", tt.expr, err)
			continue
		}
		if se.Column != tt.column || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("Compile(%q) = %q, want column %d and %q", tt.expr, err, tt.column, tt.msg)
		}
		if !strings.HasPrefix(err.Error(), "column ") {
			t.Errorf("error %q does not start by naming the column", err)
		}
	}
}

func TestNeedles(t *testing.T) {
	tests := []struct{ expr, want string }{
		{`call-id == "abc@10.44.5.9"`, "abc@10.44.5.9"},
		{`timeout`, "timeout/i"},
		{`level >= warning`, "<none>"},
		{`level >= warning && "ice failed"`, "ice failed/i"},
		{`a || bb`, "a/i bb/i"},
		{`a || level == error`, "<none>"},
		{`xy && abcd`, "abcd/i"},
		{`!timeout`, "<none>"},
		{`module ^= "administrator."`, "administrator."},
		{`detail contains SDP`, "SDP/i"},
		{`detail == "a \"quoted\" value"`, "<none>"},
		{`message ~ "x"`, "<none>"},
		{`duration > 5`, "<none>"},
		{``, "<none>"},
	}
	for _, tt := range tests {
		f, err := Compile(tt.expr)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, n := range f.Needles() {
			s := n.Text
			if n.Fold {
				s += "/i"
			}
			got = append(got, s)
		}
		g := strings.Join(got, " ")
		if got == nil {
			g = "<none>"
		}
		if g != tt.want {
			t.Errorf("Needles(%s) = %q, want %q", tt.expr, g, tt.want)
		}
	}
}

// TestNeedlesAreNecessary checks the promise the scanner relies on: an entry that matches
// holds at least one needle, on every test line and expression.
func TestNeedlesAreNecessary(t *testing.T) {
	exprs := []string{`call-id == "abc@10.44.5.9"`, `abc || login`, `(login || abc) && ice`, `module ^= support`,
		`user contains ADMIN`, `message == "ICE failed"`, `node == conf02 && level >= warning`}
	for _, expr := range exprs {
		f, _ := Compile(expr)
		for name, line := range lines {
			var r model.Record
			(&pexip.Parser{}).Parse([]byte(line), &r)
			if !f.Match(&r) || f.Needles() == nil {
				continue
			}
			held := false
			for _, n := range f.Needles() {
				if n.Fold && strings.Contains(strings.ToLower(line), strings.ToLower(n.Text)) || !n.Fold && strings.Contains(line, n.Text) {
					held = true
				}
			}
			if !held {
				t.Errorf("%s matches %s but holds none of its needles %v", expr, name, f.Needles())
			}
		}
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{`level >= warning`, `a || (b && !c)`, `call-id == "x\"y"`, `time > 2026-01-01`, `x ~ "[a-"`, `'a' "b"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := Compile(expr)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Column < 1 || se.Column > len(expr)+1 {
				t.Fatalf("Compile(%q): error %v has no column within the expression", expr, err)
			}
			return
		}
		var r model.Record
		(&pexip.Parser{}).Parse([]byte(lines["sip"]), &r)
		flt.Match(&r)
		flt.Needles()
	})
}
