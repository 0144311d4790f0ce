package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/sanitize"
)

// startUIWith runs the built binary in tmux on 2 000 simulated lines, under env(1) with
// args (VAR=value, -u VAR), and waits for the support log. Its state directory is the
// test's.
func startUIWith(t *testing.T, env string, flags ...string) (x *tmux, path string) {
	t.Helper()
	return startIn(t, newTmux(t), env, flags...)
}

// startIn is startUIWith in a tmux session of the test's, set up as it needs.
func startIn(t *testing.T, x *tmux, env string, flags ...string) (*tmux, string) {
	t.Helper()
	bin := binary(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "support.log")
	f, _ := os.Create(path)
	code := run(t.Context(), []string{"--generate", "2000", "--seed", "3"}, nil, f, os.Stderr)
	f.Close()
	if code != 0 {
		t.Fatal("generate failed")
	}
	cmd := append([]string{"env", env, "XDG_STATE_HOME=" + filepath.Join(dir, "state"), bin}, flags...)
	x.keys(strings.Join(append(cmd, path), " ")+"; echo EXITED=$?", "Enter")
	x.waitFor("the support log", func(s string) bool { return strings.Contains(s, "Support log (2,000)") })
	return x, path
}

// sgr matches an SGR sequence.
var sgr = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

// reversedLines reports, for each line of a screen captured with its escapes, whether its
// first character is in reverse video. tmux writes only what changes from the cell before,
// across line ends too: a row that stays reversed after a reversed line says nothing.
func reversedLines(styled string) []bool {
	var out []bool
	on := false
	for _, l := range strings.Split(styled, "\n") {
		atStart, started := false, false
		for rest := l; rest != ""; {
			loc := sgr.FindStringSubmatchIndex(rest)
			if loc == nil || loc[0] > 0 && !started {
				if !started {
					atStart, started = on, true
				}
				if loc == nil {
					break
				}
			}
			for _, p := range strings.Split(rest[loc[2]:loc[3]], ";") {
				switch p {
				case "", "0", "27":
					on = false
				case "7":
					on = true
				}
			}
			rest = rest[loc[1]:]
		}
		if !started {
			atStart = on
		}
		out = append(out, atStart)
	}
	return out
}

// TestDumbTerminalInTmux: on TERM=dumb the active tab and the selected row show — in
// reverse video, the tab in brackets too — and no colour is sent. calltail sent no
// attribute at all, and neither showed.
func TestDumbTerminalInTmux(t *testing.T) {
	x, _ := startUIWith(t, "TERM=dumb", "--no-follow")
	styled := x.screen(true)
	lines, rev := strings.Split(styled, "\n"), reversedLines(styled)
	if !strings.Contains(lines[0], "\x1b[7m") || !strings.Contains(lines[0], "[Support log (2,000)]") {
		t.Errorf("the active tab does not show: %q", lines[0])
	}
	selected := 0
	for i, l := range lines[1:] {
		if rev[i+1] && strings.Contains(l, "05-14 ") {
			selected++
		}
	}
	if selected != 1 {
		t.Errorf("%d rows are drawn reversed, not the selected one alone:\n%s", selected, styled)
	}
	if c := regexp.MustCompile(`\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;[25]|4[0-7]|48;[25])[;m]`).FindString(styled); c != "" {
		t.Errorf("colour (%q) sent to a dumb terminal:\n%q", c, styled)
	}
	x.keys("q")
}

// TestScreenOutsideTmux: TERM=screen outside tmux is GNU screen, which shows 8 colours
// (16 with bright): calltail sends those, not the 256-colour codes it sent.
func TestScreenOutsideTmux(t *testing.T) {
	x, _ := startUIWith(t, "-u TMUX TERM=screen", "--no-follow")
	styled := x.screen(true)
	if c := regexp.MustCompile(`\x1b\[[0-9;]*[34]8;[25];`).FindString(styled); c != "" {
		t.Errorf("a 256-colour or true-colour code (%q) sent to GNU screen:\n%q", c, styled)
	}
	if !regexp.MustCompile(`\x1b\[(3[0-7]|9[0-7])m`).MatchString(styled) {
		t.Errorf("no colour at all:\n%q", styled)
	}
	x.keys("q")
}

