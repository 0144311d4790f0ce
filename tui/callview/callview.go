// Package callview shows one call, or several as one (a gateway call's two legs, a
// proxy's legs): a header with its summary (two lines on a small screen, the whole on a
// large one, H switches), and tabs — its timeline (every line of the call, from every
// module and node, in time order), its signalling as a ladder like sngrep's (the time
// since the message before, SIP with its Reason, Warning and MS-Diagnostics headers and
// its SDP, BFCP floor control, H.225 and H.245; the selected message beside the ladder on
// a wide screen, enter shows it whole), its media statistics with bad values highlighted
// and its media over time as sparklines, and the other participants of its conference.
// Every tab scrolls; esc goes back, y copies what is selected, e writes every line of the
// call to a file.
package callview

import (
	"bytes"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/filtered"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/nav"
	"github.com/calltail/calltail/tui/pane"
)

// KeyMap is what the view answers to; while its export prompt is open, Accept and Cancel
// close it and every other key is typed.
type KeyMap struct {
	nav.Keys
	NextTab, PrevTab, Open, Copy, Export, Header, Back key.Binding
	Accept, Cancel                                     key.Binding
}

func newKeyMap(k keymap.KeyMap) KeyMap {
	return KeyMap{Keys: k.Keys, NextTab: keymap.With(k.NextPane, "for the next tab"), PrevTab: keymap.With(k.PrevPane, "for the tab before"),
		Open:   keymap.With(k.Details, "opens an entry or a SIP message"),
		Copy:   keymap.With(k.Copy, "copies the entry, the message or the tab (OSC 52)"),
		Export: keymap.With(k.Export, "writes every line of the call to a file"),
		Header: keymap.With(k.CallHeader, "shows the whole summary, or two lines"), Back: keymap.With(k.Back, "goes back"),
		Accept: k.Accept, Cancel: k.Cancel}
}

// ShortHelp returns the keys the tab bar names.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.NextTab, k.Back} }

// FullHelp returns every key, for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.Keys.FullHelp(), []key.Binding{k.NextTab, k.PrevTab, k.Open, k.Copy, k.Export, k.Header, k.Back})
}

// Tab is one of the view's tabs.
type Tab int

// The tabs, in order.
const (
	Timeline Tab = iota
	Signalling
	Media
	Conference
)

var tabNames = [...]string{"Timeline", "Signalling", "Media", "Conference"}

// Model is the view of one call.
type Model struct {
	KeyMap
	styles        *themes.Styles
	st            *store.Store
	index         *calls.Index
	newParser     model.NewParserFunc
	number        int   // the call's, or the first of the calls'
	more          []int // the other calls shown with it, as one
	call          calls.Call
	others        []calls.Call // the summaries of more
	nodes         map[string]string
	live          func() bool
	clock         func() time.Time
	header        int // 0: as the screen's height suits, 1: whole, -1: two lines
	tab           Tab
	timeline      *pane.Model
	entries       filtered.Entries
	conference    []calls.Call       // the calls of its conference instance there while it was, read on the Conference tab
	legs          []calls.Call       // the other legs of its conversation, read with them
	scrolled      [len(tabNames)]int // the first line shown of each tab that scrolls as a text
	confVersion   uint64             // the index's Version when they were read
	ladder        []calls.Message
	series        []calls.Series // the media over time
	from, to      int64          // the time of the call's first and last lines
	lines         []report.LadderLine
	cursor        int // the selected ladder arrow
	ladderTop     int // the first ladder row shown
	message       []string
	msgOffset     int
	input         textinput.Model // the export prompt
	exporting     bool
	err           error
	width, height int
}

// OpenMsg asks to open calls as one: their lines, signalling and media together, as a
// gateway call's two legs or a proxy's legs are one call to whoever follows it. The calls
// list asks for it with the calls marked in it.
type OpenMsg struct{ Numbers []int }

