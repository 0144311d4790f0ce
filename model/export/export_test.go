package export

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
)

func record(line string) *model.Record {
	var r model.Record
	(&pexip.Parser{}).Parse([]byte(line), &r)
	return &r
}

func TestJSONIsValidAndSafe(t *testing.T) {
	line := "2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"support.x\" Message=\"a \\\"q\\\" \x1b]52;c;x\x07 \xc2\x9b \xe2\x80\xae \xff\" Key=\"1\" Key=\"2\""
	out := string(Append(nil, record(line), JSON))
	for _, bad := range []string{"\x1b", "\x07", "\xc2\x9b", "\xe2\x80\xae", "\xff"} {
		if strings.Contains(out, bad) {
			t.Errorf("JSON output holds %q: %s", bad, out)
		}
	}
	var e struct {
		Time    string
		Message string
		Fields  map[string]string
		Raw     string
	}
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if e.Time != "2026-05-14T10:00:01.000Z" {
		t.Errorf("time = %q", e.Time)
	}
	if want := `a "q" ^[]52;c;x^G <U+009B> <U+202E> \xff`; e.Message != want {
		t.Errorf("message = %q, want %q: \\\" decoded and controls shown as text, not \\u escapes", e.Message, want)
	}
	if e.Fields["Key"] != "1" {
		t.Errorf("repeated key: %q, want the first value", e.Fields["Key"])
	}
	if !strings.Contains(e.Raw, `\xff`) || strings.Contains(e.Raw, "\ufffd") {
		t.Errorf("raw %q: an invalid byte is shown as \\xff, as -n shows it", e.Raw)
	}
}

// TestJSONIsPlainText checks that each string of an entry's JSON, decoded, is the text -n
// prints, for the raw text, and that names are one line while text keeps its lines.
func TestJSONIsPlainText(t *testing.T) {
	line := "2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"support.x\u202e\" Message=\"m\" Detail=\"a\tb\n  c\x1b[2J \u00ad\u2028\U000e0041\xfe\""
	r := record(line)
	var e struct {
		Module string
		Fields map[string]string
		Raw    string
	}
	out := Append(nil, r, JSON)
	if err := json.Unmarshal(out, &e); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if plain := string(Append(nil, r, Plain)); e.Raw+"\n" != plain {
		t.Errorf("raw = %q, want what -n prints: %q", e.Raw, plain)
	}
	if e.Module != "support.x<U+202E>" {
		t.Errorf("module = %q", e.Module)
	}
	if want := "a\tb\n  c^[[2J <U+00AD><U+2028><U+E0041>\\xfe"; e.Fields["Detail"] != want {
		t.Errorf("detail = %q, want %q", e.Fields["Detail"], want)
	}
}

func TestPlainKeepsLinesAndTabs(t *testing.T) {
	r := record("2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"x.y\" Detail=\"a\tb\n  c\x1b[2J\"")
	if got := string(Append(nil, r, Plain)); got != "2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"x.y\" Detail=\"a\tb\n  c^[[2J\"\n" {
		t.Errorf("plain = %q", got)
	}
}