// TestCopyInsideTmux: y inside tmux (set-clipboard external, passthrough off, tmux's
// defaults) puts the selected entry in tmux's paste buffer, whence tmux hands it to the
// terminal's clipboard, and the status line says so. calltail wrapped OSC 52 in a
// passthrough that tmux drops: "copied", and nothing arrived.
func TestCopyInsideTmux(t *testing.T) {
	x, path := startUIWith(t, "TERM=xterm-256color", "--no-follow")
	data, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	want := sanitize.String(lines[len(lines)-1]) // the selected entry: the last
	x.run("set-buffer", "before y: "+x.session)  // what the buffer holds if y puts nothing there
	x.keys("y")
	x.waitFor("the copy", func(s string) bool { return strings.Contains(s, "copied") })
	if s := x.screen(false); !strings.Contains(s, "tmux's buffer") {
		t.Errorf("the status line does not say where the text went:\n%s", s)
	}
	if got := tmuxBuffers(t); !slices.Contains(got, want) {
		t.Errorf("tmux's buffers hold %q, not the entry %q", got, want)
	}
	x.keys("q")
}

// tmuxBuffers returns what tmux's paste buffers hold, newest first: the server is
// shared, and another test may load a buffer in the meantime.
func tmuxBuffers(t *testing.T) []string {
	names, err := exec.Command("tmux", "list-buffers", "-F", "#{buffer_name}").Output()
	if err != nil {
		t.Fatalf("tmux list-buffers: %v", err)
	}
	var out []string
	for _, name := range strings.Fields(string(names)) {
		b, _ := exec.Command("tmux", "show-buffer", "-b", name).Output()
		out = append(out, strings.TrimSpace(string(b)))
	}
	return out
}

// TestNoColorInTmux: with NO_COLOR the selected ERROR row is reversed whole, the spaces
// between its words too (one run, as wide as the screen); they were left unreversed, and
// the selection read as separate words.
func TestNoColorInTmux(t *testing.T) {
	x, _ := startUIWith(t, "NO_COLOR=1", "--no-follow")
	x.keys("4") // errors only: the selected row, the last, is an ERROR row
	x.waitFor("the errors", func(s string) bool {
		return strings.Contains(s, "level ≥ ERROR") && !strings.Contains(s, "filtering")
	})
	// The rows may be drawn a moment after the status line: wait for the selected one.
	var styled, row string
	for deadline := time.Now().Add(5 * time.Second); row == "" && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		styled = x.screen(true)
		lines := strings.Split(strings.TrimRight(styled, "\n"), "\n")
		rev := reversedLines(strings.TrimRight(styled, "\n"))
		for i, l := range lines[1 : len(lines)-1] { // the pane's rows, not the status line
			if rev[i+1] && strings.Contains(l, "ERROR") {
				row = l
			}
		}
	}
	if ansi.StringWidth(row) != 160 {
		t.Fatalf("no selected ERROR row as wide as the screen:\n%q", styled)
	}
	// Whatever styles the row comes before its text; nothing in between breaks it up.
	text := regexp.MustCompile(`^(\x1b\[[0-9;]*m)+`).ReplaceAllString(row, "")
	if text = regexp.MustCompile(`\x1b\[0?m\s*$`).ReplaceAllString(text, ""); strings.Contains(text, "\x1b[") {
		t.Errorf("the selected row is drawn in pieces: %q", row)
	}
	if c := regexp.MustCompile(`\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;[25]|4[0-7]|48;[25])[;m]`).FindString(styled); c != "" {
		t.Errorf("colour (%q) sent with NO_COLOR", c)
	}
	x.keys("q")
}

// painted matches the light theme's background, #ffffff, as tmux draws it in 256 colours.
const painted = "48;5;231"

