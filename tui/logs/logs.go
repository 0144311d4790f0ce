// Package logs is the UI's first view: the administrator-log and support-log panes, one
// shown at a time, and the prompts that search, filter and export the pane shown. It asks
// the root for the other views (details, calls, a call, security, the picker).
package logs

import (
	"fmt"
	"slices"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/pane"
)

// KeyMap is what the logs answer to: every key of the UI's KeyMap.
type KeyMap struct{ keymap.KeyMap }

// ShortHelp returns the most used keys.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextPane, k.Search, k.Filter, k.Picker, k.Calls, k.Details, k.Help, k.Quit}
}

// FullHelp returns every key, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.NextPane, k.PrevPane},
		{k.Search, keymap.With(k.NextMatch, "next match (newer)"), keymap.With(k.PrevMatch, "previous match (older)"), k.Mode, k.Filter, k.Level, keymap.With(k.Picker, "pick a node, module, call… or go to a time"), k.Clear},
		{k.NextError, k.PrevError, k.NextWarning, k.PrevWarning, k.Bookmark, k.NextMark, k.PrevMark, k.Histogram},
		{k.Details, k.Copy, k.Export, k.Time, k.Wrap, keymap.With(k.ScrollLeft, "scroll the rows left"), keymap.With(k.ScrollRight, "scroll the rows right"), k.Help, k.Quit},
		{k.Calls, k.OpenCall, k.Security},
	}
}

// HelpNotes are shown under the keys on the help screen.
var HelpNotes = []string{
	"Filter language: level >= warning, module ^= \"administrator.\", call-id == \"…\", node == conf01,",
	"  participant contains alice, message ~ \"regex\", words, \"quoted text\", combined with && || ! ( ).",
	"Go to a time: type it at the : picker (12:03, 12:03:30, 05-14 12:03, 2026-05-14 08:00).",
	"A search goes to the newest match at or above the selected row; » shows a match the row would hide.",
}

// prompt is what the prompt line is open for.
type prompt int

const (
	closed prompt = iota
	searching
	filtering
	exporting
)

// Model is the two log panes and their prompts.
type Model struct {
	common.Common
	KeyMap
	panes         []*pane.Model
	active        int
	prompt        prompt
	input         textinput.Model
	inputErr      string
	before        string // the filter when the filter prompt opened
	searchMode    search.Mode
	searchFrom    pane.Position // where the cursor was when the search prompt opened
	timeMode      pane.TimeMode
	wrap          bool
	width, height int
}

// New returns the panes over the session's store; preview, if not nil, is shown until the
// store has indexed the files it is the end of.
func New(c common.Common, preview []model.Record) *Model {
	m := &Model{Common: c, KeyMap: KeyMap{c.Keys}, input: textinput.New()}
	for _, p := range []struct {
		title string
		admin bool
	}{{"Admin log", true}, {"Support log", false}} {
		pm := pane.New(pane.Config{Title: p.title, Admin: p.admin, Store: c.Session.Store, NewParser: c.NewParser,
			Notify: c.Session.Notifier.Poke, Styles: c.Styles, Keys: c.Keys.Keys,
			Indexing: func() bool { return !c.Session.Loaded() }})
		if preview != nil && !c.Session.Loaded() {
			pm.SetPreview(preview)
		}
		m.panes = append(m.panes, pm)
	}
	m.active = 1 // the support log: everything
	return m
}

// Panes returns the panes, for the tab bar.
func (m *Model) Panes() []*pane.Model { return m.panes }

// Active returns the index of the pane shown.
func (m *Model) Active() int { return m.active }

// Pane returns the pane shown.
func (m *Model) Pane() *pane.Model { return m.panes[m.active] }

// Wrapping reports whether rows are wrapped.
func (m *Model) Wrapping() bool { return m.wrap }

// Typing reports whether a prompt has the keyboard.
func (m *Model) Typing() bool { return m.prompt != closed }

// Close stops the panes' background work.
func (m *Model) Close() {
	for _, p := range m.panes {
		p.Close()
	}
}

// SetSize gives the pane what the prompt, when open, leaves.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, height
	m.layout()
}

func (m *Model) layout() {
	h := m.height
	if m.prompt != closed {
		h--
	}
	for _, p := range m.panes {
		p.SetSize(m.width, max(1, h))
	}
	m.input.SetWidth(max(10, m.width-len(m.input.Prompt)-2))
}

