package store

import (
	"context"
	"io"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/scan"
)

// Batch is entries parsed from one chunk, ready to be appended in one short critical
// section. Its names and ids are copied out of the chunk and made unique as the batch is
// built, on the worker's goroutine; its entries' Node and Module hold indexes into them.
type Batch struct {
	entries []Entry
	ids     []idRef
	strs    []span            // the unique strings, in the arena
	isName  []bool            // whether each string is used as a node or module name
	arena   []byte            // their bytes, back to back
	local   map[string]uint32 // string -> index in strs
}

type span struct{ start, end uint32 }

type idRef struct {
	entry uint32 // index in the batch
	kind  model.IDKind
	str   uint32 // index in strs
}

// Add records one parsed entry whose raw bytes are at offset in source src.
func (b *Batch) Add(r *model.Record, src uint16, offset int64) {
	e := Entry{Offset: offset, Time: r.Time, Len: uint32(len(r.Raw)), Source: src, Level: r.Level}
	if r.Plain {
		e.Flags |= Plain
	}
	if r.IsAdmin() {
		e.Flags |= Admin
	}
	e.Node, e.Module = Sym(b.name(r.Node)), Sym(b.name(r.Module))
	idx := uint32(len(b.entries))
	b.entries = append(b.entries, e)
	r.IDs(func(kind model.IDKind, id []byte) {
		b.ids = append(b.ids, idRef{entry: idx, kind: kind, str: b.keep(id)})
	})
}

// Len returns the number of entries in the batch.
func (b *Batch) Len() int { return len(b.entries) }

// name keeps a node or module name; the empty name is index 0, which means "none".
func (b *Batch) name(s []byte) uint32 {
	i := b.keep(s)
	b.isName[i] = true
	return i
}

// keep returns the index of s in the batch's unique strings, adding it if new.
func (b *Batch) keep(s []byte) uint32 {
	if b.local == nil {
		b.local = map[string]uint32{"": 0}
		b.strs = append(b.strs, span{})
		b.isName = append(b.isName, true)
	}
	if i, ok := b.local[string(s)]; ok {
		return i
	}
	i := uint32(len(b.strs))
	start := uint32(len(b.arena))
	b.arena = append(b.arena, s...)
	b.strs = append(b.strs, span{start, uint32(len(b.arena))})
	b.isName = append(b.isName, false)
	b.local[string(s)] = i
	return i
}

func (b *Batch) str(i uint32) []byte { return b.arena[b.strs[i].start:b.strs[i].end] }

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
