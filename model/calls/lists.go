package calls

import "math/bits"

// listPage is how many elements a page of lists holds (64 KiB): a page is one allocation.
const listPage = 1 << 14

// lists holds the short lists of numbers every call has — its events, its ids, the ids
// that group it — in pages shared by all calls, where a slice each would cost a header
// of 24 bytes and an allocation of its own. A list is a block of 2, 4, 8, … elements,
// the power of two its length needs: it moves to a block twice as large as it outgrows
// its own, and a block let go is used again by the next list of its size. Use it with
// the index's lock held; a list's elements read from Of stay valid until the next change
// to any list (see Index.snapshot, which copies them).
type lists struct {
	classes [33]listClass // by log2 of the block length
}

// listClass is the blocks of one length.
type listClass struct {
	pages [][]uint32
	made  uint32 // blocks made
	free  uint32 // the first block let go, plus 1 (its element 0 holds the next, plus 1); 0: none
}

// list is a list in lists: its block and its length (its block's length follows).
type list struct{ at, n uint32 }

// classOf returns the class of the block that holds n > 0 elements.
func classOf(n uint32) int { return max(bits.Len32(n-1), 1) }

// block returns the elements of block b of class k.
func (ls *lists) block(k int, b uint32) []uint32 {
	per := uint32(max(listPage>>k, 1)) // blocks a page
	off := int(b%per) << k
	return ls.classes[k].pages[b/per][off : off+1<<k : off+1<<k]
}

// alloc returns a new block of class k.
func (ls *lists) alloc(k int) uint32 {
	c := &ls.classes[k]
	if c.free != 0 {
		b := c.free - 1
		c.free = ls.block(k, b)[0]
		return b
	}
	per := uint32(max(listPage>>k, 1))
	if c.made%per == 0 {
		c.pages = append(c.pages, make([]uint32, per<<k))
	}
	c.made++
	return c.made - 1
}

// Of returns the elements of l.
func (ls *lists) Of(l list) []uint32 {
	if l.n == 0 {
		return nil
	}
	return ls.block(classOf(l.n), l.at)[:l.n]
}

// Add appends vs to l.
func (ls *lists) Add(l *list, vs ...uint32) {
	if len(vs) == 0 {
		return
	}
	had, n := l.n, l.n+uint32(len(vs))
	if had == 0 || classOf(n) != classOf(had) {
		was := *l
		l.at = ls.alloc(classOf(n))
		copy(ls.block(classOf(n), l.at), ls.Of(was))
		ls.Free(&was)
	}
	copy(ls.block(classOf(n), l.at)[had:], vs)
	l.n = n
}

// AddOnce appends each of vs that l lacks.
func (ls *lists) AddOnce(l *list, vs ...uint32) {
	for _, v := range vs {
		if !ls.Contains(*l, v) {
			ls.Add(l, v)
		}
	}
}

// Contains reports whether l holds v.
func (ls *lists) Contains(l list, v uint32) bool {
	for _, o := range ls.Of(l) {
		if o == v {
			return true
		}
	}
	return false
}

// Free lets l's block go and empties l.
func (ls *lists) Free(l *list) {
	if l.n == 0 {
		return
	}
	k := classOf(l.n)
	c := &ls.classes[k]
	ls.block(k, l.at)[0] = c.free
	c.free = l.at + 1
	*l = list{}
}

// size returns the bytes the lists' pages hold.
func (ls *lists) size() int {
	n := 0
	for _, c := range ls.classes {
		for _, p := range c.pages {
			n += 4 * len(p)
		}
	}
	return n
}
