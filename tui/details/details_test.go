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
