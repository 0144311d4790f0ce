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
type Spool struct {
	f       *os.File
	path    string
	mu      sync.Mutex
	pending []byte // appended but not yet written
	limit   int    // the most bytes pending before messages are dropped
	wake    chan struct{}
	written chan struct{} // closed and replaced after each write: wakes followers
	size    atomic.Int64  // bytes written to the file
	dropped atomic.Int64
	err     atomic.Pointer[error]
	failed  chan struct{} // closed when a write fails
	text    *fileText
}

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
		failed: make(chan struct{}), text: &fileText{f: f}}
	s.size.Store(info.Size())
	return s, nil
}

// Path returns the spool file's path.
func (s *Spool) Path() string { return s.path }

// Append adds one message as a line (a line feed is added). It never waits: if the writer
// is too far behind, the message is dropped, counted, and Append reports false.
func (s *Spool) Append(msg []byte) bool {
	s.mu.Lock()
	if len(s.pending)+len(msg)+1 > s.limit {
		s.mu.Unlock()
		s.dropped.Add(1)
		return false
	}
	s.pending = append(append(s.pending, msg...), '\n')
	s.mu.Unlock()
	poke(s.wake)
	return true
}

// AppendWait adds one message as a line, waiting for the writer to make room rather than
// dropping it: for TCP, where waiting makes the sender slow down and nothing is lost.
func (s *Spool) AppendWait(msg []byte) {
	s.add(msg, true)
}

// Write adds text as it came (from a pipe); it waits for room rather than dropping.
func (s *Spool) Write(p []byte) (int, error) {
	s.add(p, false)
	return len(p), nil
}

// add appends p, and a line feed if asked, once there is room for it.
func (s *Spool) add(p []byte, newline bool) {
	n := len(p)
	if newline {
		n++
	}
	for {
		s.mu.Lock()
		if len(s.pending)+n <= s.limit || len(s.pending) == 0 {
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

// Dropped returns how many messages were dropped because the writer fell behind.
func (s *Spool) Dropped() int64 { return s.dropped.Load() }

// Size returns how many bytes are in the file.
func (s *Spool) Size() int64 { return s.size.Load() }

// Written returns a channel that is closed after the next write to the file.
func (s *Spool) Written() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.written
}

// Failed is closed when writing to the spool fails; Err says why.
func (s *Spool) Failed() <-chan struct{} { return s.failed }

// Err returns the error that stopped the writer, if any.
func (s *Spool) Err() error {
	if p := s.err.Load(); p != nil {
		return *p
	}
	return nil
}

// writeLoop writes pending text to the file until stop is closed, then writes what is left.
func (s *Spool) writeLoop(stop <-chan struct{}) {
	var spare []byte
	for {
		select {
		case <-s.wake:
		case <-stop:
			s.flush(&spare)
			return
		}
		s.flush(&spare)
	}
}

func (s *Spool) flush(spare *[]byte) {
	s.mu.Lock()
	data := s.pending
	s.pending = (*spare)[:0]
	s.mu.Unlock()
	if len(data) > 0 && s.Err() != nil {
		s.dropped.Add(int64(bytes.Count(data, []byte("\n")))) // the spool is broken: all of it is lost
	} else if len(data) > 0 {
		n, err := s.f.Write(data)
		s.size.Add(int64(n))
		if err != nil {
			s.dropped.Add(int64(bytes.Count(data[n:], []byte("\n"))))
			err = fmt.Errorf("write spool %s: %w", s.path, err)
			s.err.Store(&err)
			close(s.failed)
		}
	}
	*spare = data
	s.mu.Lock()
	close(s.written)
	s.written = make(chan struct{})
	s.mu.Unlock()
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
