package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// FollowOptions tune a File follower. The zero value follows with inotify. Whatever the
// options, lines are sent whole, and rotated generations are found on disk (see File).
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
// A rotation is followed by what is on disk, not only by what is at the path when the
// follower looks (every Interval when polling, or when inotify says): the end of a
// truncated generation is read from its copy (copytruncate's path.1, or whichever rotated
// file holds the same first bytes and the bytes last read), and generations that came and
// went between two looks are read from the rotated files beside the path (path.1 after
// two renames). Only copytruncate's own window is lost: lines written between the copy
// and the truncation are in neither file. A truncation in place loses what it cut before
// the follower read it.
//
// Lines are only sent whole: a partial last line is held until its newline arrives,
// however long that takes (see growingText); it is sent as it is when its file is done (a
// rotated file that stopped growing, a file read Once), and dropped, with a note in the
// Truncated state, when a truncation cut its end away.
type File struct {
	path  string
	opt   FollowOptions
	bytes atomic.Int64
	begun *openFile // the generation Begin opened: Run follows it on from where Begin's text ends
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
	if f.begun != nil && t.adopt(f.begun) != nil {
		return nil
	}
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
	past     [][]byte    // the first bytes of the generations let go, to recognise their files
	gens     int
	state    State
	note     string
	seenMod  time.Time // when the file at the path had last been modified, at the last look
}

// maxPast is how many generations that were let go are remembered, to tell their rotated
// files from generations that were missed.
const maxPast = 64

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
	// A writer that reopens its log writes the last lines of the rotated file before the
	// first of the new one: the current file is read only as far as it was before the
	// rotated ones are, so that lines arrive in the order they were written. What is
	// written after that wakes the follower again (inotify), or waits for the next poll.
	upTo := int64(-1)
	if t.cur != nil && len(t.draining) > 0 {
		if fi, err := t.cur.f.Stat(); err == nil {
			upTo = fi.Size()
		}
	}
	if err := t.drain(); err != nil {
		return err
	}
	t.closeReleased()
	t.subscribe()
	info, err := os.Stat(t.path)
	since := t.seenMod // a rotated file modified since then may hold text not seen yet
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
		// Truncated in place (copytruncate), perhaps already written again past where it was
		// read: the old text is gone from this file. A text of which nothing was read is
		// known to be gone only by its copy.
		if info.Size() < t.cur.pos || !t.cur.unchanged() ||
			t.cur.unseen() && (info.Size() > 0 || !info.ModTime().Equal(since)) && t.copiedAway(since, info) {
			if err := t.truncated(info, since); err != nil {
				return err
			}
			upTo = -1
		}
		if err := t.readUpTo(t.cur, upTo); err != nil {
			return err
		}
		if t.cur.pos >= info.Size() {
			// What the file held when it was looked at has been read: the text not read yet
			// was written after, and a copy of it is modified after, this. (A read that
			// found the file truncated since found nothing: since stays.)
			t.seenMod = info.ModTime()
		}
		return nil
	}
	if err == nil {
		t.seenMod = info.ModTime()
	}
	// Removed, renamed away or replaced. The new file is opened first, and read only as far
	// as it was then, after the old one and any missed in between: their writer wrote them
	// in that order.
	var f *os.File
	upTo = -1
	if err == nil && !t.isDraining(info) {
		if f, info, err = t.openPath(); err != nil || f == nil {
			return err // the old file is read at the next look
		}
		upTo = info.Size()
	}
	rotated := t.cur != nil
	if rotated {
		t.rotateAway()
	}
	for _, d := range t.draining { // read what their writer still added, in order
		if err := t.read(d); err != nil {
			closeFile(f)
			return err
		}
	}
	if info == nil {
		if rotated {
			if _, err := t.readMissed(since, nil, nil); err != nil {
				return err
			}
		}
		return t.setState(Waiting, fmt.Sprintf("waiting for %s to appear", t.path))
	}
	if f == nil { // the same file is back (a link re-made, a rename undone)
		for i, d := range t.draining {
			if os.SameFile(info, d.info) {
				t.cur = d
				t.draining = append(t.draining[:i], t.draining[i+1:]...)
				break
			}
		}
		if err := t.setState(Following, "following "+t.path); err != nil {
			return err
		}
		return t.read(t.cur)
	}
	var missed []string
	if t.gens > 0 {
		// Rotated more than once since the last look (or while the path was missing): the
		// generations in between are rotated files now (path.1 when the one read is path.2).
		if missed, err = t.readMissed(since, f, info); err != nil {
			f.Close()
			return err
		}
	}
	t.cur = &openFile{f: f, info: info}
	t.newGeneration(t.cur)
	state, note := Following, "following "+t.path
	if t.gens > 1 {
		state, note = Rotated, fmt.Sprintf("%s was rotated: following the new file", t.path)
		if len(missed) > 0 {
			note += fmt.Sprintf(" (read %s, rotated between two looks)", strings.Join(missed, ", "))
		}
	}
	if err := t.setState(state, note); err != nil {
		return err
	}
	return t.readUpTo(t.cur, upTo)
}

// openPath opens the file at the path; nil if it cannot be followed (the state says why).
func (t *tail) openPath() (*os.File, os.FileInfo, error) {
	f, err := os.Open(t.path)
	if err != nil {
		return nil, nil, t.setState(Failed, fmt.Sprintf("cannot follow %s: %v", t.path, unwrapPathError(err)))
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, t.setState(Failed, fmt.Sprintf("cannot follow %s: %v", t.path, err))
	}
	if info.IsDir() {
		f.Close()
		return nil, nil, t.setState(Failed, fmt.Sprintf("cannot follow %s: it is a directory", t.path))
	}
	return f, info, nil
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

// readUpTo reads of no further than upTo (all of it if upTo < 0).
func (t *tail) readUpTo(of *openFile, upTo int64) error {
	if upTo < 0 {
		return t.read(of)
	}
	r := of.r
	of.r = limitedReaderAt{r, upTo}
	defer func() { of.r = r }()
	return t.read(of)
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
		if of == nil {
			continue
		}
		if of.text != nil { // nil for a generation stopped before it began
			of.text.gone("the follower stopped")
		}
		of.f.Close() // a truncated file's generations share one: closing twice is harmless
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
