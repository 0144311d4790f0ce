// Package pane is one log pane of the UI: the entries of a store that the pane's settings
// select (the administrator log or everything, a minimum level, a filter expression), shown
// as a virtualised list — only the visible rows are read, formatted and styled — with a
// cursor, a search whose matches are highlighted, and follow mode: at the end, new entries
// scroll in; moved up, the pane holds still and counts what arrived.
package pane

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/filtered"
	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/nav"
)

// Config is what a pane is made of.
type Config struct {
	Title     string
	Admin     bool // only the administrator log (administrator.* modules)
	Store     *store.Store
	NewParser model.NewParserFunc
	Notify    func() // wakes the UI when background work made progress
	Styles    *themes.Styles
	Keys      nav.Keys // the bindings a pane answers to itself
	// Base, when set, is what the pane lists instead of the store's entries (or its
	// administrator log): a call's timeline.
	Base filtered.BaseFunc
	// Indexing, when set, reports whether the store is still reading what it was given:
	// a search from the end then goes to the first match found.
	Indexing func() bool
}

// Model is one pane.
type Model struct {
	cfg           Config
	width, height int
	minLevel      model.Level
	filter        *filter.Filter
	list          *filtered.List
	query         *search.Query
	matches       *filtered.List
	jumpFrom      *Position // where the search started, until it has moved to a match
	cursor, top   int
	follow        bool
	seen          int // entries the user had seen when they stopped following
	wrap          bool
	timeMode      TimeMode
	rows          map[uint32]row
	parser        model.Parser
	buf           []byte
	preview       []model.Record // the end of the files, shown until the store has them
	previewRows   []int          // preview entries the pane's settings select
	first, n      int            // the list's bounds as of the last settle: what the view shows
	marks         []uint32       // the entries marked (m), in order
	xoff          int            // cells the rows' text is scrolled to the left
	nodeW, modW   int            // the columns' widths: they only grow, so rows never shift
	namesAt       int            // the store's length when the names were last measured
	years         bool           // the entries span years: dates show theirs
	firstOf       map[string]string
}

// New returns a pane showing every level, following the end.
func New(cfg Config) *Model {
	m := &Model{cfg: cfg, minLevel: model.LevelDebug, follow: true, rows: map[uint32]row{}, parser: cfg.NewParser(),
		nodeW: 4, modW: 8, firstOf: map[string]string{}}
	m.rebuild()
	return m
}

func (m *Model) base() filtered.Base {
	if m.cfg.Base != nil {
		return m.cfg.Base()
	}
	if m.cfg.Admin {
		return m.cfg.Store.Admin()
	}
	return filtered.AllOf(m.cfg.Store)
}

// rebuild makes the pane's list again after its settings changed.
func (m *Model) rebuild() {
	if m.list != nil {
		m.list.Close()
	}
	spec := filtered.Spec{MinLevel: m.minLevel}
	if m.filter != nil {
		spec.Match = m.filter
	}
	m.list = filtered.New(m.cfg.Store, m.base, spec, m.cfg.NewParser, m.cfg.Notify)
	m.setPreview(m.preview)
	if m.query != nil {
		m.SetSearch(m.query, m.jumpFrom)
	}
	m.follow = true
	m.settle()
}

// Title returns the pane's name.
func (m *Model) Title() string { return m.cfg.Title }

// SetSize sets the pane's size in cells.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, max(1, height)
	m.measure()
	m.settle()
}

// SetPreview gives the pane the end of the files to show until the store has indexed
// them; nil ends the preview.
func (m *Model) SetPreview(recs []model.Record) {
	if recs == nil && !m.previewing() {
		return
	}
	m.setPreview(recs)
	m.settle()
}

func (m *Model) setPreview(recs []model.Record) {
	m.preview, m.previewRows = recs, nil
	for i := range recs {
		r := &recs[i]
		if (!m.cfg.Admin || r.IsAdmin()) && r.Level >= m.minLevel && (m.filter == nil || m.filter.Match(r)) {
			m.previewRows = append(m.previewRows, i)
		}
	}
}

// previewing reports whether the pane shows the preview rather than the store.
func (m *Model) previewing() bool { return m.preview != nil }

// Len returns the number of entries the pane shows.
func (m *Model) Len() int {
	first, n := m.bounds()
	return n - first
}

// bounds returns the positions of the list's first entry and after its last: positions
// are kept as the store lets its oldest entries go, so the first moves on (see filtered).
func (m *Model) bounds() (first, n int) {
	if m.previewing() {
		return 0, len(m.previewRows)
	}
	s := m.list.Snap()
	return s.First(), s.Len()
}

// Sync takes in what the store and the background matching added.
func (m *Model) Sync() {
	m.list.Sync()
	if m.matches != nil {
		m.matches.Sync()
	}
	m.measure()
	m.settle()
	if m.jumpFrom != nil {
		m.searchJump()
	}
}

