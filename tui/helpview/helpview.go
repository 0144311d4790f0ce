// Package helpview is the help screen: the keys of the view it was opened from, drawn from
// that view's KeyMap in columns laid out to the width, and any notes the view adds, wrapped
// to it. A help taller than the screen scrolls (the movement keys, the mouse wheel) and
// says there is more; any other key goes back.
package helpview

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/nav"
)

// gap is the space between two columns of keys.
const gap = "    "

// Model is the help screen of one view.
type Model struct {
	styles        *themes.Styles
	keys          help.KeyMap
	move          nav.Keys // scroll the help
	notes         []string
	help          help.Model
	offset        int // the first line shown
	width, height int
}

// New returns the help of a view that answers to keys; notes follow the keys.
func New(c common.Common, keys help.KeyMap, notes ...string) *Model {
	k := c.Keys
	move := nav.Keys{Up: keymap.With(k.Up, "scroll up"), Down: keymap.With(k.Down, "scroll down"),
		PageUp: k.PageUp, PageDown: k.PageDown,
		Top: keymap.With(k.Top, "top"), Bottom: keymap.With(k.Bottom, "bottom")}
	return &Model{styles: c.Styles, keys: keys, move: move, notes: notes, help: help.New()}
}

// ShortHelp is empty: the help's own keys are said at its foot.
func (m *Model) ShortHelp() []key.Binding { return nil }

// FullHelp is empty: the help's own keys are said at its foot.
func (m *Model) FullHelp() [][]key.Binding { return nil }

// SetSize sets the screen's size.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(1, width), max(1, height)
	m.offset = min(m.offset, m.last())
}

// Update scrolls with the movement keys and the mouse wheel, and asks to go back on any
// other key.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		offset, ok := m.move.Move(msg, m.offset, max(1, m.shown()-1), m.last())
		if !ok {
			return common.Ask(common.BackMsg{})
		}
		m.offset = offset
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.offset = max(0, m.offset-3)
		case tea.MouseWheelDown:
			m.offset = min(m.last(), m.offset+3)
		}
	}
	return nil
}

// shown is how many lines of the help the screen shows: all but the foot when the help
// is taller than the screen.
func (m *Model) shown() int {
	if len(m.lines()) <= m.height {
		return m.height
	}
	return max(1, m.height-1)
}

// last is the greatest offset: the one that shows the help's last line at the bottom.
func (m *Model) last() int { return max(0, len(m.lines())-m.shown()) }

// column is one column of keys, drawn: its lines and its width.
type column struct {
	lines []string
	width int
}

// columns draws each column of the keys: the keys aligned, each description after them,
// cut to the width when a column would be wider than the screen. Lines are not padded to
// the column's width: keyLines pads those a column follows.
func (m *Model) columns() []column {
	var out []column
	for _, group := range m.keys.FullHelp() {
		var keys, descs []string
		keyW, descW := 0, 0
		for _, b := range group {
			if !b.Enabled() {
				continue
			}
			keys, descs = append(keys, b.Help().Key), append(descs, b.Help().Desc)
			keyW, descW = max(keyW, ansi.StringWidth(b.Help().Key)), max(descW, ansi.StringWidth(b.Help().Desc))
		}
		if len(keys) == 0 {
			continue
		}
		descW = max(1, min(descW, m.width-keyW-1))
		c := column{width: keyW + 1 + descW}
		for i := range keys {
			k := keys[i] + strings.Repeat(" ", keyW-ansi.StringWidth(keys[i]))
			d := ansi.Truncate(descs[i], descW, "…")
			c.lines = append(c.lines, m.help.Styles.FullKey.Render(k)+" "+m.help.Styles.FullDesc.Render(d))
		}
		out = append(out, c)
	}
	return out
}

// keyLines lays the columns out side by side, as many to a row as the width holds, rows
// of columns one under another with a blank line between.
func (m *Model) keyLines() []string {
	var lines []string
	var row []column
	used := 0
	flush := func() {
		if len(row) == 0 {
			return
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		height := 0
		for _, c := range row {
			height = max(height, len(c.lines))
		}
		for i := range height {
			var b strings.Builder
			for j, c := range row {
				if j > 0 && i < len(c.lines) {
					b.WriteString(gap)
				}
				line := ""
				if i < len(c.lines) {
					line = c.lines[i]
				}
				b.WriteString(line)
				if j < len(row)-1 && i < len(row[j+1].lines) { // the next column starts at the same place on every line
					b.WriteString(strings.Repeat(" ", c.width-ansi.StringWidth(line)))
				}
			}
			lines = append(lines, b.String())
		}
		row, used = nil, 0
	}
	for _, c := range m.columns() {
		w := c.width
		if len(row) > 0 {
			w += len(gap)
		}
		if len(row) > 0 && used+w > m.width {
			flush()
			w = c.width
		}
		row, used = append(row, c), used+w
	}
	flush()
	return lines
}

// lines is the whole help: the title, the keys, the notes wrapped to the width (a note's
// continuation lines indented as it indents them), and how to leave.
func (m *Model) lines() []string {
	lines := append([]string{m.styles.Title.Render("calltail — keys"), ""}, m.keyLines()...)
	if len(m.notes) > 0 {
		lines = append(lines, "")
		for _, n := range m.notes {
			indent := n[:len(n)-len(strings.TrimLeft(n, " "))]
			for i, l := range wrap(strings.TrimLeft(n, " "), max(10, m.width-len(indent)-2)) {
				pad := indent
				if i > 0 {
					pad += "  "
				}
				lines = append(lines, m.styles.Faint.Render(pad+l))
			}
		}
	}
	return append(lines, "", m.styles.Faint.Render("Press any other key to go back."))
}

// View draws the lines of the help the screen holds, and at its foot, when there is more
// than it holds, where the rest is and the keys that scroll.
func (m *Model) View() string {
	all := m.lines()
	shown := m.shown()
	lines := all[min(m.offset, len(all)):]
	lines = lines[:min(shown, len(lines))]
	if len(all) > m.height {
		var where string
		switch {
		case m.offset == 0:
			where = "↓ more"
		case m.offset >= m.last():
			where = "↑ more"
		default:
			where = "↑↓ more"
		}
		foot := where + " — " + m.move.Down.Help().Key + ", " + m.move.Up.Help().Key + ", " + m.move.PageDown.Help().Key +
			", " + m.move.PageUp.Help().Key + ", " + m.move.Top.Help().Key + ", " + m.move.Bottom.Help().Key + " scroll"
		for len(lines) < shown {
			lines = append(lines, "")
		}
		lines = append(lines, m.styles.Accent.Render(ansi.Truncate(foot, m.width, "…")))
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// wrap breaks text into lines of at most width columns at its spaces (not at hyphens: a
// date stays whole), a word wider than the width cut into pieces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case ansi.StringWidth(line)+1+ansi.StringWidth(word) <= width:
			line += " " + word
		default:
			lines, line = append(lines, line), word
		}
		for ansi.StringWidth(line) > width {
			lines, line = append(lines, ansi.Truncate(line, width, "")), ansi.TruncateLeft(line, width, "")
		}
	}
	return append(lines, line)
}
