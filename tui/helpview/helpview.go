// Package helpview is the help screen: the keys of the view it was opened from, drawn from
// that view's KeyMap, and any notes the view adds. Any key goes back.
package helpview

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/common"
)

// Model is the help screen of one view.
type Model struct {
	styles        *themes.Styles
	keys          help.KeyMap
	notes         []string
	help          help.Model
	width, height int
}

// New returns the help of a view that answers to keys; notes follow the keys.
func New(c common.Common, keys help.KeyMap, notes ...string) *Model {
	return &Model{styles: c.Styles, keys: keys, notes: notes, help: help.New()}
}

// ShortHelp is empty: any key goes back.
func (m *Model) ShortHelp() []key.Binding { return nil }

// FullHelp is empty: any key goes back.
func (m *Model) FullHelp() [][]key.Binding { return nil }

// SetSize sets the screen's size.
func (m *Model) SetSize(width, height int) { m.width, m.height = width, max(1, height) }

// rows packs the columns of the keys into rows that fit the width.
func (m *Model) rows() [][][]key.Binding {
	var rows [][][]key.Binding
	used := 0
	for _, column := range m.keys.FullHelp() {
		w := lipgloss.Width(m.help.FullHelpView([][]key.Binding{column})) + len(m.help.FullSeparator)
		if len(rows) == 0 || used+w > m.width && used > 0 {
			rows, used = append(rows, nil), 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], column)
		used += w
	}
	return rows
}

// Update asks to go back on any key.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		return common.Ask(common.BackMsg{})
	}
	return nil
}

// View draws the keys in columns — as many rows of columns as the width needs, so that no
// column is cut off — then the notes.
func (m *Model) View() string {
	lines := []string{m.styles.Title.Render("calltail — keys"), ""}
	for i, row := range m.rows() {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, strings.Split(m.help.FullHelpView(row), "\n")...)
	}
	if len(m.notes) > 0 {
		lines = append(lines, "")
		for _, n := range m.notes {
			lines = append(lines, m.styles.Faint.Render(n))
		}
	}
	lines = append(lines, "", m.styles.Faint.Render("Press any key to go back."))
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines[:m.height], "\n")
}
