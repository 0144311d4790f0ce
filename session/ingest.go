package session

import (
	"runtime"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parallel"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source"
)

// rawEntry is an entry cut from live text, not parsed yet.
type rawEntry struct {
	src    uint16
	offset int64
	raw    []byte
}

// Ingest indexes text from live sources into s as it arrives, until in is closed: it cuts
// the lines into entries, parses them on all cores, and appends them in order, in batches.
// Each generation of a source's text becomes an Origin of the store. Changes of a source's
// state go to onState; after each append, onAppend gets the store's new length. Both are
// called from Ingest's goroutines and must not block for long.
func Ingest(s *store.Store, in <-chan source.Chunk, newParser model.NewParserFunc, onState func(source.Chunk), onAppend func(n int)) {
	workers := parallel.NewOrdered(runtime.GOMAXPROCS(0), func(raws []rawEntry) *store.Batch {
		p := newParser()
		var rec model.Record
		b := s.NewBatch()
		for _, e := range raws {
			p.Parse(e.raw, &rec)
			b.Add(&rec, e.src, e.offset)
		}
		return b
	}, func(b *store.Batch) {
		s.Append(b)
		onAppend(s.Len())
	})
	sources := map[*source.Generation]uint16{}
	var pending []rawEntry
	var pendingBytes int
	submit := func() {
		if len(pending) > 0 {
			workers.Submit(pending)
			pending, pendingBytes = nil, 0
		}
	}
	entry := func(gen *source.Generation, offset int64, raw []byte) {
		pending = append(pending, rawEntry{src: sources[gen], offset: offset, raw: raw})
		if pendingBytes += len(raw); len(pending) >= 4096 || pendingBytes >= 1<<20 {
			submit()
		}
	}
	splitEntries(in, newParser().StartsEntry, entryHandlers{
		State: onState,
		Text: func(c source.Chunk) {
			if _, known := sources[c.Gen]; !known {
				sources[c.Gen] = s.AddOrigin(store.Origin{Name: c.Gen.Name, Text: c.Gen.Text})
			}
		},
		Entry: entry,
		Pause: submit,
	})
	workers.Close()
}