// settle keeps the cursor in range and visible, and at the end when following. The view
// shows the list as it was here, so that a frame never mixes two lengths.
func (m *Model) settle() {
	first, n := m.bounds()
	m.first, m.n = first, n
	if m.follow || m.cursor >= n {
		m.cursor = n - 1
	}
	if m.follow {
		m.seen = n
	}
	m.cursor = max(m.cursor, first)
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+m.height {
		m.top = m.cursor - m.height + 1
	}
	if m.follow || m.top > max(first, n-m.height) {
		m.top = max(first, n-m.height)
	}
	m.top = max(m.top, first)
}

// New returns how many entries arrived since the user stopped following.
func (m *Model) New() int {
	if m.follow {
		return 0
	}
	_, n := m.bounds()
	return max(0, n-m.seen)
}

// Following reports whether the pane follows the end.
func (m *Model) Following() bool { return m.follow }

// ShortHelp returns the keys that move the cursor up and down.
func (m *Model) ShortHelp() []key.Binding { return m.cfg.Keys.ShortHelp() }

// FullHelp returns every key the pane answers to.
func (m *Model) FullHelp() [][]key.Binding { return m.cfg.Keys.FullHelp() }

// Update moves the cursor with the keys, and scrolls with the mouse wheel.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		m.key(msg)
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.scroll(-3)
		case tea.MouseWheelDown:
			m.scroll(3)
		}
	}
	return nil
}

func (m *Model) key(msg tea.KeyPressMsg) {
	k := m.cfg.Keys
	_, n := m.bounds()
	switch {
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-max(1, m.height-1))
	case key.Matches(msg, k.PageDown):
		m.move(max(1, m.height-1))
	case key.Matches(msg, k.Top):
		m.move(-n)
	case key.Matches(msg, k.Bottom):
		m.follow = true
		m.settle()
	}
}

// Home shows the first entry, and stops following the end.
func (m *Model) Home() {
	first, n := m.bounds()
	m.follow, m.seen, m.cursor = false, n, first
	m.settle()
}

// scroll moves the cursor by lines (the mouse wheel).
func (m *Model) scroll(lines int) { m.move(lines) }

// move moves the cursor; leaving the last entry pauses, reaching it again follows.
func (m *Model) move(delta int) {
	first, n := m.bounds()
	if m.follow && delta < 0 {
		m.follow = false
		m.seen = n
	}
	m.cursor = min(max(m.cursor+delta, first), max(n-1, first))
	if !m.follow && delta > 0 && m.cursor == n-1 {
		m.follow = true
	}
	m.settle()
}

// MinLevel returns the pane's minimum level.
func (m *Model) MinLevel() model.Level { return m.minLevel }

// SetMinLevel shows only entries at level l or above.
func (m *Model) SetMinLevel(l model.Level) {
	m.minLevel = l
	m.rebuild()
}

// Filter returns the pane's filter expression ("" for none).
func (m *Model) Filter() string {
	if m.filter == nil {
		return ""
	}
	return m.filter.String()
}

// SetFilter shows only entries the expression selects; "" shows all. A malformed
// expression is returned as an error and the pane keeps its filter.
func (m *Model) SetFilter(expr string) error {
	if strings.TrimSpace(expr) == "" {
		m.filter = nil
		m.rebuild()
		return nil
	}
	f, err := filter.Compile(expr)
	if err != nil {
		return err
	}
	m.filter = f
	m.rebuild()
	return nil
}

// Progress returns how far the pane's background matching has got.
func (m *Model) Progress() (done, total int) { return m.list.Progress() }

// Selected returns the selected entry's raw text, read again, and whether there is one.
func (m *Model) Selected() ([]byte, bool) {
	if m.Len() == 0 {
		return nil, false
	}
	if m.previewing() {
		return m.preview[m.previewRows[m.cursor]].Raw, true
	}
	raw, err := m.cfg.Store.View().Raw(nil, int(m.list.Snap().At(m.cursor)))
	return raw, err == nil
}

// SelectedNode returns the node the store holds for the selected entry: what its text
// names, or where the text was found (a snapshot's node folder); "" if unknown.
func (m *Model) SelectedNode() string {
	if m.Len() == 0 || m.previewing() {
		return ""
	}
	v := m.cfg.Store.View()
	return m.cfg.Store.Name(v.Entry(int(m.list.Snap().At(m.cursor))).Node)
}

// Entries returns the pane's list of entries, for export.
func (m *Model) Entries() filtered.Snap { return m.list.Snap() }

// SetWrap turns row wrapping on or off.
func (m *Model) SetWrap(on bool) {
	m.wrap = on
	clear(m.rows) // a wrapped row shows its Detail's first line whole
}

// SetTimeMode chooses which time the rows show.
func (m *Model) SetTimeMode(t TimeMode) {
	m.timeMode = t
	clear(m.rows)
}

// TimeMode returns which time the rows show, for the status line.
func (m *Model) TimeMode() TimeMode { return m.timeMode }

// Close stops the pane's background work.
func (m *Model) Close() {
	m.list.Close()
	if m.matches != nil {
		m.matches.Close()
	}
}
