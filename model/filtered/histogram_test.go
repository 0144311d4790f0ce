package filtered

import (
	"testing"
	"time"

	"github.com/calltail/calltail/model"
)

// counted waits until the histogram has counted the whole list.
func counted(t *testing.T, h *Histogram) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if done, total := h.Progress(); done == total {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the histogram did not finish counting")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestHistogramCountsByTime counts a log handed over in two parts, as a growing list is,
// and checks each bucket against the records counted one by one, at a width with an offset.
func TestHistogramCountsByTime(t *testing.T) {
	fx := load(t, 20000)
	const width, offset = int64(10 * time.Second / time.Microsecond), int64(3 * time.Second / time.Microsecond)
	want := map[int64]Counts{}
	for _, r := range fx.recs {
		if r.Time == 0 {
			continue
		}
		k := floorDiv(r.Time+offset, width)
		c := want[k]
		c.Entries++
		switch {
		case r.Level >= model.LevelError:
			c.Errors++
		case r.Level >= model.LevelWarning:
			c.Warnings++
		}
		want[k] = c
	}
	all := New(fx.st, func() Base { return AllOf(fx.st) }, Spec{MinLevel: model.LevelDebug}, newParser, func() {})
	defer all.Close()
	h := NewHistogram(fx.st, width, offset, func() {})
	defer h.Close()
	s := all.Snap()
	half := s
	half.base = All{Floor: 0, N: s.Len() / 2}
	h.Sync(half)
	counted(t, h)
	h.Sync(s)
	counted(t, h)
	first, last, ok := h.Bounds()
	if !ok {
		t.Fatal("no buckets")
	}
	got := h.Range(nil, first-1, last+1)
	if got[0] != (Counts{}) || got[len(got)-1] != (Counts{}) {
		t.Errorf("buckets outside the bounds are not empty: %v, %v", got[0], got[len(got)-1])
	}
	peak, total := 0, 0
	for i, c := range got[1 : len(got)-1] {
		k := first + int64(i)
		if c != want[k] {
			t.Errorf("bucket %d (%s): %+v, want %+v", k, model.TimeOf(h.Start(k)), c, want[k])
		}
		peak, total = max(peak, c.Entries), total+c.Entries
	}
	if untimed, outside := h.Uncounted(); total+untimed+outside != len(fx.recs) || outside != 0 {
		t.Errorf("counted %d, %d without time, %d outside; the log has %d", total, untimed, outside, len(fx.recs))
	}
	if h.Peak() != peak {
		t.Errorf("peak %d, want %d", h.Peak(), peak)
	}
	if got := h.Start(h.Bucket(fx.recs[0].Time)); got > fx.recs[0].Time || fx.recs[0].Time-got >= width || (got+offset)%width != 0 {
		t.Errorf("the first entry's bucket starts at %d; its time is %d", got, fx.recs[0].Time)
	}
}

func TestFloorDiv(t *testing.T) {
	for _, c := range [][3]int64{{7, 2, 3}, {-7, 2, -4}, {-8, 2, -4}, {0, 5, 0}, {-1, 5, -1}} {
		if got := floorDiv(c[0], c[1]); got != c[2] {
			t.Errorf("floorDiv(%d, %d) = %d, want %d", c[0], c[1], got, c[2])
		}
	}
}
