package calls

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"testing"

	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/sim"
)

// TestStreamIsCalls checks that Stream hands out every call, in order, as Calls returns
// it, whatever the chunk size, on plain and hard simulated logs; that it stops at the
// callback's error; and that the index answers as before once it has streamed.
func TestStreamIsCalls(t *testing.T) {
	for hard, opt := range []sim.Options{{}, sim.Hard()} {
		var buf bytes.Buffer
		sim.NewWith(5, opt).WriteLines(&buf, 8000)
		_, x := loadText(t, buf.String(), false, 0)
		want := x.Calls()
		for _, n := range []int{1, 3, 1000, StreamChunk} {
			_, x := loadText(t, buf.String(), false, 0)
			var got []Call
			if err := x.Stream(n, func(chunk []Call) error {
				if len(chunk) > n || len(chunk) == 0 {
					t.Errorf("chunk of %d, asked for %d", len(chunk), n)
				}
				got = append(got, chunk...)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("hard=%v, chunks of %d: %d calls streamed differ from Calls' %d", hard == 1, n, len(got), len(want))
			}
			if again := x.Calls(); !reflect.DeepEqual(again, want) {
				t.Errorf("hard=%v, chunks of %d: Calls after Stream differs", hard == 1, n)
			}
		}
		stop := errors.New("stop")
		chunks := 0
		if err := x.Stream(10, func([]Call) error { chunks++; return stop }); err != stop || chunks != 1 {
			t.Errorf("Stream returned %v after %d chunks, want the callback's error after 1", err, chunks)
		}
	}
}

// BenchmarkStream reads the summaries of every call of 200 000 simulated lines all at
// once (Calls) and a chunk at a time (Stream), and reports the heap held by the index
// and the summaries in hand at the end (heap-MB): with Calls, every summary.
func BenchmarkStream(b *testing.B) {
	f, _ := storetest.File(b, 1, 200000)
	for _, streamed := range []bool{false, true} {
		b.Run(fmt.Sprintf("streamed=%v", streamed), func(b *testing.B) {
			var held uint64
			for b.Loop() {
				b.StopTimer()
				_, x := indexFile(b, f.Name(), split.Options{})
				b.StartTimer()
				if !streamed {
					all := x.Calls()
					held = heapNow()
					runtime.KeepAlive(all)
					continue
				}
				x.Stream(StreamChunk, func(chunk []Call) error {
					if len(chunk) < StreamChunk {
						held = heapNow() // the last chunk, in hand
					}
					return nil
				})
			}
			b.ReportMetric(float64(held)/(1<<20), "heap-MB")
		})
	}
}

// heapNow returns the bytes the heap holds after a collection.
func heapNow() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
