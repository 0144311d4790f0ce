package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/tui/common"
)

// click does what a left click asks, with --mouse: on a pane's tab it shows that pane
// (leaving the views above the logs); on the body it selects the row clicked, in the logs
// or in the view on top, which gets the click with Y counted from the body's first line.
func (m *Model) click(msg tea.MouseClickMsg) tea.Cmd {
	mouse := msg.Mouse()
	if mouse.Button != tea.MouseLeft {
		return nil
	}
	if typing, ok := m.top().(common.Typing); ok && typing.Typing() {
		return nil
	}
	switch {
	case mouse.Y == 0:
		if i := m.tabAt(mouse.X); i >= 0 {
			for len(m.stack) > 1 {
				m.pop()
			}
			m.logs.SetActive(i)
		}
	case mouse.Y <= m.bodyHeight():
		if m.top() == common.Component(m.logs) {
			m.logs.Pane().Click(mouse.Y - 1)
			return nil
		}
		mouse.Y--
		return m.top().Update(tea.MouseClickMsg(mouse))
	}
	return nil
}
