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
