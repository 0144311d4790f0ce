// Package callsview is the calls list: one row per call — start, participant, conference,
// protocol, direction, vendor, nodes, state, duration, reason, media quality, warnings and
// errors — updated as calls change, sortable by any column, narrowed by a fuzzy prompt
// over participant, conference, alias, call id and vendor, and rid of the calls of SIP
// scanners on request (counted, not lost).
package callsview

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/sahilm/fuzzy"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/layout"
	"github.com/calltail/calltail/tui/nav"
)

// KeyMap is what the list answers to; while its prompt is open, Accept and Cancel close
// it and every other key is typed.
type KeyMap struct {
	nav.Keys
	Open, Filter, Sort, Reverse, Scanners, Back key.Binding
	Accept, Cancel                              key.Binding
}

func newKeyMap(k keymap.KeyMap) KeyMap {
	return KeyMap{Keys: k.Keys, Open: keymap.With(k.Details, "opens"), Filter: keymap.With(k.Search, "filters"),
		Sort: keymap.With(k.Sort, "sorts"), Reverse: keymap.With(k.Reverse, "reverses"),
		Scanners: keymap.With(k.Scanners, "hides or shows the calls of SIP scanners"), Back: keymap.With(k.Back, "goes back"),
		Accept: k.Accept, Cancel: k.Cancel}
}

// ShortHelp returns the keys the tab bar names.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Open, k.Filter, k.Sort, k.Back} }

// FullHelp returns every key, for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.Keys.FullHelp(), []key.Binding{k.Open, k.Filter, k.Sort, k.Reverse, k.Scanners, k.Back})
}

// widths are the columns' widths in cells (the participant column takes what is left).
var widths = []int{7, 23, 0, 16, 6, 4, 14, 14, 14, 10, 9, 14, 7, 4, 3}

const participantCol = 2

// Model is the calls list.
type Model struct {
	KeyMap
	styles       *themes.Styles
	index        *calls.Index
	notify       func()        // wakes the program when calls have been read
	reading      bool          // a read of the calls is under way
	read         chan readDone // where it ends
	version      uint64
	all          []calls.Call
	texts        texts // what the fuzzy prompt matches in each call of all
	rows         []int // indexes into all, filtered and sorted
	sortCol      int
	desc         bool
	hideScanners bool // leave out the calls of SIP scanners
	scanners     int  // how many calls the prompt selects were left out as scanners

	input         textinput.Model
	filtering     bool
	cursor, top   int
	width, height int
}

// readDone is the calls as the index had them at a version.
type readDone struct {
	version uint64
	calls   []calls.Call
}

// New returns the list of the session's calls, newest first. The calls are read in the
// background (the first read of a large log takes a while); the session is told when a
// read ends, and the next SyncMsg shows what it read.
func New(c common.Common) *Model {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "participant, conference, alias, call id or vendor"
	m := &Model{KeyMap: newKeyMap(c.Keys), styles: c.Styles, index: c.Session.Calls, notify: c.Session.Notifier.Poke,
		read: make(chan readDone, 1), input: in, sortCol: 1, desc: true}
	m.refresh()
	return m
}

// Title names the view in the tab bar.
func (m *Model) Title() string { return "calls" }

// Typing reports whether the filter prompt has the keyboard.
func (m *Model) Typing() bool { return m.filtering }

// SetSize sets the list's size.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, max(3, height)
	m.input.SetWidth(max(10, width-2))
	m.scroll()
}

// refresh shows the calls a finished read brought, keeping the cursor on the same call, and
// starts a read when the index has changed since the last.
func (m *Model) refresh() {
	select {
	case done := <-m.read:
		m.reading = false
		selected := m.Selected()
		m.version, m.all, m.texts = done.version, done.calls, nil
		if m.all == nil {
			m.all = []calls.Call{}
		}
		m.arrange()
		m.selectCall(selected)
	default:
	}
	if !m.reading && (m.index.Version() != m.version || m.all == nil) {
		m.reading = true
		go func() {
			calls, version := m.index.Listing()
			m.read <- readDone{version, calls}
			if m.notify != nil {
				m.notify()
			}
		}()
	}
}

