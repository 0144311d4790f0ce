// Package nav holds the movement keys that the UI's lists and views share, and what they
// do to a position in a list.
package nav

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Keys move through a list or a text.
type Keys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

// Move returns pos moved by the key msg, kept within 0 and last, with page lines to a
// page; ok is false, and pos unchanged, when msg is not a movement key.
func (k Keys) Move(msg tea.KeyPressMsg, pos, page, last int) (moved int, ok bool) {
	switch {
	case key.Matches(msg, k.Up):
		pos--
	case key.Matches(msg, k.Down):
		pos++
	case key.Matches(msg, k.PageUp):
		pos -= page
	case key.Matches(msg, k.PageDown):
		pos += page
	case key.Matches(msg, k.Top):
		pos = 0
	case key.Matches(msg, k.Bottom):
		pos = last
	default:
		return pos, false
	}
	return min(max(pos, 0), max(last, 0)), true
}

// Top returns the first row to show of a list whose cursor is at cursor, showing shown rows
// from top: top moved as little as keeps the cursor in view.
func Top(cursor, top, shown int) int {
	if cursor < top {
		return cursor
	}
	if cursor >= top+shown {
		return cursor - shown + 1
	}
	return top
}

// ShortHelp returns the keys that move up and down.
func (k Keys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Down} }

// FullHelp returns every movement key.
func (k Keys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}}
}
