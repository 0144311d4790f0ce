// Package callview shows one call: a header with its summary, and tabs — its timeline
// (every line of the call, from every module and node, in time order), its signalling as a
// SIP ladder (enter shows a whole message), its media statistics with bad values
// highlighted, and the other participants of its conference.
package callview

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/filtered"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/details"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/nav"
	"github.com/calltail/calltail/tui/pane"
)

// KeyMap is what the view answers to.
type KeyMap struct {
	nav.Keys
	NextTab, PrevTab, Open, Copy, Back key.Binding
}

func newKeyMap(k keymap.KeyMap) KeyMap {
	return KeyMap{Keys: k.Keys, NextTab: keymap.With(k.NextPane, "for the next tab"), PrevTab: keymap.With(k.PrevPane, "for the tab before"),
		Open: keymap.With(k.Details, "opens an entry or a SIP message"), Copy: k.Copy, Back: keymap.With(k.Back, "goes back")}
}

// ShortHelp returns the keys the tab bar names.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.NextTab, k.Back} }

// FullHelp returns every key, for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.Keys.FullHelp(), []key.Binding{k.NextTab, k.PrevTab, k.Open, k.Copy, k.Back})
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
	number        int
	call          calls.Call
	tab           Tab
	timeline      *pane.Model
	entries       filtered.Entries
	conference    []calls.Call // the calls of its conference instance, read on the Conference tab
	confVersion   uint64       // the index's Version when they were read
	ladder        []calls.Message
	lines         []report.LadderLine
	cursor        int // the selected ladder arrow
	message       []string
	msgOffset     int
	err           error
	width, height int
}

// New opens call number n of the session's calls.
func New(c common.Common, n int) *Model {
	st := c.Session.Store
	m := &Model{KeyMap: newKeyMap(c.Keys), styles: c.Styles, st: st, index: c.Session.Calls, newParser: c.NewParser, number: n}
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

// Close stops the timeline's background work.
func (m *Model) Close() { m.timeline.Close() }

// refresh reads the call again: a live call grows.
func (m *Model) refresh() {
	c, ok := m.index.Call(m.number)
	if !ok {
		return
	}
	m.call = c
	m.readConference()
	entries := m.index.Entries(m.st, m.number)
	if len(entries) != len(m.entries) {
		m.entries = entries
		m.timeline.Sync()
		recs, err := calls.Records(m.st, entries, m.newParser())
		m.err = err
		if err == nil {
			m.ladder = calls.Ladder(recs, entries)
		}
		m.layout()
	}
}

// showTab shows tab t, reading what it shows if need be.
func (m *Model) showTab(t Tab) {
	m.tab = t
	m.readConference()
}

// readConference reads the calls of the call's conference instance, when the Conference
// tab shows them and the calls have changed since they were read.
func (m *Model) readConference() {
	if v := m.index.Version(); m.tab == Conference && (m.conference == nil || v != m.confVersion) {
		m.conference, m.confVersion = m.index.Instance(m.number), v
	}
}

// SetSize sets the view's size.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.layout()
}

func (m *Model) layout() {
	m.timeline.SetSize(m.width, m.bodyHeight())
	m.lines = report.RenderLadder(m.ladder, report.LadderNames(&m.call), m.width)
}

