package source

// Following a file whose text is cut away or never ends.

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestFollowTruncatedAndRewritten truncates a file and writes more than was there before the
// follower looks again: the size never shrinks, but the text changed under it.
func TestFollowTruncatedAndRewritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	w.write(10)
	opt := fast
	opt.Poll, opt.Interval = true, time.Hour // look only when told to
	f := NewFile(path, opt)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Chunk, 100)
	tl := &tail{File: f, ctx: ctx, out: out, poke: make(chan struct{}, 1)}
	defer tl.close()
	must(t, tl.check())
	must(t, os.Truncate(path, 0))
	w.write(30) // more bytes than before
	must(t, tl.check())
	var lines, states []string
	for len(out) > 0 {
		c := <-out
		if c.Data == nil {
			states = append(states, c.State.String())
		} else {
			lines = append(lines, strings.Split(strings.TrimSpace(string(c.Data)), "\n")...)
		}
	}
	if strings.Join(states, " ") != "following truncated" {
		t.Errorf("states %v, want the truncation noticed", states)
	}
	checkSequence(t, lines, 40)
}

// TestFollowShowsUnfinishedLines follows a file of one line that never ends, longer than
// a line may grow: it is sent cut at maxLine; what is left is held while the file may still
// grow (the rest of a line may come much later), and sent once the file has been rotated
// away and is done — every byte, nothing held for ever.
func TestFollowShowsUnfinishedLines(t *testing.T) {
	t.Parallel() // waits seconds
	path := filepath.Join(t.TempDir(), "nul.log")
	text := make([]byte, maxLine+12345) // NUL bytes, no line feed
	os.WriteFile(path, text, 0o644)
	c := collect(t, NewFile(path, fast))
	c.waitFor("the cut line", func(lines, _ []string) bool { return len(lines) >= 1 })
	c.mu.Lock()
	if len(c.lines) != 1 || len(c.lines[0]) != maxLine {
		t.Errorf("first: %d lines, the first of %d bytes; want one of %d", len(c.lines), len(c.lines[0]), maxLine)
	}
	c.mu.Unlock()
	time.Sleep(2500 * time.Millisecond) // quiet, longer than the two seconds it used to wait
	c.mu.Lock()
	if len(c.lines) != 1 {
		t.Errorf("the unfinished rest was sent while its file may still grow")
	}
	c.mu.Unlock()
	must(t, os.Rename(path, path+".1"))
	must(t, os.WriteFile(path, []byte("next\n"), 0o644))
	c.waitFor("the rest, once the file is done", func(lines, _ []string) bool { return len(lines) >= 3 })
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.lines) != 3 || len(c.lines[2]) != 12345 || c.lines[1] != "next" {
		t.Errorf("then %d lines, %q and one of %d bytes; want \"next\" and the 12345 left", len(c.lines), c.lines[1], len(c.lines[2]))
	}
}
