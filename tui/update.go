package tui

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/callsview"
	"github.com/calltail/calltail/tui/callview"
	"github.com/calltail/calltail/tui/details"
	"github.com/calltail/calltail/tui/picker"
	"github.com/calltail/calltail/tui/securityview"
)

// Update routes a message: keys to whatever has the keyboard first, results of
// background work to the component that asked for them.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
	case tea.BackgroundColorMsg:
		if !m.themeSet && !msg.IsDark() {
			if st, err := themes.Get("light"); err == nil {
				m.styles = st
			}
		}
	case changedMsg:
		m.sync()
		frame, n := minFrame, m.sess.Store.Len()
		if n-m.lastLen > m.bodyHeight() {
			frame = busyFrame
		}
		m.lastLen = n
		return m, waitForChange(m.sess, frame)
	case tickMsg:
		m.rate.add(time.Time(msg), m.sess.States())
		return m, tick()
	case exportedMsg:
		m.flash = msg.String()
	case pickerItemsMsg:
		if m.picker != nil {
			m.picker.SetItems(msg)
		}
	case tea.MouseWheelMsg:
		if m.opt.Mouse && m.mode == normal {
			switch msg.Button {
			case tea.MouseWheelUp:
				m.pane().Scroll(-3)
			case tea.MouseWheelDown:
				m.pane().Scroll(3)
			}
		}
	case tea.PasteMsg:
		if m.prompting() {
			var cmd tea.Cmd
			m.input, cmd = m.input.Update(msg)
			return m, tea.Batch(cmd, m.promptChanged())
		}
	case tea.KeyPressMsg:
		return m, m.key(msg)
	}
	return m, nil
}

// sync takes in the session's news: new entries, the end of the preview, progress.
func (m *Model) sync() {
	loaded := m.sess.Loaded()
	for _, p := range m.panes {
		if loaded {
			p.SetPreview(nil)
		}
		p.Sync()
	}
	if m.callsList != nil && m.mode == listingCalls {
		m.callsList.Sync()
	}
	if m.callView != nil {
		m.callView.Sync()
	}
	if m.security != nil && m.mode == viewingSecurity {
		m.security.Sync()
	}
}

// key handles a key press, giving a focused prompt or view every key before the
// global bindings.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	switch m.mode {
	case searching, filtering, exporting:
		return m.promptKey(msg)
	case picking:
		return m.pickerKey(msg)
	case detailing:
		return m.detailsKey(msg)
	case listingCalls:
		return m.callsKey(msg)
	case viewingCall:
		return m.callKey(msg)
	case viewingSecurity:
		return m.securityKey(msg)
	case helping:
		m.mode = normal
		return nil
	}
	m.flash = ""
	p := m.pane()
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.NextPane):
		m.active = (m.active + 1) % len(m.panes)
	case key.Matches(msg, k.PrevPane):
		m.active = (m.active + len(m.panes) - 1) % len(m.panes)
	case key.Matches(msg, k.Search):
		m.openPrompt(searching, "/", "")
	case key.Matches(msg, k.Filter):
		m.before = p.Filter()
		m.openPrompt(filtering, "& ", p.Filter())
	case key.Matches(msg, k.Export):
		m.openPrompt(exporting, "export to: ", "calltail-export-"+time.Now().Format("20060102-150405")+".log")
	case key.Matches(msg, k.Picker):
		m.mode = picking
		m.picker = picker.New(basicItems(m.sess.Store), &m.styles)
		m.layout()
		return collectNames(m.sess.Store, m.opt.NewParser)
	case key.Matches(msg, k.NextMatch), key.Matches(msg, k.PrevMatch):
		if p.Search() == nil {
			m.flash = "no search: press / to search"
		} else if !p.NextMatch(key.Matches(msg, k.PrevMatch)) {
			m.flash = "no match (yet)"
		}
	case key.Matches(msg, k.Level):
		levels := map[string]model.Level{"1": model.LevelDebug, "2": model.LevelInfo, "3": model.LevelWarning, "4": model.LevelError}
		p.SetMinLevel(levels[msg.String()])
	case key.Matches(msg, k.Clear):
		switch {
		case p.Search() != nil:
			p.SetSearch(nil, false)
		case p.Filter() != "" || p.MinLevel() > model.LevelDebug:
			p.SetFilter("")
			p.SetMinLevel(model.LevelDebug)
		}
	case key.Matches(msg, k.Details):
		if raw, ok := p.Selected(); ok {
			m.showDetails(raw)
		}
	case key.Matches(msg, k.Copy):
		if raw, ok := p.Selected(); ok {
			return m.copy(raw)
		}
	case key.Matches(msg, k.Time):
		m.timeMode = m.timeMode.Next()
		for _, p := range m.panes {
			p.SetTimeMode(m.timeMode)
		}
		m.flash = "showing " + m.timeMode.String()
	case key.Matches(msg, k.Wrap):
		m.wrap = !m.wrap
		for _, p := range m.panes {
			p.SetWrap(m.wrap)
		}
	case key.Matches(msg, k.Help):
		m.mode = helping
	case key.Matches(msg, k.Calls):
		m.openCallsList()
	case key.Matches(msg, k.Security):
		m.openSecurity()
	case key.Matches(msg, k.OpenCall):
		if raw, ok := p.Selected(); ok {
			m.openCallOf(raw, normal)
		}
	default:
		p.Update(msg)
	}
	return nil
}