// TestLightThemeInTmux: --theme light paints its own background on every cell, so that
// it reads on a dark terminal: no cell is left on the terminal's default background.
// It painted none.
func TestLightThemeInTmux(t *testing.T) {
	x, _ := startUIWith(t, "TERM=xterm-256color", "--no-follow", "--theme", "light")
	styled := x.screen(true)
	if !strings.Contains(styled, painted) {
		t.Fatalf("no cell on the theme's background:\n%q", styled)
	}
	// Follow the background from cell to cell as tmux writes it: 49 or a reset puts a
	// cell back on the terminal's own.
	onTheme, sgr := false, regexp.MustCompile(`\x1b\[([0-9;]*)m`)
	for i, l := range strings.Split(strings.TrimRight(styled, "\n"), "\n") {
		at := 0
		for _, m := range append(sgr.FindAllStringSubmatchIndex(l, -1), []int{len(l), len(l), len(l), len(l)}) {
			if text := l[at:m[0]]; text != "" && !onTheme {
				t.Errorf("line %d leaves %q on the terminal's background: %q", i, text, l)
				break
			}
			if m[0] < len(l) {
				onTheme = background(l[m[2]:m[3]], onTheme)
			}
			at = m[1]
		}
	}
	x.keys("q")
}

// TestBackgroundPicksTheTheme: calltail asks the terminal for its background (tmux
// answers with its window-style's): on a light one it takes the light theme — the tab
// bar on light grey (#e4e4e4, 254) — and --theme overrides it.
func TestBackgroundPicksTheTheme(t *testing.T) {
	for _, tc := range []struct {
		flags []string
		light bool
	}{{nil, true}, {[]string{"--theme", "default"}, false}} {
		x := newTmux(t)
		x.run("set-option", "-w", "-t", x.session, "window-style", "bg=#ffffff")
		startIn(t, x, "TERM=xterm-256color", append([]string{"--no-follow"}, tc.flags...)...)
		tabs := strings.SplitN(x.screen(true), "\n", 2)[0]
		if got := strings.Contains(tabs, "48;5;254m"); got != tc.light {
			t.Errorf("%v on a white terminal: light theme %v, want %v: %q", tc.flags, got, tc.light, tabs)
		}
		x.keys("q")
	}
}

// TestMouseClicksInTmux: with --mouse a click on the Admin tab shows that pane, and a
// click on a row selects it. Clicks did nothing.
func TestMouseClicksInTmux(t *testing.T) {
	x, _ := startUIWith(t, "TERM=xterm-256color", "--no-follow", "--mouse", "--theme", "mono")
	click := func(col, row int) { // 1-based, as the terminal reports them (SGR mouse mode)
		x.keys(fmt.Sprintf("\x1b[<0;%d;%dM\x1b[<0;%d;%dm", col, row, col, row))
	}
	click(4, 1)
	x.waitFor("the Admin log", func(s string) bool { return strings.HasPrefix(s, "[Admin log (620)]") })
	click(30, 4) // the pane's third row
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if styled := x.screen(true); reversedLines(styled)[3] {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the clicked row is not selected: %q", strings.Split(styled, "\n")[3])
		}
	}
	click(25, 1)
	x.waitFor("the Support log", func(s string) bool { return strings.Contains(s, "[Support log (2,000)]") })
	x.keys("q")
}

// background says whether, after the parameters of an SGR sequence, a cell is on a
// background of the program's own (48;…, 40–47, 100–107) rather than the terminal's (0,
// 49), given whether it was before.
func background(params string, was bool) bool {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		n, _ := strconv.Atoi(ps[i])
		switch {
		case n == 0 || n == 49:
			was = false
		case n == 48:
			was = true
			i += 2 // 48;5;n; 48;2;r;g;b is not what tmux writes at 256 colours
		case n == 38:
			i += 2
		case n >= 40 && n <= 47, n >= 100 && n <= 107:
			was = true
		}
	}
	return was
}
