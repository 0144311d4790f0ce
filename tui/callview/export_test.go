package callview

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/common/commontest"
)

// typeText types s into the view, after clearing what the prompt holds.
func typeText(m *Model, s string) {
	m.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// TestExportCall presses ctrl+s (export) in the call view: a prompt offers a new file's name; enter
// writes every line of the call to the path typed, as --call --raw prints them, and the
// status line says where; a second export to the same path is refused, the file kept; esc
// leaves the prompt and writes nothing.
func TestExportCall(t *testing.T) {
	c := commontest.New(t, qualityLog+`2026-05-14 10:02:00,000 Level="INFO" Name="support.rest" Message="Received REST API request" Uuid="other"`+"\n"+
		`2026-05-14 10:02:00,000 Level="INFO" Name="support.media" Message="x`+"\x1b[2J"+`" Call-Id="c1"`+"\n", "default")
	m := New(c, 1)
	t.Cleanup(m.Close)
	m.SetSize(100, 24)
	e := tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl} // export

	m.Update(e)
	if !m.Typing() || !strings.Contains(ansi.Strip(m.View()), "export to: calltail-call-1-") {
		t.Fatalf("ctrl+s opens no prompt with a file name:\n%s", ansi.Strip(m.View()))
	}
	path := filepath.Join(t.TempDir(), "call.log")
	typeText(m, path)
	msgs := commontest.Run(m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}))
	if m.Typing() || len(msgs) != 1 || msgs[0] != common.FlashMsg("exported the 7 lines of call 1 to "+path) {
		t.Fatalf("enter: typing %v, asked for %v", m.Typing(), msgs)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := c.Session.Calls.Detail(c.Session.Store, 1, c.NewParser())
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	report.WriteRaw(&want, &d)
	if string(got) != want.String() || !strings.Contains(string(got), "x^[[2J") || strings.Contains(string(got), "other") {
		t.Errorf("the file holds\n%s\nwant what --call --raw prints:\n%s", got, want.String())
	}

	m.Update(e)
	typeText(m, path)
	msgs = commontest.Run(m.Update(tea.KeyPressMsg{Code: tea.KeyEnter}))
	if len(msgs) != 1 || !strings.HasPrefix(string(msgs[0].(common.FlashMsg)), "export failed: ") {
		t.Errorf("exporting over a file: asked for %v", msgs)
	}
	if again, _ := os.ReadFile(path); string(again) != string(got) {
		t.Error("the file was overwritten")
	}

	m.Update(e)
	typeText(m, path+".2")
	if msgs := commontest.Run(m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})); m.Typing() || msgs != nil {
		t.Errorf("esc: typing %v, asked for %v", m.Typing(), msgs)
	}
	if _, err := os.Stat(path + ".2"); !os.IsNotExist(err) {
		t.Errorf("esc wrote a file: %v", err)
	}
}
