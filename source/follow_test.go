package source

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// collector runs a live source and gathers the lines and states it sends.
type collector struct {
	t      *testing.T
	runErr error // what Run returned, when it was expected to fail
	failOK bool
	mu     sync.Mutex
	lines  []string
	states []string
	cancel context.CancelFunc
	done   chan error
}

func collect(t *testing.T, src Live) *collector {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &collector{t: t, cancel: cancel, done: make(chan error, 1)}
	out := make(chan Chunk)
	go func() { c.done <- src.Run(ctx, out); close(out) }()
	go func() {
		for ch := range out {
			c.mu.Lock()
			if ch.Data == nil {
				c.states = append(c.states, ch.State.String()+": "+ch.Note)
			} else {
				for _, l := range strings.SplitAfter(string(ch.Data), "\n") {
					if l != "" {
						c.lines = append(c.lines, strings.TrimSuffix(l, "\n"))
					}
				}
			}
			c.mu.Unlock()
		}
	}()
	t.Cleanup(func() { c.stop() })
	return c
}

func (c *collector) stop() {
	c.cancel()
	select {
	case err := <-c.done:
		if err != nil && !c.failOK {
			c.t.Errorf("Run: %v", err)
		}
		c.runErr = err
		c.done <- nil
	case <-time.After(5 * time.Second):
		c.t.Fatal("Run did not return after cancel")
	}
}

// waitFor waits until cond holds on the lines and states, or fails after a while.
func (c *collector) waitFor(what string, cond func(lines, states []string) bool) {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		ok := cond(c.lines, c.states)
		c.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t.Fatalf("timed out waiting for %s; have %d lines (last %q), states %q", what, len(c.lines), last(c.lines), c.states)
}

func (c *collector) waitLines(n int) {
	c.t.Helper()
	c.waitFor(fmt.Sprintf("%d lines", n), func(l, _ []string) bool { return len(l) >= n })
}

func last(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// checkSequence checks that lines are "line 0".."line n-1" exactly once each, in order.
func checkSequence(t *testing.T, lines []string, n int) {
	t.Helper()
	if len(lines) != n {
		t.Errorf("got %d lines, want %d", len(lines), n)
	}
	for i, l := range lines {
		if want := fmt.Sprintf("line %d", i); l != want {
			t.Fatalf("line %d is %q, want %q (lost, duplicated or reordered)", i, l, want)
		}
	}
}

// writer appends numbered lines to a path the way a daemon does, reopening it on request.
type writer struct {
	t    *testing.T
	path string
	f    *os.File
	n    int
}

func newWriter(t *testing.T, path string) *writer {
	w := &writer{t: t, path: path}
	w.reopen()
	t.Cleanup(func() { w.f.Close() })
	return w
}

func (w *writer) reopen() {
	if w.f != nil {
		w.f.Close()
	}
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		w.t.Fatal(err)
	}
	w.f = f
}

func (w *writer) write(k int) {
	var b strings.Builder
	for range k {
		fmt.Fprintf(&b, "line %d\n", w.n)
		w.n++
	}
	if _, err := w.f.WriteString(b.String()); err != nil {
		w.t.Fatal(err)
	}
}

var fast = FollowOptions{Interval: 20 * time.Millisecond, DrainIdle: 200 * time.Millisecond}

func modes() map[string]FollowOptions {
	poll := fast
	poll.Poll = true
	return map[string]FollowOptions{"inotify": fast, "poll": poll}
}

func TestFollowAppends(t *testing.T) {
	for name, opt := range modes() {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "support.log")
			w := newWriter(t, path)
			w.write(100)
			c := collect(t, NewFile(path, opt))
			c.waitLines(100)
			for range 50 {
				w.write(20)
				time.Sleep(time.Millisecond)
			}
			c.waitLines(1100)
			c.stop()
			checkSequence(t, c.lines, 1100)
		})
	}
}

func TestFollowHoldsPartialLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	os.WriteFile(path, []byte("line 0\nline 1 is parti"), 0o644)
	c := collect(t, NewFile(path, fast))
	c.waitLines(1)
	time.Sleep(100 * time.Millisecond)
	c.mu.Lock()
	if len(c.lines) != 1 {
		t.Errorf("partial line sent before its newline: %q", c.lines)
	}
	c.mu.Unlock()
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString("al\n")
	f.Close()
	c.waitLines(2)
	if c.lines[1] != "line 1 is partial" {
		t.Errorf("second line = %q, want it whole", c.lines[1])
	}
}

// concurrentWriter appends numbered lines from its own goroutine, every few hundred
// microseconds, until stopped; reopen asks it to reopen the path, as a daemon does on SIGHUP.
type concurrentWriter struct {
	w      *writer
	reopen chan chan struct{}
	stop   chan struct{}
	done   chan int
}

func startWriter(t *testing.T, path string) *concurrentWriter {
	cw := &concurrentWriter{w: newWriter(t, path), reopen: make(chan chan struct{}), stop: make(chan struct{}), done: make(chan int)}
	go func() {
		for {
			select {
			case <-cw.stop:
				cw.done <- cw.w.n
				return
			case ack := <-cw.reopen:
				cw.w.reopen()
				close(ack)
			default:
				cw.w.write(3)
				time.Sleep(300 * time.Microsecond)
			}
		}
	}()
	return cw
}

// hup makes the writer reopen its file and waits until it has.
func (cw *concurrentWriter) hup() {
	ack := make(chan struct{})
	cw.reopen <- ack
	<-ack
}

func (cw *concurrentWriter) finish() int {
	close(cw.stop)
	return <-cw.done
}

// TestFollowRotation rotates the file in each way while a writer goroutine keeps writing,
// and checks that every line arrives once, in order.
func TestFollowRotation(t *testing.T) {
	rotations := map[string]func(t *testing.T, cw *concurrentWriter){
		// logrotate "create": rename, create a new file, then the daemon reopens (after a
		// while, during which it still writes to the renamed file).
		"rename and create": func(t *testing.T, cw *concurrentWriter) {
			must(t, os.Rename(cw.w.path, cw.w.path+".1"))
			time.Sleep(20 * time.Millisecond)
			must(t, os.WriteFile(cw.w.path, nil, 0o644))
			time.Sleep(20 * time.Millisecond)
			cw.hup()
		},
		// The file is removed; the daemon re-creates it later.
		"delete and re-create": func(t *testing.T, cw *concurrentWriter) {
			must(t, os.Remove(cw.w.path))
			time.Sleep(50 * time.Millisecond) // still writing into the unlinked file
			cw.hup()
		},
	}
	for mode, opt := range modes() {
		for name, rotate := range rotations {
			t.Run(mode+"/"+name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "support.log")
				c := collect(t, NewFile(path, opt))
				cw := startWriter(t, path)
				for range 3 {
					time.Sleep(50 * time.Millisecond)
					rotate(t, cw)
				}
				time.Sleep(50 * time.Millisecond)
				total := cw.finish()
				c.waitLines(total)
				time.Sleep(3 * opt.Interval)
				c.stop()
				checkSequence(t, c.lines, total)
			})
		}
	}
}

// TestFollowReadsARotatedFileUntilTheNewOneIsWritten: a writer that is slow to reopen
// its log keeps writing to the renamed file; nothing it writes there is lost while the new
// file at the path stays empty.
func TestFollowReadsARotatedFileUntilTheNewOneIsWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	w := newWriter(t, path)
	w.write(5)
	opt := fast
	c := collect(t, NewFile(path, opt))
	c.waitLines(5)
	must(t, os.Rename(path, path+".1"))
	must(t, os.WriteFile(path, nil, 0o644))
	time.Sleep(3 * opt.DrainIdle) // quiet for longer than DrainIdle
	w.write(5)                    // still into the rotated file
	c.waitLines(10)
	w.reopen()
	w.write(5)
	c.waitLines(15)
	c.stop()
	checkSequence(t, c.lines, 15)
}

