package themes

import (
	"io"
	"strings"

	"github.com/charmbracelet/colorprofile"
)

// Terminal is what calltail knows of the terminal it draws on, from its environment: how
// many colours it shows, the theme it needs whatever its background, and whether it can
// be asked for its background colour. Over SSH the environment describes the client's
// terminal as far as SSH forwards it: TERM always (the pty request carries it), COLORTERM
// and NO_COLOR only when the client sends them (SendEnv) and the server accepts them.
type Terminal struct {
	Profile colorprofile.Profile
	// Theme is "mono" when the terminal takes no colour (NO_COLOR, TERM=dumb), else "":
	// the theme follows the terminal's background.
	Theme string
	// OSC is whether the terminal takes OSC sequences — the question of its background
	// colour (OSC 11), the clipboard (OSC 52): not a dumb terminal, nor the Linux console
	// or a VT, which would print them.
	OSC bool
	// Tmux is whether calltail runs inside tmux, Screen inside GNU screen (not tmux).
	Tmux, Screen bool
}

// DetectTerminal reads the terminal from the environment (os.Environ's form) and out, the
// terminal's output. It follows colorprofile.Detect (TERM, COLORTERM, terminfo, `tmux
// info` inside tmux) and corrects it where calltail knows better:
//   - NO_COLOR set to anything but "" takes colour away (no-color.org), not only "1";
//   - TERM=dumb, or no TERM, keeps bold, underline and reverse (ASCII): they are what
//     shows the selected row and the active tab, and a terminal that lacks them ignores
//     them, where colorprofile would strip every attribute;
//   - TERM=screen outside tmux is GNU screen's own 8 colours, where colorprofile takes
//     any screen* for tmux and answers 256 colours; screen-256color keeps its 256.
func DetectTerminal(env []string, out io.Writer) Terminal {
	e := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		e[k] = v
	}
	term := e["TERM"]
	t := Terminal{Profile: colorprofile.Detect(out, env), Tmux: e["TMUX"] != "", OSC: true}
	t.Screen = !t.Tmux && (e["STY"] != "" || strings.HasPrefix(term, "screen"))
	dumb := term == "" || term == "dumb"
	switch {
	case dumb:
		t.Profile = colorprofile.ASCII
	case strings.HasPrefix(term, "screen") && !t.Tmux && !strings.HasSuffix(term, "256color"):
		t.Profile = min(t.Profile, colorprofile.ANSI)
	}
	if e["NO_COLOR"] != "" || dumb {
		t.Profile = min(t.Profile, colorprofile.ASCII)
		t.Theme = "mono"
	}
	// The Linux console and the VT family know no OSC 11 or 52 and would show them.
	if dumb || term == "linux" || strings.HasPrefix(term, "vt") || strings.HasPrefix(term, "cons") {
		t.OSC = false
	}
	return t
}
