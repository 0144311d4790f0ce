package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFollowClosesReleasedGenerations rotates a followed file five times, keeping the
// generations' text readable: each keeps its file open, until the reader releases it
// (the store does when it has let every entry of it go); then the file is closed.
func TestFollowClosesReleasedGenerations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	must(t, os.WriteFile(path, []byte("line 0\n"), 0o644))
	opt := fast
	opt.Keep = true
	src := NewFile(path, opt)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Chunk)
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx, out); close(out) }()
	gens := make(chan *Generation, 100)
	go func() {
		seen := map[*Generation]bool{}
		for c := range out {
			if c.Gen != nil && !seen[c.Gen] {
				seen[c.Gen] = true
				gens <- c.Gen
			}
		}
		close(gens)
	}()
	var all []*Generation
	next := func() *Generation {
		select {
		case g := <-gens:
			return g
		case <-time.After(5 * time.Second):
			t.Fatal("no new generation")
			return nil
		}
	}
	all = append(all, next())
	for i := range 5 {
		must(t, os.Rename(path, fmt.Sprintf("%s.%d", path, i)))
		must(t, os.WriteFile(path, []byte(fmt.Sprintf("line %d\n", i+1)), 0o644))
		all = append(all, next())
	}
	time.Sleep(3 * opt.DrainIdle) // the rotated files are done with: ended generations
	before := openFiles(t)
	for _, g := range all[:5] {
		g.Text.(interface{ Release() }).Release()
	}
	if _, err := all[0].Text.ReadAt(make([]byte, 4), 0); err == nil || !strings.Contains(err.Error(), "let go") {
		t.Errorf("a released generation reads without an error that says so: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for openFiles(t) > before-5 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := openFiles(t); after > before-5 {
		t.Errorf("%d files open before the release, %d after: want 5 fewer", before, after)
	}
	buf := make([]byte, 6)
	if _, err := all[5].Text.ReadAt(buf, 0); err != nil || string(buf) != "line 5" {
		t.Errorf("the current generation reads %q, %v", buf, err)
	}
	cancel()
	<-done
}

// openFiles counts the process's open file descriptors.
func openFiles(t *testing.T) int {
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(fds)
}
