package query

import (
	"bytes"
	"slices"

	"github.com/calltail/calltail/model/scan"
)

// fragmentKey starts the Fragment-id detail of the lines of a SIP message that Pexip
// logged in fragments, as Pexip spells it.
var fragmentKey = []byte(`Fragment-id="`)

// fragmentOf returns the Fragment-id in an entry's raw text, or nil. It reads the raw text
// so that entries the filter cannot select need not be parsed.
func fragmentOf(raw []byte) []byte {
	i := bytes.Index(raw, fragmentKey)
	if i < 0 {
		return nil
	}
	rest := raw[i+len(fragmentKey):]
	if j := bytes.IndexByte(rest, '"'); j > 0 {
		return rest[:j]
	}
	return nil
}

// fragmentReach is how far past a selected fragment its siblings are looked for, and how
// far into a chunk the fragments of messages selected in earlier chunks are: Pexip logs
// the fragments of a message within a few lines of each other.
const fragmentReach = 64 << 10

// pick is an entry a chunk gives: selected by the filter, a later fragment of a message it
// selected, or (maybe) a fragment of a message that an earlier chunk may have selected.
type pick struct {
	start, end int    // where the entry lies in the chunk
	from, to   int    // its text in picks.text: written out, or as logged if maybe
	t          int64  // its originating time (0 if maybe)
	frag       string // its Fragment-id, if it is a fragment of a SIP message
	total      int    // how many fragments its message has
	maybe      bool
}

// picks collects what a chunk gives, writing each entry out as it is picked.
type picks struct {
	data  []byte
	sel   *selector
	text  []byte
	list  []pick
	seen  map[int]bool // the starts of the picks, once fragments are added
	moved bool         // a pick was added after a later one
}

// add appends k, whose text ends at the end of p.text.
func (p *picks) add(k pick) {
	if n := len(p.list); n > 0 {
		k.from = p.list[n-1].to
		p.moved = p.moved || k.start < p.list[n-1].start
	}
	k.to = len(p.text)
	p.list = append(p.list, k)
	if p.seen != nil {
		p.seen[k.start] = true
	}
}

// addFragments picks the later fragments of the messages the filter selected in the chunk,
// and, maybe, the fragments near its start.
func (p *picks) addFragments() {
	selected := len(p.list)
	for i := range selected {
		if k := p.list[i]; k.frag != "" && k.total > 1 {
			p.addSiblings(k)
		}
	}
	limit := min(len(p.data), fragmentReach)
	for pos := 0; pos < limit; {
		i := bytes.Index(p.data[pos:limit], fragmentKey)
		if i < 0 {
			break
		}
		start, end := scan.EntryAround(p.data, 0, pos+i, p.sel.p.StartsEntry)
		raw := scan.TrimEOL(p.data[start:end])
		if frag := fragmentOf(raw); frag != nil && !p.picked(start) {
			p.text = append(p.text, raw...)
			p.add(pick{start: start, end: end, frag: string(frag), maybe: true})
		}
		pos = end
	}
}

// addSiblings picks the other fragments of k's message that follow it in the chunk.
func (p *picks) addSiblings(k pick) {
	key := append(append(append([]byte(nil), fragmentKey...), k.frag...), '"')
	pos, limit := k.end, min(len(p.data), k.end+fragmentReach)
	for found := 1; found < k.total && pos < limit; found++ {
		i := bytes.Index(p.data[pos:limit], key)
		if i < 0 {
			return
		}
		start, end := scan.EntryAround(p.data, k.start, pos+i, p.sel.p.StartsEntry)
		if !p.picked(start) {
			var t int64
			p.text, t = p.sel.write(p.text, scan.TrimEOL(p.data[start:end]))
			p.add(pick{start: start, end: end, t: t, frag: k.frag})
		}
		pos = end
	}
}

// picked reports whether the entry at start was picked.
func (p *picks) picked(start int) bool {
	if p.seen == nil {
		p.seen = make(map[int]bool, len(p.list))
		for _, k := range p.list {
			p.seen[k.start] = true
		}
	}
	return p.seen[start]
}

// batch returns the picks in the chunk's order.
func (p *picks) batch() batch {
	if p.moved {
		slices.SortStableFunc(p.list, func(a, b pick) int { return a.start - b.start })
	}
	var b batch
	for _, k := range p.list {
		if p.moved {
			b.out = append(b.out, p.text[k.from:k.to]...)
		} else {
			b.out = p.text[:k.to]
		}
		b.add(k.t, k.frag, k.maybe)
	}
	return b
}

// wholeMessages selects SIP messages whole: when the filter selects one line of a
// fragmented message (the one that carries the Call-ID, say), the lines with the same
// Fragment-id that follow it in its stream are selected too. It sees a stream's batches
// in order.
type wholeMessages struct {
	selected map[string]bool // the Fragment-ids of the messages selected so far
	sel      *selector       // writes out the fragments it keeps
}

func newWholeMessages(opt Options, node string) *wholeMessages {
	return &wholeMessages{selected: map[string]bool{}, sel: newSelector(opt, node)}
}

// keep notes an entry and reports whether it is to be written: selected by the filter, or
// a fragment of a message that was.
func (w *wholeMessages) keep(frag string, selected bool) bool {
	if selected && frag != "" {
		w.selected[frag] = true
	}
	return selected || frag != "" && w.selected[frag]
}

// resolve returns the batch with the fragments it kept written out and the others dropped.
func (w *wholeMessages) resolve(b batch) batch {
	if b.frags == nil {
		return b
	}
	var kept batch
	start := 0
	for i, end := range b.ends {
		if w.keep(b.frags[i], !b.maybe[i]) {
			t := b.times[i]
			if b.maybe[i] {
				kept.out, t = w.sel.write(kept.out, b.out[start:end])
			} else {
				kept.out = append(kept.out, b.out[start:end]...)
			}
			kept.add(t, "", false)
		}
		start = end
	}
	return kept
}
