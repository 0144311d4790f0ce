package source

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chunks runs src and returns the channel of what it sends; it stops with the test.
func chunks(t *testing.T, src Live) <-chan Chunk {
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan Chunk, 16)
	done := make(chan struct{})
	go func() { src.Run(ctx, out); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return out
}

// next returns the next chunk src sends that holds text, and the states sent before it.
func next(t *testing.T, out <-chan Chunk) (Chunk, []State) {
	t.Helper()
	var states []State
	for {
		select {
		case c := <-out:
			if c.Data != nil {
				return c, states
			}
			states = append(states, c.State)
		case <-time.After(10 * time.Second):
			t.Fatalf("no text arrived (states %v)", states)
		}
	}
}

// readBack reads n bytes at off through r.
func readBack(t *testing.T, r io.ReaderAt, off int64, n int) string {
	t.Helper()
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, off); err != nil {
		t.Fatalf("reading back %d bytes at %d: %v", n, off, err)
	}
	return string(buf)
}

// TestBeginThenFollow reads a file's text at the start through Begin and follows it on:
// the input holds the whole lines, the follower sends the rest (a partial line finished)
// in the same generation at the offsets that follow, the input's text reads it all back,
// and once the file is truncated the input's text is gone with the generation.
func TestBeginThenFollow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	os.WriteFile(path, []byte("a\nb\npart"), 0o644)
	f := NewFile(path, FollowOptions{Interval: 20 * time.Millisecond})
	in, ok := f.Begin()
	if !ok || in.Gen == nil || in.Name != path {
		t.Fatalf("Begin = %+v, %v", in, ok)
	}
	text, _ := io.ReadAll(in.R)
	if string(text) != "a\nb\n" {
		t.Fatalf("Begin's text %q, want the whole lines %q", text, "a\nb\n")
	}
	if done, total := in.Progress(); done != 4 || total != 4 {
		t.Errorf("progress %d of %d, want 4 of 4", done, total)
	}
	out := chunks(t, f)
	w, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	w.WriteString("ial\nc\n")
	w.Close()
	c, states := next(t, out)
	if got := readBack(t, in.Text, 0, 14); got != "a\nb\npartial\nc\n" {
		t.Errorf("Begin's text read back: %q", got)
	}
	if c.Gen != in.Gen || c.Offset != 4 || string(c.Data) != "partial\nc\n" || len(states) != 1 || states[0] != Following {
		t.Fatalf("followed %q at %d (same generation %v) after %v; want %q at 4 in Begin's, after following",
			c.Data, c.Offset, c.Gen == in.Gen, states, "partial\nc\n")
	}

	// Truncated and written again: the input's text is the follower's generation, so it
	// says it is gone rather than reading the new text at the old offsets.
	os.WriteFile(path, []byte("new text\n"), 0o644)
	c, states = next(t, out)
	if c.Gen == in.Gen || c.Gen.Seq != 1 || string(c.Data) != "new text\n" || len(states) == 0 || states[len(states)-1] != Truncated {
		t.Fatalf("after a truncation: %q (generation %d) after %v; want %q in generation 1 after truncated", c.Data, c.Gen.Seq, states, "new text\n")
	}
	if n, err := in.Text.ReadAt(make([]byte, 4), 0); err == nil || !strings.Contains(err.Error(), "no longer available") {
		t.Errorf("Begin's text read back after a truncation: %d bytes, %v; want it said gone", n, err)
	}
}

// TestBeginOnce reads a file not followed: Begin's text is all of it, a last line without
// its line feed too, and the follower sends no text, only that it read the file.
func TestBeginOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	os.WriteFile(path, []byte("a\nb"), 0o644)
	f := NewFile(path, FollowOptions{Once: true})
	in, ok := f.Begin()
	if !ok {
		t.Fatal("Begin failed")
	}
	if text, _ := io.ReadAll(in.R); string(text) != "a\nb" {
		t.Fatalf("Begin's text %q, want all of it", text)
	}
	out := chunks(t, f)
	for {
		select {
		case c := <-out:
			if c.Data != nil {
				t.Fatalf("the follower sent %q again", c.Data)
			}
			if c.State == Opened {
				return
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the follower did not say it read the file")
		}
	}
}

// TestBeginMissing: a path that is not a regular file now is not begun; its follower
// waits for it as ever.
func TestBeginMissing(t *testing.T) {
	dir := t.TempDir()
	for _, path := range []string{filepath.Join(dir, "absent.log"), dir} {
		if _, ok := NewFile(path, FollowOptions{}).Begin(); ok {
			t.Errorf("Begin(%s) succeeded", path)
		}
	}
}
