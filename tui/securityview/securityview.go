// Package securityview is the security view: the attacks and misuse the logs tell of —
// failed logins, wrong PINs, break-in prevention, refused authentications — one row per
// remote address (or, for events that logged none, per conference and alias) with its
// counts, first and last seen, and the names it tried, most events first, kept up to date
// as entries arrive. Only what stands out is coloured: the most events, the newest. Enter
// searches the logs for the selected address; with --mouse a click selects a row.
package securityview

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/security"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/session"
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

// Columns, by their index in report.SecurityColumns.
const (
	colAddress = iota
	colEvents
	colFirst
	colLast
	colWhat
	colTried
)

// Model is the security view.
type Model struct {
	KeyMap
	styles        *themes.Styles
	session       *session.Session
	watch         *security.Watch
	groups        []security.Group
	most          int   // the most events of a group: what stands out
	newest        int64 // the newest event's time: what stands out too
	complete      bool  // the entries there were when the view opened have been looked at
	seenTotal     int   // the store's entries at the last refresh
	cursor, top   int
	moved         bool // the user moved the cursor: it stays on its group as rows move
	width, height int
}

// New starts looking for security events in the session's store; the session is told
// when more are found.
func New(c common.Common) *Model {
	sess := c.Session
	m := &Model{KeyMap: newKeyMap(c.Keys), styles: c.Styles, session: sess,
		watch: security.NewWatch(sess.Store, c.NewParser, sess.Notifier.Poke)}
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

// refresh takes in the events found since, keeping the cursor on the same group once the
// first search is complete or the user has moved it (until then the groups found come in
// any order, and the cursor stays on the first row). The
// search is complete once it has looked at every entry, or — the store growing while it
// looks, live — at every entry the store held at the last refresh, once the files are
// read: what arrives after is looked at as it comes, without a note.
func (m *Model) refresh() {
	selected := (m.moved || m.complete) && m.cursor < len(m.groups)
	var was security.Group
	if selected {
		was = m.groups[m.cursor]
	}
	m.watch.Update()
	done, total := m.watch.Progress()
	if !m.complete {
		m.complete = done >= total || m.session.Loaded() && m.seenTotal > 0 && done >= m.seenTotal
	}
	m.seenTotal = total
	m.groups = m.watch.Groups()
	m.most, m.newest = 0, 0
	for i := range m.groups {
		g := &m.groups[i]
		if selected && g.Address == was.Address && g.Conference == was.Conference && g.Alias == was.Alias {
			m.cursor = i
		}
		m.most, m.newest = max(m.most, g.Events), max(m.newest, g.Last)
	}
	m.cursor = min(m.cursor, max(0, len(m.groups)-1))
	m.scroll()
}

// Selected returns the address of the selected row, and whether there is one ("" for a
// group of events that logged none).
func (m *Model) Selected() (string, bool) {
	if m.cursor >= len(m.groups) {
		return "", false
	}
	return m.groups[m.cursor].Address, true
}

// Update takes in new events, moves the cursor with the keys and a click; enter on a row
// asks to search the logs for its address.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.SyncMsg:
		m.refresh()
	case tea.MouseClickMsg:
		if row := m.top + msg.Mouse().Y - 1; msg.Mouse().Y >= 1 && row < min(len(m.groups), m.top+m.rowsShown()) {
			m.cursor, m.moved = row, true
		}
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
				m.cursor, m.moved = pos, true
				m.scroll()
			}
		}
	}
	return nil
}

func (m *Model) rowsShown() int { return max(1, m.height-2) }

func (m *Model) scroll() { m.top = nav.Top(m.cursor, m.top, m.rowsShown()) }

// columns returns the columns shown, by index in report.SecurityColumns, and their
// widths: the address as wide as the widest shown (within limits), WHAT as wide as it
// needs up to 40 cells, TRIED the rest; narrow, fewer and narrower.
func (m *Model) columns() (cols, widths []int) {
	address, what := len("ADDRESS"), len("WHAT")
	for i := m.top; i < len(m.groups) && i < m.top+m.rowsShown(); i++ {
		address = max(address, ansi.StringWidth(m.groups[i].Place()))
		what = max(what, ansi.StringWidth(m.groups[i].What()))
	}
	cols = []int{colAddress, colEvents, colFirst, colLast, colWhat, colTried}
	widths = []int{min(address, 40), 6, 19, 19, min(what, 40), 0}
	if m.narrow() {
		cols = []int{colAddress, colEvents, colLast, colWhat, colTried}
		widths = []int{min(address, 22), 6, 14, min(what, 22), 0}
	}
	used := len(widths) - 1
	for _, w := range widths {
		used += w
	}
	widths[len(widths)-1] = max(10, m.width-used)
	return cols, widths
}

// narrow reports whether the view is too narrow for every column: FIRST SEEN is left out,
// and LAST SEEN written without its year.
func (m *Model) narrow() bool { return m.width < 120 }

// View renders the header, the visible rows and what the search is doing.
func (m *Model) View() string {
	st := m.styles
	cols, w := m.columns()
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = layout.Cell(report.SecurityColumns[c], w[i])
	}
	lines := []string{st.Title.Render(ansi.Truncate(strings.Join(header, " "), m.width, "…"))}
	for i := m.top; i < len(m.groups) && i < m.top+m.rowsShown(); i++ {
		lines = append(lines, m.renderRow(&m.groups[i], cols, w, i == m.cursor))
	}
	lines = append(lines, st.Faint.Render(ansi.Truncate(m.note(), m.width, "…")))
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines[:m.height], "\n")
}

// note is the line under the rows: what the search is doing, or what it found.
func (m *Model) note() string {
	events, addresses, unaddressed, others := 0, 0, 0, 0
	for i := range m.groups {
		if m.groups[i].Address != "" {
			events += m.groups[i].Events
			addresses++
		} else {
			unaddressed += m.groups[i].Events
			others++
		}
	}
	switch {
	case !m.complete:
		return "looking for security events…"
	case len(m.groups) == 0:
		return "no failed logins, wrong PINs, break-in blocks or refused authentications so far"
	}
	s := fmt.Sprintf("%d events from %d addresses", events, addresses)
	if others > 0 {
		s += fmt.Sprintf("; %d more, with no address logged, at %d conferences", unaddressed, others)
	}
	return s + " — " + m.Open.Help().Key + " searches the logs for the address"
}

// renderRow draws a group in the text's colour; only what stands out is coloured: the
// most events of any group, and the newest event. The selected row is drawn whole in the
// selection's style, as wide as the view.
func (m *Model) renderRow(g *security.Group, cols, w []int, selected bool) string {
	st := m.styles
	cells := report.SecurityRow(g)
	if last := cells[colLast]; m.narrow() && len(last) == len("2006-01-02 15:04:05") {
		cells[colLast] = last[len("2006-"):]
	}
	base := st.Text
	if selected {
		base = st.Selected.Inherit(base)
	}
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(base.Render(" "))
		}
		style := base
		switch {
		case c == colEvents && g.Events == m.most && m.most > 1:
			style = st.Badge("ERROR").Inherit(base)
		case c == colLast && g.Last == m.newest && g.Last != 0:
			style = st.Badge("WARNING").Inherit(base)
		}
		b.WriteString(style.Render(layout.Cell(cells[c], w[i])))
	}
	return ansi.Truncate(b.String(), m.width, "…")
}