// TestFollowSameFileBack: a link removed and made again to the same file is not a new file.
func TestFollowSameFileBack(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "current.log")
	w := newWriter(t, filepath.Join(dir, "a.log"))
	must(t, os.Symlink("a.log", link))
	c := collect(t, NewFile(link, fast))
	w.write(10)
	c.waitLines(10)
	must(t, os.Remove(link))
	c.waitFor("waiting", func(_, s []string) bool { return countPrefix(s, "waiting:") > 0 })
	must(t, os.Symlink("a.log", link))
	w.write(5)
	c.waitLines(15)
	time.Sleep(100 * time.Millisecond)
	c.stop()
	checkSequence(t, c.lines, 15)
}

func TestFollowTruncation(t *testing.T) {
	for name, copyFirst := range map[string]bool{"truncate in place": false, "copytruncate": true} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "support.log")
			w := newWriter(t, path)
			c := collect(t, NewFile(path, fast))
			for round := range 3 {
				w.write(200)
				c.waitLines(w.n) // copytruncate loses what is written between copy and truncate: keep that window empty
				if copyFirst {
					data, _ := os.ReadFile(path)
					must(t, os.WriteFile(path+".1", data, 0o644))
				}
				must(t, os.Truncate(path, 0))
				c.waitFor("truncation noticed", func(_, s []string) bool { return countPrefix(s, "truncated:") == round+1 })
			}
			w.write(5)
			c.waitLines(w.n)
			c.stop()
			checkSequence(t, c.lines, w.n)
		})
	}
}

func TestFollowWaitsForPath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "later.log")
	c := collect(t, NewFile(path, fast))
	c.waitFor("waiting state", func(_, s []string) bool {
		return len(s) > 0 && s[0] == "waiting: waiting for "+path+" to appear"
	})
	w := newWriter(t, path)
	w.write(10)
	c.waitLines(10)
	checkSequence(t, c.lines, 10)
}

func TestFollowWaitsForDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "not", "yet")
	path := filepath.Join(dir, "support.log")
	opt := fast
	opt.Interval = time.Second // the periodic check is slow: the watch must catch up
	c := collect(t, NewFile(path, opt))
	c.waitFor("waiting state", func(_, s []string) bool { return len(s) > 0 })
	must(t, os.MkdirAll(dir, 0o755))
	w := newWriter(t, path)
	w.write(10)
	c.waitLines(10)
	time.Sleep(opt.Interval) // by now the directory is watched
	start := time.Now()
	w.write(1)
	c.waitLines(11)
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("a line appended in a directory created late took %v to arrive: it is not watched", d)
	}
}

func TestFollowSymlinkRetarget(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "current.log")
	a := newWriter(t, filepath.Join(dir, "a.log"))
	must(t, os.Symlink("a.log", link))
	c := collect(t, NewFile(link, fast))
	a.write(30)
	c.waitLines(30)
	// Point the link at b.log the way ln -sfn does: a new link renamed over the old one.
	b := newWriter(t, filepath.Join(dir, "b.log"))
	b.n = a.n
	must(t, os.Symlink("b.log", link+".tmp"))
	must(t, os.Rename(link+".tmp", link))
	b.write(30)
	c.waitLines(60)
	c.waitFor("rotation noticed", func(_, s []string) bool { return strings.Contains(strings.Join(s, "|"), "rotated") })
	c.stop()
	checkSequence(t, c.lines, 60)
}

func TestFollowManyFilesWithOneWatcher(t *testing.T) {
	w, err := NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	dir := t.TempDir()
	opt := fast
	opt.Watcher = w
	var cs []*collector
	var ws []*writer
	for i := range 100 {
		path := filepath.Join(dir, fmt.Sprintf("node%03d.log", i))
		ws = append(ws, newWriter(t, path))
		cs = append(cs, collect(t, NewFile(path, opt)))
	}
	for round := range 5 {
		for _, wr := range ws {
			wr.write(round + 1)
		}
	}
	for _, c := range cs {
		c.waitLines(15)
	}
	if n := len(w.dirs); n != 1 {
		t.Errorf("watching %d directories for 100 files in one, want 1", n)
	}
	for _, c := range cs {
		c.stop()
		checkSequence(t, c.lines, 15)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func countPrefix(states []string, prefix string) int {
	n := 0
	for _, s := range states {
		if strings.HasPrefix(s, prefix) {
			n++
		}
	}
	return n
}
