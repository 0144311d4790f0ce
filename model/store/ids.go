package store

import (
	"hash/maphash"
	"slices"
	"unsafe"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/paged"
)

// idIndex maps correlation ids, with their kind, to the entries that carry them. It is
// built for hundreds of thousands of short lists (a busy 1 GB support log holds ~400 000
// ids, most carried by a handful of entries): the ids' text lives in one arena, lookups go
// through an open-addressing table of 32-bit slots, and postings live in chained 32-byte
// chunks, so an id costs about 100 bytes with its first seven postings.
//
// Ids are numbered in the order they are first seen, and the numbers are kept. In a long
// live session most ids are let go (see compact): their records are kept in pages, and a
// page whose ids have all gone is let go too, so that what is held stays in proportion to
// the ids still carried by entries held.
type idIndex struct {
	seed   maphash.Seed
	text   []byte                // the text of each id held, back to back
	recs   paged.Slice[idRecord] // by id number
	table  []uint32              // 1 + the number of the id in each slot; 0 for an empty slot
	chunks []uint32              // postings chunks: the next chunk's number, then chunkLen-1 postings; see chunkLen
	live   int                   // ids in the table: those that have postings
}

// idRecord is what the index holds of one id: its kind, where its text is, its postings.
type idRecord struct {
	start, length uint32
	kind          model.IDKind
	list          idList
}

// chunkLen is the length of a postings chunk in idIndex.chunks. Chunk 0 is reserved (a
// list's first chunk is 1 or more), so chunks always begins with it and is never shorter
// than chunkLen, even when no id has postings: before any id came, or once all were let go.
const chunkLen = 8

// idList is one id's postings: its first and last chunk and how many postings it holds.
// An id whose postings were all let go (see compact) holds none, and keeps only its
// number: its text, if it comes again, is a new id.
type idList struct{ head, tail, n uint32 }

func newIDIndex() *idIndex {
	return &idIndex{seed: maphash.MakeSeed(), table: make([]uint32, 1024), chunks: make([]uint32, chunkLen)}
}

// kindMix makes the same text under two kinds hash apart.
func kindMix(kind model.IDKind) uint64 { return uint64(kind+1) * 0x9e3779b97f4a7c15 }

// idText returns the kind and text of id number i (none for an id let go).
func (x *idIndex) idText(i uint32) (model.IDKind, []byte) {
	r := x.recs.Get(int(i))
	return r.kind, x.text[r.start : r.start+r.length]
}

// kind returns the kind of id number i.
func (x *idIndex) kind(i uint32) model.IDKind { return x.recs.Get(int(i)).kind }

// twin returns the number of the id of kind k whose text is that of id number i, if
// there is one.
func (x *idIndex) twin(i uint32, k model.IDKind) (uint32, bool) {
	_, text := x.idText(i)
	return x.number(k, unsafe.String(unsafe.SliceData(text), len(text))) // only compared and hashed
}

// find returns the slot of (kind, id), which holds the id or is empty.
func (x *idIndex) find(kind model.IDKind, id string) int {
	mask := len(x.table) - 1
	for slot := int(maphash.String(x.seed, id)^kindMix(kind)) & mask; ; slot = (slot + 1) & mask {
		n := x.table[slot]
		if n == 0 {
			return slot
		}
		if k, text := x.idText(n - 1); k == kind && string(text) == id {
			return slot
		}
	}
}

// add records that entry carries (kind, id); entries arrive in increasing order. It
// returns the id's number.
func (x *idIndex) add(kind model.IDKind, id []byte, entry uint32) uint32 {
	key := unsafe.String(unsafe.SliceData(id), len(id)) // only compared and hashed, never kept
	slot := x.find(kind, key)
	if x.table[slot] == 0 { // a new id, with this first posting: then it is live
		n := uint32(x.recs.Len())
		x.recs.Grow(int(n) + 1)
		r := x.recs.At(int(n))
		*r = idRecord{start: uint32(len(x.text)), length: uint32(len(id)), kind: kind}
		x.text = append(x.text, id...)
		x.table[slot] = n + 1
		x.appendPosting(&r.list, entry)
		if x.live++; x.live*2 > len(x.table) {
			x.rehash()
		}
		return n
	}
	n := x.table[slot] - 1
	x.appendPosting(&x.recs.At(int(n)).list, entry)
	return n
}

// number returns the number of (kind, id), if it is known.
func (x *idIndex) number(kind model.IDKind, id string) (uint32, bool) {
	n := x.table[x.find(kind, id)]
	return n - 1, n != 0
}

// postingsOf returns the entries that carry the id numbered n, in order.
func (x *idIndex) postingsOf(n uint32) []uint32 {
	l := x.recs.Get(int(n)).list
	out := make([]uint32, 0, l.n)
	per := uint32(chunkLen - 1)
	for c, i := l.head, uint32(0); i < l.n; i++ {
		if i > 0 && i%per == 0 {
			c = x.chunks[c*chunkLen]
		}
		out = append(out, x.chunks[c*chunkLen+1+i%per])
	}
	return out
}

