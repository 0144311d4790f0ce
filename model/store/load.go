package store

import (
	"context"
	"io"
	"sort"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
)

// Batch is entries parsed from one chunk, ready to be appended in one short critical
// section. Names and ids are copied out of the chunk as the batch is built, on the
// worker's goroutine; names are made unique there, so that the store interns each once.
type Batch struct {
	entries  []Entry
	nodes    []uint32          // each entry's node, as an index in names
	modules  []uint32          // each entry's module, as an index in names
	longLens map[uint32]uint32 // lengths of entries of 16 MiB or more, by index in the batch
	ids      []idRef
	names    []span            // unique node and module names; names[0] is the empty name
	local    map[string]uint32 // name -> index in names
	arena    []byte            // the bytes of names and ids, back to back
	extras   []Extra           // what the store's Observer extracted, from the entries it told about
	observer func(*model.Record) any
}

type span struct{ start, end uint32 }

type idRef struct {
	entry uint32 // index in the batch
	kind  model.IDKind
	span
}

// Add records one parsed entry whose raw bytes are at offset in origin src.
func (b *Batch) Add(r *model.Record, src uint16, offset int64) {
	e := Entry{Time: r.Time, span: pack(offset, len(r.Raw)), Origin: src, Level: r.Level}
	if r.Plain {
		e.Flags |= Plain
	}
	if r.IsAdmin() {
		e.Flags |= Admin
	}
	b.nodes = append(b.nodes, b.name(r.Node))
	b.modules = append(b.modules, b.name(r.Module))
	idx := uint32(len(b.entries))
	if len(r.Raw) >= longLen {
		if b.longLens == nil {
			b.longLens = map[uint32]uint32{}
		}
		b.longLens[idx] = uint32(len(r.Raw))
	}
	b.entries = append(b.entries, e)
	if b.observer != nil {
		if v := b.observer(r); v != nil {
			b.extras = append(b.extras, Extra{Entry: idx, Value: v})
		}
	}
	r.IDs(func(kind model.IDKind, id []byte) {
		b.ids = append(b.ids, idRef{entry: idx, kind: kind, span: b.keep(id)})
	})
}

// reset empties the batch, keeping its memory.
func (b *Batch) reset() {
	clear(b.extras) // the observer's values: not to be kept alive by a batch waiting for reuse
	clear(b.local)
	b.entries, b.nodes, b.modules, b.ids = b.entries[:0], b.nodes[:0], b.modules[:0], b.ids[:0]
	b.names, b.arena, b.extras, b.longLens = b.names[:0], b.arena[:0], b.extras[:0], nil
	if b.local != nil {
		b.local[""] = 0
		b.names = append(b.names, span{})
	}
}

// Len returns the number of entries in the batch.
func (b *Batch) Len() int { return len(b.entries) }

// Time returns the originating time of entry i of the batch (0 if it has none).
func (b *Batch) Time(i int) int64 { return b.entries[i].Time }

// AddFrom copies entry i of src, another batch of the same store, to the end of b, with
// its names, ids and what the observer extracted: how entries of several batches are
// merged into one.
func (b *Batch) AddFrom(src *Batch, i int) {
	e := src.entries[i]
	idx := uint32(len(b.entries))
	b.nodes = append(b.nodes, b.name(src.nameText(src.nodes[i])))
	b.modules = append(b.modules, b.name(src.nameText(src.modules[i])))
	if n, ok := src.longLens[uint32(i)]; ok {
		if b.longLens == nil {
			b.longLens = map[uint32]uint32{}
		}
		b.longLens[idx] = n
	}
	b.entries = append(b.entries, e)
	at := sort.Search(len(src.extras), func(k int) bool { return src.extras[k].Entry >= uint32(i) })
	if at < len(src.extras) && src.extras[at].Entry == uint32(i) {
		b.extras = append(b.extras, Extra{Entry: idx, Value: src.extras[at].Value})
	}
	for k := sort.Search(len(src.ids), func(k int) bool { return src.ids[k].entry >= uint32(i) }); k < len(src.ids) && src.ids[k].entry == uint32(i); k++ {
		ref := src.ids[k]
		b.ids = append(b.ids, idRef{entry: idx, kind: ref.kind, span: b.keep(src.arena[ref.start:ref.end])})
	}
}

// nameText returns the bytes of name n of the batch.
func (b *Batch) nameText(n uint32) []byte {
	sp := b.names[n]
	return b.arena[sp.start:sp.end]
}

// name returns the batch index of a node or module name.
func (b *Batch) name(s []byte) uint32 {
	if b.local == nil {
		b.local = map[string]uint32{"": 0}
		b.names = append(b.names, span{})
	}
	if n, ok := b.local[string(s)]; ok {
		return n
	}
	n := uint32(len(b.names))
	b.names = append(b.names, b.keep(s))
	b.local[string(s)] = n
	return n
}

// keep copies s into the arena.
func (b *Batch) keep(s []byte) span {
	start := uint32(len(b.arena))
	b.arena = append(b.arena, s...)
	return span{start, uint32(len(b.arena))}
}

// Load reads r, the text of origin src, to its end: it parses every entry on all cores and
// appends them in order. newParser returns a parser for one goroutine.
func (s *Store) Load(ctx context.Context, src uint16, r io.Reader, newParser model.NewParserFunc, opt split.Options) error {
	return s.Parse(ctx, src, r, newParser, opt, func(b *Batch) error {
		s.Append(b)
		s.Recycle(b)
		return nil
	})
}

// Parse reads r, the text of origin src, to its end, parses every entry on all cores, and
// hands emit the batches in order, to be appended (or merged with others' first). An
// entry that names no node is given its origin's.
func (s *Store) Parse(ctx context.Context, src uint16, r io.Reader, newParser model.NewParserFunc, opt split.Options, emit func(*Batch) error) error {
	s.mu.RLock()
	node := []byte(s.origins[src].Node)
	s.mu.RUnlock()
	return split.Run(ctx, r, newParser().StartsEntry, opt, func(c split.Block) *Batch {
		p := newParser()
		var rec model.Record
		b := s.NewBatch()
		for off, raw := range split.Entries(c.Data, p.StartsEntry) {
			p.Parse(raw, &rec)
			if len(rec.Node) == 0 {
				rec.Node = node
			}
			b.Add(&rec, src, c.Offset+int64(off))
		}
		return b
	}, emit)
}
