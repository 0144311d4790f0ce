package callview

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/tui/common/commontest"
)

// TestConferenceTabAt80Columns: at 80 columns the Conference tab shows every column
// (LEFT and STATE were cut), and its column names stay at the top as the rows scroll
// (they scrolled away).
func TestConferenceTabAt80Columns(t *testing.T) {
	var log strings.Builder
	for i := range 40 {
		fmt.Fprintf(&log, `2026-05-14 10:00:%02d,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Conference="Meet" ConferenceAlias="meet" Participant="sip:person%02d@example.com" DisplayName="Person %02d of the long name" Protocol="SIP" Call-Id="c%d" Participant-Id="p%d" Conference-ID="conf-1"`+"\n", i, i, i, i, i)
		fmt.Fprintf(&log, `2026-05-14 10:01:%02d,000 Level="INFO" Name="administrator.conference" Message="Participant has disconnected." Conference="Meet" ConferenceAlias="meet" Participant="sip:person%02d@example.com" Protocol="SIP" Call-Id="c%d" Participant-Id="p%d" Conference-ID="conf-1"`+"\n", i, i, i, i)
	}
	m := New(commontest.New(t, log.String(), "mono"), 1)
	t.Cleanup(m.Close)
	m.SetSize(80, 22)
	for range 3 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	}
	check := func(when, last string) {
		t.Helper()
		v := ansi.Strip(m.View())
		for _, l := range strings.Split(v, "\n") {
			if ansi.StringWidth(l) > 80 {
				t.Errorf("%s, a line is %d wide: %q", when, ansi.StringWidth(l), l)
			}
		}
		header := regexp.MustCompile(`(?m)^#\s+PARTICIPANT\s+PROTO\s+JOINED\s+LEFT\s+STATE$`)
		row := regexp.MustCompile(`(?m)^` + last + `\s+Person.*SIP\s+10:00:\d\d\.000\s+10:01:\d\d\.000\s+ended$`)
		if !header.MatchString(v) || !row.MatchString(v) {
			t.Errorf("%s, the tab lacks its column names or a whole row for call %s:\n%s", when, last, v)
		}
	}
	check("before scrolling", "2")
	m.Update(tea.KeyPressMsg{Code: 'G', Text: "G"})
	check("after G", "40")
}
