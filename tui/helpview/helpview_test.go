package helpview

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/tui/common/commontest"
)

// notes are more lines of notes than a short screen holds, the last one marked.
var notes = func() []string {
	var n []string
	for i := range 30 {
		n = append(n, fmt.Sprintf("note %d: a note long enough that eighty columns must wrap it onto a second line", i))
	}
	return append(n, "the last note")
}()

// open returns the help of the default keys (the log panes'), with notes, at a size.
func open(t *testing.T, width, height int) *Model {
	t.Helper()
	c := commontest.New(t, "", "mono")
	m := New(c, c.Keys.Keys, notes...)
	m.SetSize(width, height)
	return m
}

// TestHelpScrolls: a help taller than the screen says "↓ more", and the movement keys and
// the mouse wheel scroll it to its end (every key went back, and the notes were cut).
func TestHelpScrolls(t *testing.T) {
	m := open(t, 80, 22)
	view := func() string { return ansi.Strip(m.View()) }
	if v := view(); !strings.Contains(v, "↓ more") || strings.Contains(v, "the last note") {
		t.Fatalf("the help's first page:\n%s", v)
	}
	for _, k := range []tea.KeyPressMsg{{Code: 'j', Text: "j"}, {Code: tea.KeyPgDown}, {Code: 'G', Text: "G"}, {Code: 'g', Text: "g"}} {
		if asked := commontest.Run(m.Update(k)); len(asked) > 0 {
			t.Errorf("%s asked for %v; it scrolls", k, asked)
		}
	}
	m.Update(tea.KeyPressMsg{Code: 'G', Text: "G"})
	if v := view(); !strings.Contains(v, "the last note") || !strings.Contains(v, "↑ more") || strings.Contains(v, "calltail — keys") {
		t.Errorf("G does not show the help's end:\n%s", v)
	}
	for range 100 {
		m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelUp})
	}
	if v := view(); !strings.Contains(v, "calltail — keys") {
		t.Errorf("the wheel does not scroll back to the top:\n%s", v)
	}
	m.Update(tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	if v := view(); strings.Contains(v, "calltail — keys") {
		t.Errorf("the wheel does not scroll down:\n%s", v)
	}
	if asked := commontest.Run(m.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})); len(asked) != 1 || fmt.Sprintf("%T", asked[0]) != "common.BackMsg" {
		t.Errorf("x asked for %v, want to go back", asked)
	}
}

// TestHelpFitsTheWidth: no line of the help is wider than the screen, and a screen
// that holds it all says no "more".
func TestHelpFitsTheWidth(t *testing.T) {
	for _, w := range []int{40, 80, 140, 200} {
		m := open(t, w, 200)
		v := ansi.Strip(m.View())
		for _, l := range strings.Split(v, "\n") {
			if ansi.StringWidth(l) > w {
				t.Errorf("at %d columns a line is %d wide: %q", w, ansi.StringWidth(l), l)
			}
		}
		if strings.Contains(v, "more —") || !strings.Contains(v, "the last note") {
			t.Errorf("at %dx200 the help:\n%s", w, v)
		}
	}
}

// TestNotesWrapAtSpaces: a note is wrapped at its spaces, never inside a date.
func TestNotesWrapAtSpaces(t *testing.T) {
	c := commontest.New(t, "", "mono")
	m := New(c, c.Keys.Keys, "Go to a time: type it at the : picker (12:03, 12:03:30, 05-14 12:03, 2026-05-14 08:00).")
	m.SetSize(80, 40)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "2026-05-14") {
		t.Errorf("the note's date is cut:\n%s", v)
	}
}
