// Package tui is calltail's terminal UI. The root keeps a stack of views — the log panes
// at the bottom (package logs), then whatever they opened: an entry's details, the
// picker, the calls list, a call, the security view, the help — and draws the tab bar and
// the status line around the view on top. Views meet one contract (common.Component) and
// ask for what they want with messages (common.BackMsg, common.OpenCallMsg...); only the
// root decides. Only the root returns a tea.View; views return strings. Long work
// (indexing, filtering, searching, exporting) runs in goroutines and reports back through
// messages, never in Update.
package tui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/callsview"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/logs"
	"github.com/calltail/calltail/tui/securityview"
)

// Options configure the UI.
type Options struct {
	Theme     string // a theme name; "" picks default or light from the terminal's background
	Mouse     bool   // scroll with the wheel, select rows and tabs with a click (the terminal's own selection then needs shift)
	Preview   []model.Record
	NewParser model.NewParserFunc
	Terminal  themes.Terminal // what the environment says of the terminal (themes.DetectTerminal)
	CopyFile  string          // where y saves the text too, when no clipboard can be vouched for
}

// Model is the root of the UI.
type Model struct {
	common.Common
	opt      Options
	styles   themes.Styles // what Common.Styles points to
	themeSet bool
	logs     *logs.Model
	stack    []common.Component // logs first; the view on top has the keyboard
	calls    *callsview.Model   // kept between visits, with its sort and cursor
	security *securityview.Model
	width    int
	height   int
	flash    string
	rate     rateMeter
	lastLen  int // the store's length at the last frame
	clip     clipboard
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
	m := &Model{opt: opt, styles: styles, themeSet: opt.Theme != "", clip: newClipboard(opt.Terminal, opt.CopyFile)}
	m.Common = common.Common{Session: sess, NewParser: opt.NewParser, Styles: &m.styles, Keys: keymap.Default()}
	m.logs = logs.New(m.Common, opt.Preview)
	m.stack = []common.Component{m.logs}
	return m, nil
}

// Init asks the terminal for its background colour, unless a theme was chosen or the
// terminal would print the question, and starts listening to the session.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{waitForChange(m.Session, minFrame), tick()}
	if !m.themeSet && m.opt.Terminal.OSC {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	return tea.Batch(cmds...)
}

// Close stops the views' background work.
func (m *Model) Close() {
	for _, v := range m.stack {
		if c, ok := v.(common.Closer); ok {
			c.Close()
		}
	}
	if m.security != nil && !m.stacked(m.security) {
		m.security.Close()
	}
}

// top returns the view that has the keyboard.
func (m *Model) top() common.Component { return m.stack[len(m.stack)-1] }

// stacked reports whether v is on the stack.
func (m *Model) stacked(v common.Component) bool {
	for _, s := range m.stack {
		if s == v {
			return true
		}
	}
	return false
}

// changedMsg says the session or a view's background work has something new.
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
