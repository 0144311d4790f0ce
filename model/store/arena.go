package store

// arenaPage is the length of an arena's pages: a page is one allocation, so that an
// arena holds what it was given and less than a page besides, where a slice grown by
// append holds up to twice what it was given (and copies it as it grows).
const arenaPage = 1 << 16

// arena is append-only memory in pages, for many small pieces that live as long as the
// index that holds them: the text of ids, their postings. A piece is named by an address
// of 32 bits: its page and its offset in it, in units of 1<<shift bytes (pieces so
// aligned). A piece never spans two pages; a piece longer than a page gets a page of its
// own, as long as it is.
type arena struct {
	pages [][]byte
	shift uint // the unit of offsets: 1 for text, 16 bytes for postings chunks
	fill  int  // bytes used of the last page
}

// alloc returns the address of n new bytes, zeroed, and the bytes.
func (a *arena) alloc(n int) (uint32, []byte) {
	unit := 1 << a.shift
	n = (n + unit - 1) &^ (unit - 1)
	if len(a.pages) == 0 || a.fill+n > len(a.pages[len(a.pages)-1]) {
		a.pages = append(a.pages, make([]byte, max(arenaPage, n)))
		a.fill = 0
	}
	k := len(a.pages) - 1
	if k >= 1<<(16+a.shift) {
		panic("store: an arena of more pages than its addresses reach")
	}
	addr := uint32(k)<<(16-a.shift) | uint32(a.fill>>a.shift)
	b := a.pages[k][a.fill : a.fill+n : a.fill+n]
	a.fill += n
	return addr, b
}

// at returns the bytes from address addr to the end of its page.
func (a *arena) at(addr uint32) []byte {
	return a.pages[addr>>(16-a.shift)][int(addr&(1<<(16-a.shift)-1))<<a.shift:]
}

// size returns the bytes the arena holds.
func (a *arena) size() int {
	n := 0
	for _, p := range a.pages {
		n += len(p)
	}
	return n
}
