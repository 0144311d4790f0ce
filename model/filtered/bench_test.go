package filtered

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/scan"
	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source/sim"
)

// millionEntries returns a store of 1 M entries: 100 000 simulated lines indexed ten times.
func millionEntries(b *testing.B) *store.Store {
	var buf bytes.Buffer
	sim.New(1).WriteLines(&buf, 100000)
	path := filepath.Join(b.TempDir(), "support.log")
	os.WriteFile(path, buf.Bytes(), 0o600)
	f, _ := os.Open(path)
	b.Cleanup(func() { f.Close() })
	st := store.New()
	src := st.AddSource(store.Source{Name: path, Text: f})
	p := newParser()
	var rec model.Record
	var batch store.Batch
	for off, raw := range scan.Entries(buf.Bytes(), p.StartsEntry) {
		p.Parse(raw, &rec)
		batch.Add(&rec, src, int64(off))
	}
	for st.Len() < 1_000_000 {
		st.Append(&batch)
	}
	return st
}

// BenchmarkSearchMillion times a search over 1 M entries: until the first match is
// found, and until all of them are.
func BenchmarkSearchMillion(b *testing.B) {
	st := millionEntries(b)
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
