package details

import (
	"fmt"
	"strings"
	"testing"

	"github.com/calltail/calltail/tui/common/commontest"
)

// TestHugeEntriesAreShownInPart lays out an entry of a million fields and one with a
// 20 MB value: the details show their beginning and say what is left out, in a bounded
// number of lines, so that opening them stays quick.
func TestHugeEntriesAreShownInPart(t *testing.T) {
	var many strings.Builder
	many.WriteString(`2026-05-14 10:00:00,000 Level="INFO" Name="support.sip" Message="pairs"`)
	for i := range 1000000 {
		fmt.Fprintf(&many, ` k%d="v"`, i)
	}
	long := `2026-05-14 10:00:00,000 Level="INFO" Name="support.sip" Message="long" Detail="` + strings.Repeat("A", 20<<20) + `"`
	c := commontest.New(t, "", "default")
	for name, tc := range map[string]struct {
		raw  string
		want []string
	}{
		"a million fields": {many.String(), []string{"k999", "more than 1000 fields", "more bytes (y copies the whole entry)"}},
		"a 20 MB value":    {long, []string{"Detail", "more bytes)", "more bytes (y copies the whole entry)"}},
	} {
		m := New(c, []byte(tc.raw), "")
		m.SetSize(160, 40)
		if len(m.lines) > 3000 {
			t.Errorf("%s: %d lines laid out", name, len(m.lines))
		}
		all := strings.Join(m.lines, "\n")
		for _, w := range tc.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: the details lack %q", name, w)
			}
		}
	}
}

// TestPythonBytesContentIsJSON: an event's Content written as a Python bytes literal
// (b'{…}') is shown as indented JSON, as a plain JSON Content is.
func TestPythonBytesContentIsJSON(t *testing.T) {
	c := commontest.New(t, "", "default")
	for _, content := range []string{`{\"uuid\": \"0f57\", \"call_quality_now\": \"1_good\"}`, `b'{\"uuid\": \"0f57\", \"call_quality_now\": \"1_good\"}'`} {
		raw := `2026-05-14 08:02:11,974 Level="INFO" Name="support.management_queue" Message="Sending event" Event="participant_media_stream_window" Content="` + content + `"`
		m := New(c, []byte(raw), "")
		m.SetSize(160, 40)
		if all := strings.Join(m.lines, "\n"); !strings.Contains(all, `    "call_quality_now": "1_good"`) {
			t.Errorf("Content %s is not shown as indented JSON:\n%s", content, all)
		}
	}
}
