// Package keymap binds every key of the UI once, in one KeyMap. Each view answers to the
// bindings it picks from it, worded for its own help (With): rebinding a key here changes
// what every view answers to and what its help says.
package keymap

import (
	"charm.land/bubbles/v2/key"

	"github.com/calltail/calltail/tui/nav"
)

// KeyMap holds every key binding of the UI.
type KeyMap struct {
	// lnav's keys in the log panes, and the histogram's
	NextError, PrevError, NextWarning, PrevWarning key.Binding
	Bookmark, NextMark, PrevMark                   key.Binding
	Histogram, ZoomIn, ZoomOut                     key.Binding

	nav.Keys                           // moving through lists and texts
	NextPane, PrevPane                 key.Binding
	Search, NextMatch, PrevMatch, Mode key.Binding
	Filter, Picker, Level              key.Binding
	Clear, Details, Back, Copy, Export key.Binding
	Time, Wrap, Help, Quit, Accept     key.Binding
	Calls, OpenCall, Sort, Reverse     key.Binding
	Scanners                           key.Binding // hides or shows the calls of SIP scanners
	Security                           key.Binding
	Cancel                             key.Binding // leaves a prompt
	ListUp, ListDown                   key.Binding // move in a list under a prompt, where letters are typed
	ForceQuit                          key.Binding // quits from anywhere, even a prompt

	// The calls list's and the call view's; scrolling sideways in the log panes too.
	Mark                    key.Binding // marks a call in the calls list
	ScrollLeft, ScrollRight key.Binding // scroll sideways
	CallHeader              key.Binding // folds or unfolds a call's summary
}

// Default returns the default bindings.
func Default() KeyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Keys: nav.Keys{
			Up:       b([]string{"up", "k"}, "↑/k", "up"),
			Down:     b([]string{"down", "j"}, "↓/j", "down"),
			PageUp:   b([]string{"pgup", "ctrl+b"}, "pgup", "page up"),
			PageDown: b([]string{"pgdown", "ctrl+f", "space"}, "pgdn", "page down"),
			Top:      b([]string{"g", "home"}, "g/home", "first entry"),
			Bottom:   b([]string{"G", "end"}, "G/end", "last entry, follow"),
		},

		// lnav's keys
		NextError:   b([]string{"e"}, "e", "next error"),
		PrevError:   b([]string{"E"}, "E", "previous error"),
		NextWarning: b([]string{"w"}, "w", "next warning"),
		PrevWarning: b([]string{"W"}, "W", "previous warning"),
		Bookmark:    b([]string{"m"}, "m", "mark or unmark the row"),
		NextMark:    b([]string{"u"}, "u", "next mark"),
		PrevMark:    b([]string{"U"}, "U", "previous mark"),
		Histogram:   b([]string{"i"}, "i", "histogram of the log over time"),
		ZoomIn:      b([]string{"z"}, "z", "zoom in"),
		ZoomOut:     b([]string{"Z"}, "Z", "zoom out"),

		NextPane:  b([]string{"tab"}, "tab", "next pane"),
		PrevPane:  b([]string{"shift+tab"}, "shift+tab", "previous pane"),
		Search:    b([]string{"/"}, "/", "search"),
		NextMatch: b([]string{"n"}, "n", "next match"),
		PrevMatch: b([]string{"N"}, "N", "previous match"),
		Mode:      b([]string{"ctrl+r"}, "ctrl+r", "search mode: substring, regex, fuzzy"),
		Filter:    b([]string{"&"}, "&", "filter expression"),
		Picker:    b([]string{":"}, ":", "pick a node, module, conference, participant, call"),
		Level:     b([]string{"1", "2", "3", "4"}, "1-4", "minimum level: debug, info, warning, error"),
		Clear:     b([]string{"esc"}, "esc", "clear search, then filter"),
		Details:   b([]string{"enter"}, "enter", "entry details"),
		Back:      b([]string{"esc", "q"}, "esc", "back"),
		Copy:      b([]string{"y"}, "y", "copy entry (OSC 52)"),
		Export:    b([]string{"ctrl+s"}, "ctrl+s", "export pane to a file"),
		Time:      b([]string{"t"}, "t", "time: originating, syslog, local"),
		Wrap:      b([]string{"ctrl+w"}, "ctrl+w", "wrap rows"),
		Help:      b([]string{"?"}, "?", "help"),
		Quit:      b([]string{"q", "ctrl+c"}, "q", "quit"),
		Accept:    b([]string{"enter"}, "enter", "accept"),
		Calls:     b([]string{"c"}, "c", "calls list"),
		OpenCall:  b([]string{"o"}, "o", "open the call of this entry"),
		Sort:      b([]string{"s"}, "s", "calls: sort by the next column"),
		Reverse:   b([]string{"r"}, "r", "calls: reverse the order"),
		Scanners:  b([]string{"x"}, "x", "calls: hide or show the calls of SIP scanners"),
		Security:  b([]string{"s"}, "s", "security: failed logins, PIN attacks, blocks"),
		Cancel:    b([]string{"esc"}, "esc", "cancel"),
		ListUp:    b([]string{"up", "ctrl+p"}, "↑", "previous"),
		ListDown:  b([]string{"down", "ctrl+n"}, "↓", "next"),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c")),

		// The calls list's and the call view's; scrolling sideways in the log panes too.
		Mark:        b([]string{"space"}, "space", "calls: mark a call"),
		ScrollLeft:  b([]string{"left"}, "←", "scroll left"),
		ScrollRight: b([]string{"right"}, "→", "scroll right"),
		CallHeader:  b([]string{"H"}, "H", "call: the whole summary, or two lines"),
	}
}

// With returns b with its help worded desc: the same keys, said the way a view says them
// ("enter opens", "esc goes back").
func With(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
