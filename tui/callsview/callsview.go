// Package callsview is the calls list: one row per call — start, participant, state,
// duration (a live call's counting up), reason, nodes (named as the log rows name them),
// conference, protocol, direction, media quality, warnings, errors and vendor — updated as
// calls change, its columns as wide as their priority and the screen allow and scrolled
// sideways, sortable by any column, narrowed by a fuzzy prompt (best match first) over
// participant, conference, alias, call id, vendor, state, reason and nodes, rid of the
// calls of SIP scanners on request (counted, not lost); calls marked with space open
// together, as one flow.
package callsview

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/callview"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/nav"
	"github.com/calltail/calltail/tui/numbers"
)

// KeyMap is what the list answers to; while its prompt is open, Accept and Cancel close
// it and every other key is typed.
type KeyMap struct {
	nav.Keys
	Open, Filter, Sort, Reverse, Scanners, Mark, Left, Right, Back key.Binding
	Accept, Cancel                                                 key.Binding
}

func newKeyMap(k keymap.KeyMap) KeyMap {
	return KeyMap{Keys: k.Keys, Open: keymap.With(k.Details, "opens"),
		Filter: keymap.With(k.Search, "filters"), Sort: keymap.With(k.Sort, "sorts"),
		Reverse: keymap.With(k.Reverse, "reverses"), Scanners: keymap.With(k.Scanners, "hides or shows the calls of SIP scanners"),
		Mark: keymap.With(k.Mark, "marks calls to open as one"), Left: keymap.With(k.ScrollLeft, "scrolls the columns left"),
		Right: keymap.With(k.ScrollRight, "scrolls the columns right"), Back: keymap.With(k.Back, "goes back"),
		Accept: k.Accept, Cancel: k.Cancel}
}

// ShortHelp returns the keys the tab bar names.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Open, k.Filter, k.Sort, k.Mark, k.Back}
}

// FullHelp returns every key, for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.Keys.FullHelp(), []key.Binding{k.Open, k.Filter, k.Sort, k.Reverse, k.Scanners},
		[]key.Binding{k.Mark, k.Left, k.Right, k.Back})
}

// Model is the calls list.
type Model struct {
	KeyMap
	styles       *themes.Styles
	index        *calls.Index
	st           *store.Store
	live         func() bool      // whether the session may still read more
	clock        func() time.Time // the time now, for live calls' durations
	notify       func()           // wakes the program when calls have been read
	reading      bool             // a read of the calls is under way
	rd           *reader          // what reads the calls, in the background
	read         chan readDone    // where a read ends
	version      uint64
	first        int       // while only the newest calls are read: how many calls there are
	all          []callRow // by call number
	look         lookup    // the rows' strings and the nodes' names, as the last read had them
	layout       string    // how the START column writes the calls' starts
	natural      []int     // each column's widest cell
	rows         []int     // indexes into all, filtered and sorted
	marked       map[int]bool
	sortCol      int
	desc         bool
	ranked       bool   // the rows are in order of match, best first
	hideScanners bool   // leave out the calls of SIP scanners
	scanners     int    // how many calls the prompt selects were left out as scanners
	skip         int    // the columns scrolled out to the left, after the frozen ones
	narrowed     string // the query loose was found for, among the same calls
	loose        []bool // by call: every word of narrowed matches it, tightly or not

	input         textinput.Model
	filtering     bool
	cursor, top   int
	width, height int
}

// New returns the list of the session's calls, newest first. The calls are read in the
// background (the first read of a large log takes a while); the session is told when a
// read ends, and the next SyncMsg shows what it read.
func New(c common.Common) *Model {
	in := textinput.New()
	in.Prompt = "/"
	in.Placeholder = "participant, conference, call id, vendor, state, reason or node"
	m := &Model{KeyMap: newKeyMap(c.Keys), styles: c.Styles, index: c.Session.Calls, st: c.Session.Store,
		live: c.Session.Live, clock: time.Now, notify: c.Session.Notifier.Poke, read: make(chan readDone, 1), input: in,
		rd: &reader{index: c.Session.Calls, st: c.Session.Store, newParser: c.NewParser, loaded: c.Session.Loaded}, marked: map[int]bool{}, sortCol: colStart, desc: true}
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
	m.input.SetWidth(max(10, min(60, width-40))) // room for the count after it
	m.scroll()
}

// refresh shows the calls a finished read brought, keeping the cursor on the same call, and
// starts a read when the index has changed since the last: it reads only the calls that
// changed.
func (m *Model) refresh() {
	select {
	case done := <-m.read:
		m.reading = done.first > 0 // the rest is on its way
		selected := m.Selected()
		m.version, m.first = done.version, done.first
		m.apply(done)
		m.narrowed, m.loose = "", nil
		m.arrange()
		m.selectCall(selected)
	default:
	}
	if !m.reading && (m.index.Version() != m.version || m.all == nil) {
		m.reading = true
		go m.rd.read(m.all == nil, m.read, m.notify)
	}
}

