package picker

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/common/commontest"
	"github.com/calltail/calltail/tui/logs"
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

// TestPickerGoesToATime: what reads as a time is offered first, and enter asks the logs
// to go there; the items below it are still chosen as before.
func TestPickerGoesToATime(t *testing.T) {
	m := New(commontest.New(t, "", "mono"), []Item{{"node", "conf01"}, {"call-id", "ab12:03@10.0.0.1"}})
	m.SetSize(80, 6)
	for _, r := range "12:03" {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if view := ansi.Strip(m.View()); !strings.Contains(view, "› time        go to 12:03") {
		t.Errorf("12:03 is not offered as a time first:\n%s", view)
	}
	asked := commontest.Run(m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}))
	if len(asked) != 1 || asked[0] != (logs.GoToTimeMsg{Text: "12:03"}) {
		t.Fatalf("enter asked for %+v; want to go to 12:03", asked)
	}
	m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
	asked = commontest.Run(m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}))
	if len(asked) != 2 || asked[1] != (common.FilterLogsMsg{Expr: `call-id == "ab12:03@10.0.0.1"`}) {
		t.Errorf("the item below the time: %+v", asked)
	}
}