// Update takes in the session's news, keys, the mouse wheel and pasted text, and what
// other views ask of the logs: a search for text, a filter.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.SyncMsg:
		loaded := m.Session.Loaded()
		for _, p := range m.panes {
			if loaded {
				p.SetPreview(nil)
			}
			p.Sync()
		}
	case common.SearchLogsMsg:
		return m.searchSupport(msg.Text)
	case common.FilterLogsMsg:
		if err := m.Pane().SetFilter(msg.Expr); err != nil {
			return common.Ask(common.FlashMsg(err.Error()))
		}
	case GoToTimeMsg:
		return m.goToTime(msg)
	case tea.MouseWheelMsg:
		if m.prompt == closed {
			return m.Pane().Update(msg)
		}
	case tea.PasteMsg:
		if m.prompt != closed {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return tea.Batch(cmd, m.promptChanged())
		}
	case tea.KeyPressMsg:
		if m.prompt != closed {
			return m.promptKey(msg)
		}
		return m.key(msg)
	}
	return nil
}

// key handles a key while no prompt is open.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	p := m.Pane()
	switch {
	case key.Matches(msg, m.Quit):
		return tea.Quit
	case key.Matches(msg, m.NextPane):
		m.active = (m.active + 1) % len(m.panes)
	case key.Matches(msg, m.PrevPane):
		m.active = (m.active + len(m.panes) - 1) % len(m.panes)
	case key.Matches(msg, m.Search):
		m.searchFrom = p.Position()
		m.openPrompt(searching, searchLabel(m.searchMode), "")
	case key.Matches(msg, m.Filter):
		m.before = p.Filter()
		m.openPrompt(filtering, "& ", p.Filter())
	case key.Matches(msg, m.Export):
		m.openPrompt(exporting, "export to: ", "calltail-export-"+time.Now().Format("20060102-150405")+".log")
	case key.Matches(msg, m.Picker):
		return common.Ask(common.OpenPickerMsg{})
	case key.Matches(msg, m.NextMatch), key.Matches(msg, m.PrevMatch):
		if p.Search() == nil {
			return common.Ask(common.FlashMsg("no search: press / to search"))
		}
		if !p.NextMatch(key.Matches(msg, m.PrevMatch)) {
			return common.Ask(common.FlashMsg("no match (yet)"))
		}
	case m.lnavKey(msg):
		return m.lnav(msg)
	case key.Matches(msg, m.Level):
		levels := []model.Level{model.LevelDebug, model.LevelInfo, model.LevelWarning, model.LevelError}
		if i := slices.Index(m.Level.Keys(), msg.String()); i >= 0 && i < len(levels) {
			p.SetMinLevel(levels[i])
		}
	case key.Matches(msg, m.Clear):
		switch {
		case p.Search() != nil:
			p.SetSearch(nil, nil)
		case p.Filter() != "" || p.MinLevel() > model.LevelDebug:
			p.SetFilter("")
			p.SetMinLevel(model.LevelDebug)
		}
	case key.Matches(msg, m.Details):
		if raw, ok := p.Selected(); ok {
			return common.Ask(common.OpenEntryMsg{Raw: raw, Node: p.SelectedNode()})
		}
	case key.Matches(msg, m.Copy):
		if raw, ok := p.Selected(); ok {
			return common.Ask(common.CopyMsg{Raw: raw})
		}
	case key.Matches(msg, m.Time):
		m.timeMode = m.timeMode.Next()
		for _, p := range m.panes {
			p.SetTimeMode(m.timeMode)
		}
		return common.Ask(common.FlashMsg("showing " + m.timeMode.String()))
	case key.Matches(msg, m.Wrap):
		m.wrap = !m.wrap
		for _, p := range m.panes {
			p.SetWrap(m.wrap)
		}
	case key.Matches(msg, m.Calls):
		return common.Ask(common.OpenCallsMsg{})
	case key.Matches(msg, m.Security):
		return common.Ask(common.OpenSecurityMsg{})
	case key.Matches(msg, m.OpenCall):
		if raw, ok := p.Selected(); ok {
			return m.OpenCallOf(raw)
		}
	default:
		return p.Update(msg)
	}
	return nil
}

// searchSupport shows the support log and searches it for text.
func (m *Model) searchSupport(text string) tea.Cmd {
	m.active = 1
	q, err := search.Compile(text, search.Substring)
	if err != nil {
		return common.Ask(common.FlashMsg(err.Error()))
	}
	from := m.Pane().Position()
	m.Pane().SetSearch(q, &from)
	return common.Ask(common.FlashMsg(fmt.Sprintf("searching the support log for %s (%s: next, %s: clear)", text, m.NextMatch.Help().Key, m.Clear.Help().Key)))
}
