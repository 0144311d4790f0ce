package session

import (
	"bytes"
	"context"
	"fmt"
	"runtime/debug"
	"runtime/metrics"
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
// indexes and its calls are caught up, then at heldGCPercent, as soon as that is done —
// not when readCallsAhead's ticker next fires.
func TestCollectorHeldOnceCaughtUp(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	var buf bytes.Buffer
	sim.New(2).WriteLines(&buf, 5000)
	text := buf.String()
	s := New(nil, newParser)
	s.SetOnce([]source.Input{{Name: "support.log", R: strings.NewReader(text), Text: strings.NewReader(text)}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx)
	gogc := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	seen := map[uint64]bool{}
	var loaded time.Time
	for start := time.Now(); time.Since(start) < readAheadEvery; time.Sleep(time.Millisecond) {
		metrics.Read(gogc)
		seen[gogc[0].Value.Uint64()] = true
		if loaded.IsZero() && s.Loaded() {
			loaded = time.Now()
		}
		if !loaded.IsZero() && gogc[0].Value.Uint64() == heldGCPercent {
			break
		}
	}
	switch {
	case loaded.IsZero():
		t.Fatal("5 000 lines not loaded in a second")
	case !seen[loadGCPercent]:
		t.Errorf("GOGC was never %d while loading: seen %v", loadGCPercent, seen)
	case !seen[heldGCPercent]:
		t.Errorf("GOGC not %d %v after the load ended: seen %v", heldGCPercent, time.Since(loaded).Round(time.Millisecond), seen)
	}
}
