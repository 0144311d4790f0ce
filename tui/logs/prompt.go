package logs

import (
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/pane"
)

// openPrompt opens the prompt line for p, holding value.
func (m *Model) openPrompt(p prompt, label, value string) {
	m.prompt = p
	m.inputErr = ""
	m.input.Prompt = label
	m.input.SetValue(value)
	m.input.CursorEnd()
	m.input.Focus()
	m.layout()
}

func (m *Model) closePrompt() {
	m.prompt = closed
	m.input.Blur()
	m.layout()
}

// promptKey handles a key while a prompt has the keyboard: enter accepts, esc cancels
// (the search ends, the filter from before returns), ctrl+r changes the search mode,
// other keys are typed.
func (m *Model) promptKey(msg tea.KeyPressMsg) tea.Cmd {
	p := m.Pane()
	switch {
	case key.Matches(msg, m.Cancel):
		switch m.prompt {
		case searching:
			p.SetSearch(nil, nil)
			p.GoTo(m.searchFrom) // back where the search started
		case filtering:
			p.SetFilter(m.before) // the filter from before the prompt: it compiled then
		}
		m.closePrompt()
		return nil
	case key.Matches(msg, m.Accept):
		was := m.prompt
		m.closePrompt()
		switch {
		case was == exporting:
			return exportPane(m.Common, p, m.input.Value())
		case was == filtering && m.inputErr != "":
			return common.Ask(common.FlashMsg("kept the last good filter: " + m.inputErr))
		}
		return nil
	case key.Matches(msg, m.Mode) && m.prompt == searching:
		m.searchMode = m.searchMode.Next()
		m.input.Prompt = searchLabel(m.searchMode)
		m.layout()
		return m.promptChanged()
	}
	var cmd tea.Cmd
	before := m.input.Value()
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() != before {
		return tea.Batch(cmd, m.promptChanged())
	}
	return cmd
}

// promptChanged applies what is typed: the search or the filter, as the user types.
func (m *Model) promptChanged() tea.Cmd {
	p := m.Pane()
	text := m.input.Value()
	m.inputErr = ""
	switch m.prompt {
	case searching:
		if text == "" {
			p.SetSearch(nil, nil)
			p.GoTo(m.searchFrom)
			return nil
		}
		q, err := search.Compile(text, m.searchMode)
		if err != nil {
			m.inputErr = err.Error()
			return nil
		}
		p.SetSearch(q, &m.searchFrom)
	case filtering:
		if err := p.SetFilter(text); err != nil {
			m.inputErr = err.Error() // the last good filter stays active
		}
	}
	return nil
}

// exportPane writes the pane's entries, as filtered, to path in the background, and says
// how it went.
func exportPane(c common.Common, p *pane.Model, path string) tea.Cmd {
	v, entries := c.Session.Store.View(), p.Entries()
	return func() tea.Msg {
		n, err := export.File(path, v, entries.All())
		if err != nil {
			return common.FlashMsg("export failed: " + err.Error())
		}
		return common.FlashMsg(fmt.Sprintf("exported %d entries to %s", n, path))
	}
}

// View draws the pane shown, and the prompt line when one is open.
func (m *Model) View() string {
	body := m.Pane().View()
	if m.prompt == closed {
		return body
	}
	line := m.input.View()
	if m.prompt == searching {
		line += m.Styles.Faint.Render("  (" + m.searchMode.String() + ", " + m.Mode.Help().Key + " to change)")
	}
	if m.inputErr != "" {
		line += "  " + m.Styles.PromptError.Render(sanitize.String(m.inputErr))
	}
	return body + "\n" + ansi.Truncate(line, m.width, "…")
}

// searchLabel is the search prompt, which says its mode: "/", "regex /", "fuzzy /".
func searchLabel(mode search.Mode) string {
	if mode == search.Substring {
		return "/"
	}
	return mode.String() + " /"
}
