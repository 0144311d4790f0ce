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
	if !strings.HasPrefix(e.Message, `a "q" `+"\x1b]52") || !strings.Contains(e.Message, "\u202e") {
		t.Errorf("message = %q: want \\\" decoded and controls kept as \\u escapes", e.Message)
	}
	if e.Fields["Key"] != "1" {
		t.Errorf("repeated key: %q, want the first value", e.Fields["Key"])
	}
	if !strings.Contains(e.Raw, "\ufffd") {
		t.Errorf("raw %q: an invalid byte becomes U+FFFD", e.Raw)
	}
}

func TestPlainKeepsLinesAndTabs(t *testing.T) {
	r := record("2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"x.y\" Detail=\"a\tb\n  c\x1b[2J\"")
	if got := string(Append(nil, r, Plain)); got != "2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"x.y\" Detail=\"a\tb\n  c^[[2J\"\n" {
		t.Errorf("plain = %q", got)
	}
}
