package tui

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/source"
	"github.com/calltail/calltail/tui/common/commontest"
	"github.com/calltail/calltail/tui/numbers"
)

// newParser reads every format, as calltail does by default.
var newParser = func() func() model.Parser { p, _ := formats.New("auto", 2026); return p }()

// harness is the UI over a session following a simulated log, driven by Update the way
// the program drives it: commands run on goroutines and their messages come back to
// Update one at a time, those that return at once (what a view asks for) before the next
// key.
type harness struct {
	t    *testing.T
	m    *Model
	sess *session.Session
	path string
	msgs chan tea.Msg // what commands still running returned
}

func newHarness(t *testing.T, lines int, theme string) *harness {
	t.Helper()
	path := filepath.Join(t.TempDir(), "support.log")
	f, _ := os.Create(path)
	sim.New(3).WriteLines(f, lines)
	f.Close()
	h := harnessOf(t, []source.Live{source.NewFile(path, source.FollowOptions{Interval: 20 * time.Millisecond})}, theme)
	h.path = path
	h.waitFor("the log loaded", func(s string) bool { return strings.Contains(s, numbers.Plural(lines, "entry", "entries")) })
	return h
}

// harnessOf runs the UI over live sources, in a session set up by setup.
func harnessOf(t *testing.T, sources []source.Live, theme string, setup ...func(*session.Session)) *harness {
	t.Helper()
	return harnessSetUp(t, sources, Options{Theme: theme, NewParser: newParser}, setup...)
}

// harnessSetUp runs the UI made with opt over live sources, in a session set up by setup.
func harnessSetUp(t *testing.T, sources []source.Live, opt Options, setup ...func(*session.Session)) *harness {
	t.Helper()
	sess := session.New(sources, newParser)
	for _, f := range setup {
		f(sess)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sess.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	m, err := New(sess, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	h := &harness{t: t, m: m, sess: sess, msgs: make(chan tea.Msg, 1024)}
	h.run(m.Init())
	h.send(tea.WindowSizeMsg{Width: 140, Height: 24})
	return h
}

// send gives msg to Update and runs the command it returns.
func (h *harness) send(msg tea.Msg) {
	_, cmd := h.m.Update(msg)
	h.run(cmd)
}

// run runs a command as the program does. A command that returns within a moment has its
// message handled now; one that takes longer (a tick, waiting for the session) goes on in
// the background, and its message is handled by waitFor. Batched commands run side by
// side, sequenced ones in order.
func (h *harness) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(5 * time.Millisecond):
		go func() {
			if msg := <-done; msg != nil {
				h.msgs <- msg
			}
		}()
		return
	}
	h.handle(msg)
}

// handle gives a command's message to Update, or runs the commands of a batch: a batch's
// message that comes late (a loaded machine) must not reach Update, which would drop it.
func (h *harness) handle(msg tea.Msg) {
	if cmds, ok := commontest.Commands(msg); ok {
		for _, c := range cmds {
			h.run(c)
		}
		return
	}
	if msg != nil {
		h.send(msg)
	}
}

// keys types text, one key press per character, or a named key like "enter".
func (h *harness) keys(keys ...string) {
	for _, k := range keys {
		switch k {
		case "enter", "esc", "tab", "shift+tab", "up", "down", "pgup", "pgdown", "end", "home", "ctrl+r", "ctrl+s", "ctrl+w", "left", "right":
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
		"down": tea.KeyDown, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "end": tea.KeyEnd, "home": tea.KeyHome,
		"left": tea.KeyLeft, "right": tea.KeyRight}
	switch name {
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	case "ctrl+r", "ctrl+s", "ctrl+w":
		return tea.KeyPressMsg{Code: rune(name[len(name)-1]), Mod: tea.ModCtrl}
	}
	return tea.KeyPressMsg{Code: codes[name]}
}

// screen returns the rendered screen without styling.
func (h *harness) screen() string { return ansi.Strip(h.m.View().Content) }

// waitFor delivers the messages of running commands until the screen satisfies cond and
// nothing has arrived for longer than the longest frame: the screen is settled.
func (h *harness) waitFor(what string, cond func(string) bool) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	last := time.Now()
	for time.Now().Before(deadline) {
		select {
		case msg := <-h.msgs:
			h.handle(msg)
			if _, tick := msg.(tickMsg); !tick {
				last = time.Now()
			}
		case <-time.After(10 * time.Millisecond):
		}
		if time.Since(last) > busyFrame+50*time.Millisecond && cond(h.screen()) {
			return
		}
	}
	h.t.Fatalf("timed out waiting for %s; screen:\n%s", what, h.screen())
}

// searchCounted reports whether the status line says a search's matches are all counted:
// "match 3 of 12" on a match, "12 matches" off one, a "+" while counting.
func searchCounted(screen string) bool {
	return searchCountRe.MatchString(screen)
}

var searchCountRe = regexp.MustCompile(`(match [\d,]+ of [\d,]+|[\d,]+ match(es)?)( |$)`)

func TestSearchPrompt(t *testing.T) {
	h := newHarness(t, 3000, "mono")
	h.keys("/", "alice")
	h.waitFor("matches counted", func(s string) bool {
		return strings.Contains(s, "/alice") && searchCounted(s)
	})
}