// Update follows the call as it grows, and handles a key: tabs, scrolling, opening an
// entry or a ladder message, copying an entry, going back.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.SyncMsg:
		m.refresh()
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.message != nil {
		switch {
		case key.Matches(msg, m.Back):
			m.message = nil
		case key.Matches(msg, m.Up):
			m.msgOffset = max(0, m.msgOffset-1)
		case key.Matches(msg, m.Down):
			m.msgOffset = min(max(0, len(m.message)-m.bodyHeight()), m.msgOffset+1)
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
	case m.tab == Signalling:
		switch {
		case key.Matches(msg, m.Up):
			m.cursor = max(0, m.cursor-1)
		case key.Matches(msg, m.Down):
			m.cursor = max(0, min(len(m.ladder)-1, m.cursor+1))
		case key.Matches(msg, m.Open):
			if m.cursor < len(m.ladder) { // the ladder may be empty: a call without SIP
				m.message, m.msgOffset = m.messageLines(&m.ladder[m.cursor]), 0
			}
		}
	}
	return nil
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

// header is the call's summary, laid out in columns.
func (m *Model) header() []string {
	st := m.styles
	rows := report.CallSummary(&m.call)
	cols := max(1, min(3, m.width/48))
	colW := m.width / cols
	per := (len(rows) + cols - 1) / cols
	lines := make([]string, per)
	for i, r := range rows {
		key := st.FieldKey.Render(fmt.Sprintf("%-17s", r[0]))
		text := ansi.Truncate(key+" "+r[1], colW-1, "…")
		lines[i%per] += text + strings.Repeat(" ", max(0, colW-ansi.StringWidth(text)))
	}
	title := fmt.Sprintf("Call %d — %s", m.call.Number, sanitize.String(m.call.Who()))
	if m.err != nil {
		title += "  (" + m.err.Error() + ")"
	}
	return append([]string{st.Title.Render(title)}, lines...)
}

func (m *Model) tabsLine() string {
	var parts []string
	for i, name := range tabNames {
		label := " " + name + " "
		if Tab(i) == m.tab {
			parts = append(parts, m.styles.TabActive.Render(label))
		} else {
			parts = append(parts, m.styles.TabInactive.Render(label))
		}
	}
	return strings.Join(parts, " ") + m.styles.Faint.Render(fmt.Sprintf("   %s: next tab · %s: back", m.NextTab.Help().Key, m.Back.Help().Key))
}

func (m *Model) bodyHeight() int { return max(1, m.height-len(m.header())-1) }

// View renders the header, the tabs and the current tab.
func (m *Model) View() string {
	lines := append(m.header(), m.tabsLine())
	var body []string
	switch {
	case m.message != nil:
		body = m.message[m.msgOffset:]
	case m.tab == Timeline:
		body = strings.Split(m.timeline.View(), "\n")
	case m.tab == Signalling:
		body = m.ladderView()
	case m.tab == Media:
		body = m.mediaView()
	default:
		body = m.conferenceView()
	}
	h := m.bodyHeight()
	for len(body) < h {
		body = append(body, "")
	}
	return strings.Join(append(lines, body[:h]...), "\n")
}

func (m *Model) ladderView() []string {
	st := m.styles
	if len(m.lines) == 0 {
		return []string{st.Faint.Render(m.otherSignalling())}
	}
	out := []string{st.Bold.Render(m.lines[0].Text)}
	first := max(0, m.cursor-(m.bodyHeight()-3))
	for i := first; i < len(m.ladder) && len(out) < m.bodyHeight(); i++ {
		l := m.lines[i+1].Text
		if i == m.cursor {
			l = st.Selected.Render(l)
			if sdp := m.ladder[i].SDP; sdp != "" {
				out = append(out, l, st.SDP.Render(ansi.Truncate("             "+sanitize.String(sdp), m.width, "…")))
				continue
			}
		}
		out = append(out, l)
	}
	return out
}

// otherSignalling says what there is for calls without SIP: H.323 and REST legs.
func (m *Model) otherSignalling() string {
	if m.call.Protocol == "" || m.call.Protocol == "SIP" {
		return "no SIP messages in the logs for this call"
	}
	return m.call.Protocol + " call: its signalling lines are in the timeline (support.h323.*, support.rest)"
}

// messageLines lays out a whole SIP message: header names styled, the SDP set apart.
func (m *Model) messageLines(msg *calls.Message) []string {
	st := m.styles
	out := []string{st.Title.Render(fmt.Sprintf("%s  %s → %s  %s", report.Clock(msg.Time), sanitize.String(msg.Src), sanitize.String(msg.Dst), sanitize.String(msg.Transport)))}
	if msg.Missing != nil {
		out = append(out, st.ErrorRow.Render(fmt.Sprintf("fragments missing from the log: %v", msg.Missing)))
	}
	out = append(out, details.SIPLines(st, msg.Text)...)
	return append(out, "", st.Faint.Render(m.Back.Help().Key+": back to the ladder"))
}

// mediaView is the streams table, bad values in the warning and error styles, and the
// call's media events in order.
func (m *Model) mediaView() []string {
	st := m.styles
	if len(m.call.Streams) == 0 && len(m.call.Changes) == 0 {
		return []string{st.Faint.Render("no media statistics yet: they are logged when the call ends")}
	}
	widths := []int{7, 13, 9, 8, 10, 9, 8, 10, 11, 11, 11, 4}
	var head []string
	for i, c := range report.StreamColumns {
		head = append(head, cellOf(c, widths[i]))
	}
	out := []string{st.Title.Render(strings.Join(head, " "))}
	if len(m.call.Streams) == 0 {
		out = append(out, st.Faint.Render("no stream statistics yet: they are logged when the call ends"))
	}
	for _, s := range m.call.Streams {
		row := report.StreamRow(s)
		judge := []media.Quality{0, 0, 0, media.LossQuality(s.RX.LossPct), media.JitterQuality(s.RX.JitterMs), 0,
			media.LossQuality(s.TX.LossPct), media.JitterQuality(s.TX.JitterMs), 0, 0, 0, 0}
		var cells []string
		for i, v := range row {
			c := cellOf(sanitize.String(v), widths[i])
			switch judge[i] {
			case media.Bad:
				c = st.ErrorRow.Render(c)
			case media.Warn:
				c = st.WarnRow.Render(c)
			}
			cells = append(cells, c)
		}
		out = append(out, strings.Join(cells, " "))
	}
	if len(m.call.Changes) > 0 {
		out = append(out, "", st.Title.Render("Changes"))
		for _, ch := range m.call.Changes {
			line := report.Clock(ch.Time) + "  " + sanitize.String(ch.What)
			if strings.Contains(ch.What, "3_bad") || strings.Contains(ch.What, "4_terrible") || strings.Contains(ch.What, "lost") || strings.Contains(ch.What, "failed") {
				line = st.WarnRow.Render(line)
			}
			out = append(out, line)
		}
	}
	return out
}

// conferenceView lists the participants of the call's conference instance, and when each
// was there.
func (m *Model) conferenceView() []string {
	st := m.styles
	inst := m.call.Instance()
	if inst == "" {
		return []string{st.Faint.Render("the logs do not say which conference this call was in")}
	}
	out := []string{st.Title.Render("Conference " + sanitize.String(m.call.Conference) + "  (" + sanitize.String(inst) + ")"),
		st.Title.Render(fmt.Sprintf("%-5s %-40s %-8s %-23s %-23s %s", "#", "PARTICIPANT", "PROTO", "JOINED", "LEFT", "STATE"))}
	for _, c := range m.conference {
		line := fmt.Sprintf("%-5d %-40s %-8s %-23s %-23s %s", c.Number, ansi.Truncate(sanitize.String(c.Who()), 40, "…"),
			sanitize.String(c.Protocol), report.Clock(first(c.Joined, c.Start)), report.Clock(c.End), c.State)
		if c.Number == m.call.Number {
			line = st.Selected.Render(line)
		}
		out = append(out, line)
	}
	return out
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
