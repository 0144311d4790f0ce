package themes

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// TestDetectTerminal: the colour profile and theme of terminals as their environment
// describes them. TTY_FORCE makes colorprofile take the test's output for a terminal;
// TMUX names a server that does not exist, so that `tmux info` says nothing.
func TestDetectTerminal(t *testing.T) {
	for _, tc := range []struct {
		env     string
		profile colorprofile.Profile
		theme   string
		ask     bool
	}{
		{"TERM=xterm-256color", colorprofile.ANSI256, "", true},
		{"TERM=xterm-256color COLORTERM=truecolor", colorprofile.TrueColor, "", true},
		{"TERM=screen", colorprofile.ANSI, "", true}, // GNU screen: 8 colours, not 256
		{"TERM=screen STY=1234.pts-0.host", colorprofile.ANSI, "", true},
		{"TERM=screen-256color", colorprofile.ANSI256, "", true},
		{"TERM=screen TMUX=/nonexistent/tmux-0/default,1,0", colorprofile.ANSI256, "", true}, // tmux's own TERM
		{"TERM=linux", colorprofile.ANSI, "", false},
		{"TERM=dumb", colorprofile.ASCII, "mono", false}, // attributes kept: the selection shows
		{"TERM=xterm-256color NO_COLOR=1", colorprofile.ASCII, "mono", true},
		{"TERM=xterm-256color NO_COLOR=yes", colorprofile.ASCII, "mono", true}, // any value but ""
		{"TERM=xterm-256color NO_COLOR=", colorprofile.ANSI256, "", true},
	} {
		env := append(strings.Fields(tc.env), "TTY_FORCE=1", "PATH=/nonexistent")
		got := DetectTerminal(env, io.Discard)
		if got.Profile != tc.profile || got.Theme != tc.theme || got.OSC != tc.ask {
			t.Errorf("%s: profile %v, theme %q, OSC %v; want %v, %q, %v", tc.env, got.Profile, got.Theme, got.OSC, tc.profile, tc.theme, tc.ask)
		}
	}
}

// TestMonoSelectionReversesTheWholeRow: in mono, a selected ERROR row (bold, underlined)
// is reversed whole, the spaces between its words too (they were drawn apart, unreversed).
func TestMonoSelectionReversesTheWholeRow(t *testing.T) {
	mono, _ := Get("mono")
	got := mono.Selected.Inherit(mono.ErrorRow).Render("05-14 08:09:00.743 conf03 ERROR  support.sip  failed")
	w := &strings.Builder{}
	(&colorprofile.Writer{Forward: w, Profile: colorprofile.ASCII}).WriteString(got)
	out := w.String()
	// Every cell must be drawn reversed: no SGR that starts an unreversed run.
	for _, seq := range regexpSGR(out) {
		if seq != "\x1b[m" && seq != "\x1b[0m" && !strings.Contains(";"+strings.Trim(seq, "\x1b[m")+";", ";7;") {
			t.Fatalf("a run of the selected row is not reversed (%q) in %q", seq, out)
		}
	}
	if strings.Count(out, "\x1b[") > 2 {
		t.Errorf("the selected row is drawn in pieces: %q", out)
	}
}

// regexpSGR returns the SGR sequences in s, in order.
func regexpSGR(s string) []string {
	var out []string
	for {
		at := strings.Index(s, "\x1b[")
		if at < 0 {
			return out
		}
		end := strings.IndexByte(s[at:], 'm')
		if end < 0 {
			return out
		}
		out = append(out, s[at:at+end+1])
		s = s[at+end+1:]
	}
}

// TestLightFillsTheScreen: the light theme paints its background on every cell — padding,
// gaps between styled runs, after every reset — so that it reads on a dark terminal; the
// dark themes leave the terminal's own.
func TestLightFillsTheScreen(t *testing.T) {
	light, _ := Get("light")
	if !light.Fills() {
		t.Fatal("the light theme paints no background")
	}
	screen := light.Accent.Render("tab") + " gap " + light.WarnRow.Render("warning") + "\n" + "\x1b[1;38;5;9mred\x1b[0;1mbold"
	filled := light.Fill(screen, 30)
	const bg = "\x1b[48;2;255;255;255m"
	lines := strings.Split(filled, "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != 30 {
			t.Errorf("line %d is %d cells wide, not 30: %q", i, w, l)
		}
		if !strings.HasPrefix(l, bg) {
			t.Errorf("line %d does not start on the background: %q", i, l)
		}
	}
	// After each reset of the background the theme's comes back (but the line's last).
	for _, l := range lines {
		for _, seq := range regexpSGR(strings.TrimSuffix(l, "\x1b[m")) {
			if bgAfter, _ := defaults(strings.Trim(seq, "\x1b[m")); bgAfter && !strings.Contains(l, seq+bg) {
				t.Errorf("%q is not followed by the background in %q", seq, l)
			}
		}
	}
	if !strings.Contains(lines[1], "\x1b[1;38;5;9mred") {
		t.Errorf("a colour set by the screen was changed: %q", lines[1])
	}
	for _, name := range []string{"default", "pexip", "high-contrast", "mono"} {
		s, _ := Get(name)
		if s.Fills() || s.Fill(screen, 30) != screen {
			t.Errorf("%s paints a background", name)
		}
	}
}
