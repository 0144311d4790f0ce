package tui

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/numbers"
)

// clipboard is where y puts text, as the terminal allows:
//   - inside tmux, tmux's paste buffer (`tmux load-buffer -w`: with tmux's default
//     set-clipboard external, tmux hands it on to the outer terminal's clipboard with its
//     own OSC 52, which an application's OSC 52 does not get under that default); where
//     set-clipboard is off, or tmux cannot be run, OSC 52 wrapped in tmux's passthrough
//     (DCS tmux;), which tmux 3.3 passes on when allow-passthrough is on;
//   - elsewhere the terminal's clipboard with OSC 52, which reaches an SSH client's
//     terminal — and, since no terminal says whether it took it, a file as well;
//   - a file only, where the terminal cannot take OSC 52 (dumb, the Linux console, GNU
//     screen).
//
// The status line says where the text went.
type clipboard struct {
	tmux  bool   // inside tmux
	osc52 bool   // the terminal may take OSC 52
	file  string // where the text is saved; "" for nowhere
}

func newClipboard(t themes.Terminal, file string) clipboard {
	return clipboard{tmux: t.Tmux, osc52: t.OSC && !t.Screen, file: file}
}

// copiedMsg says where copied text went, for the status line.
type copiedMsg string

// copyCmd puts an entry's text, made safe, where the clipboard can take it.
func (c clipboard) copyCmd(raw []byte) tea.Cmd {
	text := sanitize.Append(nil, raw, sanitize.Options{Newlines: true, Tabs: true})
	size := numbers.Plural(len(text), "byte", "bytes")
	switch {
	case c.tmux:
		return func() tea.Msg {
			to, err := tmuxBuffer(text)
			if err == nil && to.clipboard {
				return copiedMsg("copied " + size + " to tmux's buffer (prefix ] pastes it) and the clipboard")
			}
			// tmux keeps it from the clipboard: OSC 52 through its passthrough, which
			// arrives if allow-passthrough is on, and a file that surely does.
			passthrough := tea.Raw(tmuxPassthrough(osc52(text)))
			where := "tmux's buffer (prefix ] pastes it; set-clipboard is off)"
			if err != nil {
				where = "no tmux buffer (" + err.Error() + ")"
			}
			saved := copiedMsg("copied " + size + " to " + where + ", through tmux's passthrough to the clipboard if " +
				"allow-passthrough is on, and to " + c.save(text))
			return tea.BatchMsg{passthrough, func() tea.Msg { return saved }}
		}
	case c.osc52:
		return tea.Batch(tea.Raw(osc52(text)), func() tea.Msg {
			return copiedMsg("copied " + size + " to the clipboard (OSC 52, if the terminal takes it) and " + c.save(text))
		})
	}
	return func() tea.Msg {
		return copiedMsg("this terminal takes no clipboard: " + size + " saved to " + c.save(text))
	}
}

// save writes text to the clipboard's file and returns its path, or says why not.
func (c clipboard) save(text []byte) string {
	if c.file == "" {
		return "no file (no state directory)"
	}
	os.MkdirAll(filepath.Dir(c.file), 0o700)
	if err := os.WriteFile(c.file, text, 0o600); err != nil {
		return "no file (" + err.Error() + ")"
	}
	return c.file
}

// osc52 is the sequence that puts text on the terminal's clipboard.
func osc52(text []byte) string {
	return "\x1b]52;c;" + base64.StdEncoding.EncodeToString(text) + "\a"
}

// tmuxPassthrough wraps a sequence for tmux to pass on to the outer terminal as it is:
// a DCS tmux; with every ESC doubled.
func tmuxPassthrough(seq string) string {
	return "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
}

// tmuxCopy is where tmuxBuffer put the text: tmux's buffer always, the clipboard too
// when tmux's set-clipboard hands it on.
type tmuxCopy struct{ clipboard bool }

// tmuxBuffer loads text into tmux's paste buffer and, where tmux's set-clipboard allows,
// the outer terminal's clipboard.
func tmuxBuffer(text []byte) (tmuxCopy, error) {
	load := func(args ...string) error {
		cmd := exec.Command("tmux", args...)
		cmd.Stdin = bytes.NewReader(text)
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("%v: %s", err, bytes.TrimSpace(out))
		}
		return nil
	}
	if load("load-buffer", "-w", "-") != nil { // tmux before 3.2 knows no -w
		return tmuxCopy{}, load("load-buffer", "-")
	}
	out, _ := exec.Command("tmux", "show-options", "-sv", "set-clipboard").Output()
	return tmuxCopy{clipboard: strings.TrimSpace(string(out)) != "off"}, nil
}
