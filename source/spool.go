package source

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// Spool is an append-only file for text that arrives over the network or through a pipe:
// it is written before the text is parsed, so that memory holds only the index, entries
// can be read back from it, and a session can be reopened later with calltail SPOOLFILE.
// Receivers hand it messages without waiting on the disk: a writer goroutine writes them
// in batches, and when it falls too far behind new messages are dropped and counted.
//
// When a write fails (a full disk, ENOSPC; a quota, EDQUOT) the writer keeps what it
// could not write and tries again, less and less often (up to once a second), until the
// disk takes it: the spool recovers by itself when space returns. Meanwhile Append drops
// and counts, and AppendWait waits, so that a TCP sender is held back by flow control and
// loses nothing. A line that a failed write cut short is taken back from the file (or,
// if that fails too, finished by the next write): the file holds whole lines, each once,
// and followers never see a line in part.
type Spool struct {
	f        *os.File
	path     string
	mu       sync.Mutex
	pending  []byte // appended but not yet taken by the writer
	limit    int    // the most bytes pending before messages are dropped
	wake     chan struct{}
	written  chan struct{} // closed and replaced after each write: wakes followers and waiters
	changed  chan struct{} // closed and replaced when writing starts or stops failing
	failing  bool          // the last write failed (under mu)
	giveUp   bool          // AppendWait drops rather than waits for a failing spool (under mu)
	size     atomic.Int64  // bytes of whole text in the file: what followers may read
	dropped  atomic.Int64
	err      atomic.Pointer[error] // why the spool cannot be written, while it cannot
	failed   chan struct{}         // closed when a write first fails
	failOnce sync.Once
	text     *fileText

	wmu  sync.Mutex // the writer's own: one write at a time
	out  []byte     // taken from pending, not yet all in the file
	done int        // how much of out is in the file past size: a line a failed write cut
}

// The writer's pace while the disk refuses: it tries again after retryMin, then twice
// as long each time, up to retryMax.
const (
	retryMin = 10 * time.Millisecond
	retryMax = time.Second
)

// StateDir is where calltail keeps what outlives a session (spools, incident reports):
// $XDG_STATE_HOME/calltail, XDG_STATE_HOME defaulting to ~/.local/state.
func StateDir() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no state directory: %v (set XDG_STATE_HOME)", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "calltail"), nil
}

// DefaultSpoolPath is where a session's spool goes unless --spool says otherwise:
// spool-YYYYMMDD-HHMMSS.log in the StateDir.
func DefaultSpoolPath(now time.Time) (string, error) {
	dir, err := StateDir()
	if err != nil {
		return "", fmt.Errorf("no place for the spool file: %v (or use --spool PATH)", err)
	}
	return filepath.Join(dir, "spool-"+now.UTC().Format("20060102-150405")+".log"), nil
}

// CreateSpool creates the spool file at path (and its directory), or appends to it if it
// exists. Close releases it.
func CreateSpool(path string) (*Spool, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create spool directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create spool %s: %w", path, unwrapPathError(err))
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	s := &Spool{f: f, path: path, limit: 64 << 20, wake: make(chan struct{}, 1), written: make(chan struct{}),
		changed: make(chan struct{}), failed: make(chan struct{}), text: &fileText{f: f}}
	s.size.Store(info.Size())
	return s, nil
}

// Path returns the spool file's path.
func (s *Spool) Path() string { return s.path }

// Append adds one message as a line (a line feed is added). It never waits: if the writer
// is too far behind, or cannot write, the message is dropped, counted, and Append reports
// false.
func (s *Spool) Append(msg []byte) bool {
	s.mu.Lock()
	if s.failing || len(s.pending)+len(msg)+1 > s.limit {
		s.mu.Unlock()
		s.dropped.Add(1)
		return false
	}
	s.pending = append(append(s.pending, msg...), '\n')
	s.mu.Unlock()
	poke(s.wake)
	return true
}

// AppendWait adds one message as a line, waiting for the writer to make room, and while
// the spool cannot be written for it to recover, rather than dropping it: for TCP, where
// waiting makes the sender slow down and nothing is lost. Only a receiver that is
// stopping gives up waiting for a spool that cannot be written; the message is then
// dropped and counted.
func (s *Spool) AppendWait(msg []byte) {
	s.add(msg, true, true)
}

// Write adds text as it came (from a pipe); it waits for room rather than dropping.
func (s *Spool) Write(p []byte) (int, error) {
	s.add(p, false, false)
	return len(p), nil
}

// add appends p, and a line feed if asked, once there is room for it and, if held, once
// the spool can be written.
func (s *Spool) add(p []byte, newline, held bool) {
	n := len(p)
	if newline {
		n++
	}
	for {
		s.mu.Lock()
		blocked := held && s.failing
		if blocked && s.giveUp {
			s.mu.Unlock()
			s.dropped.Add(1)
			return
		}
		if !blocked && (len(s.pending)+n <= s.limit || len(s.pending) == 0) {
			s.pending = append(s.pending, p...)
			if newline {
				s.pending = append(s.pending, '\n')
			}
			s.mu.Unlock()
			poke(s.wake)
			return
		}
		done := s.written
		s.mu.Unlock()
		<-done
	}
}

// giveUpWaiting makes AppendWait drop rather than wait while the spool cannot be written
// (on), for receivers that are stopping, or wait again (off).
func (s *Spool) giveUpWaiting(on bool) {
	s.mu.Lock()
	s.giveUp = on
	s.signal()
	s.mu.Unlock()
}