// loading reports whether the list waits for its first read of the calls, or shows only
// the newest of them.
func (m *Model) loading() bool { return m.all == nil || m.first > 0 }

// selectCall puts the cursor on call number n, if it is listed, and scrolls to it.
func (m *Model) selectCall(n int) {
	for i, r := range m.rows {
		if int(m.all[r].number) == n {
			m.cursor = i
			break
		}
	}
	m.scroll()
}

// Selected returns the number of the call under the cursor, or 0.
func (m *Model) Selected() int {
	if m.cursor < len(m.rows) {
		return int(m.all[m.rows[m.cursor]].number)
	}
	return 0
}

// Marked returns the numbers of the calls marked, in order.
func (m *Model) Marked() []int {
	out := make([]int, 0, len(m.marked))
	for n := range m.marked {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// now is the time a connected call's duration counts to (see report.Now).
func (m *Model) now() int64 { return report.Now(m.clock(), report.LastTime(m.st), m.live()) }

// arrange filters the calls with the prompt's text and sorts them by the sort column;
// while ranked, the best matches of the prompt come first.
func (m *Model) arrange() {
	m.rows = m.rows[:0]
	for i := range m.all {
		m.rows = append(m.rows, i)
	}
	m.scanners = 0
	if m.hideScanners {
		m.rows = slices.DeleteFunc(m.rows, func(i int) bool {
			scanner := m.all[i].scanner
			if scanner {
				m.scanners++
			}
			return scanner
		})
	}
	m.sortRows()
	if q := m.input.Value(); q != "" {
		if m.narrowed != "" && strings.HasPrefix(q, m.narrowed) && len(m.loose) == len(m.all) {
			m.rows = slices.DeleteFunc(m.rows, func(i int) bool { return !m.loose[i] })
		}
		loose := make([]bool, len(m.all))
		m.rows = match(q, len(m.all), m.fieldsOf, m.rows, loose)
		m.narrowed, m.loose = q, loose
		if !m.ranked {
			m.sortRows()
		}
	}
	m.cursor = min(m.cursor, max(0, len(m.rows)-1))
}

// sortRows sorts the rows by the sort column.
func (m *Model) sortRows() {
	less := m.less()
	sort.SliceStable(m.rows, func(i, j int) bool {
		a, b := m.rows[i], m.rows[j]
		if m.desc {
			return less(b, a)
		}
		return less(a, b)
	})
}

// less orders calls (by index in all) by the sort column. Keys that take work to compute
// are computed once per call, not once per comparison.
func (m *Model) less() func(a, b int) bool {
	c := m.all
	switch m.sortCol {
	case colNumber:
		return func(a, b int) bool { return c[a].number < c[b].number }
	case colStart:
		return func(a, b int) bool { return c[a].start < c[b].start }
	case colDuration:
		now := m.now()
		lasted := make([]time.Duration, len(c))
		for _, r := range m.rows {
			call := c[r].lasting(m.look)
			d, ok := report.Lasted(&call, now)
			if !ok {
				d = -1
			}
			lasted[r] = d
		}
		return func(a, b int) bool { return lasted[a] < lasted[b] }
	case colQuality:
		return func(a, b int) bool { return c[a].worst < c[b].worst }
	case colWarn:
		return func(a, b int) bool { return c[a].warnings < c[b].warnings }
	case colErr:
		return func(a, b int) bool { return c[a].errors < c[b].errors }
	}
	keys := make([]string, len(c))
	for _, r := range m.rows {
		keys[r] = strings.ToLower(cellOf(&c[r], m.sortCol, m.layout, m.look))
	}
	return func(a, b int) bool { return keys[a] < keys[b] }
}

// Update takes in the calls read, moves, sorts, filters, marks and scrolls sideways;
// enter asks to open the call under the cursor, or the calls marked.
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
		if len(m.marked) > 0 {
			clear(m.marked)
			return nil
		}
		return common.Ask(common.BackMsg{})
	case key.Matches(msg, m.Open):
		if marked := m.Marked(); len(marked) > 0 {
			return common.Ask(callview.OpenMsg{Numbers: marked})
		}
		if n := m.Selected(); n != 0 {
			return common.Ask(common.OpenCallMsg{Number: n})
		}
	case key.Matches(msg, m.Mark): // before the movement keys: space pages down elsewhere
		if n := m.Selected(); n != 0 {
			if m.marked[n] {
				delete(m.marked, n)
			} else {
				m.marked[n] = true
			}
			m.cursor++
		}
	case key.Matches(msg, m.Left):
		m.skip = max(0, m.skip-1)
	case key.Matches(msg, m.Right):
		if _, _, more := fit(m.width, m.skip, m.natural); more {
			m.skip++
		}
	case key.Matches(msg, m.Filter):
		m.filtering = true
		return m.input.Focus()
	case key.Matches(msg, m.Sort), key.Matches(msg, m.Reverse), key.Matches(msg, m.Scanners):
		selected := m.Selected()
		switch {
		case key.Matches(msg, m.Sort):
			if !m.ranked || m.input.Value() == "" {
				m.sortCol = nextSort(m.sortCol)
				m.reveal()
			}
			m.ranked = false
		case key.Matches(msg, m.Reverse):
			m.desc = !m.desc
			m.ranked = false
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
		m.ranked = false
		m.arrange()
		m.selectCall(selected)
	default:
		before := m.input.Value()
		var cmd tea.Cmd
		m.input, cmd = m.input.Update(msg)
		if m.input.Value() != before {
			m.cursor, m.ranked = 0, true
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
	if m.filtering || m.input.Value() != "" || len(m.marked) > 0 {
		n--
	}
	if m.hideScanners {
		n--
	}
	if m.first > 0 {
		n--
	}
	return max(1, n)
}

func (m *Model) scroll() { m.top = nav.Top(m.cursor, m.top, m.rowsShown()) }

// reveal scrolls the columns sideways as little as it takes for the sort column, and its
// arrow, to show.
func (m *Model) reveal() {
	k := slices.IndexFunc(columns, func(c column) bool { return c.field == m.sortCol })
	if k < frozen || m.natural == nil {
		return
	}
	m.skip = min(m.skip, k-frozen)
	for range columns {
		shown, _, more := fit(m.width, m.skip, m.natural)
		if slices.Contains(shown, k) || !more {
			return
		}
		m.skip++
	}
}

// View renders the header, the visible calls and the prompt.
func (m *Model) View() string {
	st := m.styles
	natural := m.natural
	if natural == nil {
		natural = make([]int, len(report.CallColumns))
	}
	shown, widths, more := fit(m.width, m.skip, natural)
	lines := []string{st.Title.Render(header(shown, widths, m.sortCol, m.desc, m.ranked && m.input.Value() != "", m.skip > 0, more, m.width))}
	if m.filtering || m.input.Value() != "" || len(m.marked) > 0 {
		var status []string
		if m.filtering || m.input.Value() != "" {
			order := ""
			if m.ranked {
				order = ", best match first"
			}
			status = append(status, m.input.View()+st.Faint.Render(fmt.Sprintf("  %d of %d calls%s", len(m.rows), len(m.all), order)))
		}
		if len(m.marked) > 0 {
			status = append(status, st.Accent.Render(fmt.Sprintf("%s marked: %s opens them as one flow, %s unmarks",
				numbers.Plural(len(m.marked), "call", "calls"), m.Open.Help().Key, m.Back.Help().Key)))
		}
		lines = append(lines, ansi.Truncate(strings.Join(status, "  "), m.width, "…"))
	}
	if m.hideScanners {
		lines = append(lines, st.Faint.Render(fmt.Sprintf("%s hidden (%s shows them)", numbers.Plural(m.scanners, "scanner call", "scanner calls"),
			m.Scanners.Help().Key)))
	}
	if m.first > 0 {
		lines = append(lines, st.Faint.Render(fmt.Sprintf("reading the calls… the newest %d of %d shown", len(m.all), m.first)))
	}
	now := m.now()
	for i := m.top; i < len(m.rows) && i < m.top+m.rowsShown(); i++ {
		lines = append(lines, m.renderRow(m.rows[i], now, shown, widths, i == m.cursor))
	}
	switch {
	case m.all == nil:
		lines = append(lines, st.Faint.Render("reading the calls…"))
	case len(m.all) == 0:
		lines = append(lines, st.Faint.Render("no calls in the logs yet"))
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines[:m.height], "\n")
}

// renderRow draws call r of all: failed calls as errors, calls with bad media as
// warnings, marked calls in the accent colour.
func (m *Model) renderRow(r int, now int64, shown, widths []int, selected bool) string {
	st := m.styles
	c := &m.all[r]
	marked := m.marked[int(c.number)]
	base := st.Text
	switch {
	case marked:
		base = st.Accent
	case calls.State(c.state) == calls.Failed || c.quality() == media.Bad || c.errors > 0:
		base = st.ErrorRow
	case c.quality() == media.Warn || c.warnings > 0:
		base = st.WarnRow
	}
	if selected {
		base = st.Selected.Inherit(base)
	}
	var cells [numColumns]string
	for _, i := range shown {
		cells[columns[i].field] = cellOf(c, columns[i].field, m.layout, m.look)
	}
	call := c.lasting(m.look)
	text := row(cells[:], report.DurationAt(&call, now), marked, shown, widths)
	return base.Render(ansi.Truncate(text, m.width, "…"))
}
