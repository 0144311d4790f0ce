package session

import (
	"bytes"
	"context"
	"fmt"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/source"
)

// TestGoingSoonWaitsForNewLines: a log loaded whole at its limit (--max-entries below its
// length) lets nothing go until new lines come, so its calls are not read ahead before;
// once lines come, the entries about to go are named.
func TestGoingSoonWaitsForNewLines(t *testing.T) {
	lines := func(from, n int) string {
		var b strings.Builder
		for i := from; i < from+n; i++ {
			fmt.Fprintf(&b, `2026-05-14 10:%02d:%02d,000 Level="INFO" Name="support.test" Message="line %d"`+"\n", i/60%60, i%60, i)
		}
		return b.String()
	}
	s := New(nil, newParser)
	s.SetMaxEntries(100)
	text := lines(0, 200)
	s.SetOnce([]source.Input{{Name: "first.log", R: strings.NewReader(text), Text: strings.NewReader(text)}})
	if err := Load(context.Background(), s.Store, s.once, newParser, nil); err != nil {
		t.Fatal(err)
	}
	s.onceDone = true
	s.limit()
	if n := s.goingSoon(); n != 0 {
		t.Errorf("nothing new came, yet entries before %d are said to go soon", n)
	}
	more := lines(200, 10)
	if err := Load(context.Background(), s.Store, []source.Input{{Name: "more.log", R: strings.NewReader(more), Text: strings.NewReader(more)}}, newParser, nil); err != nil {
		t.Fatal(err)
	}
	if n := s.goingSoon(); n <= uint32(s.Store.First()) {
		t.Errorf("with the store over its limit, goingSoon is %d (first entry %d)", n, s.Store.First())
	}
}

// TestCollectorHeldOnceCaughtUp: the collector runs at loadGCPercent while the first load
// indexes and its calls are caught up, then at heldGCPercent — or less, when GOGC asked for
// less, off staying off — as soon as that is done, not when readCallsAhead's ticker next
// fires.
func TestCollectorHeldOnceCaughtUp(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	var buf bytes.Buffer
	sim.New(2).WriteLines(&buf, 5000)
	text := buf.String()
	for _, c := range []struct{ before, after int64 }{{100, heldGCPercent}, {20, 20}, {-1, -1}} {
		debug.SetGCPercent(int(c.before))
		s := New(nil, newParser)
		s.SetOnce([]source.Input{{Name: "support.log", R: strings.NewReader(text), Text: strings.NewReader(text)}})
		gogc := []metrics.Sample{{Name: "/gc/gogc:percent"}}
		metrics.Read(gogc)
		seen := []int64{int64(gogc[0].Value.Uint64())} // each GOGC in turn
		ctx, cancel := context.WithCancel(context.Background())
		go s.Run(ctx)
		for start := time.Now(); time.Since(start) < readAheadEvery; time.Sleep(time.Millisecond) {
			metrics.Read(gogc)
			if now := int64(gogc[0].Value.Uint64()); seen[len(seen)-1] != now {
				seen = append(seen, now)
			}
			if len(seen) == 3 {
				break
			}
		}
		cancel()
		if want := []int64{c.before, loadGCPercent, c.after}; !slices.Equal(seen, want) {
			t.Errorf("GOGC %d: went %v within a second of the start, want %v", c.before, seen, want)
		}
	}
}
