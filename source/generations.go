package source

// A followed file's generations: how the first begins when its text is read first
// (Begin), how each ends (drained, retired, its file closed once the reader has released
// its text) and how its text is read back.

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"
)

// isDraining reports whether info is the file of a generation rotated away.
func (t *tail) isDraining(info os.FileInfo) bool {
	for _, d := range t.draining {
		if os.SameFile(info, d.info) {
			return true
		}
	}
	return false
}

func closeFile(f *os.File) {
	if f != nil {
		f.Close()
	}
}

// drain reads the files rotated away, and lets go of those that are done: a new file is
// being written at the path and the old one stopped growing, or it has been idle for long.
func (t *tail) drain() error {
	now := time.Now()
	kept := t.draining[:0]
	for _, d := range t.draining {
		if err := t.read(d); err != nil {
			return err
		}
		replaced := t.cur != nil && t.cur.grew.After(d.rotatedAt)
		if !(replaced && now.Sub(d.grew) >= t.opt.DrainIdle) && now.Sub(d.grew) < maxDrain {
			kept = append(kept, d)
			continue
		}
		if err := t.flushPartial(d); err != nil {
			return err
		}
		t.retire(d, fmt.Sprintf("%s was rotated away", t.path))
	}
	t.draining = kept
	return nil
}

// retire ends a generation: its text stays readable if the options keep it; otherwise
// its file is closed (unless the current generation still reads it).
func (t *tail) retire(of *openFile, reason string) {
	if t.opt.Keep {
		t.closed = append(t.closed, of)
		return
	}
	if len(of.head) > 0 {
		if len(t.past) == maxPast {
			t.past = t.past[1:]
		}
		t.past = append(t.past, of.head)
	}
	of.text.gone(reason)
	if t.cur == nil || t.cur.f != of.f {
		of.f.Close()
	}
}

// closeReleased closes the files of the ended generations whose text the reader has
// released (see fileText.Release) — unless another generation still reads the file: a
// truncated file's generations share one.
func (t *tail) closeReleased() {
	inUse := func(of *openFile) bool {
		if t.cur != nil && t.cur.f == of.f {
			return true
		}
		for _, d := range t.draining {
			if d.f == of.f {
				return true
			}
		}
		for _, c := range t.closed {
			if c != of && c.f == of.f && !c.text.released.Load() {
				return true
			}
		}
		return false
	}
	var kept []*openFile
	for _, of := range t.closed {
		switch {
		case !of.text.released.Load():
			kept = append(kept, of)
		case !inUse(of):
			of.f.Close()
		}
	}
	t.closed = kept
}

// fileText reads a generation's text back from its file, until the text is gone
// (truncated away, or the follower stopped): then reads say why instead of returning
// other text.
type fileText struct {
	f        *os.File
	moved    atomic.Pointer[os.File] // the file that holds the text now, if not f: a truncated file's copy
	reason   atomic.Pointer[string]
	released atomic.Bool // the reader needs the text no more: the follower may close the file
}

// Release says that the generation's text is needed no more (store.Releaser): the
// follower closes its file when it next looks, unless a newer generation shares it.
func (t *fileText) Release() {
	t.gone("let go from memory")
	t.released.Store(true)
}

// ReadAt reads from the file while the generation's text is still there.
func (t *fileText) ReadAt(p []byte, off int64) (int, error) {
	if r := t.reason.Load(); r != nil {
		return 0, fmt.Errorf("text no longer available: %s", *r)
	}
	if m := t.moved.Load(); m != nil {
		return m.ReadAt(p, off)
	}
	return t.f.ReadAt(p, off)
}

func (t *fileText) gone(reason string) { t.reason.CompareAndSwap(nil, &reason) }

// Begin opens the file now and returns its text up to its last line break — all of it when
// the file is read Once — as an input to read to its end before Run, so that the text
// already in several files can be indexed merged by time, as a headless run merges them.
// Run then follows the file on from where that text ends, in the same generation (the
// input's Gen): what it sends continues the input, and reads back through the same Text.
// It returns false, and Run follows the file from its start as ever, if the path is not a
// regular file that can be opened now. Call it once, before Run.
func (f *File) Begin() (Input, bool) {
	if info, err := os.Stat(f.path); err != nil || !info.Mode().IsRegular() {
		return Input{}, false // a FIFO would block the open; a missing file is waited for
	}
	file, err := os.Open(f.path)
	if err != nil {
		return Input{}, false
	}
	info, err := file.Stat()
	if err != nil || !info.Mode().IsRegular() {
		file.Close()
		return Input{}, false
	}
	end := info.Size()
	if !f.opt.Once {
		end = lastLineEnd(file, end) // a partial last line is left to Run, which waits for its end
	}
	of := &openFile{f: file, info: info, text: &fileText{f: file}}
	of.growingText = growingText{r: file, gen: &Generation{Name: f.path, Text: of.text}, pos: end,
		head: readSpan(file, 0, min(end, headLen)), mark: readSpan(file, max(0, end-markLen), end)}
	f.begun = of
	read := new(atomic.Int64)
	return Input{Name: f.path, Gen: of.gen, Text: of.text, Modified: info.ModTime(),
		R:        countingReader{r: io.NewSectionReader(of.text, 0, end), n: read},
		Progress: func() (done, total int64) { return read.Load(), end }}, true
}

// closeBegun closes the file Begin opened, for a follower that never ran (Run closes it).
func (f *File) closeBegun() error {
	if f.begun != nil {
		f.begun.f.Close() // closing twice, after Run, is harmless
	}
	return nil
}

// adopt makes the generation Begin opened the one followed: the first, read up to where
// Begin's text ended.
func (t *tail) adopt(of *openFile) error {
	t.cur, t.gens, t.seenMod = of, 1, of.info.ModTime()
	return t.setState(Following, "following "+t.path)
}

// lastLineEnd returns where the last line of the first size bytes of r ends: just after
// its last line break, or 0 if it has none.
func lastLineEnd(r io.ReaderAt, size int64) int64 {
	buf := make([]byte, 64<<10)
	for end := size; end > 0; {
		start := max(0, end-int64(len(buf)))
		if n, _ := r.ReadAt(buf[:end-start], start); n < int(end-start) {
			return 0 // shrunk or unreadable: Run reads it from the start and finds out
		}
		if i := bytes.LastIndexByte(buf[:end-start], '\n'); i >= 0 {
			return start + int64(i) + 1
		}
		end = start
	}
	return 0
}

// readSpan returns the bytes of r in [from, to), or as many as can be read.
func readSpan(r io.ReaderAt, from, to int64) []byte {
	buf := make([]byte, to-from)
	n, _ := r.ReadAt(buf, from)
	return buf[:n]
}
