package literal

// IndexEdges returns Index(b), and on the way calls edge(lo, hi) for every place before
// that index where the needle's anchor byte lies in text that agrees with the needle
// placed there only up to a quote byte: b[lo:hi] agrees with the needle's part around the
// anchor, and either the needle goes on past hi where b holds quote (b[hi] == quote), or it
// began before lo where b holds quote (b[lo-1] == quote). Those are the needles that a
// quoted value cuts at its end or its start: the part that holds the anchor of a needle
// cut into pieces of several quoted values (Pexip's fragments of a SIP message) is such a
// place. It stops where Index would, at the anchors Index looks at and at those Index
// skips near b's ends, so it costs little more than Index.
func (m *Matcher) IndexEdges(b []byte, quote byte, edge func(lo, hi int)) int {
	n, a := len(m.needle), m.anchor
	if n == 0 {
		return 0
	}
	next := anchors{lo: -2, up: -2}
	for s := next.from(m, b, 0); s >= 0; s = next.from(m, b, s+1) {
		start := s - a
		if start >= 0 && start+n <= len(b) && m.equal(b[start:start+n]) {
			return start
		}
		hi := s + 1
		for hi < len(b) && hi-start < n && m.same(b[hi], m.needle[hi-start]) {
			hi++
		}
		lo := s
		for lo > 0 && lo > start && m.same(b[lo-1], m.needle[lo-1-start]) {
			lo--
		}
		if hi-start < n && hi < len(b) && b[hi] == quote || lo > start && lo > 0 && b[lo-1] == quote {
			edge(lo, hi)
		}
	}
	return -1
}

// anchors keeps the next anchor byte of each case found in a text, so that each is
// searched for once however often the other stops.
type anchors struct{ lo, up int } // -2: not searched yet; -1: none

// from returns the index of the first anchor byte, in either case when folding, in b at
// or after from, or -1.
func (k *anchors) from(m *Matcher, b []byte, from int) int {
	if k.lo != -1 && k.lo < from {
		k.lo = indexFrom(b, from, m.lo)
	}
	if m.up == m.lo {
		return k.lo
	}
	if k.up != -1 && k.up < from {
		k.up = indexFrom(b, from, m.up)
	}
	return pick(k.lo, k.up)
}

// same reports whether byte c of the text agrees with byte d of the needle.
func (m *Matcher) same(c, d byte) bool {
	return c == d || m.fold && toLower(c) == toLower(d)
}
