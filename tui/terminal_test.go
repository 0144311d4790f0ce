package tui

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/source"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/numbers"
)

// terminalHarness is the harness over lines of the simulated log, the UI made with opt
// for a terminal of width × height.
func terminalHarness(t *testing.T, lines int, opt Options, width, height int) *harness {
	t.Helper()
	path := filepath.Join(t.TempDir(), "support.log")
	f, _ := os.Create(path)
	sim.New(3).WriteLines(f, lines)
	f.Close()
	h := harnessWith(t, []source.Live{source.NewFile(path, source.FollowOptions{Interval: 20 * time.Millisecond})}, opt)
	h.path = path
	h.send(tea.WindowSizeMsg{Width: width, Height: height})
	h.waitFor("the log loaded", func(s string) bool { return strings.Contains(s, numbers.Plural(lines, "entry", "entries")) })
	return h
}

// harnessWith runs the UI, made with opt, over live sources.
func harnessWith(t *testing.T, sources []source.Live, opt Options) *harness {
	t.Helper()
	sess := session.New(sources, newParser)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sess.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	opt.NewParser = newParser
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

// terminalOf returns the options of the UI on a terminal with environment env, as ui.go
// makes them.
func terminalOf(env ...string) Options {
	term := themes.DetectTerminal(append(env, "TTY_FORCE=1", "PATH=/nonexistent"), nil)
	return Options{Theme: term.Theme, Terminal: term}
}

// profileScreen is the screen as a terminal of profile p receives it.
func (h *harness) profileScreen(p colorprofile.Profile) string {
	var b strings.Builder
	(&colorprofile.Writer{Forward: &b, Profile: p}).WriteString(h.m.View().Content)
	return h.stablePath(b.String())
}

// TestSecurityViewScreens: the security view of a simulated deployment at 200×50 and
// 80×24, in colour (only the most events and the newest event coloured), names as
// written, wrong PINs without an address by conference and alias, the search's end said.
func TestSecurityViewScreens(t *testing.T) {
	for _, size := range []struct {
		name          string
		width, height int
	}{{"200x50", 200, 50}, {"80x24", 80, 24}} {
		t.Run(size.name, func(t *testing.T) {
			h := terminalHarness(t, 20000, Options{Theme: "default"}, size.width, size.height)
			h.keys("s")
			h.waitFor("the security view", func(s string) bool { return strings.Contains(s, "events from") })
			if size.height < 40 {
				h.keys("end") // the groups without an address come last
			}
			sc := h.plainScreen()
			for _, want := range []string{"(no address) sales@", "(no address) board@"} {
				if !strings.Contains(sc, want) {
					t.Errorf("no row %q:\n%s", want, sc)
				}
			}
			if strings.Contains(sc, "[u'") || strings.Contains(sc, "looking for") || strings.Contains(sc, "(no address logged)") {
				t.Errorf("a Python repr, the searching note, or the lumped PIN row:\n%s", sc)
			}
			golden(t, "security."+size.name, sc)
			golden(t, "security."+size.name+".256", h.colourScreen())
		})
	}
}

// TestMonoAndDumbScreens: with NO_COLOR, and on TERM=dumb, at 200×50 and 80×24, the
// screen holds no colour but shows the active tab (in brackets, reversed) and the
// selected row reversed whole — a selected ERROR row too, spaces included. TERM=dumb used
// to get no attribute at all.
func TestMonoAndDumbScreens(t *testing.T) {
	for _, term := range []struct{ name, env string }{{"mono", "NO_COLOR=1"}, {"dumb", "TERM=dumb"}} {
		for _, size := range []struct {
			name          string
			width, height int
		}{{"200x50", 200, 50}, {"80x24", 80, 24}} {
			t.Run(term.name+"."+size.name, func(t *testing.T) {
				opt := terminalOf("TERM=xterm-256color", term.env)
				if term.name == "dumb" {
					opt = terminalOf(term.env)
				}
				h := terminalHarness(t, 2000, opt, size.width, size.height)
				h.keys("4") // errors only: the one selected is an ERROR row
				h.waitFor("the errors", func(s string) bool {
					return strings.Contains(s, "level ≥ ERR") && !strings.Contains(s, "filtering")
				})
				sc := h.profileScreen(opt.Terminal.Profile)
				if strings.Contains(sc, "38;") || strings.Contains(sc, "48;") {
					t.Errorf("colour on a %s terminal:\n%q", term.name, sc)
				}
				lines := strings.Split(sc, "\n")
				if !strings.Contains(lines[0], "\x1b[7m") || !strings.Contains(ansi.Strip(lines[0]), "[Support log (") {
					t.Errorf("the active tab is neither reversed nor marked: %q", lines[0])
				}
				selected := ""
				for _, l := range lines[1 : len(lines)-1] { // the pane's rows
					if strings.Contains(l, "ERROR") {
						selected = l
					}
				}
				if !strings.HasPrefix(selected, "\x1b[1;7m") || strings.Count(selected, "\x1b[") != 2 || ansi.StringWidth(selected) != size.width {
					t.Errorf("the selected ERROR row is not reversed whole, as wide as the screen: %q", selected)
				}
				golden(t, term.name+".support."+size.name, sc)
				h.keys("1", "s")
				h.waitFor("the security view", func(s string) bool { return strings.Contains(s, "events from") })
				golden(t, term.name+".security."+size.name, h.profileScreen(opt.Terminal.Profile))
			})
		}
	}
}

// TestLightThemePaintsItsBackground: --theme light paints every cell of the screen with
// its own background, so that it reads on a dark terminal; it painted none.
func TestLightThemePaintsItsBackground(t *testing.T) {
	h := terminalHarness(t, 300, Options{Theme: "light"}, 100, 12)
	const white = "\x1b[48;2;255;255;255m"
	for i, l := range strings.Split(h.m.View().Content, "\n") {
		if !strings.HasPrefix(l, white) || ansi.StringWidth(l) != 100 {
			t.Errorf("line %d is not painted across the screen: %q", i, l)
		}
	}
	golden(t, "light.256", h.colourScreen())
}

// TestStatusNamesTheTimeMode: once t has chosen another time than the originating one,
// the status line says which, after the flash that said so has gone.
func TestStatusNamesTheTimeMode(t *testing.T) {
	h := terminalHarness(t, 300, Options{Theme: "mono"}, 140, 12)
	for _, want := range []string{"syslog time (UTC)", "local time"} {
		h.keys("t", "k") // k clears the flash "showing …"
		if s := h.screen(); !strings.Contains(s[strings.LastIndex(s, "\n"):], want) {
			t.Errorf("the status line does not name %s:\n%s", want, s)
		}
	}
	h.keys("t", "k")
	if s := h.screen(); strings.Contains(s, "originating") {
		t.Errorf("the default time mode is named:\n%s", s)
	}
}

// TestMouseClicksSelectRowsAndTabs: with --mouse a click on a tab shows its pane (from
// another view too), a click on a row selects it, in the logs and in the security view.
func TestMouseClicksSelectRowsAndTabs(t *testing.T) {
	h := terminalHarness(t, 2000, Options{Theme: "mono", Mouse: true}, 140, 24)
	click := func(x, y int) { h.send(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft}) }
	click(3, 0) // " Admin log (620) "
	if s := h.screen(); !strings.HasPrefix(s, "[Admin log") {
		t.Fatalf("a click on the Admin tab did not show it:\n%s", s)
	}
	click(30, 3)
	if s := h.profileScreen(colorprofile.ASCII); !regexp.MustCompile(`^\x1b\[[0-9;]*7m`).MatchString(strings.Split(s, "\n")[3]) {
		t.Errorf("a click on the third row did not select it:\n%s", s)
	}
	if s := h.screen(); !strings.Contains(s, "paused") {
		t.Errorf("selecting a row above the last does not pause following:\n%s", s)
	}
	h.keys("s")
	h.waitFor("the security view", func(s string) bool { return strings.Contains(s, "events from") })
	click(5, 3) // the second group: the view's first line is its header
	address := strings.Fields(strings.Split(h.screen(), "\n")[3])[0]
	h.keys("enter")
	h.waitFor("the search", func(s string) bool { return strings.Contains(s, "/"+address+" ") })
	h.keys("c")
	h.waitFor("the calls", func(s string) bool { return strings.Contains(s, "calls — ") })
	click(25, 0) // " Support log (2,000) " seen from the calls list
	if s := h.screen(); strings.Contains(s, "calls — ") || !strings.Contains(s, "[Support log") {
		t.Errorf("a click on a tab did not go back to its pane:\n%s", s)
	}
}

