package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// mergeLine is a Pexip line of node whose originating time is second sec of 10:00 and
// whose message is entry-NN, NN being sec.
func mergeLine(node string, sec int) string {
	return fmt.Sprintf(`2026-05-14T10:00:00.000+00:00 %s 2026-05-14 10:00:%02d,000 Level="INFO" Name="administrator.conference" Message="entry-%02d" Call-Id="c1@10.0.0.1"`+"\n", node, sec, sec)
}

var entryRe = regexp.MustCompile(`entry-(\d\d)`)

// shownEntries returns the entry-NN numbers on the screen, top to bottom.
func shownEntries(screen string) string {
	var out []string
	for _, m := range entryRe.FindAllStringSubmatch(screen, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, " ")
}

// upTo returns "01 02 ... n" from first.
func upTo(first, n int) string {
	var out []string
	for i := first; i <= n; i++ {
		out = append(out, fmt.Sprintf("%02d", i))
	}
	return strings.Join(out, " ")
}

// TestUIMergesFilesByTime runs calltail --no-follow m2.log m1.log on two nodes' logs whose
// times interleave (m1 the odd seconds, m2 the even ones, m1 ending without a line feed):
// the rows are in time order, each file's last entry in its place, on every run.
func TestUIMergesFilesByTime(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	var m1, m2 strings.Builder
	for sec := 1; sec <= 24; sec++ {
		if sec%2 == 1 {
			m1.WriteString(mergeLine("conf01", sec))
		} else {
			m2.WriteString(mergeLine("conf02", sec))
		}
	}
	os.WriteFile(filepath.Join(dir, "m1.log"), []byte(strings.TrimSuffix(m1.String(), "\n")), 0o644)
	os.WriteFile(filepath.Join(dir, "m2.log"), []byte(m2.String()), 0o644)
	for run := range 3 {
		x := newTmux(t)
		x.keys("cd "+dir+" && "+bin+" --no-follow m2.log m1.log; echo EXITED=$?", "Enter")
		s := x.waitFor("the two files", func(s string) bool { return strings.Contains(s, "Support log (24)") })
		if got, want := shownEntries(s), upTo(1, 24); got != want {
			t.Fatalf("run %d: rows\n%s\nwant\n%s\nscreen:\n%s", run, got, want, s)
		}
		x.keys("q")
		x.waitFor("the exit", func(s string) bool { return strings.Contains(s, "EXITED=") })
	}
}

// TestUIOrdersFollowedFiles follows two nodes' logs and appends to them in turn, each
// time a line to m1.log and then an earlier one to m2.log: the rows are in time order.
func TestUIOrdersFollowedFiles(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	p1, p2 := filepath.Join(dir, "m1.log"), filepath.Join(dir, "m2.log")
	os.WriteFile(p1, []byte(mergeLine("conf01", 2)), 0o644)
	os.WriteFile(p2, []byte(mergeLine("conf02", 1)), 0o644)
	x := newTmux(t)
	x.keys(bin+" "+p1+" "+p2+"; echo EXITED=$?", "Enter")
	x.waitFor("the two files", func(s string) bool { return strings.Contains(s, "Support log (2)") })
	f1, _ := os.OpenFile(p1, os.O_WRONLY|os.O_APPEND, 0)
	defer f1.Close()
	f2, _ := os.OpenFile(p2, os.O_WRONLY|os.O_APPEND, 0)
	defer f2.Close()
	for sec := 3; sec < 23; sec += 2 {
		f1.WriteString(mergeLine("conf01", sec+1))
		f2.WriteString(mergeLine("conf02", sec))
		time.Sleep(150 * time.Millisecond) // more than the window: each pair is on its own
	}
	s := x.waitFor("the lines appended", func(s string) bool { return strings.Contains(s, "Support log (22)") })
	if got, want := shownEntries(s), upTo(1, 22); got != want {
		t.Errorf("rows\n%s\nwant\n%s\nscreen:\n%s", got, want, s)
	}
	x.keys("q")
}
