package pane

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/themes"
)

// paneOf returns a pane of width x height over a store holding log, read with newParser.
func paneOf(t *testing.T, log string, newParser model.NewParserFunc, width, height int) (*Model, *store.Store) {
	t.Helper()
	st := store.New()
	storetest.Load(t, st, "t.log", strings.NewReader(log), split.Options{})
	styles, _ := themes.Get("mono")
	p := New(Config{Title: "t", Store: st, NewParser: newParser, Notify: func() {}, Styles: &styles})
	t.Cleanup(p.Close)
	p.SetSize(width, height)
	settleAll(t, p)
	return p, st
}

// pexipLine writes an entry of a Pexip support log.
func pexipLine(at, level, module, rest string) string {
	return fmt.Sprintf("%s Level=%q Name=%q %s\n", at, level, module, rest)
}

// TestFragmentRowsSayWhichFragmentOfWhat: the later fragments of a SIP message logged in
// fragments read "fragment 2/3 of [INVITE …]", the first says it is fragment 1 — they
// showed the middle of the message ("Detail=etization-mode=1").
func TestFragmentRowsSayWhichFragmentOfWhat(t *testing.T) {
	sip := `Message="Received SIP request" Src-address="10.0.0.1" Fragment-id="f00d" Fragment-number="%d" Fragment-total="3" Detail="%s"`
	log := pexipLine("2026-05-14 10:00:00,000", "INFO", "support.sip", fmt.Sprintf(sip, 0, "INVITE sip:alice@example.com SIP/2.0^MCall-ID: abc^MContent-Type: application/sdp^M^Mv=0^Mm=video 4000 RTP/AVP 96^Ma=fmtp:96 pack")) +
		pexipLine("2026-05-14 10:00:00,001", "INFO", "support.conference", `Message="between"`) +
		pexipLine("2026-05-14 10:00:00,002", "INFO", "support.sip", fmt.Sprintf(sip, 1, "etization-mode=1^Ma=sendrecv")) +
		pexipLine("2026-05-14 10:00:00,003", "INFO", "support.sip", fmt.Sprintf(sip, 2, "^Ma=label:3")) +
		pexipLine("2026-05-14 10:00:00,004", "INFO", "support.sip", strings.ReplaceAll(fmt.Sprintf(sip, 1, "orphan"), "f00d", "lost"))
	p, _ := paneOf(t, log, newParser, 200, 10)
	rows := strings.Split(ansi.Strip(p.View()), "\n")
	for i, want := range []string{
		"[INVITE sip:alice@example.com SIP/2.0] (fragment 1/3)",
		"between",
		"fragment 2/3 of [INVITE sip:alice@example.com SIP/2.0]",
		"fragment 3/3 of [INVITE sip:alice@example.com SIP/2.0]",
		"fragment 2/3 of a message whose first fragment is not in the log",
	} {
		if !strings.Contains(rows[i], want) {
			t.Errorf("row %d: %q\nwant it to say %q", i, rows[i], want)
		}
	}
	if strings.Contains(rows[2], "etization") {
		t.Errorf("a later fragment shows its text as if it were the message: %q", rows[2])
	}
}

// textColumn returns where the text of a row starts: after its module.
func textColumn(row, module string) int {
	i := strings.Index(row, module)
	if i < 0 {
		return -1
	}
	j := i + len(module)
	for j < len(row) && row[j] == ' ' {
		j++
	}
	return j
}

// TestColumnsDoNotShift: the module column is as wide as the longest module seen, whether
// or not a row on the screen has it, so that the text stays in place as rows scroll by
// while following (it was sized to the visible rows: the text moved left and right).
func TestColumnsDoNotShift(t *testing.T) {
	var b strings.Builder
	b.WriteString(pexipLine("2026-05-14 10:00:00,000", "INFO", "administrator.participantdialer", `Message="long module"`))
	for i := range 30 {
		b.WriteString(pexipLine(fmt.Sprintf("2026-05-14 10:00:%02d,000", i+1), "INFO", "support.sip", `Message="short module"`))
	}
	p, _ := paneOf(t, b.String(), newParser, 160, 5)
	tail := strings.Split(ansi.Strip(p.View()), "\n")
	p.Home()
	head := strings.Split(ansi.Strip(p.View()), "\n")
	long, short := textColumn(head[0], "administrator.participantdialer"), textColumn(tail[len(tail)-1], "support.sip")
	if long < 0 || long != short {
		t.Errorf("the text starts at column %d beside the long module and %d at the end:\n%s\n%s", long, short, head[0], tail[len(tail)-1])
	}
}

// TestDatesShowTheYearAcrossYears: entries that span a new year show their dates with the
// year; within a year, without.
func TestDatesShowTheYearAcrossYears(t *testing.T) {
	log := pexipLine("2025-12-31 23:59:59,000", "INFO", "support.sip", `Message="old year"`) +
		pexipLine("2026-01-01 00:00:01,000", "INFO", "support.sip", `Message="new year"`)
	p, _ := paneOf(t, log, newParser, 120, 4)
	if v := ansi.Strip(p.View()); !strings.Contains(v, "2025-12-31 23:59:59.000") || !strings.Contains(v, "2026-01-01 00:00:01.000") {
		t.Errorf("across a new year the dates lack their year:\n%s", v)
	}
	p, _ = paneOf(t, pexipLine("2026-05-14 10:00:00,000", "INFO", "support.sip", `Message="one year"`), newParser, 120, 4)
	if v := ansi.Strip(p.View()); !strings.HasPrefix(v, "05-14 10:00:00.000") {
		t.Errorf("within a year: %q", v)
	}
}

// TestHeaderRowOfAnExport: a PrivateServer export's header line is drawn as its columns'
// names, with no level and no blank time as if it were an INFO entry.
func TestHeaderRowOfAnExport(t *testing.T) {
	newParser, _ := formats.New("auto", 2012)
	log := "Date Created\tEvent Type\tPrincipal\tIP Address\n2012-05-10 17:29:37.000\tFAIL_BAD_CREDENTIALS\tadmin\t93.57.41.37\n"
	p, _ := paneOf(t, log, newParser, 140, 3)
	rows := strings.Split(ansi.Strip(p.View()), "\n")
	if !strings.Contains(rows[0], "columns: Date Created · Event Type · Principal · IP Address") || strings.Contains(rows[0], "INFO") {
		t.Errorf("the header row: %q", rows[0])
	}
	if !strings.Contains(rows[1], "FAIL_BAD_CREDENTIALS") || !strings.Contains(rows[1], "WARN") {
		t.Errorf("the row after the header: %q", rows[1])
	}
}