var update = flag.Bool("update", false, "rewrite the golden screens in testdata")

// golden compares a screen with testdata/NAME.golden.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update)", err)
	}
	if got != string(want) {
		gotPath := filepath.Join(os.TempDir(), "calltail-"+name+".got")
		os.WriteFile(gotPath, []byte(got), 0o644)
		t.Errorf("screen %s differs from %s (run go test ./tui -update and review; diff %s %s):\n%s", name, path, path, gotPath, got)
	}
}

// plainScreen is the screen without styling, with the temporary path made stable.
func (h *harness) plainScreen() string { return h.stablePath(h.screen()) }

// colourScreen is the screen as a 256-colour terminal receives it.
func (h *harness) colourScreen() string {
	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI256}
	w.WriteString(h.m.View().Content)
	return h.stablePath(b.String())
}

// stablePath writes the log's temporary directory in screen as $TMP.
func (h *harness) stablePath(screen string) string {
	if h.path == "" {
		return screen
	}
	return strings.ReplaceAll(screen, filepath.Dir(h.path), "$TMP")
}

func TestGoldenScreens(t *testing.T) {
	h := newHarness(t, 2000, "default")
	steps := []struct {
		name string
		keys []string
		wait string
		tabs string // the tab bar once every entry is in the panes
	}{
		{"support", nil, "following", "Admin log (620)   Support log (2,000)"},
		{"admin", []string{"tab"}, "Admin log", "Admin log (620)   Support log (2,000)"},
		{"search", []string{"shift+tab", "/", "alice", "enter"}, "/alice match", "Admin log (620)   Support log (2,000)"},
		{"filter", []string{"esc", "&", `level >= warning && module ^= "administrator."`, "enter"}, "filter: level", "Admin log (620)   Support log (31)"},
		{"details", []string{"enter"}, "Fields", "Admin log (620)   Support log (31)"},
		{"help", []string{"esc", "?"}, "calltail — keys", "Admin log (620)   Support log (31)"},
	}
	for _, s := range steps {
		h.keys(s.keys...)
		h.waitFor(s.name, func(sc string) bool {
			return strings.Contains(sc, s.wait) && strings.Contains(sc, s.tabs) &&
				(!strings.Contains(sc, "substring /") || searchCounted(sc)) && !strings.Contains(sc, "filtering")
		})
		golden(t, s.name, h.plainScreen())
		golden(t, s.name+".256", h.colourScreen())
	}
}

// TestNoFollowSaysNoMoreComes: files read to their end (--no-follow) are not "following",
// and scrolled up, nothing new is awaited.
func TestNoFollowSaysNoMoreComes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	f, _ := os.Create(path)
	sim.New(3).WriteLines(f, 300)
	f.Close()
	h := harnessOf(t, []source.Live{source.NewFile(path, source.FollowOptions{Once: true, Keep: true})}, "mono")
	h.waitFor("the file read", func(s string) bool { return strings.Contains(s, "300 entries") && strings.Contains(s, "opened") })
	if s := h.screen(); strings.Contains(s, "following") || !strings.Contains(s, "at the end") {
		t.Errorf("a file read to its end shows as followed:\n%s", s)
	}
	h.keys("up")
	if s := h.screen(); strings.Contains(s, "paused") || !strings.Contains(s, "scrolled up") {
		t.Errorf("scrolled up, the tab bar awaits new entries:\n%s", s)
	}
}

// TestHelpOfEveryView: ? shows the keys of the view it is pressed in, each key once — the
// logs' help listed s twice (the calls list's sort and the security view).
func TestHelpOfEveryView(t *testing.T) {
	h := newHarness(t, 2000, "mono")
	for _, v := range []struct{ open, shown, want string }{
		{"", "Support log", "entry details"}, {"c", "calls — ", "sorts"}, {"s", "security — ", "searches the logs for the address"},
	} {
		h.keys(v.open)
		h.waitFor("the view", func(s string) bool { return strings.Contains(s, v.shown) })
		h.keys("?")
		h.waitFor("its help", func(s string) bool { return strings.Contains(s, "calltail — keys") })
		sc := h.screen()
		if !strings.Contains(sc, v.want) {
			t.Errorf("the help after %q lacks %q:\n%s", v.open, v.want, sc)
		}
		if n := regexp.MustCompile(`(?m)(^|  )s +\S`).FindAllStringIndex(sc, -1); len(n) > 1 {
			t.Errorf("the help after %q binds s %d times:\n%s", v.open, len(n), sc)
		}
		h.keys("x") // any key leaves the help
		if v.open != "" {
			h.keys("esc")
		}
	}
}

// TestSearchPromptSaysItsMode: ctrl+r changes the search's mode and the prompt says which
// (it showed / whatever the mode).
func TestSearchPromptSaysItsMode(t *testing.T) {
	h := newHarness(t, 300, "mono")
	h.keys("/")
	for _, want := range []string{"regex /", "fuzzy /", "\n/"} {
		h.keys("ctrl+r")
		if s := h.screen(); !strings.Contains(s, want) {
			t.Errorf("after ctrl+r the prompt is not %q:\n%s", want, s)
		}
	}
}