func (x *idIndex) appendPosting(l *idList, entry uint32) {
	per := uint32(chunkLen - 1)
	if l.n > 0 {
		if x.chunks[l.tail*chunkLen+1+(l.n-1)%per] == entry {
			return // an entry can carry the same id twice (Call-Id field and SIP header)
		}
	}
	if l.n%per == 0 { // a new chunk
		c := uint32(len(x.chunks) / chunkLen)
		x.chunks = append(x.chunks, make([]uint32, chunkLen)...)
		if l.n == 0 {
			l.head = c
		} else {
			x.chunks[l.tail*chunkLen] = c
		}
		l.tail = c
	}
	x.chunks[l.tail*chunkLen+1+l.n%per] = entry
	l.n++
}

// rehash makes the table twice as large as needed for the live ids, and puts them in it.
func (x *idIndex) rehash() {
	size := 1024
	for size < x.live*4 {
		size *= 2
	}
	x.table = make([]uint32, size)
	mask := len(x.table) - 1
	x.each(func(i uint32, r *idRecord) {
		id := x.text[r.start : r.start+r.length]
		slot := int(maphash.Bytes(x.seed, id)^kindMix(r.kind)) & mask
		for x.table[slot] != 0 {
			slot = (slot + 1) & mask
		}
		x.table[slot] = i + 1
	})
}

// each calls fn with every id that has postings, in order, in the pages held.
func (x *idIndex) each(fn func(i uint32, r *idRecord)) {
	for k := range x.recs.Pages() {
		if !x.recs.Held(k) {
			continue
		}
		for i := k * paged.PageLen; i < min((k+1)*paged.PageLen, x.recs.Len()); i++ {
			if r := x.recs.At(i); r.list.n > 0 {
				fn(uint32(i), r)
			}
		}
	}
}

// compact lets go of the postings below floor, and of the text of the ids left with
// none, into new arrays: the chunks, the text and the table are made again; the pages of
// records whose ids have all gone are let go. The ids keep asks for (if not nil) keep
// their postings and text whatever their age. It returns the pages let go.
//
// The new chunks begin with the reserved chunk 0 (see chunkLen), and have room for half
// of the lists' chunks besides: their capacity is never below their length, however few
// postings the index holds. An index that holds none is compacted as any other: a long
// session whose lines carry no ids compacts it every quarter of the limit (a block at least).
func (x *idIndex) compact(floor uint32, keep func(id uint32) bool) (freed []int) {
	chunks := make([]uint32, chunkLen, chunkLen+(len(x.chunks)-chunkLen)/2)
	text := make([]byte, 0, len(x.text)/2)
	x.chunks, chunks = chunks, x.chunks
	x.live = 0
	per := uint32(chunkLen - 1)
	for k := range x.recs.Pages() {
		if !x.recs.Held(k) {
			continue
		}
		held := false
		for i := k * paged.PageLen; i < min((k+1)*paged.PageLen, x.recs.Len()); i++ {
			r := x.recs.At(i)
			l := r.list
			r.list = idList{}
			kept := l.n > 0 && keep != nil && keep(uint32(i))
			for c, j := l.head, uint32(0); j < l.n; j++ {
				if j > 0 && j%per == 0 {
					c = chunks[c*chunkLen]
				}
				if entry := chunks[c*chunkLen+1+j%per]; entry >= floor || kept {
					x.appendPosting(&r.list, entry)
				}
			}
			if r.list.n > 0 {
				start := uint32(len(text))
				text = append(text, x.text[r.start:r.start+r.length]...)
				r.start, held = start, true
				x.live++
			} else {
				r.start, r.length = 0, 0
			}
		}
		if !held && (k+1)*paged.PageLen <= x.recs.Len() { // the last page may get new ids
			x.recs.Free(k)
			freed = append(freed, k)
		}
	}
	x.text = text
	x.rehash()
	return freed
}

// postings returns the entries that carry (kind, id), in order.
func (x *idIndex) postings(kind model.IDKind, id string) []uint32 {
	n, ok := x.number(kind, id)
	if !ok {
		return nil
	}
	return x.postingsOf(n)
}

// ids returns every id of kind.
func (x *idIndex) ids(kind model.IDKind) []string {
	var out []string
	x.each(func(_ uint32, r *idRecord) {
		if r.kind == kind {
			out = append(out, string(x.text[r.start:r.start+r.length]))
		}
	})
	return out
}

// addLate records that entry, numbered before entries already indexed, carries (kind,
// id), keeping the id's postings in order. It returns the id's number.
func (x *idIndex) addLate(kind model.IDKind, id []byte, entry uint32) uint32 {
	n, ok := x.number(kind, unsafe.String(unsafe.SliceData(id), len(id)))
	if !ok {
		return x.add(kind, id, entry)
	}
	l := &x.recs.At(int(n)).list
	posts := x.postingsOf(n)
	at, found := slices.BinarySearch(posts, entry)
	if found {
		return n
	}
	x.appendPosting(l, entry) // room for one more, then the later postings move up one
	posts = slices.Insert(posts, at, entry)
	per := uint32(chunkLen - 1)
	for c, i := l.head, uint32(0); i < l.n; i++ {
		if i > 0 && i%per == 0 {
			c = x.chunks[c*chunkLen]
		}
		x.chunks[c*chunkLen+1+i%per] = posts[i]
	}
	return n
}
