package filtered

import (
	"context"
	"sync"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/store"
)

// Counts is what a histogram counts in one bucket of time.
type Counts struct {
	Entries  int // every entry, warnings and errors included
	Warnings int // entries at WARNING (and below ERROR)
	Errors   int // entries at ERROR or above
}

// MaxBuckets is the most buckets a histogram holds: entries whose time lies further from
// the first entry's are counted as Outside.
const MaxBuckets = 1 << 20

// Histogram counts a list's entries by their originating time, in buckets of one width:
// entries, warnings and errors per bucket. Counting runs in the background, in steps that
// report progress (notify); Sync hands it the list as it has grown, and it counts only
// what it has not counted yet. Bucket k holds the times [k*Width-Offset, (k+1)*Width-Offset).
type Histogram struct {
	store  *store.Store
	width  int64
	offset int64
	notify func()

	mu      sync.Mutex
	snap    Snap  // the list as last synced
	next    int   // the list's positions counted so far: up to next
	lo      int64 // the number of the first bucket held
	buckets []Counts
	peak    int // the most entries in one bucket
	untimed int // entries without a time
	outside int // entries too far from the others to be held (see MaxBuckets)
	wake    chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
}

// NewHistogram returns a histogram of buckets width microseconds wide, shifted by offset
// microseconds (a time zone's offset, so that buckets start on its hours and days), that
// counts the entries of the lists Sync hands it. notify is called from another goroutine
// whenever it has counted more; it must not block.
func NewHistogram(st *store.Store, width, offset int64, notify func()) *Histogram {
	ctx, cancel := context.WithCancel(context.Background())
	h := &Histogram{store: st, width: max(1, width), offset: offset, notify: notify, wake: make(chan struct{}, 1), ctx: ctx, cancel: cancel}
	go h.run()
	return h
}

// Width returns the width of a bucket, in microseconds.
func (h *Histogram) Width() int64 { return h.width }

// Close stops the background counting.
func (h *Histogram) Close() { h.cancel() }

// Sync hands the histogram the list as it is now, to count what was added to it.
func (h *Histogram) Sync(s Snap) {
	h.mu.Lock()
	h.snap = s
	h.mu.Unlock()
	poke(h.wake)
}

// Bucket returns the number of the bucket that holds time t.
func (h *Histogram) Bucket(t int64) int64 { return floorDiv(t+h.offset, h.width) }

// Start returns the first time of bucket k.
func (h *Histogram) Start(k int64) int64 { return k*h.width - h.offset }

// Bounds returns the numbers of the first and the last bucket that hold an entry; ok is
// false while none does.
func (h *Histogram) Bounds() (first, last int64, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.buckets) == 0 {
		return 0, 0, false
	}
	return h.lo, h.lo + int64(len(h.buckets)) - 1, true
}

// Range appends the counts of buckets from..to (inclusive) to dst, zero for those
// outside the bounds.
func (h *Histogram) Range(dst []Counts, from, to int64) []Counts {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k := from; k <= to; k++ {
		var c Counts
		if i := k - h.lo; i >= 0 && i < int64(len(h.buckets)) {
			c = h.buckets[i]
		}
		dst = append(dst, c)
	}
	return dst
}

// Peak returns the most entries any bucket holds.
func (h *Histogram) Peak() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.peak
}

// Uncounted returns how many entries have no time, and how many lie too far from the
// others to be held.
func (h *Histogram) Uncounted() (untimed, outside int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.untimed, h.outside
}

// Progress returns how many of the list's entries have been counted, and how many there are.
func (h *Histogram) Progress() (done, total int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	first := h.snap.First()
	return max(h.next, first) - first, h.snap.Len() - first
}

// histogramStep is how many entries one step of counting takes, holding the lock.
const histogramStep = 1 << 16

// run counts whenever Sync hands it more.
func (h *Histogram) run() {
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-h.wake:
		}
		for h.ctx.Err() == nil && h.step() {
			h.notify()
		}
	}
}

// step counts up to histogramStep entries not counted yet, and reports whether it did.
func (h *Histogram) step() bool {
	v := h.store.View()
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.snap
	from := max(h.next, s.First())
	to := min(from+histogramStep, s.Len())
	if from >= to {
		return false
	}
	for i := from; i < to; i++ {
		id := int(s.At(i))
		if id < v.First() || id >= v.Len() {
			continue // let go since, or not in this view
		}
		e := v.Entry(id)
		if e.Time == 0 {
			h.untimed++
			continue
		}
		c := h.at(h.Bucket(e.Time))
		if c == nil {
			h.outside++
			continue
		}
		c.Entries++
		switch {
		case e.Level >= model.LevelError:
			c.Errors++
		case e.Level >= model.LevelWarning:
			c.Warnings++
		}
		h.peak = max(h.peak, c.Entries)
	}
	h.next = to
	return true
}

// at returns bucket k, growing the buckets held to reach it, or nil if that would hold
// more than MaxBuckets.
func (h *Histogram) at(k int64) *Counts {
	n := int64(len(h.buckets))
	switch {
	case n == 0:
		h.lo, h.buckets = k, make([]Counts, 1)
	case k < h.lo:
		if h.lo+n-k > MaxBuckets {
			return nil
		}
		grown := make([]Counts, h.lo+n-k, max(h.lo+n-k, int64(cap(h.buckets))))
		copy(grown[h.lo-k:], h.buckets)
		h.lo, h.buckets = k, grown
	case k >= h.lo+n:
		if k-h.lo+1 > MaxBuckets {
			return nil
		}
		for int64(len(h.buckets)) <= k-h.lo {
			h.buckets = append(h.buckets, Counts{})
		}
	}
	return &h.buckets[k-h.lo]
}

// floorDiv divides rounding towards minus infinity, so that times before the epoch fall
// in buckets of their own.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
