package source

// A followed file's generations: how each ends (drained, retired, its file closed once
// the reader has released its text) and how its text is read back.

import (
	"fmt"
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
