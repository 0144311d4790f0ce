package tui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/callsview"
	"github.com/calltail/calltail/tui/callview"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/details"
	"github.com/calltail/calltail/tui/helpview"
	"github.com/calltail/calltail/tui/histogram"
	"github.com/calltail/calltail/tui/logs"
	"github.com/calltail/calltail/tui/picker"
	"github.com/calltail/calltail/tui/securityview"
)

// Update routes a message: keys to the view on top (global keys first, unless it is
// typing), what views ask for to the root's own handling, results of background work to
// the view that asked for them.
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
		cmd := m.sync()
		frame, n := minFrame, m.Session.Store.Len()
		if n-m.lastLen > m.bodyHeight() {
			frame = busyFrame
		}
		m.lastLen = n
		return m, tea.Batch(cmd, waitForChange(m.Session, frame))
	case tickMsg:
		m.rate.add(time.Time(msg), m.Session.States())
		return m, tick()
	case tea.KeyPressMsg:
		return m, m.key(msg)
	case tea.MouseWheelMsg:
		if m.opt.Mouse {
			return m, m.top().Update(msg)
		}
	case tea.MouseClickMsg:
		if m.opt.Mouse {
			return m, m.click(msg)
		}
	case copiedMsg:
		m.flash = string(msg)
	case tea.PasteMsg:
		return m, m.top().Update(msg)
	case picker.ItemsMsg:
		if p, ok := m.top().(*picker.Model); ok {
			return m, p.Update(msg)
		}
	default:
		return m, m.ask(msg)
	}
	return m, nil
}

// sync gives the session's news to the logs, which the tab bar and status line count,
// and to the view on top.
func (m *Model) sync() tea.Cmd {
	cmd := m.logs.Update(common.SyncMsg{})
	if top := m.top(); top != common.Component(m.logs) {
		cmd = tea.Batch(cmd, top.Update(common.SyncMsg{}))
	}
	return cmd
}

// key handles a key: ctrl+c quits from anywhere; ? shows the help of the view on top
// unless it is typing; the view on top has the rest.
func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, m.Keys.ForceQuit) {
		return tea.Quit
	}
	top := m.top()
	typing, _ := top.(common.Typing)
	if typing != nil && typing.Typing() {
		return top.Update(msg)
	}
	if top == common.Component(m.logs) {
		m.flash = ""
	}
	if _, helping := top.(*helpview.Model); !helping && key.Matches(msg, m.Keys.Help) {
		var notes []string
		if top == common.Component(m.logs) {
			notes = logs.HelpNotes
		}
		m.push(helpview.New(m.Common, top, notes...))
		return nil
	}
	return top.Update(msg)
}

// ask does what a view asked for: it opens, closes and feeds views.
func (m *Model) ask(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.BackMsg:
		m.pop()
	case common.OpenEntryMsg:
		m.push(details.New(m.Common, msg.Raw, msg.Node))
	case common.OpenCallMsg:
		m.push(callview.New(m.Common, msg.Number))
	case callview.OpenMsg:
		if len(msg.Numbers) > 0 {
			m.push(callview.New(m.Common, msg.Numbers[0], msg.Numbers[1:]...))
		}
	case common.OpenCallsMsg:
		if m.calls == nil {
			m.calls = callsview.New(m.Common)
		}
		m.push(m.calls)
	case common.OpenSecurityMsg:
		if m.security == nil {
			m.security = securityview.New(m.Common)
		}
		m.push(m.security)
	case common.OpenPickerMsg:
		p, cmd := picker.Open(m.Common)
		m.push(p)
		return cmd
	case logs.OpenHistogramMsg:
		m.push(histogram.New(m.Common, msg.Pane))
	case common.SearchLogsMsg, common.FilterLogsMsg, logs.GoToTimeMsg:
		for len(m.stack) > 1 {
			m.pop()
		}
		return m.logs.Update(msg)
	case common.CopyMsg:
		return m.clip.copyCmd(msg.Raw)
	case common.FlashMsg:
		m.flash = string(msg)
	}
	return nil
}

// push puts a view on top, sized and up to date.
func (m *Model) push(v common.Component) {
	m.stack = append(m.stack, v)
	v.SetSize(m.width, m.bodyHeight())
	v.Update(common.SyncMsg{})
}

// pop takes the view on top away, stopping its work unless it is kept for the next
// visit, and brings the one below up to date.
func (m *Model) pop() {
	if len(m.stack) == 1 {
		return
	}
	v := m.top()
	m.stack = m.stack[:len(m.stack)-1]
	if c, ok := v.(common.Closer); ok && v != common.Component(m.security) && !m.stacked(v) {
		c.Close()
	}
	top := m.top()
	top.SetSize(m.width, m.bodyHeight())
	top.Update(common.SyncMsg{})
}

// layout gives each view its size.
func (m *Model) layout() {
	for _, v := range m.stack {
		v.SetSize(m.width, m.bodyHeight())
	}
}

// bodyHeight is what is left of the screen for a view: one line for the tabs and one for
// the status.
func (m *Model) bodyHeight() int { return max(1, m.height-2) }
