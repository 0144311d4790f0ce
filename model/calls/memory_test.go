package calls

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
)

// heldForProfile keeps the last store and index BenchmarkIndexMemory loaded, so that a
// -memprofile written after the benchmarks shows where their bytes are.
var heldForProfile []any

// BenchmarkIndexMemory loads 400 000 simulated lines into a store, with and without the
// calls index, and reports the heap that stays live per entry once loaded (after two
// collections) and, with the calls index, what the index adds per call.
func BenchmarkIndexMemory(b *testing.B) {
	f, data := storetest.File(b, 1, 400000)
	storeLive := 0.0 // without the calls index
	for _, withCalls := range []bool{false, true} {
		b.Run(fmt.Sprintf("calls=%v", withCalls), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var st *store.Store
			var x *Index
			var before, after runtime.MemStats
			for b.Loop() {
				st, x, heldForProfile = nil, nil, nil
				runtime.GC()
				runtime.ReadMemStats(&before)
				st = store.New()
				if withCalls {
					x = New(st, newParser)
				}
				storetest.Load(b, st, f.Name(), f, split.Options{})
			}
			b.StopTimer()
			if x != nil {
				x.catchUp() // pairing and numbering, as the calls list's first look does
			}
			runtime.GC()
			runtime.GC()
			runtime.ReadMemStats(&after)
			live := float64(after.HeapAlloc) - float64(before.HeapAlloc)
			b.ReportMetric(live/float64(st.Len()), "heapB/entry")
			if x == nil {
				storeLive = live
			} else if storeLive > 0 {
				b.ReportMetric((live-storeLive)/float64(x.calls.Len()), "heapB/call")
			}
			heldForProfile = []any{st, x}
		})
	}
}
