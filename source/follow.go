package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// FollowOptions tune a File follower. The zero value follows with inotify.
type FollowOptions struct {
	// Poll checks the file every Interval instead of waiting for inotify events, for file
	// systems without inotify (NFS, some container mounts).
	Poll bool
	// Interval is how often the file is checked when polling (default 250 ms), and the
	// safety re-check with inotify (default 1 s).
	Interval time.Duration
	// DrainIdle is how long a file that was rotated away is still read after it last grew
	// (default 2 s): a writer keeps writing to the old file until it reopens its log.
	DrainIdle time.Duration
	// Watcher is shared by all followers; nil makes the follower start its own.
	Watcher *Watcher
	// Once reads the file to its end and stops reading, instead of following it; Run
	// still returns only when its context is done, so that the text can be read back.
	Once bool
	// Keep keeps the text of rotated and truncated generations readable until Run returns,
	// for readers that read entries back (the UI); without it their files are closed as
	// soon as they end, so that the disk space of deleted logs is freed.
	Keep bool
}

func (o FollowOptions) withDefaults() FollowOptions {
	if o.Interval <= 0 {
		o.Interval = time.Second
		if o.Poll {
			o.Interval = 250 * time.Millisecond
		}
	}
	if o.DrainIdle <= 0 {
		o.DrainIdle = 2 * time.Second
	}
	return o
}

// maxDrain is the longest a rotated-away file is read when no new file takes its place.
const maxDrain = 10 * time.Minute

// File follows a path like tail -F: from the start of the file, then each line as it is
// appended, through rename-and-create rotation, copytruncate and truncation in place,
// removal and re-creation, and a symbolic link that is pointed elsewhere. A path that does
// not exist yet is waited for.
//
// Lines are only sent whole: a partial last line is held until its newline arrives,
// however long that takes (see growingText); it is sent as it is when its file is done (a
// rotated file that stopped growing, a file read Once).
type File struct {
	path  string
	opt   FollowOptions
	bytes atomic.Int64
}

// NewFile returns a follower of path.
func NewFile(path string, opt FollowOptions) *File {
	return &File{path: path, opt: opt.withDefaults()}
}

// Name returns the path as given.
func (f *File) Name() string { return f.path }

// Stats returns how much text the follower has delivered.
func (f *File) Stats() Stats { return Stats{Bytes: f.bytes.Load()} }

// Run follows the file until ctx is done.
func (f *File) Run(ctx context.Context, out chan<- Chunk) error {
	t := &tail{File: f, ctx: ctx, out: out, poke: make(chan struct{}, 1)}
	defer t.close()
	if f.opt.Once {
		if err := t.check(); err != nil || t.cur == nil {
			return nil
		}
		if t.flushPartial(t.cur) != nil || t.setState(Opened, "read "+t.path) != nil {
			return nil
		}
		<-ctx.Done() // keep the file open: its text is read back until the session ends
		return nil
	}
	if !f.opt.Poll {
		w := f.opt.Watcher
		if w == nil {
			var err error
			if w, err = NewWatcher(); err != nil {
				return fmt.Errorf("follow %s: %w (try --poll)", f.path, err)
			}
			defer w.Close()
		}
		t.watcher = w
	}
	ticker := time.NewTicker(f.opt.Interval)
	defer ticker.Stop()
	for {
		if err := t.check(); err != nil {
			return nil // only a cancelled send fails
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.poke:
		case <-ticker.C:
		}
	}
}

// tail is the state of one Run.
type tail struct {
	*File
	ctx      context.Context
	out      chan<- Chunk
	poke     chan struct{}
	watcher  *Watcher
	watched  []string // paths subscribed to
	unsub    []func()
	cur      *openFile   // the file at the path now
	draining []*openFile // files rotated away, read until they stop growing
	closed   []*openFile // generations that ended; their text stays readable until Run returns
	gens     int
	state    State
	note     string
}

// openFile is one generation of the followed path.
type openFile struct {
	f         *os.File
	info      os.FileInfo
	text      *fileText
	rotatedAt time.Time // when it was rotated away
	growingText
}

var errStopped = errors.New("stopped")

