// Package tui is calltail's terminal UI: a root model that routes keys and messages to
// its components — the two log panes, the entry details, the fuzzy picker, the prompts —
// and lays them out with the tab bar and the status line. Only the root returns a
// tea.View; components return strings. Long work (indexing, filtering, searching,
// exporting) runs in goroutines and reports back through messages, never in Update.
package tui

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/callsview"
	"github.com/calltail/calltail/tui/callview"
	"github.com/calltail/calltail/tui/details"
	"github.com/calltail/calltail/tui/pane"
	"github.com/calltail/calltail/tui/picker"
	"github.com/calltail/calltail/tui/securityview"
)

// Options configure the UI.
type Options struct {
	Theme     string // a theme name; "" picks default or light from the terminal's background
	Mouse     bool   // scroll with the mouse wheel (the terminal's own selection then needs shift)
	Preview   []model.Record
	NewParser model.NewParserFunc
	Tmux      bool // wrap clipboard writes for tmux
}

// mode is what has the keyboard.
type mode int

const (
	normal mode = iota
	searching
	filtering
	exporting
	picking
	detailing
	helping
	listingCalls
	viewingCall
	viewingSecurity
)

// Model is the root of the UI.
type Model struct {
	sess       *session.Session
	opt        Options
	styles     themes.Styles
	themeSet   bool
	keys       KeyMap
	panes      []*pane.Model
	active     int
	width      int
	height     int
	mode       mode
	input      textinput.Model
	inputErr   string
	before     string // the filter when the filter prompt opened
	searchMode search.Mode
	details    *details.Model
	picker     *picker.Model
	callsList  *callsview.Model
	callView   *callview.Model
	security   *securityview.Model
	callFrom   mode // where esc leaves the call view for
	detailFrom mode // where esc leaves the details for
	help       help.Model
	flash      string
	timeMode   pane.TimeMode
	wrap       bool
	rate       rateMeter
	lastLen    int // the store's length at the last frame
}

// New returns the UI over a session. The styles are those of opt.Theme, or of the
// default theme until the terminal says whether its background is light.
func New(sess *session.Session, opt Options) (*Model, error) {
	name := opt.Theme
	if name == "" {
		name = "default"
	}
	styles, err := themes.Get(name)
	if err != nil {
		return nil, err
	}
	m := &Model{sess: sess, opt: opt, styles: styles, themeSet: opt.Theme != "", keys: DefaultKeyMap(), help: help.New()}
	m.input = textinput.New()
	for _, p := range []struct {
		title string
		admin bool
	}{{"Admin log", true}, {"Support log", false}} {
		pm := pane.New(pane.Config{Title: p.title, Admin: p.admin, Store: sess.Store, NewParser: opt.NewParser,
			Notify: sess.Notifier.Poke, Styles: &m.styles, Keys: m.keys.Keys})
		if opt.Preview != nil && !sess.Loaded() {
			pm.SetPreview(opt.Preview)
		}
		m.panes = append(m.panes, pm)
	}
	m.active = 1 // the support log: everything
	return m, nil
}

// Init asks the terminal for its background colour and starts listening to the session.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, waitForChange(m.sess, minFrame), tick())
}

// Close stops the panes' background work.
func (m *Model) Close() {
	for _, p := range m.panes {
		p.Close()
	}
	if m.callView != nil {
		m.callView.Close()
	}
	if m.security != nil {
		m.security.Close()
	}
}

func (m *Model) pane() *pane.Model { return m.panes[m.active] }

// changedMsg says the session or a pane's background work has something new.
type changedMsg struct{}

// Frames: new entries reach the screen in batches, at most 20 times a second; when more
// arrive than a screen holds, 4 times a second, which is as fast as anyone reads and keeps
// the bytes sent to a terminal over a slow SSH link down.
const (
	minFrame  = 50 * time.Millisecond
	busyFrame = 250 * time.Millisecond
)

// waitForChange waits for the session to signal a change, then at least frame more, so
// that a busy stream makes one message per frame rather than one per line.
func waitForChange(sess *session.Session, frame time.Duration) tea.Cmd {
	return func() tea.Msg {
		<-sess.Notifier.C()
		time.Sleep(frame)
		return changedMsg{}
	}
}

// tickMsg refreshes the rates in the status line once a second.
type tickMsg time.Time

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}