// signal wakes followers and waiters. Under mu.
func (s *Spool) signal() {
	close(s.written)
	s.written = make(chan struct{})
}

// Dropped returns how many messages were dropped: the writer fell behind, or could not
// write.
func (s *Spool) Dropped() int64 { return s.dropped.Load() }

// Size returns how many bytes are in the file.
func (s *Spool) Size() int64 { return s.size.Load() }

// Written returns a channel that is closed after the next write to the file.
func (s *Spool) Written() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.written
}

// Failed is closed when a write to the spool first fails; Err says why, while it fails.
func (s *Spool) Failed() <-chan struct{} { return s.failed }

// Err returns the error that keeps the writer from writing, if it cannot write now (nil
// once it has recovered).
func (s *Spool) Err() error {
	if p := s.err.Load(); p != nil {
		return *p
	}
	return nil
}

// watch returns a channel closed when writing starts or stops failing, and the error
// that keeps the spool from being written now, if any.
func (s *Spool) watch() (<-chan struct{}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed, s.Err()
}

// writeLoop writes pending text to the file until stop is closed, then writes what is
// left. After a failed write it tries again at a slowing pace, not at every new message.
func (s *Spool) writeLoop(stop <-chan struct{}) {
	var backoff time.Duration
	for {
		wake := s.wake
		var retry <-chan time.Time
		if backoff > 0 {
			wake = nil
			retry = time.After(backoff)
		}
		select {
		case <-wake:
		case <-retry:
		case <-stop:
			s.finish()
			return
		}
		if s.flush() {
			backoff = 0
		} else {
			backoff = min(max(2*backoff, retryMin), retryMax)
		}
	}
}

// flush writes what a failed write left, or else what is pending, and reports whether
// all of it was written.
func (s *Spool) flush() bool {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	if len(s.out) == 0 {
		s.out, s.pending = s.pending, s.out[:0]
	}
	s.mu.Unlock()
	ok := s.writeOut()
	s.mu.Lock()
	if s.failing == ok {
		s.failing = !ok
		close(s.changed)
		s.changed = make(chan struct{})
	}
	if ok && len(s.pending) > 0 {
		poke(s.wake)
	}
	s.signal()
	s.mu.Unlock()
	return ok
}

// writeOut writes out to the file. After a failed write the whole lines written stay,
// and a line cut short is taken back, to be written whole next time. Under wmu.
func (s *Spool) writeOut() bool {
	if len(s.out) == 0 {
		return true
	}
	n, err := s.f.Write(s.out[s.done:])
	s.done += n
	if err == nil {
		s.size.Add(int64(s.done))
		s.out, s.done = s.out[:0], 0
		s.err.Store(nil)
		return true
	}
	whole := bytes.LastIndexByte(s.out[:s.done], '\n') + 1
	s.size.Add(int64(whole))
	s.out = s.out[:copy(s.out, s.out[whole:])]
	s.done -= whole
	if s.done > 0 && s.f.Truncate(s.size.Load()) == nil {
		s.done = 0 // else the next write finishes the line, where it was cut
	}
	err = fmt.Errorf("write spool %s: %w", s.path, unwrapPathError(err))
	s.err.Store(&err)
	s.failOnce.Do(func() { close(s.failed) })
	return false
}

// finish writes what is left when the writer stops. If the disk still refuses it, that
// is dropped and counted, and Err says why.
func (s *Spool) finish() {
	for s.flush() {
		s.mu.Lock()
		more := len(s.pending) > 0
		s.mu.Unlock()
		if !more {
			return
		}
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	lost := 0
	for _, b := range [][]byte{s.out, s.pending} {
		lost += bytes.Count(b, []byte("\n"))
		if len(b) > 0 && b[len(b)-1] != '\n' {
			lost++
		}
	}
	s.dropped.Add(int64(lost))
	if s.done > 0 {
		s.f.Truncate(s.size.Load()) // the line cut short, if it can be taken back
	}
	s.out, s.done, s.pending = s.out[:0], 0, s.pending[:0]
	s.signal()
}

// Close releases the file. Text already read back stays valid; later reads fail.
func (s *Spool) Close() error {
	s.text.gone("the spool was closed")
	return s.f.Close()
}

// follow sends what the writer puts in the spool, from offset from, as whole lines,
// until stop is closed; then it sends what is left, including a last partial line.
func (s *Spool) follow(from int64, stop <-chan struct{}, send func(Chunk) error) error {
	g := growingText{r: s.f, gen: &Generation{Name: s.path, Text: s.text}, pos: from}
	for {
		written := s.Written()
		if err := s.readUpTo(&g, send); err != nil {
			return err
		}
		select {
		case <-written:
		case <-stop:
			if err := s.readUpTo(&g, send); err != nil {
				return err
			}
			return g.flushPartial(send)
		}
	}
}

// readUpTo reads what the writer has written (never past it, so that a write in progress
// is not seen half done).
func (s *Spool) readUpTo(g *growingText, send func(Chunk) error) error {
	size := s.Size()
	if g.pos >= size {
		return nil
	}
	r := g.r
	g.r = limitedReaderAt{r, size}
	defer func() { g.r = r }()
	return g.readLines(send)
}

// limitedReaderAt reads no further than n.
type limitedReaderAt struct {
	r io.ReaderAt
	n int64
}

func (l limitedReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= l.n {
		return 0, io.EOF
	}
	if rest := l.n - off; int64(len(p)) > rest {
		p = p[:rest]
	}
	return l.r.ReadAt(p, off)
}
