package session

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/source"
)

func newParser() model.Parser { return &pexip.Parser{} }

// TestIngestFollowedFile follows a file that is written in pieces, ingests it, and checks
// that the store holds the same entries as a batch split of the whole text.
func TestIngestFollowedFile(t *testing.T) {
	var buf bytes.Buffer
	sim.New(11).WriteLines(&buf, 20000)
	data := buf.Bytes()
	path := filepath.Join(t.TempDir(), "support.log")
	f, _ := os.Create(path)
	defer f.Close()

	ctx, cancel := context.WithCancel(context.Background())
	chunks := make(chan source.Chunk, 16)
	follower := source.NewFile(path, source.FollowOptions{Interval: 10 * time.Millisecond})
	go func() { follower.Run(ctx, chunks); close(chunks) }()
	s := store.New()
	var appended atomic.Int64
	done := make(chan struct{})
	go func() {
		Ingest(s, chunks, newParser, func(source.Chunk) {}, func(n int) { appended.Store(int64(n)) })
		close(done)
	}()
	// Write in pieces that end in the middle of lines.
	for off := 0; off < len(data); {
		n := min(len(data)-off, 7919)
		f.Write(data[off : off+n])
		off += n
		time.Sleep(100 * time.Microsecond)
	}
	var want []string
	for _, raw := range split.Entries(data, newParser().StartsEntry) {
		want = append(want, string(raw))
	}
	deadline := time.Now().Add(10 * time.Second)
	for int(appended.Load()) < len(want) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	defer func() { cancel(); <-done }()
	v := s.View() // read while the follower runs: its files close when it stops
	if v.Len() != len(want) {
		t.Fatalf("store has %d entries, want %d", v.Len(), len(want))
	}
	p := newParser()
	var rec model.Record
	for i, w := range want {
		raw, err := v.Raw(nil, i)
		if err != nil || string(raw) != w {
			t.Fatalf("entry %d = %q, %v; want %q", i, raw, err, w)
		}
		p.Parse(raw, &rec)
		if e := v.Entry(i); e.Time != rec.Time || e.Level != rec.Level || s.Name(e.Node) != string(rec.Node) {
			t.Fatalf("entry %d metadata %+v does not match its text", i, e)
		}
	}
}

// BenchmarkIngest indexes 100 000 simulated lines of several nodes, delivered as a live
// source delivers a file's text: in chunks of 1 MiB (the nodes' entries are put in time
// order across streams, see orderWindow).
func BenchmarkIngest(b *testing.B) {
	var buf bytes.Buffer
	sim.New(5).WriteLines(&buf, 100000)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		in := make(chan source.Chunk, 4)
		go func() {
			gen := &source.Generation{Name: "support.log"}
			for off := 0; off < len(data); {
				end := min(len(data), off+1<<20)
				if end < len(data) {
					end = off + bytes.LastIndexByte(data[off:end], '\n') + 1
				}
				in <- source.Chunk{Source: "support.log", Gen: gen, Offset: int64(off), Data: data[off:end]}
				off = end
			}
			close(in)
		}()
		Ingest(store.New(), in, newParser, func(source.Chunk) {}, func(int) {})
	}
}
