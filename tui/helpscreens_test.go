package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestHistogramHelpSaysBuckets: the histogram's help words its moves for buckets; it
// borrowed the pane's ("first entry", "last entry, follow").
func TestHistogramHelpSaysBuckets(t *testing.T) {
	h := newHarness(t, 300, "mono")
	h.keys("i")
	h.waitFor("the histogram", func(s string) bool { return strings.Contains(s, "ENTRIES") })
	h.keys("?")
	s := h.screen()
	words := strings.Join(strings.Fields(s), " ")
	for _, want := range []string{"g/home first bucket", "G/end last bucket", "z zooms in"} {
		if !strings.Contains(words, want) {
			t.Errorf("the histogram's help lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(words, "entry") {
		t.Errorf("the histogram's help speaks of entries:\n%s", s)
	}
}

// TestHistogramTitledAt80Columns: at 80 columns the tab bar names the histogram (its
// title and hints did not fit, and the bar dropped them whole).
func TestHistogramTitledAt80Columns(t *testing.T) {
	h := newHarness(t, 300, "mono")
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("i")
	h.waitFor("the histogram", func(s string) bool { return strings.Contains(s, "ENTRIES") })
	if top := strings.Split(h.screen(), "\n")[0]; !strings.Contains(top, "histogram of the Support log") {
		t.Errorf("the tab bar at 80 columns does not name the histogram:\n%s", h.screen())
	}
}

// TestHelpScreens: the help at 200x50 and at 80x24, where it scrolls: its columns laid out
// to the width, its notes wrapped, "↓ more" at its foot, and the notes' end reached by G.
func TestHelpScreens(t *testing.T) {
	h := newHarness(t, 2000, "mono")
	for _, size := range []struct {
		w, h int
		name string
	}{{200, 50, "help.200x50"}, {80, 24, "help.80x24"}} {
		h.send(tea.WindowSizeMsg{Width: size.w, Height: size.h})
		h.keys("?")
		h.waitFor("the help", func(s string) bool { return strings.Contains(s, "calltail — keys") })
		golden(t, size.name, h.plainScreen())
		h.keys("G")
		if s := h.screen(); !strings.Contains(s, "A search goes to the newest match") || !strings.Contains(s, "Press any other key") {
			t.Errorf("G does not show the end of the help at %dx%d:\n%s", size.w, size.h, s)
		}
		h.keys("esc")
	}
}
