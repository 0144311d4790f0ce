// Package themes holds calltail's looks in three layers: a Palette of named colour slots,
// the Styles built from a palette, and the named themes (default, light, pexip,
// high-contrast, mono). Colours are written at full fidelity; the terminal program
// downsamples them to what the client's terminal supports.
package themes

import (
	"fmt"
	"hash/fnv"
	"image/color"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
)

// Palette is a theme's named colours. A nil colour means the terminal's default.
type Palette struct {
	Text, Faint, Accent        color.Color
	Background                 color.Color // of bars and prompts
	Selected                   color.Color // background of the selected row
	WarnText, WarnBackground   color.Color // a WARNING row
	ErrorText, ErrorBackground color.Color // an ERROR (or CRITICAL) row
	Match, MatchBackground     color.Color // search matches in rows
	Debug, Info, Notice        color.Color // level badges below WARNING
	HeaderName, SDP            color.Color // SIP header names and SDP body in details
	Nodes                      []color.Color
	Mono                       bool        // no colour at all: styles use bold, reverse and underline
	Screen                     color.Color // the theme's own background, painted on every cell (see Fill); nil: the terminal's
}

// Styles are what the UI draws with.
type Styles struct {
	Name string
	Mono bool

	Text, Faint, Accent, Bold lipgloss.Style
	Bar, BarKey, BarValue     lipgloss.Style // the bars: the tab bar and the status line
	BarHelp                   lipgloss.Style // the help's hint on the status line
	TabActive, TabInactive    lipgloss.Style
	Prompt, PromptError       lipgloss.Style
	Selected                  lipgloss.Style // the selected row
	WarnRow, ErrorRow         lipgloss.Style // whole WARNING and ERROR rows
	Match                     lipgloss.Style // a search match
	Badges                    map[string]lipgloss.Style
	FieldKey, FieldValue      lipgloss.Style
	HeaderName, SDP, Title    lipgloss.Style
	Help                      lipgloss.Style
	nodes                     []lipgloss.Style
	fill                      screenFill
}

