package securityview

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/common/commontest"
)

// attacks are three addresses' failed logins: 192.0.2.7 the most (3), 203.0.113.9 the
// newest, 198.51.100.4 neither.
const attacks = `2026-05-14 10:00:00,000 Level="WARNING" Name="administrator.configuration" Message="User login failed" User="admin" Remote-Address="192.0.2.7"
2026-05-14 10:00:01,000 Level="WARNING" Name="administrator.configuration" Message="User login failed" User="root" Remote-Address="192.0.2.7"
2026-05-14 10:00:02,000 Level="WARNING" Name="administrator.configuration" Message="User login failed" User="root" Remote-Address="192.0.2.7"
2026-05-14 10:00:03,000 Level="WARNING" Name="administrator.configuration" Message="User login failed" User="guest" Remote-Address="198.51.100.4"
2026-05-14 10:00:04,000 Level="WARNING" Name="administrator.conference" Message="Participant has been quarantined by Break-in prevention policy due to excessive failed join attempts." Participant="sipvicious" Remote-Address="198.51.100.4"
2026-05-14 10:00:09,000 Level="WARNING" Name="administrator.configuration" Message="User login failed" User="admin" Remote-Address="203.0.113.9"
`

// open returns the view over log, its search done.
func open(t *testing.T, log, theme string, width, height int) *Model {
	t.Helper()
	m := New(commontest.New(t, log, theme))
	t.Cleanup(m.Close)
	m.SetSize(width, height)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(m.View(), "events from") {
		if time.Now().After(deadline) {
			t.Fatalf("the search did not end:\n%s", m.View())
		}
		time.Sleep(5 * time.Millisecond)
		m.Update(common.SyncMsg{})
	}
	return m
}

// colours returns the 256-colour SGR sequences a line is drawn with.
func colours(line string) []string {
	var b strings.Builder
	(&colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI256}).WriteString(line)
	var out []string
	for s := b.String(); ; {
		at := strings.Index(s, "\x1b[")
		if at < 0 {
			return out
		}
		end := strings.IndexByte(s[at:], 'm')
		out = append(out, s[at:at+end+1])
		s = s[at+end+1:]
	}
}

// TestOnlyWhatStandsOutIsColoured: rows are drawn in the text's colour — not every one
// in the warning or error colour, as they were — and only the most events (in the error
// colour) and the newest event (in the warning colour) stand out.
func TestOnlyWhatStandsOutIsColoured(t *testing.T) {
	m := open(t, attacks, "default", 200, 10)
	m.Update(tea.KeyPressMsg{Code: tea.KeyEnd}) // the selection away from the rows looked at
	lines := strings.Split(m.View(), "\n")
	const warnColour, errorColour = "38;5;214", "38;5;203" // the default theme's #ffaf00, #ff5f5f
	row := func(address string) (plain string, sgr []string) {
		for _, l := range lines {
			if strings.HasPrefix(ansi.Strip(l), address) {
				return ansi.Strip(l), colours(l)
			}
		}
		t.Fatalf("no row of %s:\n%s", address, ansi.Strip(m.View()))
		return "", nil
	}
	has := func(sgr []string, colour string) bool { return strings.Contains(strings.Join(sgr, ""), colour) }
	most, mostSGR := row("192.0.2.7")
	_, plainSGR := row("198.51.100.4")
	newest, newestSGR := row("203.0.113.9")
	if !has(mostSGR, errorColour) || has(mostSGR, warnColour) {
		t.Errorf("the most events are not the one thing coloured (error) in %q: %q", most, mostSGR)
	}
	if !has(newestSGR, warnColour) || has(newestSGR, errorColour) {
		t.Errorf("the newest event is not the one thing coloured (warning) in %q: %q", newest, newestSGR)
	}
	if has(plainSGR, warnColour) || has(plainSGR, errorColour) {
		t.Errorf("a row with neither the most nor the newest events is coloured: %q", plainSGR)
	}
	// The colour covers its cell, not the row: the address of the most is in the text's.
	for _, l := range lines {
		if strings.HasPrefix(ansi.Strip(l), "192.0.2.7") && !strings.HasPrefix(colours(l)[0]+"x", "\x1b[38;5;252m") {
			t.Errorf("the row of the most events does not start in the text's colour: %q", colours(l))
		}
	}
}

// TestSearchingNoteEnds: the note "looking for security events…" gives way to what was
// found once the entries there were have been looked at, and does not come back while new
// ones arrive and are looked at in turn (live, it never went away).
func TestSearchingNoteEnds(t *testing.T) {
	c := commontest.New(t, attacks, "mono")
	m := New(c)
	t.Cleanup(m.Close)
	m.SetSize(120, 10)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(m.View(), "6 events from 3 addresses") {
		if time.Now().After(deadline) {
			t.Fatalf("the search did not end:\n%s", m.View())
		}
		time.Sleep(5 * time.Millisecond)
		m.Update(common.SyncMsg{})
	}
	// More entries arrive, many, as a live log's do: the view takes them in without
	// saying it is looking again.
	more := strings.Repeat(`2026-05-14 10:01:00,000 Level="INFO" Name="support.sip" Message="Received SIP request" Src-address="10.0.0.1"`+"\n", 50000)
	storetest.Load(t, c.Session.Store, "more.log", strings.NewReader(more), split.Options{})
	m.Update(common.SyncMsg{})
	if v := m.View(); strings.Contains(v, "looking for") {
		t.Errorf("the note came back while new entries are looked at:\n%s", v)
	}
}
