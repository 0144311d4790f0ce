// Package commontest gives the UI's view tests what a view is made with: a common.Common
// over a session whose store holds a log, with the default keys and a theme.
package commontest

import (
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
)

// New returns the Common of a session that holds log (Pexip lines), indexed and with its
// calls, drawn with theme.
func New(tb testing.TB, log, theme string) common.Common {
	tb.Helper()
	sess := session.New(nil, storetest.NewParser)
	storetest.Load(tb, sess.Store, "test.log", strings.NewReader(log), split.Options{})
	styles, err := themes.Get(theme)
	if err != nil {
		tb.Fatal(err)
	}
	return common.Common{Session: sess, NewParser: storetest.NewParser, Styles: &styles, Keys: keymap.Default()}
}

// Run runs cmd as the program would, one command after another (tea.Batch and
// tea.Sequence included), and returns the messages they return, in order. It is for
// commands that return at once: what a view asks for.
func Run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if cmds, ok := Commands(msg); ok {
		var out []tea.Msg
		for _, c := range cmds {
			out = append(out, Run(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

// Commands returns the commands of a tea.Batch or tea.Sequence message (the program runs
// them), and whether msg is one.
func Commands(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}
