package session

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source"
)

// nodeLine is a Pexip line of node at second sec (and ms) of 10:00, saying what.
func nodeLine(node string, sec, ms int, what string) string {
	return fmt.Sprintf(`2026-05-14T10:00:00.000+00:00 %s 2026-05-14 10:%02d:%02d,%03d Level="INFO" Name="administrator.conference" Message="%s" Call-Id="c1@10.0.0.1"`+"\n",
		node, sec/60, sec%60, ms, what)
}

// runSession resolves paths as the UI does, and runs a session over them until the test
// ends.
func runSession(t *testing.T, follow bool, paths ...string) *Session {
	t.Helper()
	in, err := source.Resolve(source.Plan{Paths: paths, Live: true, Follow: follow, ReadBack: true, LoadFirst: true})
	if err != nil {
		t.Fatal(err)
	}
	s := New(in.Live, newParser)
	s.SetOnce(in.Once)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done; in.Close() })
	return s
}

// waitLen waits until the session's store holds n entries and the start is indexed.
func waitLen(t *testing.T, s *Session, n int) store.View {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for s.Store.Len() < n || !s.Loaded() {
		if time.Now().After(deadline) {
			t.Fatalf("the store holds %d entries, want %d (loaded %v)", s.Store.Len(), n, s.Loaded())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return s.Store.View()
}

// messages returns the Message of each entry of v from the first, read back.
func messages(t *testing.T, v store.View, first int) []string {
	t.Helper()
	var out []string
	for i := first; i < v.Len(); i++ {
		raw, err := v.Raw(nil, i)
		if err != nil {
			t.Fatal(err)
		}
		msg := string(raw[strings.Index(string(raw), `Message="`)+9:])
		out = append(out, msg[:strings.IndexByte(msg, '"')])
	}
	return out
}

// TestRunMergesFilesByTime reads two files not followed, their times interleaved and
// given latest first, as calltail --no-follow m2.log m1.log does: the store holds them
// merged by time, each file's last entry in its place (one file ends without a line
// feed), the same on every run; each file is one source in the status.
func TestRunMergesFilesByTime(t *testing.T) {
	dir := t.TempDir()
	var m1, m2 strings.Builder
	const n = 3000 // each: more than one chunk of the follower, more than one batch
	for i := range 2 * n {
		l := nodeLine("conf0"+fmt.Sprint(1+i%2), i/10, i%10*100, fmt.Sprint(i))
		if i%2 == 0 {
			m1.WriteString(l)
		} else {
			m2.WriteString(l)
		}
	}
	p1, p2 := filepath.Join(dir, "m1.log"), filepath.Join(dir, "m2.log")
	os.WriteFile(p1, []byte(m1.String()), 0o644)
	os.WriteFile(p2, []byte(strings.TrimSuffix(m2.String(), "\n")), 0o644)
	for run := range 3 {
		s := runSession(t, false, p2, p1)
		got := messages(t, waitLen(t, s, 2*n), 0)
		for i, m := range got {
			if m != fmt.Sprint(i) {
				t.Fatalf("run %d: entry %d is %q, want %d (of %d: %v ... %v)", run, i, m, i, len(got), got[max(0, i-3):i], got[i:min(len(got), i+3)])
			}
		}
		if len(got) != 2*n {
			t.Fatalf("run %d: %d entries, want %d", run, len(got), 2*n)
		}
		states := s.States()
		if len(states) != 2 || states[0].Name != p2 || states[1].Name != p1 || states[0].Format != "pexip" {
			t.Errorf("run %d: states %+v, want the two files, as pexip", run, states)
		}
		if done, total := s.Indexing(); done != total || total != int64(m1.Len()+m2.Len()-1) {
			t.Errorf("run %d: indexed %d of %d bytes, want all %d", run, done, total, m1.Len()+m2.Len()-1)
		}
	}
}

// TestRunOrdersFollowedFiles follows two files and appends to them in turn, each time
// first a line to one file and then an earlier line to the other: the store holds the
// lines in time order, after the files' text at the start, merged too.
func TestRunOrdersFollowedFiles(t *testing.T) {
	dir := t.TempDir()
	p1, p2 := filepath.Join(dir, "m1.log"), filepath.Join(dir, "m2.log")
	os.WriteFile(p1, []byte(nodeLine("conf01", 2, 0, "start 2")), 0o644)
	os.WriteFile(p2, []byte(nodeLine("conf02", 1, 0, "start 1")), 0o644)
	s := runSession(t, true, p1, p2)
	waitLen(t, s, 2)
	f1, _ := os.OpenFile(p1, os.O_WRONLY|os.O_APPEND, 0)
	defer f1.Close()
	f2, _ := os.OpenFile(p2, os.O_WRONLY|os.O_APPEND, 0)
	defer f2.Close()
	const pairs = 5
	var want []string
	for i := range pairs {
		sec := 10 + 2*i
		f1.WriteString(nodeLine("conf01", sec+1, 0, fmt.Sprint(sec+1)))
		f2.WriteString(nodeLine("conf02", sec, 0, fmt.Sprint(sec)))
		want = append(want, fmt.Sprint(sec), fmt.Sprint(sec+1))
		time.Sleep(150 * time.Millisecond) // more than the window: each pair is on its own
	}
	got := messages(t, waitLen(t, s, 2+2*pairs), 0)
	if g, w := strings.Join(got, " "), "start 1 start 2 "+strings.Join(want, " "); g != w {
		t.Errorf("entries\n%s\nwant\n%s", g, w)
	}
}