// loading reports whether the list waits for its first read of the calls.
func (m *Model) loading() bool { return m.all == nil }

// selectCall puts the cursor on call number n, if it is listed, and scrolls to it.
func (m *Model) selectCall(n int) {
	for i, r := range m.rows {
		if m.all[r].Number == n {
			m.cursor = i
			break
		}
	}
	m.scroll()
}

// Selected returns the number of the call under the cursor, or 0.
func (m *Model) Selected() int {
	if m.cursor < len(m.rows) {
		return m.all[m.rows[m.cursor]].Number
	}
	return 0
}

// searchText is what the fuzzy prompt matches in a call.
func searchText(c *calls.Call) string {
	return strings.Join([]string{c.Who(), c.Participant, c.Conference, c.Alias, strings.Join(c.CallIDs, " "), c.Vendor}, " ")
}

type texts []string

func (t texts) String(i int) string { return t[i] }
func (t texts) Len() int            { return len(t) }

// arrange filters the calls with the prompt's text and sorts them by the sort column.
func (m *Model) arrange() {
	m.rows = m.rows[:0]
	if q := m.input.Value(); q != "" {
		if len(m.texts) != len(m.all) {
			m.texts = make(texts, len(m.all))
			for i := range m.all {
				m.texts[i] = searchText(&m.all[i])
			}
		}
		for _, match := range fuzzy.FindFromNoSort(q, m.texts) {
			m.rows = append(m.rows, match.Index)
		}
	} else {
		for i := range m.all {
			m.rows = append(m.rows, i)
		}
	}
	m.scanners = 0
	if m.hideScanners {
		m.rows = slices.DeleteFunc(m.rows, func(i int) bool {
			scanner := m.all[i].IsScanner()
			if scanner {
				m.scanners++
			}
			return scanner
		})
	}
	less := m.less()
	sort.SliceStable(m.rows, func(i, j int) bool {
		a, b := m.rows[i], m.rows[j]
		if m.desc {
			return less(b, a)
		}
		return less(a, b)
	})
	m.cursor = min(m.cursor, max(0, len(m.rows)-1))
}

// less orders calls (by index in all) by the sort column. Keys that take work to compute
// are computed once per call, not once per comparison.
func (m *Model) less() func(a, b int) bool {
	c := m.all
	switch m.sortCol {
	case 0:
		return func(a, b int) bool { return c[a].Number < c[b].Number }
	case 1:
		return func(a, b int) bool { return c[a].Start < c[b].Start }
	case 10:
		secs := make([]float64, len(c))
		for _, r := range m.rows {
			secs[r] = seconds(c[r].Duration)
		}
		return func(a, b int) bool { return secs[a] < secs[b] }
	case 12:
		return func(a, b int) bool { return c[a].WorstMedia() < c[b].WorstMedia() }
	case 13:
		return func(a, b int) bool { return c[a].Warnings < c[b].Warnings }
	case 14:
		return func(a, b int) bool { return c[a].Errors < c[b].Errors }
	}
	keys := make([]string, len(c))
	for _, r := range m.rows {
		keys[r] = strings.ToLower(report.CallCell(&c[r], m.sortCol))
	}
	return func(a, b int) bool { return keys[a] < keys[b] }
}

// plural writes n things: "1 scanner call", "3 scanner calls".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func seconds(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// Update takes in the calls read, moves, sorts and filters; enter asks to open the call
// under the cursor.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.SyncMsg:
		m.refresh()
		return nil
	case tea.KeyPressMsg:
		var cmd tea.Cmd
		if m.filtering {
			cmd = m.filterKey(msg)
		} else {
			cmd = m.key(msg)
		}
		m.cursor = min(max(m.cursor, 0), max(0, len(m.rows)-1))
		m.scroll()
		return cmd
	}
	return nil
}

