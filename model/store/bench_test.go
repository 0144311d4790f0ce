package store

import (
	"bytes"
	"context"
	"runtime"
	"testing"

	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/sim"
)

// BenchmarkLoad parses and indexes simulated logs on all cores, and reports the memory the
// store holds per entry (metadata, indexes and interned names; the text stays in the file).
func BenchmarkLoad(b *testing.B) {
	var buf bytes.Buffer
	if err := sim.New(1).WriteLines(&buf, 200000); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var s *Store
	for b.Loop() {
		s = New()
		src := s.AddOrigin(Origin{Name: "bench", Text: bytes.NewReader(data)})
		if err := s.Load(context.Background(), src, bytes.NewReader(data), newParser, split.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var before, after runtime.MemStats
	s = nil
	runtime.GC()
	runtime.GC() // the second empties the pools' victim caches
	runtime.ReadMemStats(&before)
	s = New()
	src := s.AddOrigin(Origin{Name: "bench", Text: bytes.NewReader(data)})
	s.Load(context.Background(), src, bytes.NewReader(data), newParser, split.Options{})
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/float64(s.Len()), "heapB/entry")
	runtime.KeepAlive(s)
}
