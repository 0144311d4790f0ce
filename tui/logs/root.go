package logs

import "github.com/calltail/calltail/tui/pane"

// SetActive shows pane i (0 the administrator log, 1 the support log), as a click on its
// tab asks.
func (m *Model) SetActive(i int) {
	if i >= 0 && i < len(m.panes) {
		m.active = i
	}
}

// TimeMode returns which time the rows show, for the status line.
func (m *Model) TimeMode() pane.TimeMode { return m.timeMode }