// key handles a key while the list has the keyboard.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.Back):
		return common.Ask(common.BackMsg{})
	case key.Matches(msg, m.Open):
		if n := m.Selected(); n != 0 {
			return common.Ask(common.OpenCallMsg{Number: n})
		}
	case key.Matches(msg, m.Filter):
		m.filtering = true
		return m.input.Focus()
	case key.Matches(msg, m.Sort), key.Matches(msg, m.Reverse), key.Matches(msg, m.Scanners):
		selected := m.Selected()
		switch {
		case key.Matches(msg, m.Sort):
			m.sortCol = (m.sortCol + 1) % len(report.CallColumns)
		case key.Matches(msg, m.Reverse):
			m.desc = !m.desc
		default:
			m.hideScanners = !m.hideScanners
		}
		m.arrange()
		m.selectCall(selected)
	default:
		m.cursor, _ = m.Move(msg, m.cursor, m.rowsShown()-1, len(m.rows)-1)
	}
	return nil
}

// filterKey handles a key while the filter prompt has the keyboard.
func (m *Model) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.Accept):
		m.filtering = false
		m.input.Blur()
	case key.Matches(msg, m.Cancel):
		selected := m.Selected()
		m.filtering = false
		m.input.Blur()
		m.input.SetValue("")
		m.arrange()
		m.selectCall(selected)
	default:
		before := m.input.Value()
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		if m.input.Value() != before {
			m.cursor = 0
			m.arrange()
		}
		return cmd
	}
	return nil
}

// rowsShown is how many calls fit under the header (and the prompt, when open, and the
// count of scanners' calls hidden, when they are).
func (m *Model) rowsShown() int {
	n := m.height - 1
	if m.filtering || m.input.Value() != "" {
		n--
	}
	if m.hideScanners {
		n--
	}
	return max(1, n)
}

func (m *Model) scroll() { m.top = nav.Top(m.cursor, m.top, m.rowsShown()) }

// columnWidths gives the participant column what the fixed columns leave.
func (m *Model) columnWidths() []int {
	w := append([]int(nil), widths...)
	fixed := len(w) - 1
	for _, x := range w {
		fixed += x
	}
	w[participantCol] = max(24, m.width-fixed)
	return w
}

// View renders the header, the visible calls and the prompt.
func (m *Model) View() string {
	st := m.styles
	w := m.columnWidths()
	var lines []string
	header := make([]string, len(report.CallColumns))
	for i, c := range report.CallColumns {
		header[i] = layout.Cell(c, w[i])
		if i == m.sortCol { // the name is cut rather than the arrow
			arrow := "▲"
			if m.desc {
				arrow = "▼"
			}
			header[i] = layout.Cell(strings.TrimRight(ansi.Truncate(c, w[i]-1, "…"), " ")+arrow, w[i])
		}
	}
	lines = append(lines, st.Title.Render(ansi.Truncate(strings.Join(header, " "), m.width, "…")))
	if m.filtering || m.input.Value() != "" {
		lines = append(lines, m.input.View()+st.Faint.Render(fmt.Sprintf("  %d of %d calls", len(m.rows), len(m.all))))
	}
	if m.hideScanners {
		lines = append(lines, st.Faint.Render(fmt.Sprintf("%s hidden (%s shows them)", plural(m.scanners, "scanner call", "scanner calls"),
			m.Scanners.Help().Key)))
	}
	for i := m.top; i < len(m.rows) && i < m.top+m.rowsShown(); i++ {
		c := &m.all[m.rows[i]]
		lines = append(lines, m.renderRow(c, w, i == m.cursor))
	}
	switch {
	case m.loading():
		lines = append(lines, st.Faint.Render("reading the calls…"))
	case len(m.all) == 0:
		lines = append(lines, st.Faint.Render("no calls in the logs yet"))
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines[:m.height], "\n")
}

// renderRow draws a call: failed calls as errors, calls with bad media as warnings.
func (m *Model) renderRow(c *calls.Call, w []int, selected bool) string {
	st := m.styles
	cells := report.CallRow(c)
	for i := range cells {
		cells[i] = layout.Cell(cells[i], w[i])
	}
	base := st.Text
	switch {
	case c.State == calls.Failed || c.WorstMedia() == media.Bad || c.Errors > 0:
		base = st.ErrorRow
	case c.WorstMedia() == media.Warn || c.Warnings > 0:
		base = st.WarnRow
	}
	if selected {
		base = st.Selected.Inherit(base)
	}
	return base.Render(ansi.Truncate(strings.Join(cells, " "), m.width, "…"))
}
