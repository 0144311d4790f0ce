package picker

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/common/commontest"
	"github.com/charmbracelet/x/ansi"
)

func TestPickerRanksAndChooses(t *testing.T) {
	m := New(commontest.New(t, "", "mono"), []Item{
		{"node", "conf01"}, {"node", "conf02"}, {"module", "support.sip"},
		{"participant", "sip:alice@example.com"}, {"call-id", `890b"38@10.44.5.9`},
	})
	m.SetSize(80, 6)
	for _, r := range "alc" {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "participant") || strings.Contains(view, "conf01") {
		t.Errorf("typing alc should rank alice alone:\n%s", view)
	}
	asked := commontest.Run(m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}))
	if len(asked) != 2 || asked[0] != (common.BackMsg{}) || asked[1] != (common.FilterLogsMsg{Expr: `participant == "sip:alice@example.com"`}) {
		t.Fatalf("enter asked for %+v; want to go back and filter by alice", asked)
	}
	if f := (Item{"call-id", `890b"38@10.44.5.9`}).Filter(); f != `call-id == "890b\"38@10.44.5.9"` {
		t.Errorf("a value with a quote is not quoted for the filter language: %s", f)
	}
}
