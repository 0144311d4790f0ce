package store

import (
	"encoding/binary"
	"hash/maphash"
	"slices"
	"unsafe"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/paged"
)

// idIndex maps correlation ids, with their kind, to the entries that carry them. It is
// built for hundreds of thousands of short lists (a busy 1 GB support log holds ~500 000
// ids, most carried by a handful of entries): the ids' text lives in an arena, lookups go
// through an open-addressing table of 32-bit slots, and postings are varint deltas in
// chained chunks of another arena, so an id costs about 50 bytes besides its text: 20 for
// its record, 16 for its first postings (6 take about 9 bytes), ~10 of table, and a byte
// before its text.
//
// Ids are numbered in the order they are first seen, and the numbers are kept. In a long
// live session most ids are let go (see compact): their records are kept in pages, and a
// page whose ids have all gone is let go too, so that what is held stays in proportion to
// the ids still carried by entries held.
type idIndex struct {
	seed   maphash.Seed
	text   arena                 // the text of each id held: its length as a uvarint, then its bytes
	recs   paged.Slice[idRecord] // by id number
	table  []uint32              // 1 + the number of the id in each slot; 0 for an empty slot
	chunks arena                 // postings chunks: see idList
	live   int                   // ids in the table: those that have postings
}

// idRecord is what the index holds of one id: its kind, where its text is, its postings.
type idRecord struct {
	text uint32 // its address in idIndex.text
	list idList // its postings, and its kind
}

// idList is one id's postings, as uvarints in chained chunks of idIndex.chunks: the first
// posting plus one, then the differences between postings (never 0: postings increase),
// so that a zero byte ends a chunk's postings. A chunk is the address of the next (4 bytes,
// little-endian), then postings; the first is chunkMin bytes long, each next twice as long
// as the one before, up to chunkMax. An id whose postings were all let go (see compact)
// holds none, and keeps only its number: its text, if it comes again, is a new id.
type idList struct {
	head, tail uint32       // the first and last chunks' addresses; 0 for none (chunk 0 is never a list's)
	last       uint32       // the last posting
	used       uint8        // the bytes of the last chunk written
	size       uint8        // the last chunk's length, as log2(length/chunkMin)
	kind       model.IDKind // the id's kind, kept where it takes no room
}

// empty reports whether the list holds no postings.
func (l *idList) empty() bool { return l.head == 0 }

const (
	chunkShift = 4               // chunks are addressed in units of 16 bytes
	chunkMin   = 1 << chunkShift // the length of a list's first chunk
	chunkMax   = 128             // the longest chunk
)

func newIDIndex() *idIndex {
	x := &idIndex{seed: maphash.MakeSeed(), table: make([]uint32, 1024), chunks: arena{shift: chunkShift}}
	x.chunks.alloc(chunkMin) // chunk 0, never a list's
	return x
}

// kindMix makes the same text under two kinds hash apart.
func kindMix(kind model.IDKind) uint64 { return uint64(kind+1) * 0x9e3779b97f4a7c15 }

// idText returns the kind and text of id number i (none for an id let go).
func (x *idIndex) idText(i uint32) (model.IDKind, []byte) {
	r := x.recs.Get(int(i))
	return r.list.kind, textAt(&x.text, r.text)
}

// textAt returns the text at address addr of a text arena.
func textAt(a *arena, addr uint32) []byte {
	b := a.at(addr)
	n, k := binary.Uvarint(b)
	return b[k : k+int(n)]
}

// putText copies id into the text arena and returns its address.
func (x *idIndex) putText(id []byte) uint32 {
	a, b := x.text.alloc(binary.PutUvarint(make([]byte, binary.MaxVarintLen64), uint64(len(id))) + len(id))
	copy(b[binary.PutUvarint(b, uint64(len(id))):], id)
	return a
}

// kind returns the kind of id number i.
func (x *idIndex) kind(i uint32) model.IDKind { return x.recs.Get(int(i)).list.kind }

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
		*r = idRecord{text: x.putText(id), list: idList{kind: kind}}
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
	return l.appendTo(nil, &x.chunks)
}

// appendTo appends the postings of l, whose chunks are in a, to out.
func (l idList) appendTo(out []uint32, a *arena) []uint32 {
	v := ^uint32(0) // the first posting is written plus one
	for c, size := l.head, chunkMin; c != 0; size = min(size*2, chunkMax) {
		b := a.at(c)[:size]
		for off := 4; off < size && b[off] != 0; {
			d, k := binary.Uvarint(b[off:])
			v += uint32(d)
			off += k
			out = append(out, v)
		}
		if c == l.tail {
			break
		}
		c = binary.LittleEndian.Uint32(b)
	}
	return out
}

// appendPosting adds entry, which is not below the last, to l.
func (x *idIndex) appendPosting(l *idList, entry uint32) {
	d := uint64(entry) + 1
	if !l.empty() {
		if entry == l.last {
			return // an entry can carry the same id twice (Call-Id field and SIP header)
		}
		d = uint64(entry - l.last)
	}
	var buf [binary.MaxVarintLen32]byte
	k := binary.PutUvarint(buf[:], d)
	size := chunkMin << l.size
	if l.empty() || int(l.used)+k > size { // a new chunk, twice as long as the last
		if !l.empty() && size < chunkMax {
			l.size++
		}
		c, _ := x.chunks.alloc(chunkMin << l.size)
		if l.empty() {
			l.head = c
		} else {
			binary.LittleEndian.PutUint32(x.chunks.at(l.tail), c)
		}
		l.tail, l.used = c, 4
	}
	copy(x.chunks.at(l.tail)[l.used:], buf[:k])
	l.used += uint8(k)
	l.last = entry
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
		id := textAt(&x.text, r.text)
		slot := int(maphash.Bytes(x.seed, id)^kindMix(r.list.kind)) & mask
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
			if r := x.recs.At(i); !r.list.empty() {
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
	chunks, text := x.chunks, x.text
	x.chunks, x.text = arena{shift: chunkShift}, arena{}
	x.chunks.alloc(chunkMin) // chunk 0, never a list's
	x.live = 0
	var posts []uint32
	for k := range x.recs.Pages() {
		if !x.recs.Held(k) {
			continue
		}
		held := false
		for i := k * paged.PageLen; i < min((k+1)*paged.PageLen, x.recs.Len()); i++ {
			r := x.recs.At(i)
			l := r.list
			r.list = idList{kind: l.kind}
			kept := !l.empty() && keep != nil && keep(uint32(i))
			posts = l.appendTo(posts[:0], &chunks)
			for _, entry := range posts {
				if entry >= floor || kept {
					x.appendPosting(&r.list, entry)
				}
			}
			if !r.list.empty() {
				r.text, held = x.putText(textAt(&text, r.text)), true
				x.live++
			} else {
				r.text = 0
			}
		}
		if !held && (k+1)*paged.PageLen <= x.recs.Len() { // the last page may get new ids
			x.recs.Free(k)
			freed = append(freed, k)
		}
	}
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
		if r.list.kind == kind {
			out = append(out, string(textAt(&x.text, r.text)))
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
	*l = idList{kind: l.kind} // written again, in new chunks: the old ones are left unused until compact
	for _, e := range slices.Insert(posts, at, entry) {
		x.appendPosting(l, e)
	}
	return n
}
