package tui

import (
	"charm.land/bubbles/v2/key"

	"github.com/calltail/calltail/tui/nav"
)

// KeyMap holds every key binding of the UI, for matching and for the help.
type KeyMap struct {
	nav.Keys                           // moving through lists and texts
	NextPane, PrevPane                 key.Binding
	Search, NextMatch, PrevMatch, Mode key.Binding
	Filter, Picker, Level              key.Binding
	Clear, Details, Back, Copy, Export key.Binding
	Time, Wrap, Help, Quit, Accept     key.Binding
	Calls, OpenCall, Sort, Reverse     key.Binding
	Security                           key.Binding
}

// DefaultKeyMap returns the default bindings.
func DefaultKeyMap() KeyMap {
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
		Export:    b([]string{"e"}, "e", "export pane to a file"),
		Time:      b([]string{"t"}, "t", "time: originating, syslog, local"),
		Wrap:      b([]string{"w"}, "w", "wrap rows"),
		Help:      b([]string{"?"}, "?", "help"),
		Quit:      b([]string{"q", "ctrl+c"}, "q", "quit"),
		Accept:    b([]string{"enter"}, "enter", "accept"),
		Calls:     b([]string{"c"}, "c", "calls list"),
		OpenCall:  b([]string{"o"}, "o", "open the call of this entry"),
		Sort:      b([]string{"s"}, "s", "calls: sort by the next column"),
		Reverse:   b([]string{"r"}, "r", "calls: reverse the order"),
		Security:  b([]string{"s"}, "s", "security: failed logins, PIN attacks, blocks"),
	}
}

// ShortHelp is the one-line help shown in the status bar.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextPane, k.Search, k.Filter, k.Picker, k.Calls, k.Details, k.Help, k.Quit}
}

// FullHelp is the help screen, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.NextPane, k.PrevPane},
		{k.Search, k.NextMatch, k.PrevMatch, k.Mode, k.Filter, k.Level, k.Picker, k.Clear},
		{k.Details, k.Copy, k.Export, k.Time, k.Wrap, k.Help, k.Quit},
		{k.Calls, k.OpenCall, k.Sort, k.Reverse, k.Security},
	}
}
