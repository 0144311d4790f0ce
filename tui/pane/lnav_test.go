package pane

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/search"
)

// TestHiddenMatchShowsWhere: a row whose match lies in what it does not show (a SIP
// message's headers) shows the text around it after its message, marked, highlighted; a
// row whose match it shows is drawn as it was.
func TestHiddenMatchShowsWhere(t *testing.T) {
	log := pexipLine("2026-05-14 10:00:00,000", "INFO", "support.sip", `Message="Received SIP request" Detail="INVITE sip:room@example.com SIP/2.0^MFrom: <sip:needle@example.com>;tag=1^MCall-ID: abc"`) +
		pexipLine("2026-05-14 10:00:01,000", "INFO", "administrator.conference", `Message="Participant has joined." Participant="sip:needle@example.com"`)
	p, _ := paneOf(t, log, newParser, 160, 3)
	q, _ := search.Compile("NEEDLE", search.Substring)
	p.SetSearch(q, nil)
	settleAll(t, p)
	rows := strings.Split(ansi.Strip(p.View()), "\n")
	if want := "Received SIP request  » …"; !strings.Contains(rows[0], want) || !strings.Contains(rows[0], "From: <sip:needle@example.com>") {
		t.Errorf("the hidden match is not shown: %q", rows[0])
	}
	if strings.Contains(rows[1], "»") {
		t.Errorf("a row that shows its match got the text around it too: %q", rows[1])
	}
	if styled := p.View(); !strings.Contains(strings.Split(styled, "\n")[0], "\x1b[7mneedle") {
		t.Errorf("the hidden match is not highlighted: %q", strings.Split(styled, "\n")[0])
	}
}

// TestSearchGoesUpFromWhereItStarts: from the end a search goes to the newest match; from
// a row, to the newest match at or above it, or the first below when none is above; n and
// N move on and the status counts "match i of N".
func TestSearchGoesUpFromWhereItStarts(t *testing.T) {
	var b strings.Builder
	for i := range 40 {
		msg := "plain"
		if i%10 == 3 {
			msg = "needle"
		}
		b.WriteString(pexipLine(fmt.Sprintf("2026-05-14 10:00:%02d,000", i), "INFO", "support.sip", fmt.Sprintf(`Message="%s %d"`, msg, i)))
	}
	p, _ := paneOf(t, b.String(), newParser, 120, 10)
	q, _ := search.Compile("needle", search.Substring)
	selected := func() string { raw, _ := p.Selected(); return string(raw) }
	from := p.Position()
	p.SetSearch(q, &from)
	settleAll(t, p)
	if !strings.Contains(selected(), "needle 33") || p.MatchStatus() != "match 4 of 4" {
		t.Errorf("from the end: %q, %s; want needle 33, match 4 of 4", selected(), p.MatchStatus())
	}
	p.NextMatch(true)
	if !strings.Contains(selected(), "needle 23") || p.MatchStatus() != "match 3 of 4" {
		t.Errorf("N: %q, %s", selected(), p.MatchStatus())
	}
	p.Home()
	p.move(20) // on "plain 20"
	if p.MatchStatus() != "4 matches" {
		t.Errorf("off a match the status says %q", p.MatchStatus())
	}
	from = p.Position()
	p.SetSearch(q, &from)
	settleAll(t, p)
	if !strings.Contains(selected(), "needle 13") {
		t.Errorf("from row 20: %q, want needle 13", selected())
	}
	p.Home()
	from = p.Position()
	p.SetSearch(q, &from)
	settleAll(t, p)
	if !strings.Contains(selected(), "needle 3") {
		t.Errorf("from the top: %q, want needle 3 (none above: the first below)", selected())
	}
	p.GoTo(Position{Tail: true})
	if !p.Following() {
		t.Error("GoTo the tail does not follow")
	}
}

// TestLevelsMarksTimeAndScroll: e/E and w/W move between errors and warnings, marks are
// set and moved between, a time is gone to, and the text scrolls sideways.
func TestLevelsMarksTimeAndScroll(t *testing.T) {
	var b strings.Builder
	for i := range 30 {
		level := "INFO"
		switch i {
		case 5, 20:
			level = "ERROR"
		case 10:
			level = "WARNING"
		}
		b.WriteString(pexipLine(fmt.Sprintf("2026-05-14 10:00:%02d,000", i), level, "support.sip",
			fmt.Sprintf(`Message="entry %d %s"`, i, strings.Repeat("x", 200))))
	}
	p, _ := paneOf(t, b.String(), newParser, 100, 8)
	at := func() string { raw, _ := p.Selected(); return strings.Fields(string(raw))[5] }
	steps := []struct {
		do   func() bool
		want string
		ok   bool
	}{
		{func() bool { return p.NextAtLevel(model.LevelError, 127, false) }, "29", false}, // at the end: none below
		{func() bool { return p.NextAtLevel(model.LevelError, 127, true) }, "20", true},
		{func() bool { return p.NextAtLevel(model.LevelError, 127, true) }, "5", true},
		{func() bool { return p.NextAtLevel(model.LevelWarning, model.LevelError, false) }, "10", true},
		{func() bool { _, ok := p.Mark(); return ok }, "10", true},
		{func() bool { return p.GoToTime(time.Date(2026, 5, 14, 10, 0, 25, 0, time.UTC).UnixMicro()) }, "25", true},
		{func() bool { _, ok := p.Mark(); return ok }, "25", true},
		{func() bool { return p.NextMark(true) }, "10", true},
		{func() bool { return p.NextMark(true) }, "10", false},
		{func() bool { return p.NextMark(false) }, "25", true},
	}
	for i, s := range steps {
		if ok := s.do(); ok != s.ok || at() != s.want {
			t.Errorf("step %d: %v at %q; want %v at %q", i, ok, at(), s.ok, s.want)
		}
	}
	if !strings.Contains(ansi.Strip(p.View()), "•") {
		t.Errorf("no marked row shows its mark:\n%s", ansi.Strip(p.View()))
	}
	p.ScrollText(true)
	row := strings.Split(ansi.Strip(p.View()), "\n")[0]
	if p.Scrolled() == 0 || strings.Contains(row, "Message") || !strings.Contains(row, "support.sip …") {
		t.Errorf("scrolled right by %d: %q", p.Scrolled(), row)
	}
	p.ScrollText(false)
	if p.Scrolled() != 0 {
		t.Errorf("scrolled back left to %d", p.Scrolled())
	}
}
