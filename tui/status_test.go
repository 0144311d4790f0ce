package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/tui/common"
)

// lastLine returns the screen's last line: the status line.
func lastLine(screen string) string {
	lines := strings.Split(screen, "\n")
	return lines[len(lines)-1]
}

// TestFlashShowsAt80Columns: at 80 columns the status line shows what y did, the other
// parts shortened for it (the message did not fit, so y seemed to do nothing).
func TestFlashShowsAt80Columns(t *testing.T) {
	h := newHarness(t, 300, "mono")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("y")
	h.waitFor("the copy", func(s string) bool { return h.m.flash != "" })
	status := lastLine(h.screen())
	if !strings.Contains(status, "this terminal takes no clipboard") {
		t.Errorf("the status line at 80 columns does not say what y did:\n%s", h.screen())
	}
	if w := len([]rune(status)); w > 80 {
		t.Errorf("the status line is %d columns wide:\n%s", w, status)
	}
	// A short message leaves room for the start of the other parts.
	h.send(common.FlashMsg("zoomed in as far as it goes: 1 s a row"))
	status = lastLine(h.screen())
	if !strings.HasSuffix(strings.TrimRight(status, " "), "zoomed in as far as it goes: 1 s a row") || !strings.HasPrefix(status, "support.log") {
		t.Errorf("the status line at 80 columns with a short message:\n%s", status)
	}
}
