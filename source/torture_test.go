package source

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRotationTorture follows a file that a writer fills with numbered lines at about
// 20 000 lines a second while it is rotated in every way logrotate and daemons rotate
// logs, with inotify and with polling at the default intervals, and counts the lines lost
// and duplicated: the numbers delivered against the numbers that reached disk, in every
// generation (rotated files, copies, hard links kept to removed files, what was truncated).
//
// Each case runs for a second and a half; CALLTAIL_TORTURE=60s runs each for a minute:
//
//	CALLTAIL_TORTURE=60s go test -count=1 -run TestRotationTorture -v ./source/
//
// Lost lines are a failure, except for truncation in place: what is truncated before the
// follower has read it is gone from the disk (with polling, up to an interval's worth at
// each rotation), so it is reported, not failed. copytruncate's own window — lines written
// between the copy and the truncation — reaches no file that outlives the rotation; those
// lines are not counted, and are reported as "window" (for truncation in place, the lines
// written between the count's read of the file and the truncation).
func TestRotationTorture(t *testing.T) {
	if testing.Short() {
		t.Skip("rotation torture: a few seconds a case")
	}
	run := 1500 * time.Millisecond
	if v := os.Getenv("CALLTAIL_TORTURE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("CALLTAIL_TORTURE=%q: %v (give a duration, e.g. 60s)", v, err)
		}
		run = d
	}
	var results []tortureResult
	for _, mode := range []string{"inotify", "poll"} {
		for _, st := range tortureStyles {
			t.Run(mode+"/"+st.name, func(t *testing.T) {
				opt := FollowOptions{Poll: mode == "poll"} // the defaults: 250 ms polls, 1 s re-checks, 2 s drains
				r := torture(t, st, opt, run)
				r.style, r.mode = st.name, mode
				results = append(results, r)
				t.Logf("%s", r)
				if r.dup > 0 || r.torn > 0 || r.lost > 0 && !st.truncates {
					t.Errorf("%s", r)
				}
			})
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "each case %v, ~%d lines/s\n%-20s %-8s %9s %8s %6s %5s %9s %7s %10s\n", run, tortureRate,
		"style", "watch", "on disk", "lost", "dup", "torn", "reordered", "window", "rotations")
	for _, r := range results {
		fmt.Fprintf(&b, "%-20s %-8s %9d %8d %6d %5d %9d %7d %10d\n", r.style, r.mode, r.onDisk, r.lost, r.dup, r.torn, r.reordered, r.window, r.rotations)
	}
	t.Logf("\n%s", b.String())
}

const tortureRate = 20000 // lines a second

// tortureStyle is a way of rotating a log.
type tortureStyle struct {
	name      string
	setup     func(e *tortureEnv) error // makes the path; the writer is not started yet
	rotate    func(e *tortureEnv) error
	twice     bool // rotate twice, 20 to 80 ms apart
	truncates bool // text is destroyed: what the follower had not read is lost from the disk
}

var tortureStyles = []tortureStyle{
	{name: "rename+create", rotate: renameCreate},
	{name: "copytruncate", rotate: copyTruncateErr},
	{name: "truncate in place", truncates: true, rotate: func(e *tortureEnv) error {
		data, err := os.ReadFile(e.path) // what is on disk now, for the count
		if err != nil {
			return err
		}
		e.mu.Lock()
		e.truncated = append(e.truncated, data)
		e.mu.Unlock()
		return os.Truncate(e.path, 0)
	}},
	{name: "remove+recreate", rotate: func(e *tortureEnv) error {
		// A hard link out of the followed directory keeps the text for the count: the
		// follower cannot see it there, as if the file were gone.
		e.gen++
		if err := os.Link(e.path, filepath.Join(e.dir, "kept", fmt.Sprintf("removed.%04d", e.gen))); err != nil {
			return err
		}
		if err := os.Remove(e.path); err != nil {
			return err
		}
		e.later(func() error { return e.w.hup("") })
		return nil
	}},
	{name: "symlink re-pointed",
		setup: func(e *tortureEnv) error {
			e.w.target = filepath.Join(e.dir, "app-0000.log")
			return os.Symlink("app-0000.log", e.path)
		},
		rotate: func(e *tortureEnv) error {
			// The daemon starts a new file and points the link at it the way ln -sfn does.
			e.gen++
			name := fmt.Sprintf("app-%04d.log", e.gen)
			if err := e.w.hup(filepath.Join(e.dir, name)); err != nil {
				return err
			}
			if err := os.Symlink(name, e.path+".new"); err != nil {
				return err
			}
			return os.Rename(e.path+".new", e.path)
		}},
	{name: "two renames", twice: true, rotate: renameCreate},
	{name: "two copytruncates", twice: true, rotate: copyTruncateErr},
}

