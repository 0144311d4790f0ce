package session

import (
	"runtime"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parallel"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source"
)

// rawEntry is an entry cut from live text, not parsed yet.
type rawEntry struct {
	origin uint16 // the store's origin of its generation
	source uint16 // its live source, numbered in order of appearance
	offset int64
	raw    []byte
}

// parsed is a batch of live entries parsed, with what tells their streams apart (see
// orderWindow): each entry's source, and a hash of its node (0 if it names none).
type parsed struct {
	b       *store.Batch
	sources []uint16
	nodes   []uint64
}

// Ingest indexes text from live sources into s as it arrives, until in is closed: it cuts
// the lines into entries, parses them on all cores, and appends them in batches, the
// entries of several streams (sources, and nodes within them) put in time order within a
// short window (see orderWindow). Each generation of a source's text becomes an Origin of
// the store. Changes of a source's state go to onState; after each append, onAppend gets
// the store's new length. Both are called from Ingest's goroutines and must not block for
// long.
func Ingest(s *store.Store, in <-chan source.Chunk, newParser model.NewParserFunc, onState func(source.Chunk), onAppend func(n int)) {
	ingest(s, in, newParser, liveStart{}, onState, onAppend)
}

// liveStart is what is known before live text arrives.
type liveStart struct {
	// origins are the store's origins of generations whose start was indexed already
	// (source.Input.Gen): their text goes on in the same origin.
	origins map[*source.Generation]uint16
	// sources are the names of the live sources: until each is heard from (for a while),
	// the others' entries wait the whole window for its own.
	sources []string
}

// ingest is Ingest, knowing what start says.
func ingest(s *store.Store, in <-chan source.Chunk, newParser model.NewParserFunc, start liveStart, onState func(source.Chunk), onAppend func(n int)) {
	order := newReorder(func(b *store.Batch) {
		s.Append(b)
		onAppend(s.Len())
	}, s.NewBatch, len(start.sources), time.Now().UnixMicro())
	workers := parallel.NewOrdered(runtime.GOMAXPROCS(0), func(raws []rawEntry) parsed {
		p := newParser()
		var rec model.Record
		out := parsed{b: s.NewBatch(), sources: make([]uint16, len(raws)), nodes: make([]uint64, len(raws))}
		for i, e := range raws {
			p.Parse(e.raw, &rec)
			out.b.Add(&rec, e.origin, e.offset)
			out.sources[i], out.nodes[i] = e.source, nodeHash(rec.Node)
		}
		return out
	}, func(p parsed) { order.add(p, time.Now().UnixMicro()) })
	origins := map[*source.Generation]uint16{}
	for gen, o := range start.origins {
		origins[gen] = o
	}
	sourceOf := map[string]uint16{}
	for _, name := range start.sources {
		sourceOf[name] = uint16(len(sourceOf))
	}
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
		pending = append(pending, rawEntry{origin: origins[gen], source: sources[gen], offset: offset, raw: raw})
		if pendingBytes += len(raw); len(pending) >= 4096 || pendingBytes >= 1<<20 {
			submit()
		}
	}
	splitEntries(in, newParser().StartsEntry, entryHandlers{
		State: onState,
		Text: func(c source.Chunk) {
			if _, known := origins[c.Gen]; !known {
				origins[c.Gen] = s.AddOrigin(store.Origin{Name: c.Gen.Name, Text: c.Gen.Text})
			}
			if _, known := sources[c.Gen]; !known {
				src, ok := sourceOf[c.Source]
				if !ok {
					src = uint16(len(sourceOf))
					sourceOf[c.Source] = src
				}
				sources[c.Gen] = src
			}
		},
		Entry: entry,
		Pause: submit,
	})
	workers.Close()
	order.close()
}

// nodeHash returns a hash of a node name that is never 0, or 0 for none.
func nodeHash(node []byte) uint64 {
	if len(node) == 0 {
		return 0
	}
	h := uint64(14695981039346656037) // FNV-1a
	for _, c := range node {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return max(h, 1)
}
