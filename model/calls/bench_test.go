package calls

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/sim"
)

// BenchmarkIndexing loads 200 000 simulated lines into a store with and without the calls
// index, to show what correlation adds to indexing.
func BenchmarkIndexing(b *testing.B) {
	var buf bytes.Buffer
	sim.New(1).WriteLines(&buf, 200000)
	data := buf.Bytes()
	for _, withCalls := range []bool{false, true} {
		b.Run(fmt.Sprintf("calls=%v", withCalls), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				st := store.New()
				if withCalls {
					New(st, newParser)
				}
				storetest.Load(b, st, "bench", bytes.NewReader(data), split.Options{})
			}
		})
	}
}

// BenchmarkSummaries reads the summaries of every call of 200 000 simulated lines, as the
// calls list does when it first opens, and again once 1 000 more lines came.
func BenchmarkSummaries(b *testing.B) {
	_, data := storetest.File(b, 1, 201000)
	cut := len(data) * 200 / 201
	cut += bytes.IndexByte(data[cut:], '\n') + 1
	dir := b.TempDir()
	first, more := filepath.Join(dir, "first.log"), filepath.Join(dir, "more.log")
	os.WriteFile(first, data[:cut], 0o600)
	os.WriteFile(more, data[cut:], 0o600)
	for _, again := range []bool{false, true} {
		b.Run(fmt.Sprintf("again=%v", again), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				st := store.New()
				x := New(st, newParser)
				load(b, st, first, split.Options{})
				if again {
					x.Calls()
					load(b, st, more, split.Options{})
				}
				b.StartTimer()
				if len(x.Calls()) == 0 {
					b.Fatal("no calls")
				}
			}
		})
	}
}

// BenchmarkIndexingFile loads the file named by $CALLTAIL_BENCH_FILE (the 1 GB file of
// scripts/compare.sh) with and without the calls index.
func BenchmarkIndexingFile(b *testing.B) {
	path := os.Getenv("CALLTAIL_BENCH_FILE")
	if path == "" {
		b.Skip("set CALLTAIL_BENCH_FILE to a log file, such as bench/out/support-1024M.log")
	}
	for _, withCalls := range []bool{false, true} {
		b.Run(fmt.Sprintf("calls=%v", withCalls), func(b *testing.B) {
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				st := store.New()
				if withCalls {
					New(st, newParser)
				}
				storetest.Load(b, st, path, f, split.Options{})
				f.Close()
				b.StopTimer()
				reportLiveHeap(b)
				runtime.KeepAlive(st)
				b.StartTimer()
			}
		})
	}
}

// BenchmarkFirstLookFile indexes the file named by $CALLTAIL_BENCH_FILE with the calls
// index, untimed, then times the first look at its calls: pairing, numbering and reading
// every summary, as the calls list or --calls does. It reports the live heap after.
func BenchmarkFirstLookFile(b *testing.B) {
	path := os.Getenv("CALLTAIL_BENCH_FILE")
	if path == "" {
		b.Skip("set CALLTAIL_BENCH_FILE to a log file, such as bench/out/support-1024M.log")
	}
	for b.Loop() {
		b.StopTimer()
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		st := store.New()
		x := New(st, newParser)
		storetest.Load(b, st, path, f, split.Options{})
		b.StartTimer()
		x.Calls()
		b.StopTimer()
		reportLiveHeap(b)
		runtime.KeepAlive(x)
		f.Close()
		b.StartTimer()
	}
}

// reportLiveHeap reports the heap that is live after a collection, in MB.
func reportLiveHeap(b *testing.B) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapAlloc)/1e6, "MB-live")
}

// BenchmarkOpenCall opens a call of 10 000 lines among 100 000: its entries in time order,
// read back and parsed, and its ladder — what the call view does.
func BenchmarkOpenCall(b *testing.B) {
	var buf bytes.Buffer
	sim.New(1).WriteLines(&buf, 90000)
	for i := range 10000 {
		fmt.Fprintf(&buf, `2026-05-14 12:00:%02d,%03d Level="INFO" Name="support.rest" Message="Received REST API request" Path="/api/client/v2/conferences/meet/participants/p/calls/c" Uuid="big-call-participant"`+"\n", i/1000%60, i%1000)
		if i == 0 {
			fmt.Fprintf(&buf, `2026-05-14 12:00:00,000 Level="INFO" Name="support.rest" Message="Received REST API request" Path="/api/client/v2/conferences/meet/request_token" Remote-Address="10.44.1.1" Uuid="big-call-participant"`+"\n")
		}
	}
	path := filepath.Join(b.TempDir(), "support.log")
	os.WriteFile(path, buf.Bytes(), 0o600)
	f, _ := os.Open(path)
	defer f.Close()
	st := store.New()
	x := New(st, newParser)
	storetest.Load(b, st, path, f, split.Options{})
	n, ok := x.Find(st, "big-call-participant")
	if !ok {
		b.Fatal("no big call")
	}
	for b.Loop() {
		entries := x.Entries(st, n)
		recs, err := Records(st, entries, newParser())
		if err != nil || len(recs) < 10000 {
			b.Fatalf("%d entries, %v", len(recs), err)
		}
		Ladder(recs, entries)
	}
}