// renameCreate is logrotate's "create": path becomes path.1 (the older ones shifted), a new
// empty path is made, and the daemon reopens it a moment later.
func renameCreate(e *tortureEnv) error {
	if err := shiftNames(e.path); err != nil {
		return err
	}
	if err := os.Rename(e.path, e.path+".1"); err != nil {
		return err
	}
	if err := os.WriteFile(e.path, nil, 0o644); err != nil {
		return err
	}
	e.later(func() error { return e.w.hup("") })
	return nil
}

// copyTruncateErr is logrotate's "copytruncate".
func copyTruncateErr(e *tortureEnv) error {
	if err := shiftNames(e.path); err != nil {
		return err
	}
	src, err := os.Open(e.path)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(e.path + ".1")
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	return os.Truncate(e.path, 0)
}

// tortureEnv is one case's directory, writer and rotations.
type tortureEnv struct {
	dir, path string
	w         *tortureWriter
	gen       int
	mu        sync.Mutex
	truncated [][]byte // text truncated in place, as it was just before
	pending   []func() error
}

// later runs f a few milliseconds after the rotation, as a daemon's reopening comes after
// logrotate's renaming.
func (e *tortureEnv) later(f func() error) { e.pending = append(e.pending, f) }

type tortureResult struct {
	style, mode                string
	written, onDisk, window    int
	lost, dup, torn, reordered int
	rotations                  int
	firstLost                  int
}

func (r tortureResult) String() string {
	return fmt.Sprintf("%s/%s: %d written, %d on disk (%d in copytruncate windows), %d rotations: %d lost (first %d), %d duplicated, %d torn, %d out of order",
		r.mode, r.style, r.written, r.onDisk, r.window, r.rotations, r.lost, r.firstLost, r.dup, r.torn, r.reordered)
}

func torture(t *testing.T, st tortureStyle, opt FollowOptions, run time.Duration) tortureResult {
	dir := t.TempDir()
	e := &tortureEnv{dir: dir, path: filepath.Join(dir, "support.log")}
	must(t, os.Mkdir(filepath.Join(dir, "kept"), 0o755))
	e.w = &tortureWriter{target: e.path}
	if st.setup != nil {
		must(t, st.setup(e))
	}
	must(t, e.w.hup(""))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Chunk, 64)
	runDone := make(chan error, 1)
	go func() { runDone <- NewFile(e.path, opt).Run(ctx, out); close(out) }()
	d := &delivered{count: map[int]int{}}
	consumed := make(chan struct{})
	go func() { d.consume(out); close(consumed) }()

	writerDone := make(chan error, 1)
	stopWriter := make(chan struct{})
	go func() { writerDone <- e.w.loop(stopWriter) }()

	rng := rand.New(rand.NewPCG(uint64(len(st.name)), uint64(time.Now().UnixNano())))
	var r tortureResult
	end := time.Now().Add(run)
	for time.Now().Before(end) {
		// Rotations further apart than a poll, except the doubles: a removed file or a link's
		// old target has no name left to be found by after a second rotation.
		time.Sleep(400*time.Millisecond + time.Duration(rng.IntN(200))*time.Millisecond)
		times := 1
		if st.twice {
			times = 2
		}
		for i := range times {
			if i > 0 {
				time.Sleep(20*time.Millisecond + time.Duration(rng.IntN(60))*time.Millisecond)
			}
			must(t, st.rotate(e))
			r.rotations++
			if len(e.pending) > 0 {
				time.Sleep(5 * time.Millisecond)
				for _, f := range e.pending {
					must(t, f())
				}
				e.pending = nil
			}
		}
	}
	time.Sleep(100 * time.Millisecond)
	close(stopWriter)
	must(t, <-writerDone)
	r.written = e.w.seq

	onDisk := map[int]bool{}
	must(t, filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || !de.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		tortureLines(data, func(seq int, ok bool) {
			if ok {
				onDisk[seq] = true
			}
		})
		return nil
	}))
	for _, data := range e.truncated {
		tortureLines(data, func(seq int, ok bool) {
			if ok {
				onDisk[seq] = true
			}
		})
	}
	r.onDisk = len(onDisk)
	r.window = r.written - r.onDisk

	// Wait for everything on disk to arrive (or for nothing more to arrive for a second:
	// what is lost is lost), then a little longer for duplicates.
	deadline := time.Now().Add(8 * time.Second)
	last, still := -1, time.Now()
	for time.Now().Before(deadline) && d.missing(onDisk) > 0 && time.Since(still) < time.Second {
		if n := d.lines(); n != last {
			last, still = n, time.Now()
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(min(2*opt.withDefaults().Interval, 500*time.Millisecond))
	cancel()
	<-consumed
	if err := <-runDone; err != nil {
		t.Errorf("Run: %v", err)
	}
	r.firstLost = -1
	for seq := range r.written {
		if onDisk[seq] && d.count[seq] == 0 {
			if r.lost++; r.firstLost < 0 {
				r.firstLost = seq
			}
		}
	}
	for _, n := range d.count {
		if n > 1 {
			r.dup += n - 1
		}
	}
	r.torn, r.reordered = d.torn, d.reordered
	return r
}

// delivered counts the numbered lines a follower sent.
type delivered struct {
	mu        sync.Mutex
	count     map[int]int
	torn      int // lines that are not whole numbered lines
	reordered int // lines that came after a line with a higher number
	top       int
	n         int // lines delivered
}

func (d *delivered) consume(out <-chan Chunk) {
	for c := range out {
		if c.Data == nil {
			continue
		}
		d.mu.Lock()
		tortureLines(c.Data, func(seq int, ok bool) {
			d.n++
			if !ok {
				d.torn++
				return
			}
			d.count[seq]++
			if seq < d.top {
				d.reordered++
			}
			d.top = max(d.top, seq)
		})
		d.mu.Unlock()
	}
}

func (d *delivered) lines() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.n
}

