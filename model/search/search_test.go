package search

import (
	"fmt"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
)

func TestModes(t *testing.T) {
	var r model.Record
	(&pexip.Parser{}).Parse([]byte(`2026-05-14 10:00:01,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Participant="sip:Alice@example.com"`), &r)
	tests := []struct {
		text  string
		mode  Mode
		match bool
		row   string
		hl    string
	}{
		{"alice", Substring, true, "sip:Alice@example.com ALICE", "[4 9] [22 27]"},
		{"bob", Substring, false, "x", "[]"},
		{`join(ed|ing)`, Regex, true, "has Joined.", "[4 10]"},
		{"pcpnt", Fuzzy, true, "Participant has joined.", "[0 1] [5 6] [7 8] [9 10] [10 11]"},
		{"phj", Fuzzy, true, "Participant has joined.", "[0 1] [12 13] [16 17]"},
		{"jq", Fuzzy, false, "Participant has joined.", "[]"},
		{"jsip", Fuzzy, true, "joined. sip", "[0 1] [8 9] [9 10] [10 11]"}, // the fields follow the message
		{"zoë", Fuzzy, false, "Zoë was here", "[0 1] [1 2] [2 4]"},
	}
	for _, tt := range tests {
		q, err := Compile(tt.text, tt.mode)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Match(&r); got != tt.match {
			t.Errorf("%s %q: Match = %v, want %v", tt.mode, tt.text, got, tt.match)
		}
		if got := fmt.Sprint(q.Highlights(tt.row)); got != "["+tt.hl+"]" && !(tt.hl == "[]" && got == "[]") {
			t.Errorf("%s %q: Highlights(%q) = %v, want [%s]", tt.mode, tt.text, tt.row, got, tt.hl)
		}
	}
	if _, err := Compile("(", Regex); err == nil {
		t.Error("a bad regular expression compiled")
	}
	if Fuzzy.Next() != Substring || Substring.Next() != Regex {
		t.Error("modes do not cycle")
	}
}

// TestFuzzyPunctuation: a fuzzy search finds punctuation where the row shows it — in the
// fields, not only the message (a search for "(" found nothing where a substring found 8 591).
func TestFuzzyPunctuation(t *testing.T) {
	var r model.Record
	(&pexip.Parser{}).Parse([]byte(`2026-05-14 10:00:01,000 Level="INFO" Name="support.sip" Message="Received SIP request" Detail="INVITE sip:a@b SIP/2.0 (x)"`), &r)
	q, _ := Compile("(", Fuzzy)
	if !q.Match(&r) {
		t.Error(`fuzzy "(" does not find the ( of a Detail`)
	}
}
