package tui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/session"
	"github.com/calltail/calltail/source"
	"github.com/calltail/calltail/source/sim"
)

func newParser() model.Parser { return &pexip.Parser{} }

// harness is the UI over a session following a simulated log, driven by Update.
type harness struct {
	t    *testing.T
	m    *Model
	sess *session.Session
	path string
}

func newHarness(t *testing.T, lines int, theme string) *harness {
	t.Helper()
	path := filepath.Join(t.TempDir(), "support.log")
	f, _ := os.Create(path)
	sim.New(3).WriteLines(f, lines)
	f.Close()
	sess := session.New([]source.Live{source.NewFile(path, source.FollowOptions{Interval: 20 * time.Millisecond})}, newParser)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sess.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	m, err := New(sess, Options{Theme: theme, NewParser: newParser})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	h := &harness{t: t, m: m, sess: sess, path: path}
	h.send(tea.WindowSizeMsg{Width: 140, Height: 24})
	h.waitFor("the log loaded", func(s string) bool { return strings.Contains(s, count(lines)+" entries") })
	return h
}

func (h *harness) send(msg tea.Msg) { h.m.Update(msg) }

// keys types text, one key press per character, or a named key like "enter".
func (h *harness) keys(keys ...string) {
	for _, k := range keys {
		switch k {
		case "enter", "esc", "tab", "shift+tab", "up", "down", "pgup", "pgdown", "end", "home", "ctrl+r":
			h.send(keyPress(k))
		default:
			for _, r := range k {
				h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
			}
		}
	}
}

func keyPress(name string) tea.KeyPressMsg {
	codes := map[string]rune{"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "up": tea.KeyUp,
		"down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "end": tea.KeyEnd, "home": tea.KeyHome}
	switch name {
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "ctrl+r":
		return tea.KeyPressMsg{Code: 'r', Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: codes[name]}
}

// screen returns the rendered screen without styling.
func (h *harness) screen() string { return ansi.Strip(h.m.View().Content) }

// waitFor delivers the session's change messages until the screen satisfies cond.
func (h *harness) waitFor(what string, cond func(string) bool) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-h.sess.Notifier.C():
			h.send(changedMsg{})
		case <-time.After(10 * time.Millisecond):
		}
		if cond(h.screen()) {
			return
		}
	}
	h.t.Fatalf("timed out waiting for %s; screen:\n%s", what, h.screen())
}

func TestSearchPrompt(t *testing.T) {
	h := newHarness(t, 3000, "mono")
	h.keys("/", "alice")
	h.waitFor("matches counted", func(s string) bool {
		return strings.Contains(s, "/alice") && strings.Contains(s, " matches") && !strings.Contains(s, "+ matches")
	})
}
