package source

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// entryCollector runs a live source and gathers the lines it delivers: each line of these
// tests is an entry, so a line cut in two would show as two.
type entryCollector struct {
	mu      sync.Mutex
	entries []string
	cancel  context.CancelFunc
	done    chan struct{}
}

func collectEntries(t *testing.T, src Live) *entryCollector {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &entryCollector{cancel: cancel, done: make(chan struct{})}
	out := make(chan Chunk)
	go func() { src.Run(ctx, out); close(out) }()
	go func() {
		defer close(c.done)
		for chunk := range out {
			for _, line := range bytes.SplitAfter(chunk.Data, []byte("\n")) {
				if len(line) > 0 {
					c.mu.Lock()
					c.entries = append(c.entries, string(bytes.TrimSuffix(line, []byte("\n"))))
					c.mu.Unlock()
				}
			}
		}
	}()
	t.Cleanup(func() { cancel(); <-c.done })
	return c
}

func (c *entryCollector) snapshot() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.entries...)
}

func appendText(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	must(t, err)
	_, err = f.WriteString(text)
	must(t, err)
	must(t, f.Close())
}

// TestLineWrittenInTwoParts: a line written in two parts more than two seconds apart (a
// writer that buffers, a slow disk) is one line and one entry, not an entry and an orphan.
func TestLineWrittenInTwoParts(t *testing.T) {
	t.Parallel() // waits seconds
	const (
		first  = `2026-05-14 10:00:00,000 Level="INFO" Name="x" Message="first half`
		second = ` second half"` + "\n"
		whole  = `2026-05-14 10:00:00,000 Level="INFO" Name="x" Message="first half second half"`
	)
	file := func(opt FollowOptions) func(t *testing.T) (Live, func(*testing.T, string)) {
		return func(t *testing.T) (Live, func(*testing.T, string)) {
			path := filepath.Join(t.TempDir(), "support.log")
			must(t, os.WriteFile(path, nil, 0o644))
			return NewFile(path, opt), func(t *testing.T, text string) { appendText(t, path, text) }
		}
	}
	pipe := func(spooled bool) func(t *testing.T) (Live, func(*testing.T, string)) {
		return func(t *testing.T) (Live, func(*testing.T, string)) {
			r, w, err := os.Pipe()
			must(t, err)
			t.Cleanup(func() { r.Close(); w.Close() })
			var spool *Spool
			if spooled {
				spool = newSpool(t)
			}
			return NewReader("-", r, spool), func(t *testing.T, text string) {
				_, err := w.WriteString(text)
				must(t, err)
			}
		}
	}
	kinds := map[string]func(t *testing.T) (Live, func(*testing.T, string)){
		"inotify":      file(FollowOptions{}),
		"poll":         file(FollowOptions{Poll: true}),
		"pipe":         pipe(false),
		"pipe spooled": pipe(true),
	}
	for name, start := range kinds {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, write := start(t)
			c := collectEntries(t, src)
			write(t, first)
			time.Sleep(2500 * time.Millisecond)
			write(t, second)
			deadline := time.Now().Add(5 * time.Second)
			for len(c.snapshot()) < 1 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(300 * time.Millisecond) // room for an orphan to show up
			got := c.snapshot()
			if len(got) != 1 || got[0] != whole {
				t.Errorf("entries %q, want the one line whole: %q", got, whole)
			}
		})
	}
}
