// Package picker is the fuzzy picker: a prompt over the nodes, modules, conferences,
// participants and call ids seen so far, ranked by github.com/sahilm/fuzzy as the user
// types; choosing one gives the filter expression that selects it. What is typed as a
// time ("12:03", "2026-05-14 08:00") is offered first: choosing it shows the log there.
package picker

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/sahilm/fuzzy"

	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/logs"
)

// Item is something to pick: a value and the field it is a value of.
type Item struct {
	Field string // node, module, conference, participant or call-id
	Value string
}

// Filter returns the filter expression that selects the item's entries.
func (it Item) Filter() string { return it.Field + " == " + strconv.Quote(it.Value) }

type items []Item

func (s items) String(i int) string { return s[i].Value }
func (s items) Len() int            { return len(s) }

// KeyMap is what the picker answers to; every other key is typed.
type KeyMap struct {
	Up, Down, Choose, Cancel key.Binding
}

func newKeyMap(k keymap.KeyMap) KeyMap {
	return KeyMap{Up: k.ListUp, Down: k.ListDown, Choose: keymap.With(k.Accept, "filters the pane by it, or goes to the time"), Cancel: keymap.With(k.Cancel, "goes back")}
}

// ShortHelp returns the keys the picker answers to.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Choose, k.Cancel} }

// FullHelp returns every key, for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Choose, k.Cancel}}
}

// ItemsMsg carries the picker's items once they have been gathered.
type ItemsMsg []Item

// Model is the picker.
type Model struct {
	KeyMap
	styles        *themes.Styles
	input         textinput.Model
	items         items
	matches       fuzzy.Matches
	time          bool // what is typed is a time: the first row goes there
	cursor        int
	width, height int
}

// New returns a picker over items; more come with an ItemsMsg.
func New(c common.Common, all []Item) *Model {
	in := textinput.New()
	in.Prompt = ": "
	in.Placeholder = "node, module, conference, participant, call id, or a time (12:03)"
	in.Focus()
	m := &Model{KeyMap: newKeyMap(c.Keys), styles: c.Styles, input: in}
	m.setItems(all)
	return m
}

// setItems replaces the items, keeping what was typed.
func (m *Model) setItems(all []Item) {
	m.items = all
	m.rank()
}

// SetSize sets the picker's size.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, max(2, height)
	m.input.SetWidth(max(10, width-4))
}

func (m *Model) rank() {
	q := m.input.Value()
	_, m.time = logs.ParseTime(q)
	if q == "" {
		m.matches = m.matches[:0]
		for i, it := range m.items {
			m.matches = append(m.matches, fuzzy.Match{Str: it.Value, Index: i})
		}
	} else {
		m.matches = fuzzy.FindFrom(q, m.items)
	}
	m.cursor = min(m.cursor, max(0, m.rows()-1))
}

// rows returns how many rows there are to choose from: the time, then the matches.
func (m *Model) rows() int {
	if m.time {
		return len(m.matches) + 1
	}
	return len(m.matches)
}

// match returns the match on row i, or nil for the time's row.
func (m *Model) match(i int) *fuzzy.Match {
	if m.time {
		i--
	}
	if i < 0 || i >= len(m.matches) {
		return nil
	}
	return &m.matches[i]
}

// Typing reports that the picker's prompt has the keyboard.
func (m *Model) Typing() bool { return true }

// Update takes its items, moves, types; enter on an item asks to filter the pane by it.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case ItemsMsg:
		m.setItems(msg)
		return nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.Cancel):
			return common.Ask(common.BackMsg{})
		case key.Matches(msg, m.Choose):
			if m.time && m.cursor == 0 {
				return common.Ask(logs.GoToTimeMsg{Text: m.input.Value()})
			}
			mt := m.match(m.cursor)
			if mt == nil {
				return nil
			}
			it := m.items[mt.Index]
			return tea.Sequence(common.Ask(common.BackMsg{}), common.Ask(common.FilterLogsMsg{Expr: it.Filter()}))
		case key.Matches(msg, m.Up):
			m.cursor = max(0, m.cursor-1)
			return nil
		case key.Matches(msg, m.Down):
			m.cursor = max(0, min(m.rows()-1, m.cursor+1))
			return nil
		}
	}
	before := m.input.Value()
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() != before {
		m.cursor = 0
		m.rank()
	}
	return cmd
}

// View renders the prompt and the best matches.
func (m *Model) View() string {
	st := m.styles
	lines := []string{m.input.View()}
	rows := m.height - 1
	first := max(0, m.cursor-rows+1)
	for i := first; i < m.rows() && len(lines) <= rows; i++ {
		var label, value string
		if mt := m.match(i); mt != nil {
			it := m.items[mt.Index]
			label = st.Faint.Render(fmt.Sprintf("%-12s", it.Field))
			value = highlight(sanitize.String(mt.Str), *mt, st)
		} else {
			label = st.Faint.Render(fmt.Sprintf("%-12s", "time"))
			value = "go to " + sanitize.String(strings.TrimSpace(m.input.Value()))
		}
		line := "  " + label + value
		if i == m.cursor {
			line = st.Selected.Render("› " + label + value)
		}
		lines = append(lines, line)
	}
	if m.rows() == 0 {
		lines = append(lines, st.Faint.Render("  nothing matches"))
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// highlight styles the matched characters (fuzzy gives byte offsets; StyleRunes wants runes).
func highlight(s string, mt fuzzy.Match, st *themes.Styles) string {
	if len(mt.MatchedIndexes) == 0 || s != mt.Str {
		return s
	}
	runes := make([]int, len(mt.MatchedIndexes))
	for i, b := range mt.MatchedIndexes {
		runes[i] = utf8.RuneCountInString(s[:b])
	}
	return lipgloss.StyleRunes(s, runes, st.Match, lipgloss.NewStyle())
}