// check reads whatever is new and notices rotation, truncation, removal and creation.
func (t *tail) check() error {
	if err := t.drain(); err != nil {
		return err
	}
	t.closeReleased()
	t.subscribe()
	info, err := os.Stat(t.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// EIO, ESTALE...: perhaps passing; keep the file in hand and say so.
		if err := t.setState(Failed, fmt.Sprintf("cannot follow %s: %v", t.path, unwrapPathError(err))); err != nil {
			return err
		}
		if t.cur != nil {
			return t.read(t.cur)
		}
		return nil
	}
	if t.cur != nil && err == nil && os.SameFile(info, t.cur.info) {
		if info.Size() < t.cur.pos || !t.cur.unchanged() {
			// Truncated in place (copytruncate), perhaps already written again past where
			// it was read: the old text is gone from this file.
			if err := t.truncated(info); err != nil {
				return err
			}
		}
		return t.read(t.cur)
	}
	if t.cur != nil { // removed, renamed away or replaced: read what its writer still adds
		if err := t.read(t.cur); err != nil {
			return err
		}
		t.rotateAway()
	}
	if err != nil {
		return t.setState(Waiting, fmt.Sprintf("waiting for %s to appear", t.path))
	}
	for i, d := range t.draining {
		if os.SameFile(info, d.info) { // the same file is back (a link re-made, a rename undone)
			t.cur = d
			t.draining = append(t.draining[:i], t.draining[i+1:]...)
			if err := t.setState(Following, "following "+t.path); err != nil {
				return err
			}
			return t.read(t.cur)
		}
	}
	state, note := Following, "following "+t.path
	if t.gens > 0 {
		state, note = Rotated, fmt.Sprintf("%s was rotated: following the new file", t.path)
	}
	if err := t.open(state, note); err != nil || t.cur == nil {
		return err
	}
	return t.read(t.cur)
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

// truncated starts a new generation on the same file, from its start.
func (t *tail) truncated(info os.FileInfo) error {
	if err := t.flushPartial(t.cur); err != nil {
		return err
	}
	old := t.cur
	old.text.gone(fmt.Sprintf("%s was truncated", t.path)) // the file holds other text now
	t.cur = &openFile{f: old.f, info: info}
	t.retire(old, "")
	t.newGeneration(t.cur)
	return t.setState(Truncated, fmt.Sprintf("%s was truncated: following it from its start (lines written between a copy and the truncation are lost)", t.path))
}

// open starts a new generation at the path.
func (t *tail) open(state State, note string) error {
	f, err := os.Open(t.path)
	if err != nil {
		return t.setState(Failed, fmt.Sprintf("cannot follow %s: %v", t.path, unwrapPathError(err)))
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return t.setState(Failed, fmt.Sprintf("cannot follow %s: %v", t.path, err))
	}
	if info.IsDir() {
		f.Close()
		return t.setState(Failed, fmt.Sprintf("cannot follow %s: it is a directory", t.path))
	}
	t.cur = &openFile{f: f, info: info}
	t.newGeneration(t.cur)
	return t.setState(state, note)
}

func (t *tail) newGeneration(of *openFile) {
	of.text = &fileText{f: of.f}
	of.growingText = growingText{r: of.f, gen: &Generation{Name: t.path, Seq: t.gens, Text: of.text}} // grew stays zero until it grows
	t.gens++
}

// rotateAway moves the current file to the draining list: its writer may still append
// to it until it reopens the path.
func (t *tail) rotateAway() {
	t.cur.grew, t.cur.rotatedAt = time.Now(), time.Now()
	t.draining = append(t.draining, t.cur)
	t.cur = nil
}

// read sends the whole lines appended to of since the last read.
func (t *tail) read(of *openFile) error {
	err := of.readLines(func(c Chunk) error {
		c.Source = t.path
		return t.send(c)
	})
	if err != nil && err != errStopped {
		return t.setState(Failed, fmt.Sprintf("cannot read %s: %v", t.path, unwrapPathError(err)))
	}
	return err
}

// flushPartial sends the held partial line of a generation that has ended.
func (t *tail) flushPartial(of *openFile) error {
	return of.flushPartial(func(c Chunk) error {
		c.Source = t.path
		return t.send(c)
	})
}

func (t *tail) send(c Chunk) error {
	if c.Data != nil {
		t.bytes.Add(int64(len(c.Data)))
	} else {
		c.Source = t.path
	}
	select {
	case t.out <- c:
		return nil
	case <-t.ctx.Done():
		return errStopped
	}
}

// setState reports a change of state: a steady state (following, waiting, failed) once,
// and every rotation and truncation.
func (t *tail) setState(s State, note string) error {
	if s == t.state && note == t.note && s != Rotated && s != Truncated {
		return nil
	}
	t.state, t.note = s, note
	var gen *Generation
	if t.cur != nil {
		gen = t.cur.gen
	}
	return t.send(Chunk{Gen: gen, State: s, Note: note})
}

// subscribe watches the path, and the file a symbolic link at the path points to.
func (t *tail) subscribe() {
	if t.watcher == nil {
		return
	}
	want := []string{t.path}
	if target, err := filepath.EvalSymlinks(t.path); err == nil && filepath.Clean(target) != filepath.Clean(t.path) {
		want = append(want, target)
	}
	if equal(want, t.watched) && t.state != Waiting {
		return
	}
	// While waiting, subscribe again each time: the directory may have been created or
	// re-created since, and needs a new watch.
	t.unsubscribe()
	for _, p := range want {
		cancel, err := t.watcher.Subscribe(p, t.poke)
		if err != nil {
			// A directory that cannot be watched (it does not exist yet) is tried again at
			// the next check; the periodic check covers the meantime.
			t.watched = nil
			continue
		}
		t.unsub = append(t.unsub, cancel)
	}
	if len(t.unsub) == len(want) {
		t.watched = want
	}
}

func (t *tail) unsubscribe() {
	for _, cancel := range t.unsub {
		cancel()
	}
	t.unsub, t.watched = nil, nil
}

func (t *tail) close() {
	t.unsubscribe()
	for _, of := range append(append(t.closed, t.draining...), t.cur) {
		if of != nil {
			of.text.gone("the follower stopped")
			of.f.Close() // a truncated file's generations share one: closing twice is harmless
		}
	}
	t.closed, t.draining, t.cur = nil, nil, nil
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// unwrapPathError drops the "open PATH:" prefix that the message already says.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fileText reads a generation's text back from its file, until the text is gone
// (truncated away, or the follower stopped): then reads say why instead of returning
// other text.
type fileText struct {
	f        *os.File
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
	return t.f.ReadAt(p, off)
}

func (t *fileText) gone(reason string) { t.reason.CompareAndSwap(nil, &reason) }
