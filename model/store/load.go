package store

import (
	"context"
	"io"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/scan"
)

// Batch is entries parsed from one chunk, with their names and ids copied out of the
// chunk, ready to be appended in one short critical section.
type Batch struct {
	entries []batchEntry
	ids     []idRef
	arena   []byte // the node, module and id bytes, back to back
}

type span struct{ start, end uint32 }

type batchEntry struct {
	Entry
	node, module span
}

type idRef struct {
	entry uint32 // index in the batch
	kind  model.IDKind
	id    span
}

// Add records one parsed entry whose raw bytes are at offset in source src.
func (b *Batch) Add(r *model.Record, src uint16, offset int64) {
	e := batchEntry{Entry: Entry{Offset: offset, Time: r.Time, Len: uint32(len(r.Raw)), Source: src, Level: r.Level}}
	if r.Plain {
		e.Flags |= Plain
	}
	if r.IsAdmin() {
		e.Flags |= Admin
	}
	e.node = b.keep(r.Node)
	e.module = b.keep(r.Module)
	idx := uint32(len(b.entries))
	b.entries = append(b.entries, e)
	r.IDs(func(kind model.IDKind, id []byte) {
		b.ids = append(b.ids, idRef{entry: idx, kind: kind, id: b.keep(id)})
	})
}

// Len returns the number of entries in the batch.
func (b *Batch) Len() int { return len(b.entries) }

func (b *Batch) keep(s []byte) span {
	start := uint32(len(b.arena))
	b.arena = append(b.arena, s...)
	return span{start, uint32(len(b.arena))}
}

func (b *Batch) span(sp span) []byte { return b.arena[sp.start:sp.end] }

// Load reads r, the text of source src, to its end: it parses every entry on all cores and
// appends them in order. newParser returns a parser for one goroutine.
func (s *Store) Load(ctx context.Context, src uint16, r io.Reader, newParser func() model.Parser, opt scan.Options) error {
	return scan.Run(ctx, r, newParser().StartsEntry, opt, func(c scan.Chunk) *Batch {
		p := newParser()
		var rec model.Record
		b := &Batch{}
		for off, raw := range scan.Entries(c.Data, p.StartsEntry) {
			p.Parse(raw, &rec)
			b.Add(&rec, src, c.Offset+int64(off))
		}
		return b
	}, func(b *Batch) error {
		s.Append(b)
		return nil
	})
}
