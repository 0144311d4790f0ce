// Package securityview is the security view: the attacks and misuse the logs tell of —
// failed logins, wrong PINs, break-in prevention, refused authentications — one row per
// remote address with its counts, first and last seen, and the names it tried, most
// events first, kept up to date as entries arrive. Enter searches the logs for the
// selected address.
package securityview

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/security"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/layout"
	"github.com/calltail/calltail/tui/nav"
)

// KeyMap is what the view answers to.
type KeyMap struct {
	nav.Keys
	Open key.Binding // search the logs for the selected address
	Back key.Binding
}

func newKeyMap(k keymap.KeyMap) KeyMap {
	return KeyMap{Keys: k.Keys, Open: keymap.With(k.Details, "searches the logs for the address"), Back: keymap.With(k.Back, "goes back")}
}

// ShortHelp returns the keys the tab bar names.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Open, k.Back} }

// FullHelp returns every key, for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding { return append(k.Keys.FullHelp(), k.ShortHelp()) }

// widths are the columns' widths in cells (the last takes what is left).
var widths = []int{22, 6, 19, 19, 40, 0}

// Model is the security view.
type Model struct {
	KeyMap
	styles        *themes.Styles
	watch         *security.Watch
	groups        []security.Group
	complete      bool
	cursor, top   int
	width, height int
}

// New starts looking for security events in the session's store; the session is told
// when more are found.
func New(c common.Common) *Model {
	sess := c.Session
	m := &Model{KeyMap: newKeyMap(c.Keys), styles: c.Styles, watch: security.NewWatch(sess.Store, c.NewParser, sess.Notifier.Poke)}
	m.refresh()
	return m
}

// Title names the view in the tab bar.
func (m *Model) Title() string { return "security" }

// Close stops the background search.
func (m *Model) Close() { m.watch.Close() }

// SetSize sets the view's size in cells.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, max(3, height)
	m.scroll()
}

// refresh takes in the events found since, keeping the cursor on the same address.
func (m *Model) refresh() {
	selected, _ := m.Selected()
	m.complete = m.watch.Update()
	m.groups = m.watch.Groups()
	for i := range m.groups {
		if m.groups[i].Address == selected {
			m.cursor = i
		}
	}
	m.cursor = min(m.cursor, max(0, len(m.groups)-1))
	m.scroll()
}

// Selected returns the address of the selected row, and whether there is one.
func (m *Model) Selected() (string, bool) {
	if m.cursor >= len(m.groups) {
		return "", false
	}
	return m.groups[m.cursor].Address, true
}

// Update takes in new events and moves the cursor; enter on a row asks to search the
// logs for its address.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.SyncMsg:
		m.refresh()
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.Back):
			return common.Ask(common.BackMsg{})
		case key.Matches(msg, m.Open):
			if address, _ := m.Selected(); address != "" {
				return common.Ask(common.SearchLogsMsg{Text: address})
			}
		default:
			if pos, ok := m.Move(msg, m.cursor, m.rowsShown()-1, len(m.groups)-1); ok {
				m.cursor = pos
				m.scroll()
			}
		}
	}
	return nil
}

func (m *Model) rowsShown() int { return max(1, m.height-2) }

func (m *Model) scroll() { m.top = nav.Top(m.cursor, m.top, m.rowsShown()) }

// columnWidths returns the widths, the last column taking the rest of the width.
func (m *Model) columnWidths() []int {
	w := append([]int(nil), widths...)
	used := len(w) - 1
	for _, x := range w {
		used += x
	}
	w[len(w)-1] = max(10, m.width-used)
	return w
}

// View renders the header, the visible rows and what the search is doing.
func (m *Model) View() string {
	st := m.styles
	w := m.columnWidths()
	header := make([]string, len(report.SecurityColumns))
	for i, c := range report.SecurityColumns {
		header[i] = layout.Cell(c, w[i])
	}
	lines := []string{st.Title.Render(ansi.Truncate(strings.Join(header, " "), m.width, "…"))}
	for i := m.top; i < len(m.groups) && i < m.top+m.rowsShown(); i++ {
		lines = append(lines, m.renderRow(&m.groups[i], w, i == m.cursor))
	}
	events := 0
	for i := range m.groups {
		events += m.groups[i].Events
	}
	switch {
	case !m.complete:
		lines = append(lines, st.Faint.Render("looking for security events…"))
	case len(m.groups) == 0:
		lines = append(lines, st.Faint.Render("no failed logins, wrong PINs, break-in blocks or refused authentications so far"))
	default:
		lines = append(lines, st.Faint.Render(fmt.Sprintf("%d events from %d addresses — enter searches the logs for the address", events, len(m.groups))))
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines[:m.height], "\n")
}

// renderRow draws a group: blocks and quarantines as errors, the rest as warnings.
func (m *Model) renderRow(g *security.Group, w []int, selected bool) string {
	cells := report.SecurityRow(g)
	for i := range cells {
		cells[i] = layout.Cell(cells[i], w[i])
	}
	base := m.styles.WarnRow
	if g.Kinds[security.PINBlock]+g.Kinds[security.Quarantined]+g.Kinds[security.BreakInRejected] > 0 {
		base = m.styles.ErrorRow
	}
	if selected {
		base = m.styles.Selected.Inherit(base)
	}
	return base.Render(ansi.Truncate(strings.Join(cells, " "), m.width, "…"))
}