func (m *Model) openCallsList() {
	if m.callsList == nil {
		k := m.keys
		m.callsList = callsview.New(m.sess.Calls, m.sess.Notifier.Poke, &m.styles, callsview.Keys{Keys: k.Keys, Open: k.Details, Filter: k.Search, Sort: k.Sort, Reverse: k.Reverse})
	}
	m.callsList.Sync()
	m.mode = listingCalls
	m.layout()
}

// openSecurity shows the security view, looking for events from now on if it was not.
func (m *Model) openSecurity() {
	if m.security == nil {
		m.security = securityview.New(m.sess.Store, m.opt.NewParser, m.sess.Notifier.Poke, &m.styles,
			securityview.Keys{Keys: m.keys.Keys, Open: m.keys.Details})
	}
	m.security.Sync()
	m.mode = viewingSecurity
	m.layout()
}

// securityKey handles a key in the security view: enter searches the support log for
// the selected address.
func (m *Model) securityKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "esc" || msg.String() == "q" {
		m.mode = normal
		m.layout()
		return nil
	}
	if address := m.security.Update(msg); address != "" {
		m.mode, m.active = normal, 1
		m.layout()
		q, err := search.Compile(address, search.Substring)
		if err != nil {
			m.flash = err.Error()
			return nil
		}
		m.pane().SetSearch(q, true)
		m.flash = "searching the support log for " + address + " (n: next, esc: clear)"
	}
	return nil
}

// openCall shows call number n; esc goes back to from.
func (m *Model) openCall(n int, from mode) {
	if m.callView != nil {
		m.callView.Close()
	}
	k := m.keys
	m.callView = callview.New(m.sess.Store, m.sess.Calls, n, m.opt.NewParser, m.sess.Notifier.Poke, &m.styles, callview.Keys{
		Keys:    k.Keys,
		NextTab: k.NextPane, PrevTab: k.PrevPane, Open: k.Details})
	m.mode, m.callFrom = viewingCall, from
	m.layout()
}

// openCallOf opens the call that an entry belongs to, by its correlation ids.
func (m *Model) openCallOf(raw []byte, from mode) {
	var rec model.Record
	m.opt.NewParser().Parse(raw, &rec)
	found := 0
	rec.IDs(func(_ model.IDKind, id []byte) {
		if found == 0 {
			found, _ = m.sess.Calls.Find(m.sess.Store, string(id))
		}
	})
	if found == 0 {
		m.flash = "this entry carries no id of a known call"
		return
	}
	m.openCall(found, from)
}

func (m *Model) callsKey(msg tea.KeyPressMsg) tea.Cmd {
	if !m.callsList.Filtering() && (msg.String() == "esc" || key.Matches(msg, m.keys.Quit) && msg.String() == "q") {
		m.mode = normal
		m.layout()
		return nil
	}
	open, cmd := m.callsList.Update(msg)
	if open != 0 {
		m.openCall(open, listingCalls)
	}
	return cmd
}

func (m *Model) callKey(msg tea.KeyPressMsg) tea.Cmd {
	if m.callView.Update(msg) {
		return nil
	}
	switch {
	case msg.String() == "esc" || msg.String() == "q":
		m.callView.Close()
		m.mode, m.callView = m.callFrom, nil
		if m.mode == listingCalls {
			m.callsList.Sync() // what was read while the call was open
		}
		m.layout()
	case key.Matches(msg, m.keys.Details):
		if raw, ok := m.callView.Selected(); ok {
			m.showDetails(raw)
		}
	case key.Matches(msg, m.keys.Copy):
		if raw, ok := m.callView.Selected(); ok {
			return m.copy(raw)
		}
	}
	return nil
}

