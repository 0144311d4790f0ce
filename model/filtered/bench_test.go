package filtered

import (
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/model/store/storetest"
)

// BenchmarkSearchMillion times a search over 1 M entries: until the first match is
// found, and until all of them are.
func BenchmarkSearchMillion(b *testing.B) {
	st := storetest.Repeated(b, 100000, 1_000_000) // 100 000 simulated lines indexed ten times
	all := func() Base { return All{N: st.Len()} }
	fexpr, _ := filter.Compile(`participant contains "alice" && level >= info`)
	sub, _ := search.Compile("Stable call quality", search.Substring)
	re, _ := search.Compile(`4[0-9]{2} Not Found`, search.Regex)
	fz, _ := search.Compile("pcpnt jnd", search.Fuzzy)
	for _, tc := range []struct {
		name string
		p    Predicate
	}{{"substring", sub}, {"regex", re}, {"fuzzy", fz}, {"filter", fexpr}} {
		b.Run(tc.name, func(b *testing.B) {
			var first, complete time.Duration
			for b.Loop() {
				start := time.Now()
				var firstAt time.Duration
				found := make(chan struct{}, 1)
				var l *List
				l = New(st, all, Spec{MinLevel: model.LevelDebug, Match: tc.p}, newParser, func() {
					if firstAt == 0 && l != nil && l.Snap().Len() > 0 {
						firstAt = time.Since(start)
					}
					select {
					case found <- struct{}{}:
					default:
					}
				})
				for {
					<-found
					if done, total := l.Progress(); done == total {
						break
					}
				}
				complete += time.Since(start)
				first += firstAt
				l.Close()
			}
			b.ReportMetric(float64(first.Milliseconds())/float64(b.N), "ms-first")
			b.ReportMetric(float64(complete.Milliseconds())/float64(b.N), "ms-complete")
		})
	}
}