// New opens call number n of the session's calls, with the calls numbered more as one.
func New(c common.Common, n int, more ...int) *Model {
	st := c.Session.Store
	m := &Model{KeyMap: newKeyMap(c.Keys), styles: c.Styles, st: st, index: c.Session.Calls, newParser: c.NewParser, number: n,
		more: more, live: c.Session.Live, clock: time.Now, input: textinput.New()}
	m.input.Prompt = "export to: "
	m.timeline = pane.New(pane.Config{Title: "Timeline", Store: st, NewParser: c.NewParser, Notify: c.Session.Notifier.Poke, Styles: c.Styles,
		Keys: c.Keys.Keys, Base: func() filtered.Base { return m.entries }})
	m.refresh()
	if m.call.State == calls.Ended || m.call.State == calls.Failed {
		m.timeline.Home() // a call that is over reads from its start; a live one follows its end
	}
	return m
}

// Title names the view in the tab bar.
func (m *Model) Title() string { return "call" }

// Typing reports whether the export prompt has the keyboard.
func (m *Model) Typing() bool { return m.exporting }

// Close stops the timeline's background work.
func (m *Model) Close() { m.timeline.Close() }

// refresh reads the call again: a live call grows.
func (m *Model) refresh() {
	c, ok := m.index.Call(m.number)
	if !ok {
		return
	}
	m.call = c
	m.others = m.others[:0]
	for _, n := range m.more {
		if o, ok := m.index.Call(n); ok {
			m.others = append(m.others, o)
		}
	}
	m.readConference()
	entries := m.index.Entries(m.st, m.number)
	for _, n := range m.more {
		entries = append(entries, m.index.Entries(m.st, n)...)
	}
	if len(m.more) > 0 {
		slices.Sort(entries)
		entries = slices.Compact(entries)
	}
	if len(entries) != len(m.entries) {
		m.entries = entries
		m.timeline.Sync()
		recs, err := calls.Records(m.st, entries, m.newParser())
		m.err = err
		if err == nil {
			d := calls.NewDetail(c, recs, entries)
			d.AddNearby(m.st, m.newParser())
			m.ladder, m.series = d.Signalling, d.Media
			m.from, m.to = d.Span()
			m.nodes = report.NodesOf(m.ladder)
		}
		m.layout()
	}
}

// all returns the calls shown: the call, and those shown with it.
func (m *Model) all() []calls.Call { return append([]calls.Call{m.call}, m.others...) }

// now is the time a connected call's duration counts to (see report.Now).
func (m *Model) now() int64 { return report.Now(m.clock(), report.LastTime(m.st), m.live()) }

// showTab shows tab t, reading what it shows if need be.
func (m *Model) showTab(t Tab) {
	m.tab = t
	m.readConference()
}

// readConference reads the calls of the call's conference instance, when the Conference
// tab shows them and the calls have changed since they were read.
func (m *Model) readConference() {
	if v := m.index.Version(); m.tab == Conference && (m.conference == nil || v != m.confVersion) {
		m.conference, m.legs, m.confVersion = m.index.Together(m.number), m.index.Legs(m.number), v
	}
}

// SetSize sets the view's size.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.layout()
}

func (m *Model) layout() {
	m.timeline.SetSize(m.width, m.bodyHeight())
	m.input.SetWidth(max(10, m.width-len(m.input.Prompt)-2))
	names := map[string]string{}
	for _, c := range m.all() {
		for a, name := range report.LadderNamesWith(&c, m.nodes) {
			if names[a] == "" {
				names[a] = name
			}
		}
	}
	for a, node := range m.nodes { // the nodes of no role in the call, named all the same
		if names[a] == "" {
			names[a] = node
		}
	}
	w, _ := m.ladderWidths()
	m.lines = report.DrawLadder(m.ladder, names, report.LadderLayout{Width: w, Delta: true})
}

