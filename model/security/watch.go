package security

import (
	"context"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/filtered"
	"github.com/calltail/calltail/model/store"
)

// predicate selects the security events, for a filtered list.
type predicate struct{}

func (predicate) Match(r *model.Record) bool { _, ok := Classify(r); return ok }

func (predicate) Needles() []filter.Needle { return Needles }

// Watch keeps a report of the security events among the entries a store holds, as it
// grows: they are looked for in the background, on all cores, reading only the entries
// whose text holds a needle.
type Watch struct {
	st     *store.Store
	list   *filtered.List
	parser model.Parser
	report *Report
	read   int // the list's positions taken into the report
}

// NewWatch starts looking for the security events in st; notify is called (from another
// goroutine) when more were found.
func NewWatch(st *store.Store, newParser model.NewParserFunc, notify func()) *Watch {
	list := filtered.New(st, func() filtered.Base { return filtered.AllOf(st) },
		filtered.Spec{MinLevel: model.LevelDebug, Match: predicate{}}, newParser, notify)
	return &Watch{st: st, list: list, parser: newParser(), report: NewReport()}
}

// Close stops the background work.
func (w *Watch) Close() { w.list.Close() }

// Update takes in the events found since it last ran, looks at what the store holds now,
// and reports whether every entry has been looked at.
func (w *Watch) Update() (complete bool) {
	w.list.Sync()
	snap, v := w.list.Snap(), w.st.View()
	var raw []byte
	var rec model.Record
	for i := max(w.read, snap.First()); i < snap.Len(); i++ {
		var err error
		if raw, err = v.Raw(raw[:0], int(snap.At(i))); err != nil {
			continue // let go since it was found
		}
		w.parser.Parse(raw, &rec)
		v.Label(int(snap.At(i)), &rec)
		if e, ok := Classify(&rec); ok {
			w.report.Add(e)
		}
	}
	w.read = snap.Len()
	done, total := w.list.Progress()
	return done == total
}

// Progress returns how many of the store's entries have been looked at, and how many it
// holds: a live store grows while they are, so that done may stay behind total.
func (w *Watch) Progress() (done, total int) { return w.list.Progress() }

// Groups returns the events found so far, grouped by address, most first.
func (w *Watch) Groups() []Group { return w.report.Groups() }

// Find returns the security events among the entries st holds, grouped by address, most
// first, once every entry has been looked at: the headless report.
func Find(ctx context.Context, st *store.Store, newParser model.NewParserFunc) ([]Group, error) {
	found := make(chan struct{}, 1)
	w := NewWatch(st, newParser, func() {
		select {
		case found <- struct{}{}:
		default:
		}
	})
	defer w.Close()
	for !w.Update() {
		select {
		case <-found:
		case <-time.After(50 * time.Millisecond):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return w.Groups(), nil
}
