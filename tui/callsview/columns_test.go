package callsview

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// node logs line as node did, through syslog, s seconds after 10:00.
func node(name string, s int, line string) string {
	t := time.Date(2026, 5, 14, 10, 0, s, 0, time.UTC)
	return fmt.Sprintf("%s %s %s %s\n", t.Format("2006-01-02T15:04:05.000Z07:00"), name, t.Format("2006-01-02 15:04:05,000"), line)
}

// joined logs call n of participant who, signalled by 10.0.1.11 (conf01's address) with
// media on 10.0.2.21 (conf03's), joining at second s.
func joined(s, n int, who, vendor string) string {
	return node("conf01", s, fmt.Sprintf(`Level="INFO" Name="administrator.conference" Message="Participant has joined." Conference="Meet" Participant="sip:%s@example.com" DisplayName="%s" Protocol="SIP" Direction="in" Vendor="%s" Call-Id="call-%d" Participant-Id="p%d" Signaling-Node="10.0.1.11" Signaling-Location="London" Media-Node="10.0.2.21" Media-Location="Oslo"`,
		strings.ToLower(strings.ReplaceAll(who, " ", ".")), who, vendor, n, n))
}

// failed logs call n of who failing at second s for reason.
func failed(s, n int, who, reason string) string {
	return node("conf01", s, fmt.Sprintf(`Level="WARNING" Name="administrator.conference" Message="Participant failed to join conference." Participant="sip:%s@example.com" Protocol="SIP" Call-Id="call-%d" Participant-Id="p%d" Reason="%s"`,
		who, n, n, reason))
}

// sip logs a SIP request that node received at address to, and its answer from there.
func sip(name, to string, s int) string {
	return node(name, s, fmt.Sprintf(`Level="INFO" Name="support.sip" Message="Received SIP request" Src-address="203.0.113.9" Src-port="5060" Dst-address="%s" Dst-port="5060" Transport="UDP" Detail="OPTIONS sip:%s SIP/2.0^MCall-ID: opt-%s^MCSeq: 1 OPTIONS^M"`, to, to, name)) +
		node(name, s, fmt.Sprintf(`Level="INFO" Name="support.sip" Message="Sending SIP response" Src-address="%s" Src-port="5060" Dst-address="203.0.113.9" Dst-port="5060" Transport="UDP" Detail="SIP/2.0 200 OK^MCall-ID: opt-%s^MCSeq: 1 OPTIONS^M"`, to, name))
}

// typed gives the list keys, one a character (\x1b for esc), without running the
// commands it returns (the prompt's cursor blinks).
func typed(m *Model, keys string) {
	for _, r := range keys {
		switch r {
		case '\x1b':
			m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})
		case ' ':
			m.Update(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
		default:
			m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
}

// screen is the list as it shows, without styling.
func screen(m *Model) string { return ansi.Strip(m.View()) }

// TestColumnsByPriority: at 80 columns the list shows the state, duration and reason of a
// call, and at 140 its reason whole where a participant's long address took the room
// before (STATE, DURATION and REASON were cut off the screen, the reason cut at 13).
func TestColumnsByPriority(t *testing.T) {
	m := listOf(t, joined(0, 1, "Bartholomew Featherstonehaugh-Cholmondeley", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0")+
		failed(5, 2, "walter.johansen", "No direct route between Edge and Transcoding"))
	m.SetSize(80, 10)
	sc := screen(m)
	head := strings.SplitN(sc, "\n", 2)[0]
	for _, col := range []string{"STATE", "DURATION", "REASON"} {
		if !strings.Contains(head, col) {
			t.Errorf("at 80 columns the header lacks %s:\n%s", col, sc)
		}
	}
	m.SetSize(140, 10)
	if sc := screen(m); !strings.Contains(sc, "failed") || !strings.Contains(sc, "No direct route between Edge and Transcoding") {
		t.Errorf("at 140 columns the failed call's state or whole reason is missing:\n%s", sc)
	}
}

// TestScrollSideways: → brings the columns that do not fit into view, the participant
// staying; ← takes them back.
func TestScrollSideways(t *testing.T) {
	m := listOf(t, joined(0, 1, "Alice Smith", "TANDBERG/257 (TE4.1.1.273710)"))
	m.SetSize(80, 10)
	if sc := screen(m); strings.Contains(sc, "VENDOR") || strings.Contains(sc, "TANDBERG") {
		t.Fatalf("the vendor fits at 80 columns; the test needs it not to:\n%s", sc)
	}
	for range 20 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyRight})
	}
	sc := screen(m)
	if !strings.Contains(sc, "VENDOR") || !strings.Contains(sc, "TANDBER") || !strings.Contains(sc, "Alice Smith") || !strings.Contains(sc, "‹") {
		t.Errorf("→ did not scroll to the vendor, keeping the participant and a ‹:\n%s", sc)
	}
	for range 20 {
		m.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	}
	if sc := screen(m); !strings.Contains(sc, "STATE") || strings.Contains(sc, "‹") {
		t.Errorf("← did not scroll back:\n%s", sc)
	}
}

// TestLiveDurationCounts: a connected call's duration counts from when it joined to the
// time the logs are at (this session reads no more: their last entry), h:mm:ss (it was
// blank).
func TestLiveDurationCounts(t *testing.T) {
	m := listOf(t, joined(0, 1, "Alice Smith", "x")+sip("conf01", "10.0.1.11", 3723))
	if sc := screen(m); !regexp.MustCompile(`connected +1:02:03`).MatchString(sc) {
		t.Errorf("a call connected 1:02:03 before the log's end shows another duration:\n%s", sc)
	}
}

// TestNodeNamesAsInLogRows: the list names a call's nodes as the log rows name them
// (conf01, conf03: their SIP lines give their addresses), not by address and location.
func TestNodeNamesAsInLogRows(t *testing.T) {
	m := listOf(t, sip("conf01", "10.0.1.11", 0)+sip("conf03", "10.0.2.21", 1)+joined(2, 1, "Alice Smith", "x"))
	sc := screen(m)
	if !strings.Contains(sc, "conf01 conf03") || strings.Contains(sc, "10.0.1.11") {
		t.Errorf("the nodes are not named conf01 and conf03 as in the log rows:\n%s", sc)
	}
}

// TestFilterRanksAndIsTight: the prompt puts the best match first, matches the state and
// the reason, and a word matches within one field: "olivia" does not find Victor Olsen
// through o, l, i, v, i, a strewn over his name and a Mozilla User-Agent.
func TestFilterRanksAndIsTight(t *testing.T) {
	mozilla := "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15"
	m := listOf(t, joined(0, 1, "Olivia Smith", "x")+joined(1, 2, "Oliviana Smithson", "x")+joined(2, 3, "Victor Olsen", mozilla)+
		failed(3, 4, "bob", "Conference not found"))
	listed := func() (out []int) {
		for _, r := range m.rows {
			out = append(out, int(m.all[r].number))
		}
		return out
	}
	typed(m, "/olivia")
	if got := listed(); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("olivia listed calls %v, want 1 (Olivia Smith) then 2 (Oliviana Smithson)", got)
	}
	typed(m, "\x1b/failed")
	if got := listed(); !slices.Equal(got, []int{4}) {
		t.Errorf("failed listed calls %v, want the failed call, 4", got)
	}
	typed(m, "\x1b/not found")
	if got := listed(); !slices.Equal(got, []int{4}) {
		t.Errorf("\"not found\" listed calls %v, want 4, whose reason it is", got)
	}
}
