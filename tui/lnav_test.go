package tui

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/source"
)

// selected returns the entry under the logs' cursor.
func (h *harness) selected() string {
	raw, _ := h.m.logs.Pane().Selected()
	return string(raw)
}

// TestSearchFromTheTail: / from the followed end goes to the newest match in the log —
// it went to the first, fifteen minutes back.
func TestSearchFromTheTail(t *testing.T) {
	h := newHarness(t, 2000, "mono")
	text, _ := os.ReadFile(h.path)
	var newest string
	for _, l := range strings.Split(strings.TrimSpace(string(text)), "\n") {
		if strings.Contains(strings.ToLower(l), "alice") {
			newest = l
		}
	}
	h.keys("/", "alice", "enter")
	h.waitFor("the matches counted", func(s string) bool { return strings.Contains(s, "/alice match ") && !strings.Contains(s, "+") })
	if got := h.selected(); got != newest {
		t.Errorf("from the end / selects\n%.120s\nwant the newest match\n%.120s", got, newest)
	}
	i, n, _ := h.m.logs.Pane().MatchPosition()
	if want := fmt.Sprintf("match %d of %d", n, n); i != n || !strings.Contains(h.screen(), want) {
		t.Errorf("the status does not say %q:\n%s", want, h.screen())
	}
	h.keys("N")
	if s := h.screen(); !strings.Contains(s, fmt.Sprintf("match %d of %d", n-1, n)) {
		t.Errorf("N (older) does not count down:\n%s", s)
	}
	h.keys("n")
	if s := h.screen(); !strings.Contains(s, fmt.Sprintf("match %d of %d", n, n)) || h.selected() != newest {
		t.Errorf("n (newer) does not go back to the newest:\n%s", s)
	}
}

// TestSearchWhileIndexing: a search typed while the files are still being read (the
// pane shows their end meanwhile) counts its matches as they are read and goes to the
// first one found — it said 0 matches and never moved.
func TestSearchWhileIndexing(t *testing.T) {
	var first, second bytes.Buffer
	sim.New(3).WriteLines(&first, 6000) // more than a block: read while the rest is awaited
	second.WriteString(`2026-05-14 09:00:00,000 Level="INFO" Name="support.sip" Message="needle-while-indexing"` + "\n")
	sim.New(4).WriteLines(&second, 4000)
	path := filepath.Join(t.TempDir(), "support.log")
	if err := os.WriteFile(path, first.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	text, _ := os.Open(path)
	t.Cleanup(func() { text.Close() })
	pr, pw := io.Pipe()
	go pw.Write(first.Bytes())
	p := newParser()
	var preview []model.Record
	for _, raw := range split.Entries(first.Bytes()[first.Len()-20000:], p.StartsEntry) {
		var r model.Record
		p.Parse(raw, &r)
		preview = append(preview, r)
	}
	h := harnessSetUp(t, nil, Options{Theme: "mono", NewParser: newParser, Preview: preview[1:]}, func(s *session.Session) {
		s.SetOnce([]source.Input{{Name: path, R: pr, Text: text}})
	})
	t.Cleanup(func() { pw.Close() }) // before the harness's own: a read from the pipe does not end with the session
	h.waitFor("the first part read", func(s string) bool { return h.sess.Store.Len() > 0 })
	h.keys("/", "needle-while-indexing", "enter")
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.Write(second.Bytes())
	f.Close()
	go pw.Write(second.Bytes())
	h.waitFor("the match found and gone to", func(s string) bool {
		return strings.Contains(s, "match 1 of 1") && strings.Contains(h.selected(), "needle-while-indexing")
	})
	if h.sess.Loaded() {
		t.Error("the input was read to its end: the test did not search while indexing")
	}
}

// TestHistogramScreens: i shows the histogram of the pane, at 200x50 and 80x24, zoomed
// to fit the log on the screen; z zooms in; enter shows the log at the bucket's time.
func TestHistogramScreens(t *testing.T) {
	h := newHarness(t, 2000, "default")
	for _, size := range []struct {
		w, h int
		name string
	}{{200, 50, "histogram-200x50"}, {80, 24, "histogram-80x24"}} {
		h.send(tea.WindowSizeMsg{Width: size.w, Height: size.h})
		h.keys("i")
		h.waitFor("the histogram", func(s string) bool {
			return strings.Contains(s, "ENTRIES") && !strings.Contains(s, "counting")
		})
		golden(t, size.name, h.plainScreen())
		golden(t, size.name+".256", h.colourScreen())
		h.keys("esc")
	}
	h.send(tea.WindowSizeMsg{Width: 200, Height: 50})
	h.keys("i", "z")
	h.waitFor("zoomed in", func(s string) bool { return strings.Contains(s, "10 s a row") })
	h.keys("up", "up", "enter") // from the last bucket, 08:09:00, to 08:08:40
	h.waitFor("the log at that time", func(s string) bool {
		return strings.Contains(s, "at 2026-05-14 08:08:40 UTC") && !strings.Contains(s, "ENTRIES")
	})
	if at := h.selected(); !strings.Contains(at, " 2026-05-14 08:08:40,") {
		t.Errorf("enter selects %.80q; want the first entry from 08:08:40", at)
	}
}

// TestLnavKeysInTheHelp: the help lists lnav's keys and where export and wrap went.
func TestLnavKeysInTheHelp(t *testing.T) {
	h := newHarness(t, 300, "mono")
	h.keys("?")
	s := h.screen()
	for _, want := range []string{"e next error", "W previous warning", "m mark or unmark", "u next mark", "i histogram",
		"ctrl+s export", "ctrl+w wrap", "← scroll", "next match (newer)"} {
		if !strings.Contains(strings.Join(strings.Fields(s), " "), want) {
			t.Errorf("the help lacks %q:\n%s", want, s)
		}
	}
}

// TestMarksOneAtATime: u and U move to the next and previous mark, one mark at a time,
// and say when there is none further — u skipped a mark (it moved twice).
func TestMarksOneAtATime(t *testing.T) {
	h := newHarness(t, 300, "mono")
	var marked []string
	h.keys("g")
	for range 3 {
		h.keys("m")
		marked = append(marked, h.selected())
		h.keys("jjjjj")
	}
	h.keys("g")
	for i, want := range []string{marked[1], marked[2], marked[2]} {
		h.keys("u")
		if got := h.selected(); got != want {
			t.Errorf("u %d: at %.80q, want the mark %.80q", i+1, got, want)
		}
	}
	if s := h.screen(); !strings.Contains(s, "no mark below") {
		t.Errorf("u past the last mark says nothing:\n%s", s)
	}
	h.keys("U")
	if got := h.selected(); got != marked[1] {
		t.Errorf("U: at %.80q, want the mark %.80q", got, marked[1])
	}
}
