package picker

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/themes"
)

func TestPickerRanksAndChooses(t *testing.T) {
	styles, _ := themes.Get("mono")
	m := New([]Item{
		{"node", "conf01"}, {"node", "conf02"}, {"module", "support.sip"},
		{"participant", "sip:alice@example.com"}, {"call-id", `890b"38@10.44.5.9`},
	}, &styles)
	m.SetSize(80, 6)
	for _, r := range "alc" {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	view := ansi.Strip(m.View())
	if !strings.Contains(view, "participant") || strings.Contains(view, "conf01") {
		t.Errorf("typing alc should rank alice alone:\n%s", view)
	}
	chosen, _ := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if chosen == nil || chosen.Filter() != `participant == "sip:alice@example.com"` {
		t.Fatalf("chose %+v", chosen)
	}
	if f := (Item{"call-id", `890b"38@10.44.5.9`}).Filter(); f != `call-id == "890b\"38@10.44.5.9"` {
		t.Errorf("a value with a quote is not quoted for the filter language: %s", f)
	}
}
