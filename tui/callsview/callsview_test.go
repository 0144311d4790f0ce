package callsview

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/common/commontest"
	"github.com/charmbracelet/x/ansi"
)

// list indexes six calls (alice0..alice2, bob3..bob5, a second apart) and lists them.
func list(t *testing.T) *Model {
	t.Helper()
	var log strings.Builder
	for i := range 6 {
		who := []string{"alice", "bob"}[i/3]
		fmt.Fprintf(&log, `2026-05-14 10:00:0%d,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="%s%d" ConferenceAlias="meet" Protocol="WebRTC" Participant-Id="p%d"`+"\n", i, who, i, i)
	}
	return listOf(t, log.String())
}

// listOf indexes log and lists its calls, once read.
func listOf(t *testing.T, log string) *Model {
	t.Helper()
	c := commontest.New(t, log, "default")
	m := New(c)
	m.SetSize(200, 20)
	if !m.loading() {
		t.Fatal("the list had its calls before reading them")
	}
	select {
	case <-c.Session.Notifier.C():
		m.refresh()
	case <-time.After(10 * time.Second):
		t.Fatal("the calls were not read in 10 s")
	}
	if m.loading() {
		t.Fatal("the list is still loading after its read ended")
	}
	return m
}

func press(m *Model, keys ...string) (open int) {
	for _, k := range keys {
		msg := tea.KeyPressMsg{Code: []rune(k)[0], Text: k}
		switch k {
		case "enter":
			msg = tea.KeyPressMsg{Code: tea.KeyEnter}
		case "esc":
			msg = tea.KeyPressMsg{Code: tea.KeyEscape}
		case "down":
			msg = tea.KeyPressMsg{Code: tea.KeyDown}
		}
		for _, asked := range commontest.Run(m.Update(msg)) {
			if o, ok := asked.(common.OpenCallMsg); ok {
				open = o.Number
			}
		}
	}
	return open
}

func TestNewestFirstAndOpen(t *testing.T) {
	m := list(t)
	if len(m.rows) != 6 || m.Selected() != 6 {
		t.Fatalf("%d calls listed, call %d selected; want 6, the newest (6)", len(m.rows), m.Selected())
	}
	if open := press(m, "down", "enter"); open != 5 {
		t.Errorf("enter on the second row opened call %d, want 5", open)
	}
}

// The cursor stays on its call when the list is narrowed and widened again, sorted or reversed.
func TestSelectionSurvivesFilterAndSort(t *testing.T) {
	m := list(t)
	press(m, "/", "b", "o", "b", "enter", "down")
	if n := len(m.rows); n != 3 {
		t.Fatalf("filtering by bob left %d calls, want 3", n)
	}
	picked := m.Selected()
	press(m, "/", "esc")
	if len(m.rows) != 6 || m.Selected() != picked {
		t.Errorf("after esc: %d calls, call %d selected; want 6 and call %d", len(m.rows), m.Selected(), picked)
	}
	for _, k := range []string{"s", "s", "r"} {
		if press(m, k); m.Selected() != picked {
			t.Errorf("after %s: call %d selected, want %d", k, m.Selected(), picked)
		}
	}
	if !strings.Contains(m.View(), fmt.Sprintf("bob%d", picked-1)) {
		t.Errorf("the selected call is not on the screen:\n%s", m.View())
	}
}

// TestSortArrowAlwaysShows: whichever column the list is sorted by, its header shows the
// arrow, even where the column is narrower than its name (MEDIA QUALITY, WARN, ERR) and
// at 80 columns, where s scrolls sideways to the column it sorts by (the arrow was off
// the screen, or under the › that marks more columns on the right); s goes through the
// columns in the order they are drawn.
func TestSortArrowAlwaysShows(t *testing.T) {
	for _, width := range []int{200, 80} {
		m := list(t)
		m.SetSize(width, 20)
		for k := range columns {
			header := strings.SplitN(ansi.Strip(m.View()), "\n", 2)[0]
			if !strings.ContainsAny(header, "▲▼") {
				t.Errorf("at %d columns, sorted by %s: no arrow in %q", width, report.CallColumns[m.sortCol], header)
			}
			if want := columns[(k+1)%len(columns)].field; m.sortCol != want {
				t.Errorf("at %d columns the sort after %d s is %s, want %s (the order drawn)", width, k, report.CallColumns[m.sortCol], report.CallColumns[want])
			}
			press(m, "s")
		}
	}
}

// TestFirstLookShowsTheNewest: the first read of many calls shows the newest at once,
// says that the rest is being read, then shows them all.
func TestFirstLookShowsTheNewest(t *testing.T) {
	var log strings.Builder
	for i := range firstLook + 50 {
		fmt.Fprintf(&log, `2026-05-14 10:%02d:%02d,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="user%d" ConferenceAlias="meet" Protocol="WebRTC" Participant-Id="p%d"`+"\n", i/60, i%60, i, i)
	}
	c := commontest.New(t, log.String(), "default")
	m := New(c)
	m.SetSize(200, 20)
	next := func() {
		select {
		case <-c.Session.Notifier.C():
			m.refresh()
		case <-time.After(10 * time.Second):
			t.Fatal("no read ended in 10 s")
		}
	}
	next()
	view := ansi.Strip(m.View())
	if len(m.all) != firstLook || !strings.Contains(view, fmt.Sprintf("the newest %d of %d shown", firstLook, firstLook+50)) ||
		!strings.Contains(view, fmt.Sprintf("user%d ", firstLook+49)) {
		t.Fatalf("first look: %d calls; screen:\n%s", len(m.all), view)
	}
	next()
	if view = ansi.Strip(m.View()); len(m.all) != firstLook+50 || m.loading() || strings.Contains(view, "reading the calls") {
		t.Fatalf("after the whole read: %d calls; screen:\n%s", len(m.all), view)
	}
}
