// Package common is what every view of the UI shares: the Common context (the session,
// the styles, the keys), the Component contract each view meets, and the messages with
// which a view asks the root for something — to go back, to open a call or an entry, to
// search or filter the logs — instead of doing it itself.
package common

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/keymap"
)

// Common is handed to every view: what it reads and how it draws.
type Common struct {
	Session   *session.Session
	NewParser model.NewParserFunc
	Styles    *themes.Styles // shared: a theme chosen later applies to every view
	Keys      keymap.KeyMap
}

// Component is one view of the UI. Update takes a key, a mouse or paste event, or a
// SyncMsg (the session has news), and returns what the view asks for as commands; View
// draws the view in the size SetSize gave it; the help.KeyMap is what the view answers to,
// from which the tab bar's hints and the help screen (?) are drawn.
type Component interface {
	help.KeyMap
	Update(msg tea.Msg) tea.Cmd
	View() string
	SetSize(width, height int)
}

// Titled is a view that names itself in the tab bar, before the hints of its ShortHelp.
type Titled interface{ Title() string }

// Typing is a view with a text input: while Typing reports true the input has the
// keyboard, and keys such as ? are typed rather than obeyed.
type Typing interface{ Typing() bool }

// Closer is a view with background work, stopped when the view leaves the screen for good.
type Closer interface{ Close() }

// SyncMsg tells a view that the session has news: new entries, calls, progress.
type SyncMsg struct{}

// BackMsg asks to leave the view on top, back to the one below.
type BackMsg struct{}

// OpenCallMsg asks to open call number Number.
type OpenCallMsg struct{ Number int }

// OpenEntryMsg asks to show an entry's details: its text, and the node the store holds
// for it (which its text may not name).
type OpenEntryMsg struct {
	Raw  []byte
	Node string
}

// OpenCallsMsg asks to show the calls list.
type OpenCallsMsg struct{}

// OpenSecurityMsg asks to show the security view.
type OpenSecurityMsg struct{}

// OpenPickerMsg asks to show the picker of nodes, modules, conferences, participants and
// calls.
type OpenPickerMsg struct{}

// CopyMsg asks to put an entry's text on the clipboard.
type CopyMsg struct{ Raw []byte }

// SearchLogsMsg asks to search the support log for Text.
type SearchLogsMsg struct{ Text string }

// FilterLogsMsg asks to filter the log pane shown with the expression Expr.
type FilterLogsMsg struct{ Expr string }

// FlashMsg is a message for the status line.
type FlashMsg string

// Ask returns a command that asks for msg.
func Ask(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// CallOf returns the number of the call an entry belongs to, by the correlation ids it
// carries, or 0.
func (c Common) CallOf(raw []byte) int {
	var rec model.Record
	c.NewParser().Parse(raw, &rec)
	found := 0
	rec.IDs(func(_ model.IDKind, id []byte) {
		if found == 0 {
			found, _ = c.Session.Calls.Find(c.Session.Store, string(id))
		}
	})
	return found
}

// OpenCallOf asks to open the call an entry belongs to, or says that it has none.
func (c Common) OpenCallOf(raw []byte) tea.Cmd {
	if n := c.CallOf(raw); n != 0 {
		return Ask(OpenCallMsg{Number: n})
	}
	return Ask(FlashMsg("this entry carries no id of a known call"))
}
