package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// entryTimeRe finds a Pexip entry's originating time in a line of the log, as the rows
// show it: "05-14 08:08:56.670" from "2026-05-14 08:08:56,670 Level=".
var entryTimeRe = regexp.MustCompile(`\d{4}-(\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) Level=`)

// rowTime returns the time a row shows for a line of the log.
func rowTime(t *testing.T, line string) string {
	t.Helper()
	m := entryTimeRe.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("no time in %q", line)
	}
	return m[1] + "." + m[2]
}

// logLines returns the lines of the log at path.
func logLines(t *testing.T, path string) []string {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(text)), "\n")
}

// statusLine returns the screen's last line that is not blank.
func statusLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n "), "\n")
	return lines[len(lines)-1]
}

// TestUISearchFromTheTail: / from the followed end selects the newest match above, and the
// status line says "match N of N"; N goes to the one before — it went to the first match
// in the file and said only how many there were.
func TestUISearchFromTheTail(t *testing.T) {
	x, path := startUI(t)
	var newest string
	n := 0
	for _, l := range logLines(t, path) {
		if strings.Contains(strings.ToLower(l), "alice") {
			newest = l
			n++
		}
	}
	x.keys("/", "alice", "Enter")
	want := fmt.Sprintf("match %d of %d", n, n)
	s := x.waitFor(want, func(s string) bool { return strings.Contains(statusLine(s), want) })
	if sel := selectedLine(x); !strings.HasPrefix(sel, rowTime(t, newest)) {
		t.Errorf("the selected row\n%s\nis not the newest match, of %s\n%s", sel, rowTime(t, newest), s)
	}
	x.keys("N")
	want = fmt.Sprintf("match %d of %d", n-1, n)
	x.waitFor(want, func(s string) bool { return strings.Contains(statusLine(s), want) })
}

// TestUINextError: e goes to the next error (from the top, the log's one ERROR), and past
// the last says so; E comes back to it from the end.
func TestUINextError(t *testing.T) {
	x, path := startUI(t)
	var errLine string
	for _, l := range logLines(t, path) {
		if strings.Contains(l, `Level="ERROR"`) {
			errLine = l
		}
	}
	x.keys("g", "e")
	x.waitFor("the error selected", func(string) bool {
		sel := selectedLine(x)
		return strings.HasPrefix(sel, rowTime(t, errLine)) && strings.Contains(sel, "ERROR")
	})
	x.keys("e")
	x.waitFor("no error below", func(s string) bool { return strings.Contains(statusLine(s), "no error below") })
	x.keys("G", "E")
	x.waitFor("the error selected from the end", func(string) bool { return strings.HasPrefix(selectedLine(x), rowTime(t, errLine)) })
}

// TestUIHistogram: i shows the histogram (30 s a row fits the 9 minutes of the log on 40
// rows), the cursor on the last bucket; two rows up and enter shows the log at 08:08:00,
// on its first entry from then.
func TestUIHistogram(t *testing.T) {
	x, path := startUI(t)
	x.keys("i")
	s := x.waitFor("the histogram", func(s string) bool {
		return strings.Contains(s, "ENTRIES") && strings.Contains(s, "30 s a row") && !strings.Contains(s, "counting")
	})
	for _, want := range []string{"histogram of the Support log", "› 05-14 08:09:00", "  05-14 08:00:00", "█ warnings"} {
		if !strings.Contains(s, want) {
			t.Errorf("the histogram lacks %q:\n%s", want, s)
		}
	}
	var first string
	for _, l := range logLines(t, path) {
		if at := rowTime(t, l); at >= "05-14 08:08:00" && (first == "" || at < first) {
			first = at
		}
	}
	x.keys("Up", "Up", "Enter")
	s = x.waitFor("the log at 08:08", func(s string) bool { return strings.Contains(statusLine(s), "at 2026-05-14 08:08:00 UTC") })
	if strings.Contains(s, "ENTRIES") {
		t.Errorf("enter left the histogram on the screen:\n%s", s)
	}
	if sel := selectedLine(x); !strings.HasPrefix(sel, first) {
		t.Errorf("enter selects\n%s\nwant the first entry from 08:08:00, at %s", sel, first)
	}
}

// TestUIHelpListsLnavKeys: ? lists lnav's keys in the log panes, and export and wrap at
// their new keys; the histogram's ? lists its zoom.
func TestUIHelpListsLnavKeys(t *testing.T) {
	x, _ := startUI(t)
	x.keys("?")
	s := x.waitFor("the help", func(s string) bool { return strings.Contains(s, "calltail — keys") })
	words := strings.Join(strings.Fields(s), " ")
	for _, want := range []string{"e next error", "E previous error", "w next warning", "W previous warning",
		"m mark or unmark the row", "u next mark", "U previous mark", "i histogram of the log over time",
		"← scroll the rows left", "ctrl+s export pane to a file", "ctrl+w wrap rows", "or go to a time"} {
		if !strings.Contains(words, want) {
			t.Errorf("the help lacks %q:\n%s", want, s)
		}
	}
	x.keys("Escape", "i")
	x.waitFor("the histogram", func(s string) bool { return strings.Contains(s, "ENTRIES") })
	x.keys("?")
	s = x.waitFor("the histogram's help", func(s string) bool { return strings.Contains(s, "calltail — keys") })
	words = strings.Join(strings.Fields(s), " ")
	for _, want := range []string{"z zooms in", "Z zooms out", "enter shows the log there"} {
		if !strings.Contains(words, want) {
			t.Errorf("the histogram's help lacks %q:\n%s", want, s)
		}
	}
}
