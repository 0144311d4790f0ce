package callsearch

import (
	"bytes"
	"slices"
)

// anyOf finds the first of several needles in one scan per anchor byte rather than one
// scan per needle: the needles are grouped by a byte they all hold, chosen so that few
// groups are needed and the byte is rare in log text (a call's ids are mostly hex UUIDs,
// which share their rare letters), and each group's byte is searched for with
// bytes.IndexByte, every needle of the group checked where it is found.
type anyOf struct {
	groups []anchorGroup
}

// anchorGroup is needles that all hold byte c, at the offsets listed.
type anchorGroup struct {
	c       byte
	needles []placed
}

// placed is a needle and where its anchor byte lies in it.
type placed struct {
	needle []byte
	at     []int
}

// newAnyOf returns a matcher of the needles (none empty).
func newAnyOf(needles []string) *anyOf {
	left := make([][]byte, len(needles))
	for i, n := range needles {
		left[i] = []byte(n)
	}
	m := &anyOf{}
	for len(left) > 0 {
		c := anchorOf(left)
		g := anchorGroup{c: c}
		var rest [][]byte
		for _, n := range left {
			if bytes.IndexByte(n, c) < 0 {
				rest = append(rest, n)
				continue
			}
			p := placed{needle: n}
			for i, b := range n {
				if b == c {
					p.at = append(p.at, i)
				}
			}
			g.needles = append(g.needles, p)
		}
		m.groups, left = append(m.groups, g), rest
	}
	return m
}

// anchorOf returns the byte that the most needles hold, the rarest in log text of those.
func anchorOf(needles [][]byte) byte {
	var holding [256]int
	for _, n := range needles {
		var seen [256]bool
		for _, b := range n {
			if !seen[b] {
				seen[b] = true
				holding[b]++
			}
		}
	}
	best := needles[0][0]
	for b := range 256 {
		c := byte(b)
		if holding[c] > holding[best] || holding[c] == holding[best] && rarer(c, best) {
			best = c
		}
	}
	return best
}

// index returns where the first needle found in b starts, or -1. The needles that match
// around the first anchor byte that any does start before any other: one that started
// before and ended after it would hold it, and is checked there.
func (g *anchorGroup) index(b []byte) int {
	for from := 0; from < len(b); {
		i := bytes.IndexByte(b[from:], g.c)
		if i < 0 {
			return -1
		}
		i += from
		found := -1
		for _, p := range g.needles {
			for _, at := range p.at {
				if s := i - at; s >= 0 && s+len(p.needle) <= len(b) && (found < 0 || s < found) && bytes.Equal(b[s:s+len(p.needle)], p.needle) {
					found = s
				}
			}
		}
		if found >= 0 {
			return found
		}
		from = i + 1
	}
	return -1
}

// hits returns where each needle found in data starts, in order.
func (m *anyOf) hits(data []byte) []int {
	var out []int
	for _, g := range m.groups {
		for pos := 0; pos < len(data); {
			i := g.index(data[pos:])
			if i < 0 {
				break
			}
			out, pos = append(out, pos+i), pos+i+1
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// frequent lists the bytes of ids from most to least frequent in log text (time stamps
// and addresses are digits, words are lower-case letters); bytes not listed are rarer.
const frequent = ` etaoinrsl-cpd.0123456789:muhgfvbykwxzj_@`

// rarer reports whether a is rarer than b in log text.
func rarer(a, b byte) bool { return rank(a) > rank(b) }

// rank is higher the rarer c is in log text, letters counted in both cases.
func rank(c byte) int {
	if 'A' <= c && c <= 'Z' {
		c += 'a' - 'A'
	}
	if i := bytes.IndexByte([]byte(frequent), c); i >= 0 {
		return i
	}
	return len(frequent)
}
