package session

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/store"
)

// ordering drives a reorder by hand, on a clock of its own, and sees what it appends.
type ordering struct {
	t       *testing.T
	st      *store.Store
	r       *reorder
	clock   atomic.Int64 // µs since the epoch
	batches []*store.Batch
}

// base is the clock's start: entries' times are near it, as live ones are near now.
var base = time.Date(2026, 5, 14, 10, 0, 0, 0, time.UTC).UnixMicro()

func newOrdering(t *testing.T, sources int) *ordering {
	o := &ordering{t: t, st: store.New()}
	o.st.AddOrigin(store.Origin{Name: "live"})
	o.clock.Store(base)
	o.r = newReorder(func(b *store.Batch) {
		o.batches = append(o.batches, b)
		o.st.Append(b)
	}, o.st.NewBatch, sources, base)
	o.r.now = o.clock.Load
	t.Cleanup(o.r.close)
	return o
}

// at sets the clock to base+ms.
func (o *ordering) at(ms float64) int64 {
	now := base + int64(ms*1000)
	o.clock.Store(now)
	return now
}

// noTime is a line's time that makes it a line without one.
const noTime = -1e9

// line is a Pexip line of node from source src, ms after base (or noTime), saying what it is.
type line struct {
	src  uint16
	node string
	ms   float64
	what string
}

// add gives the reorder the lines as one batch arriving at base+ms.
func (o *ordering) add(ms float64, lines ...line) *store.Batch {
	p := parsed{b: o.st.NewBatch()}
	parser := newParser()
	var rec model.Record
	for _, l := range lines {
		ts := time.UnixMicro(base + int64(l.ms*1000)).UTC().Format("2006-01-02 15:04:05,000")
		raw := fmt.Sprintf(`%s Level="INFO" Name="support.sip" Message="%s"`, ts, l.what)
		if l.node != "" {
			raw = l.node + " " + raw
		}
		parser.Parse([]byte(raw), &rec)
		if l.ms == noTime {
			rec.Time = 0
		}
		p.b.Add(&rec, 0, 0)
		p.sources, p.nodes = append(p.sources, l.src), append(p.nodes, nodeHash(rec.Node))
	}
	o.r.add(p, o.at(ms))
	return p.b
}

// release lets the clock reach base+ms, as the timer would (and with its lock: the real
// timer that add sets may fire meanwhile).
func (o *ordering) release(ms float64) {
	o.r.mu.Lock()
	defer o.r.mu.Unlock()
	o.r.release(o.at(ms))
}

// appended returns the times of the entries appended so far, in ms after base.
func (o *ordering) appended() string {
	v := o.st.View()
	var out []string
	for i := range v.Len() {
		if t := v.Entry(i).Time; t == 0 {
			out = append(out, "-")
		} else {
			out = append(out, fmt.Sprint((t-base)/1000))
		}
	}
	return strings.Join(out, " ")
}

func (o *ordering) want(when, want string) {
	o.t.Helper()
	if got := o.appended(); got != want {
		o.t.Errorf("%s: appended %q, want %q", when, got, want)
	}
}

// TestReorderWaitsForTheSlowerStream: a near node's entries arrive 5 ms after their time,
// a remote node's 60 ms after: the near node's wait until the remote node's of the same
// moment have arrived, and go after them; the remote node's wait for nothing.
func TestReorderWaitsForTheSlowerStream(t *testing.T) {
	o := newOrdering(t, 1)
	o.add(0, line{0, "near", -5, "n1"})
	o.want("one stream", "-5")
	o.add(1, line{0, "remote", -59, "r1"}) // new: nothing waited for it, so it is late
	o.want("the remote node's first", "-5 -59")
	o.add(10, line{0, "near", 5, "n2"})
	o.want("the near node's entry, before the remote node's of its time can have come", "-5 -59")
	o.add(50, line{0, "remote", -10, "r2"})
	o.want("the remote node's, which is due", "-5 -59 -10")
	o.release(64)
	o.want("the near node's, just before the remote node's lag has passed", "-5 -59 -10")
	o.add(64.5, line{0, "remote", 4, "r3"})
	o.want("the remote node's, earlier than the near node's held", "-5 -59 -10 4")
	o.release(65)
	o.want("the near node's, before the remote node's longest lag (60.5 ms) has passed", "-5 -59 -10 4")
	o.release(65.5)
	o.want("once the remote node's lag has passed", "-5 -59 -10 4 5")
}

// TestReorderWindow: an entry waits no longer than the window for a stream whose lag is
// long (a node whose clock is behind), and one that arrives after later ones went is
// appended where it arrives.
func TestReorderWindow(t *testing.T) {
	o := newOrdering(t, 1)
	o.add(0, line{0, "a", -1, "a1"}, line{0, "b", -1, "b1"})
	o.add(10, line{0, "b", 10 - 5000, "behind"}) // b's clock is 5 s behind
	o.add(20, line{0, "a", 19, "a2"})
	o.release(119)
	o.want("before the window has passed", "-1 -1 -4990")
	o.release(120)
	o.want("once the window has passed", "-1 -1 -4990 19")
	o.add(130, line{0, "b", 15, "b late"})
	o.want("an entry that comes too late", "-1 -1 -4990 19 15")
}

// TestReorderOneStreamWaitsForNothing: with one stream, a batch is appended at once, as
// it is, even when its times go back: a stream's own order is kept.
func TestReorderOneStreamWaitsForNothing(t *testing.T) {
	o := newOrdering(t, 1)
	b := o.add(0, line{0, "a", -3, "x"}, line{0, "a", -5, "y"}, line{0, "", noTime, "z"}, line{0, "a", -2, "w"})
	o.want("one stream", "-3 -5 - -2")
	if len(o.batches) != 1 || o.batches[0] != b {
		t.Errorf("the batch was not appended as it is: %d batches", len(o.batches))
	}
}

// TestReorderWaitsForSourcesNotHeardFrom: until a live source is heard from, the others'
// entries wait the window for its own; an entry that names no node stays in the stream
// of the entry before it, and one without a time takes that entry's.
func TestReorderWaitsForSourcesNotHeardFrom(t *testing.T) {
	o := newOrdering(t, 2)
	o.add(0, line{0, "a", 0, "a1"}, line{0, "", noTime, "continued"})
	o.add(30, line{0, "a", 30, "a2"})
	o.release(99)
	o.want("source 1 not heard from", "")
	o.add(40, line{1, "b", 20, "b1"})
	o.want("source 1 heard from, its lag shorter than a's", "0 - 20")
	o.release(100)
	o.want("a's entry behind b's", "0 - 20 30")
	o.add(110, line{1, "b", 105, "b2"}, line{1, "", noTime, "no time"}, line{0, "a", 106, "a3"})
	o.want("b's, one without a time after it", "0 - 20 30 105 -")
}
