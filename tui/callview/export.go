package callview

import (
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/tui/common"
)

// openPrompt opens the export prompt, holding a name for a new file in the working
// directory: calltail-call-N-DATE-TIME.log.
func (m *Model) openPrompt() tea.Cmd {
	m.exporting = true
	m.input.SetValue(fmt.Sprintf("calltail-call-%d-%s.log", m.number, time.Now().Format("20060102-150405")))
	m.input.CursorEnd()
	return m.input.Focus()
}

// promptKey handles a key while the export prompt has the keyboard: enter writes the
// file, esc cancels, other keys are typed.
func (m *Model) promptKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.Accept):
		m.exporting = false
		m.input.Blur()
		return exportCall(m, m.input.Value())
	case key.Matches(msg, m.Cancel):
		m.exporting = false
		m.input.Blur()
		return nil
	}
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return cmd
}

// exportCall writes every line of the call to a new file at path in the background, as
// calltail --call ID --raw prints them, and says how it went.
func exportCall(m *Model, path string) tea.Cmd {
	v, entries, number := m.st.View(), slices.Clone(m.entries), m.number
	return func() tea.Msg {
		n, err := export.File(path, v, slices.Values(entries))
		if err != nil {
			return common.FlashMsg("export failed: " + err.Error())
		}
		return common.FlashMsg(fmt.Sprintf("exported the %d lines of call %d to %s", n, number, path))
	}
}
