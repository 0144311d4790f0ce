package store

import (
	"encoding/binary"
	"iter"
	"sort"
)

// skipEvery is how many postings lie between two entries of the skip table.
const skipEvery = 64

// Postings is an append-only, increasing list of entry numbers: an index's answer to
// "which entries". Numbers are stored as varint deltas, about one byte each in dense lists
// (a level, a node, a module) and two or three in sparse ones (a call id), with a skip table
// so that the i-th posting is found in O(skipEvery) for virtualised lists.
//
// Positions are kept for good: when the store lets its oldest entries go, the postings
// below them go too, whole skip-chunks at a time, and the positions of the others stay
// as they were. The list holds positions First() to Len()-1.
//
// The writer appends to its own copy; a copy taken under the store's read lock is a
// snapshot that stays valid, because appends only write beyond its length.
type Postings struct {
	data    []byte
	skips   []skip // the posting and data offset at every skipEvery-th position
	n       int    // postings held
	dropped int    // postings let go from the front
	first   int    // the first position shown (see from); those before it are hidden
	last    uint32
}

type skip struct{ value, off uint32 }

// add appends id, which must be greater than the last posting; an id equal to the last
// is ignored (an entry can carry the same id twice).
func (p *Postings) add(id uint32) {
	if p.n+p.dropped > 0 && id == p.last {
		return
	}
	if p.n%skipEvery == 0 {
		p.skips = append(p.skips, skip{value: id, off: uint32(len(p.data))})
		p.data = binary.AppendUvarint(p.data, 0)
	} else {
		p.data = binary.AppendUvarint(p.data, uint64(id-p.last))
	}
	p.last = id
	p.n++
}

// dropBelow lets go of the skip-chunks whose postings are all below floor, into new
// arrays, so that snapshots taken before stay as they were.
func (p *Postings) dropBelow(floor uint32) {
	k := sort.Search(len(p.skips), func(i int) bool { return p.skips[i].value >= floor }) - 1
	if p.n > 0 && p.last < floor {
		k = len(p.skips) // every posting is below
	}
	if k <= 0 {
		return
	}
	held := p.n - k*skipEvery
	if k == len(p.skips) {
		held = 0
	}
	cut := len(p.data)
	if k < len(p.skips) {
		cut = int(p.skips[k].off)
	}
	p.data = append([]byte(nil), p.data[cut:]...)
	skips := make([]skip, len(p.skips)-k)
	for i, s := range p.skips[k:] {
		skips[i] = skip{value: s.value, off: s.off - uint32(cut)}
	}
	p.skips = skips
	p.dropped += p.n - held
	p.n = held
}

// Len returns the position after the last posting: how many postings were ever added.
func (p Postings) Len() int { return p.dropped + p.n }

// First returns the position of the first posting held.
func (p Postings) First() int { return max(p.dropped, p.first) }

// from returns the postings with those below entry floor hidden: whole skip-chunks are
// let go, so some may be held still.
func (p Postings) from(floor uint32) Postings {
	if floor > 0 {
		p.first = p.Search(floor)
	}
	return p
}

// At returns the posting at position i, First() <= i < Len().
func (p Postings) At(i int) uint32 {
	i -= p.dropped
	s := p.skips[i/skipEvery]
	v, off := s.value, int(s.off)
	for k := i - i%skipEvery; ; k++ {
		d, n := binary.Uvarint(p.data[off:])
		v += uint32(d)
		off += n
		if k == i {
			return v
		}
	}
}

// All yields the postings held, in increasing order.
func (p Postings) All() iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		var v uint32
		off := 0
		for i := range p.n {
			d, n := binary.Uvarint(p.data[off:])
			off += n
			if i%skipEvery == 0 {
				v = p.skips[i/skipEvery].value
			} else {
				v += uint32(d)
			}
			if p.dropped+i < p.first {
				continue // hidden
			}
			if !yield(v) {
				return
			}
		}
	}
}

// Slice returns the postings held, as a slice.
func (p Postings) Slice() []uint32 {
	out := make([]uint32, 0, p.n)
	for v := range p.All() {
		out = append(out, v)
	}
	return out
}

// Search returns the position of the first posting >= id (Len() if none): where entry id
// is, or would be, in the list. Below the first posting held, it is First().
func (p Postings) Search(id uint32) int { return max(p.search(id), p.First()) }

func (p Postings) search(id uint32) int {
	blk := sort.Search(len(p.skips), func(i int) bool { return p.skips[i].value > id })
	if blk > 0 {
		blk--
	}
	i := blk * skipEvery
	if i >= p.n {
		return p.Len()
	}
	v, off := p.skips[blk].value, int(p.skips[blk].off)
	for ; i < p.n; i++ {
		d, n := binary.Uvarint(p.data[off:])
		off += n
		if i%skipEvery == 0 { // the next chunk's start, when every posting of blk's was below id
			v = p.skips[i/skipEvery].value
		} else {
			v += uint32(d)
		}
		if v >= id {
			return p.dropped + i
		}
	}
	return p.Len()
}

// snapshot returns a copy that later appends do not change.
func (p Postings) snapshot() Postings {
	p.data = p.data[:len(p.data):len(p.data)]
	p.skips = p.skips[:len(p.skips):len(p.skips)]
	return p
}