// Node returns the style of a node's name: a colour picked from its name, so that a node
// keeps its colour across sessions.
func (s *Styles) Node(name string) lipgloss.Style {
	if len(s.nodes) == 0 {
		return s.Text
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return s.nodes[h.Sum32()%uint32(len(s.nodes))]
}

// Badge returns the style of a level's badge ("WARNING" and so on).
func (s *Styles) Badge(level string) lipgloss.Style {
	if b, ok := s.Badges[level]; ok {
		return b
	}
	return s.Text
}

// New builds the styles of a palette.
func New(name string, p Palette) Styles {
	st := lipgloss.NewStyle()
	fg := func(c color.Color) lipgloss.Style {
		if c == nil {
			return st
		}
		return st.Foreground(c)
	}
	bg := func(s lipgloss.Style, c color.Color) lipgloss.Style {
		if c == nil {
			return s
		}
		return s.Background(c)
	}
	s := Styles{Name: name, Mono: p.Mono, fill: newFill(p.Screen, p.Text)}
	s.Text, s.Faint, s.Accent, s.Bold = fg(p.Text), fg(p.Faint), fg(p.Accent).Bold(true), st.Bold(true)
	s.Bar = bg(fg(p.Text), p.Background)
	s.BarKey = bg(fg(p.Accent), p.Background).Bold(true)
	s.BarValue = bg(fg(p.Text), p.Background)
	s.BarHelp = bg(fg(p.Faint), p.Background)
	s.TabActive = bg(fg(p.Background), p.Accent).Bold(true)
	s.TabInactive = bg(fg(p.Faint), p.Background)
	s.Prompt = fg(p.Accent).Bold(true)
	s.PromptError = fg(p.ErrorText)
	s.Selected = bg(st, p.Selected)
	s.WarnRow = bg(fg(p.WarnText), p.WarnBackground)
	s.ErrorRow = bg(fg(p.ErrorText), p.ErrorBackground)
	s.Match = bg(fg(p.Match), p.MatchBackground).Bold(true)
	s.FieldKey = fg(p.Accent)
	s.FieldValue = fg(p.Text)
	s.HeaderName = fg(p.HeaderName).Bold(true)
	s.SDP = fg(p.SDP)
	s.Title = fg(p.Accent).Bold(true)
	s.Help = fg(p.Faint)
	s.Badges = map[string]lipgloss.Style{
		"DEBUG":    fg(p.Debug),
		"INFO":     fg(p.Info),
		"NOTICE":   fg(p.Notice),
		"WARNING":  fg(p.WarnText).Bold(true),
		"ERROR":    fg(p.ErrorText).Bold(true),
		"CRITICAL": fg(p.ErrorText).Bold(true).Underline(true),
	}
	if p.Mono {
		// Not underlined, even on an ERROR row: lipgloss draws the spaces of an underlined
		// text apart, without its reverse, and the selection would show as separate words.
		s.Selected = st.Reverse(true).Underline(false)
		s.WarnRow = st.Bold(true)
		s.ErrorRow = st.Bold(true).Underline(true)
		s.Match = st.Reverse(true)
		s.TabActive = st.Bold(true).Reverse(true)
		s.Bar = st.Reverse(true)
		s.BarKey = st.Reverse(true).Bold(true)
		s.BarValue = st.Reverse(true)
		s.BarHelp = st.Reverse(true)
	}
	for _, c := range p.Nodes {
		s.nodes = append(s.nodes, fg(c))
	}
	return s
}

var hex = lipgloss.Color

// palettes are the themes calltail ships.
var palettes = map[string]Palette{
	"default": {
		Text: hex("#d0d0d0"), Faint: hex("#808080"), Accent: hex("#5fafff"), Background: hex("#262626"),
		Selected: hex("#3a3a3a"),
		WarnText: hex("#ffaf00"), ErrorText: hex("#ff5f5f"),
		Match: hex("#000000"), MatchBackground: hex("#ffd75f"),
		Debug: hex("#808080"), Info: hex("#87afaf"), Notice: hex("#87afd7"),
		HeaderName: hex("#87afff"), SDP: hex("#afaf87"),
		Nodes: []color.Color{hex("#5fafff"), hex("#87d787"), hex("#d787d7"), hex("#5fd7d7"), hex("#d7af87"), hex("#af87ff"), hex("#87d7af"), hex("#ff87af")},
	},
	// light paints its own background, so that it reads the same on a dark terminal.
	"light": {
		Screen: hex("#ffffff"),
		Text:   hex("#262626"), Faint: hex("#6c6c6c"), Accent: hex("#005faf"), Background: hex("#e4e4e4"),
		Selected: hex("#d0d0d0"),
		WarnText: hex("#875f00"), WarnBackground: hex("#ffffd7"), ErrorText: hex("#af0000"), ErrorBackground: hex("#ffd7d7"),
		Match: hex("#000000"), MatchBackground: hex("#ffd700"),
		Debug: hex("#6c6c6c"), Info: hex("#005f5f"), Notice: hex("#005f87"),
		HeaderName: hex("#005faf"), SDP: hex("#5f5f00"),
		Nodes: []color.Color{hex("#005faf"), hex("#008700"), hex("#870087"), hex("#008787"), hex("#875f00"), hex("#5f00af"), hex("#005f5f"), hex("#af005f")},
	},
	// pexip follows the Pexip administrator interface: warnings on an orange background,
	// errors on a blue one.
	"pexip": {
		Text: hex("#e0e0e0"), Faint: hex("#8a8a8a"), Accent: hex("#ff8c00"), Background: hex("#1f2a36"),
		Selected: hex("#34495e"),
		WarnText: hex("#000000"), WarnBackground: hex("#ff9e2c"), ErrorText: hex("#ffffff"), ErrorBackground: hex("#2f6fb5"),
		Match: hex("#000000"), MatchBackground: hex("#ffe066"),
		Debug: hex("#8a8a8a"), Info: hex("#9ec5e8"), Notice: hex("#b3d9ff"),
		HeaderName: hex("#ff8c00"), SDP: hex("#9ec5e8"),
		Nodes: []color.Color{hex("#ff8c00"), hex("#9ec5e8"), hex("#8fd18f"), hex("#e8a0c8"), hex("#d6c27a"), hex("#a0a0ff")},
	},
	"high-contrast": {
		Text: hex("#ffffff"), Faint: hex("#c0c0c0"), Accent: hex("#00ffff"), Background: hex("#000000"),
		Selected: hex("#0000aa"),
		WarnText: hex("#000000"), WarnBackground: hex("#ffff00"), ErrorText: hex("#ffffff"), ErrorBackground: hex("#cc0000"),
		Match: hex("#000000"), MatchBackground: hex("#00ff00"),
		Debug: hex("#c0c0c0"), Info: hex("#ffffff"), Notice: hex("#00ffff"),
		HeaderName: hex("#00ffff"), SDP: hex("#ffff00"),
		Nodes: []color.Color{hex("#00ffff"), hex("#00ff00"), hex("#ff00ff"), hex("#ffff00")},
	},
	"mono": {Mono: true},
}

// Names returns the names of the themes, sorted.
func Names() []string {
	var out []string
	for n := range palettes {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Get returns the styles of the theme called name.
func Get(name string) (Styles, error) {
	p, ok := palettes[name]
	if !ok {
		return Styles{}, fmt.Errorf("unknown theme %q: choose one of %s", name, strings.Join(Names(), ", "))
	}
	return New(name, p), nil
}
