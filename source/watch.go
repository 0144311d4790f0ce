package source

import (
	"path/filepath"
	"sync"

	"github.com/fsnotify/fsnotify"
)

// Watcher tells followers when something happens to their files. It watches directories,
// not files — each once, with one inotify instance for any number of followed files — so
// that renames, creations and removals of a followed name are seen, as well as writes.
type Watcher struct {
	w    *fsnotify.Watcher
	mu   sync.Mutex
	dirs map[string]int                    // watched directory -> number of subscriptions in it
	lost map[string]bool                   // watched directories that were removed: watch again
	subs map[string]map[chan struct{}]bool // cleaned path -> subscribers
	done chan struct{}
}

// NewWatcher starts a watcher. Close stops it.
func NewWatcher() (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{w: fw, dirs: map[string]int{}, lost: map[string]bool{}, subs: map[string]map[chan struct{}]bool{}, done: make(chan struct{})}
	go w.loop()
	return w, nil
}

// Close stops the watcher; subscriptions get no more notifications.
func (w *Watcher) Close() error {
	err := w.w.Close()
	<-w.done
	return err
}

func (w *Watcher) loop() {
	defer close(w.done)
	for {
		select {
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			name := filepath.Clean(ev.Name)
			if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
				w.dirGone(name)
			}
			w.notify(name)
		case _, ok := <-w.w.Errors:
			if !ok {
				return
			}
			w.notifyAll() // e.g. the event queue overflowed: everyone re-checks
		}
	}
}

func (w *Watcher) notify(path string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for ch := range w.subs[path] {
		poke(ch)
	}
}

// dirGone notes that a watched directory was removed or renamed, which ends its watch,
// and tells everyone following a file in it.
func (w *Watcher) dirGone(dir string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dirs[dir] == 0 {
		return
	}
	w.lost[dir] = true
	for path, subs := range w.subs {
		if filepath.Dir(path) == dir {
			for ch := range subs {
				poke(ch)
			}
		}
	}
}

func (w *Watcher) notifyAll() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, subs := range w.subs {
		for ch := range subs {
			poke(ch)
		}
	}
}

// poke signals ch without blocking; signals coalesce.
func poke(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Subscribe pokes ch whenever path is written, created, renamed, removed or changes
// mode. The returned function ends the subscription. It fails if path's directory cannot
// be watched (it does not exist, or the inotify watch limit is reached).
func (w *Watcher) Subscribe(path string, ch chan struct{}) (func(), error) {
	path = filepath.Clean(path)
	dir := filepath.Dir(path)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.dirs[dir] == 0 || w.lost[dir] {
		if err := w.w.Add(dir); err != nil {
			return nil, err
		}
		delete(w.lost, dir)
	}
	w.dirs[dir]++
	if w.subs[path] == nil {
		w.subs[path] = map[chan struct{}]bool{}
	}
	w.subs[path][ch] = true
	return func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		delete(w.subs[path], ch)
		if len(w.subs[path]) == 0 {
			delete(w.subs, path)
		}
		if w.dirs[dir]--; w.dirs[dir] == 0 {
			delete(w.dirs, dir)
			delete(w.lost, dir)
			w.w.Remove(dir) // the directory may be gone already
		}
	}, nil
}