// TestAdminTabOfOtherServers: the Admin tab shows what other servers log about
// administration and security — it was always (0) for them — and, where a log has none,
// says why it is empty.
func TestAdminTabOfOtherServers(t *testing.T) {
	h := harnessWith(t, []source.Live{source.NewFile(filepath.Join("..", "testdata", "sipsyslog", "sip-servers.log"), source.FollowOptions{Once: true, Keep: true})}, Options{Theme: "mono"})
	h.waitFor("the log", func(s string) bool { return strings.Contains(s, "opened") })
	h.keys("tab")
	h.send(tea.WindowSizeMsg{Width: 160, Height: 24}) // the node column is as wide as every node seen
	sc := h.screen()
	for _, want := range []string{"Registration from '<sip:100@10.0.0.5>'", "Can't find user"} {
		if !strings.Contains(sc, want) {
			t.Errorf("the Admin tab lacks %q:\n%s", want, sc)
		}
	}
	if strings.Contains(sc, "Admin log (0)") || strings.Contains(sc, "CODEC NEGOTIATION") {
		t.Errorf("the Admin tab is empty or holds calls' lines:\n%s", sc)
	}

	path := filepath.Join(t.TempDir(), "kamailio.log")
	os.WriteFile(path, []byte("Dec 17 18:17:50 sbc1 kamailio[8801]:  0(8801) INFO: <core> [main.c:2973]: main(): processes (package + gid): 12\n"), 0o600)
	h = harnessWith(t, []source.Live{source.NewFile(path, source.FollowOptions{Once: true, Keep: true})}, Options{Theme: "mono"})
	h.waitFor("the log", func(s string) bool { return strings.Contains(s, "opened") })
	h.keys("tab")
	if sc := h.screen(); !strings.Contains(sc, "No administrator entries among the 1 entry read") || !strings.Contains(sc, "logins") {
		t.Errorf("the empty Admin tab does not say why:\n%s", sc)
	}
}

// TestCopyWithoutAClipboard: on a terminal that takes no OSC 52 (here, a dumb one) y
// saves the entry to a file and says where; it said "copied" and nothing arrived.
func TestCopyWithoutAClipboard(t *testing.T) {
	opt := terminalOf("TERM=dumb")
	opt.CopyFile = filepath.Join(t.TempDir(), "state", "copied.txt")
	h := terminalHarness(t, 300, opt, 200, 12)
	h.keys("y")
	h.waitFor("the copy", func(s string) bool { return strings.Contains(s, "saved to") })
	if s := h.screen(); !strings.Contains(s, "this terminal takes no clipboard") || !strings.Contains(s, opt.CopyFile) {
		t.Errorf("the status line does not say where the text went:\n%s", s)
	}
	got, err := os.ReadFile(opt.CopyFile)
	if err != nil || !strings.Contains(string(got), "Level=") {
		t.Errorf("the file holds %q (%v)", got, err)
	}
}