func (m *Model) prompting() bool {
	return m.mode == searching || m.mode == filtering || m.mode == exporting
}

func (m *Model) openPrompt(md mode, prompt, value string) {
	m.mode = md
	m.inputErr = ""
	m.input.Prompt = prompt
	m.input.SetValue(value)
	m.input.CursorEnd()
	m.input.Focus()
	m.layout()
}

// promptKey handles a key while a prompt has the keyboard.
func (m *Model) promptKey(msg tea.KeyPressMsg) tea.Cmd {
	p := m.pane()
	switch msg.String() {
	case "esc":
		switch m.mode {
		case searching:
			p.SetSearch(nil, false)
		case filtering:
			p.SetFilter(m.before) // the filter from before the prompt: it compiled then
		}
		m.closePrompt()
		return nil
	case "enter":
		md := m.mode
		m.closePrompt()
		if md == exporting {
			return exportPane(m.sess.Store, p.Entries(), m.input.Value())
		}
		if md == filtering && m.inputErr != "" {
			m.flash = "kept the last good filter: " + m.inputErr
		}
		return nil
	case "ctrl+r":
		if m.mode == searching {
			m.searchMode = m.searchMode.Next()
			return m.promptChanged()
		}
	}
	var cmd tea.Cmd
	before := m.input.Value()
	m.input, cmd = m.input.Update(msg)
	if m.input.Value() != before {
		return tea.Batch(cmd, m.promptChanged())
	}
	return cmd
}

// promptChanged applies what is typed: the search or the filter, as the user types.
func (m *Model) promptChanged() tea.Cmd {
	p := m.pane()
	text := m.input.Value()
	m.inputErr = ""
	switch m.mode {
	case searching:
		if text == "" {
			p.SetSearch(nil, false)
			return nil
		}
		q, err := search.Compile(text, m.searchMode)
		if err != nil {
			m.inputErr = err.Error()
			return nil
		}
		p.SetSearch(q, true)
	case filtering:
		if err := p.SetFilter(text); err != nil {
			m.inputErr = err.Error() // the last good filter stays active
		}
	}
	return nil
}

func (m *Model) closePrompt() {
	m.mode = normal
	m.input.Blur()
	m.layout()
}

func (m *Model) pickerKey(msg tea.KeyPressMsg) tea.Cmd {
	if msg.String() == "esc" {
		m.mode, m.picker = normal, nil
		m.layout()
		return nil
	}
	chosen, cmd := m.picker.Update(msg)
	if chosen != nil {
		if err := m.pane().SetFilter(chosen.Filter()); err != nil {
			m.flash = err.Error()
		}
		m.mode, m.picker = normal, nil
		m.layout()
	}
	return cmd
}

// showDetails opens an entry's details; esc comes back to where they were opened.
func (m *Model) showDetails(raw []byte) {
	k := m.keys
	m.details = details.New(raw, m.opt.NewParser(), &m.styles, k.Keys)
	m.detailFrom, m.mode = m.mode, detailing
	m.layout()
}

func (m *Model) detailsKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		m.mode, m.details = m.detailFrom, nil
		m.layout()
	case key.Matches(msg, m.keys.Copy):
		return m.copy(m.details.Raw())
	case key.Matches(msg, m.keys.OpenCall):
		m.openCallOf(m.details.Raw(), m.detailFrom)
	default:
		m.details.Update(msg)
	}
	return nil
}

// layout gives each component its size.
func (m *Model) layout() {
	body := m.bodyHeight()
	for _, p := range m.panes {
		p.SetSize(m.width, body)
	}
	if m.details != nil {
		m.details.SetSize(m.width, body)
	}
	if m.picker != nil {
		m.picker.SetSize(m.width, body)
	}
	if m.security != nil {
		m.security.SetSize(m.width, body)
	}
	if m.callsList != nil {
		m.callsList.SetSize(m.width, body)
	}
	if m.callView != nil {
		m.callView.SetSize(m.width, body)
	}
	m.input.SetWidth(max(10, m.width-len(m.input.Prompt)-2))
	m.help.SetWidth(m.width)
}

// bodyHeight is what is left of the screen for a pane: one line for the tabs, one for
// the status, and one for a prompt when open.
func (m *Model) bodyHeight() int {
	h := m.height - 2
	if m.prompting() {
		h--
	}
	return max(1, h)
}

func (e exportedMsg) String() string {
	if e.err != nil {
		return "export failed: " + e.err.Error()
	}
	return fmt.Sprintf("exported %d entries to %s", e.n, e.path)
}