func (d *delivered) missing(want map[int]bool) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for seq := range want {
		if d.count[seq] == 0 {
			n++
		}
	}
	return n
}

// tortureLine is line seq: a timestamp, the number, and padding of a length that depends on
// the number, so that a torn line is recognised.
func tortureLine(seq int) string {
	return fmt.Sprintf("2026-05-14 10:00:00,000 seq=%09d %s end\n", seq, strings.Repeat("x", 20+seq%80))
}

// tortureLines calls f with the number of each line of data, and whether it is whole; a
// last line without its line feed counts as a line.
func tortureLines(data []byte, f func(seq int, ok bool)) {
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		line := data
		if i >= 0 {
			line, data = data[:i+1], data[i+1:]
		} else {
			data = nil
		}
		const prefix = "2026-05-14 10:00:00,000 seq="
		seq := -1
		if len(line) >= len(prefix)+9 && string(line[:len(prefix)]) == prefix {
			if n, err := strconv.Atoi(string(line[len(prefix) : len(prefix)+9])); err == nil {
				seq = n
			}
		}
		ok := seq >= 0 && strings.TrimSuffix(string(line), "\n") == strings.TrimSuffix(tortureLine(seq), "\n")
		f(seq, ok)
	}
}

// tortureWriter appends numbered lines at tortureRate, a few whole lines per write, like a
// daemon's logger; hup makes it reopen its log (another file, for a re-pointed link).
type tortureWriter struct {
	mu     sync.Mutex
	f      *os.File
	target string
	seq    int
}

func (w *tortureWriter) hup(target string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if target != "" {
		w.target = target
	}
	if w.f != nil {
		w.f.Close()
	}
	f, err := os.OpenFile(w.target, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	w.f = f
	return err
}

func (w *tortureWriter) loop(stop <-chan struct{}) error {
	defer func() { w.mu.Lock(); w.f.Close(); w.mu.Unlock() }()
	start := time.Now()
	var buf []byte
	for {
		select {
		case <-stop:
			return nil
		default:
		}
		due := int(time.Since(start).Seconds() * tortureRate)
		w.mu.Lock()
		buf = buf[:0]
		for ; w.seq < due && len(buf) < 8<<10; w.seq++ {
			buf = append(buf, tortureLine(w.seq)...)
		}
		_, err := w.f.Write(buf)
		w.mu.Unlock()
		if err != nil {
			return err
		}
		time.Sleep(time.Millisecond)
	}
}
