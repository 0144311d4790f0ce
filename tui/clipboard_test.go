package tui

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/common/commontest"
)

// runCopy runs what y asks for and returns the sequences written to the terminal and
// the status line's message.
func runCopy(t *testing.T, cmd tea.Cmd) (raw []string, said string) {
	t.Helper()
	var run func(tea.Cmd)
	run = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch msg := c().(type) {
		case tea.RawMsg:
			raw = append(raw, msg.Msg.(string))
		case copiedMsg:
			said = string(msg)
		default:
			cmds, ok := commontest.Commands(msg)
			if !ok {
				t.Fatalf("unexpected %T", msg)
			}
			for _, c := range cmds {
				run(c)
			}
		}
	}
	run(cmd)
	return raw, said
}

// TestCopyInTmuxWithoutItsBuffer: inside tmux, when tmux cannot take the text in its
// buffer (here, no tmux to run), y sends OSC 52 through tmux's passthrough, saves the
// text (made safe: ESC shows as ^[) to a file, and says both; the passthrough is the
// sequence tmux passes on.
func TestCopyInTmuxWithoutItsBuffer(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no tmux
	file := filepath.Join(t.TempDir(), "state", "copied.txt")
	c := newClipboard(themes.Terminal{Tmux: true, OSC: true}, file)
	raw, said := runCopy(t, c.copyCmd([]byte("Level=\"ERROR\"\x1b[31m red")))
	want := "\x1bPtmux;\x1b\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(`Level="ERROR"^[[31m red`)) + "\a\x1b\\"
	if len(raw) != 1 || raw[0] != want {
		t.Errorf("sent %q, want OSC 52 through tmux's passthrough %q", raw, want)
	}
	for _, part := range []string{"no tmux buffer", "passthrough", file} {
		if !strings.Contains(said, part) {
			t.Errorf("the status line does not say %q: %q", part, said)
		}
	}
	if got, _ := os.ReadFile(file); string(got) != `Level="ERROR"^[[31m red` {
		t.Errorf("the file holds %q", got)
	}
}

// TestCopyOverOSC52: outside tmux, y sends OSC 52 as it is, saves the text too and says
// where; on GNU screen, which drops OSC 52, it only saves it and says so.
func TestCopyOverOSC52(t *testing.T) {
	file := filepath.Join(t.TempDir(), "copied.txt")
	raw, said := runCopy(t, newClipboard(themes.Terminal{OSC: true}, file).copyCmd([]byte("hello")))
	if len(raw) != 1 || raw[0] != "\x1b]52;c;aGVsbG8=\a" || !strings.Contains(said, "OSC 52") || !strings.Contains(said, file) {
		t.Errorf("sent %q, said %q", raw, said)
	}
	raw, said = runCopy(t, newClipboard(themes.Terminal{OSC: true, Screen: true}, file).copyCmd([]byte("hello")))
	if len(raw) != 0 || !strings.Contains(said, "takes no clipboard") || !strings.Contains(said, file) {
		t.Errorf("on GNU screen: sent %q, said %q", raw, said)
	}
}