// Update follows the call as it grows, and handles a key: tabs, scrolling, opening an
// entry or a ladder message, copying an entry, going back.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.SyncMsg:
		m.refresh()
	case tea.KeyPressMsg:
		return m.key(msg)
	default:
		if m.exporting { // a paste, the cursor's blink
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return cmd
		}
	}
	return nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.exporting {
		return m.promptKey(msg)
	}
	switch {
	case key.Matches(msg, m.Export):
		return m.openPrompt()
	case key.Matches(msg, m.Header):
		if m.fullHeader() {
			m.header = -1
		} else {
			m.header = 1
		}
		m.layout()
		return nil
	}
	if m.message != nil {
		switch {
		case key.Matches(msg, m.Back):
			m.message = nil
		case key.Matches(msg, m.Copy):
			return m.copyMessage()
		default:
			h := m.bodyHeight()
			m.msgOffset, _ = m.Move(msg, m.msgOffset, h-1, len(m.message)-h)
		}
		return nil
	}
	switch {
	case key.Matches(msg, m.Back):
		return common.Ask(common.BackMsg{})
	case key.Matches(msg, m.NextTab):
		m.showTab((m.tab + 1) % Tab(len(tabNames)))
	case key.Matches(msg, m.PrevTab):
		m.showTab((m.tab + Tab(len(tabNames)) - 1) % Tab(len(tabNames)))
	case m.tab == Timeline:
		return m.timelineKey(msg)
	case key.Matches(msg, m.Copy):
		if m.tab == Signalling {
			return m.copyMessage()
		}
		return common.Ask(common.CopyMsg{Raw: []byte(ansi.Strip(strings.Join(m.tabLines(), "\n")))})
	case m.tab == Signalling:
		switch {
		case key.Matches(msg, m.Open):
			if m.cursor < len(m.ladder) { // the ladder may be empty: a call without SIP
				m.message, m.msgOffset = m.messageLines(&m.ladder[m.cursor]), 0
			}
		default:
			m.cursor, _ = m.Move(msg, m.cursor, max(1, m.bodyHeight()/2), len(m.ladder)-1)
		}
	default: // the media and conference tabs scroll under their head
		head, rows := m.tabParts()
		h := max(1, m.bodyHeight()-len(head))
		m.scrolled[m.tab], _ = m.Move(msg, m.scrolled[m.tab], h-1, len(rows)-h)
	}
	return nil
}

// copyMessage asks to copy the selected SIP message, its line breaks made real.
func (m *Model) copyMessage() tea.Cmd {
	if m.cursor >= len(m.ladder) {
		return nil
	}
	return common.Ask(common.CopyMsg{Raw: bytes.ReplaceAll(m.ladder[m.cursor].Text, []byte("^M"), []byte("\n"))})
}

// tabLines returns every line of the media or conference tab.
func (m *Model) tabLines() []string {
	head, rows := m.tabParts()
	return append(head, rows...)
}

// tabParts returns the lines of the media or conference tab: those that stay at its top
// (the conference's title and column names) and those that scroll under them.
func (m *Model) tabParts() (head, rows []string) {
	if m.tab == Media {
		return nil, m.mediaView()
	}
	return m.conferenceView()
}

// timelineKey handles a key on the timeline: enter opens the selected entry, y copies it,
// the others move.
func (m *Model) timelineKey(msg tea.KeyPressMsg) tea.Cmd {
	raw, ok := m.timeline.Selected()
	switch {
	case key.Matches(msg, m.Open):
		if ok {
			return common.Ask(common.OpenEntryMsg{Raw: raw, Node: m.timeline.SelectedNode()})
		}
	case key.Matches(msg, m.Copy):
		if ok {
			return common.Ask(common.CopyMsg{Raw: raw})
		}
	default:
		return m.timeline.Update(msg)
	}
	return nil
}

// View renders the header, the tabs and the current tab.
func (m *Model) View() string {
	lines := append(m.headerLines(), m.tabsLine())
	var body []string
	switch {
	case m.message != nil:
		body = m.message[m.msgOffset:]
	case m.tab == Timeline:
		body = strings.Split(m.timeline.View(), "\n")
	case m.tab == Signalling:
		body = m.ladderView()
	default:
		head, rows := m.tabParts()
		body = append(head, rows[min(m.scrolled[m.tab], len(rows)):]...)
	}
	h := m.bodyHeight()
	for len(body) < h {
		body = append(body, "")
	}
	body = body[:h]
	if m.exporting {
		body[h-1] = ansi.Truncate(m.input.View(), m.width, "…")
	}
	return strings.Join(append(lines, body...), "\n")
}

func first(a, b int64) int64 {
	if a != 0 {
		return a
	}
	return b
}

func cellOf(s string, w int) string {
	if ansi.StringWidth(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-ansi.StringWidth(s))
}
