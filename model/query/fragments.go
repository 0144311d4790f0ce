package query

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/calltail/calltail/model/split"
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

// fragmentID returns the Fragment-id of raw, the entry parsed last, or nil. Only SIP
// messages are fragmented, so only support.sip lines are searched.
func (s *selector) fragmentID(raw []byte) []byte {
	if !bytes.HasPrefix(s.rec.Module, []byte("support.sip")) {
		return nil
	}
	return fragmentOf(raw)
}

// fragmentsAfter returns how many fragments of its message follow the entry parsed last,
// if frag, its Fragment-id, is not empty (Fragment-number counts from 0).
func (s *selector) fragmentsAfter(frag []byte) int {
	if len(frag) == 0 {
		return 0
	}
	total, _ := s.rec.Field("Fragment-total")
	number, _ := s.rec.Field("Fragment-number")
	t, _ := strconv.Atoi(string(total))
	n, _ := strconv.Atoi(string(number))
	return max(0, t-1-n)
}

// fragment is a selected entry of a batch that is a fragment of a SIP message.
type fragment struct {
	entry int    // its index in the batch
	id    string // its Fragment-id
}

// candidate is a fragment of a SIP message that the filter did not select: it is written
// only if an earlier chunk selected its message.
type candidate struct {
	before int    // the index of the batch's entry it comes before
	id     string // its Fragment-id
	raw    []byte // its text as logged
}

// fragmentReach is how far past a selected fragment its siblings are looked for, and how
// far into a chunk the fragments of messages selected in earlier chunks are: Pexip logs
// the fragments of a message within a few lines of each other.
const fragmentReach = 64 << 10

// pick is an entry a chunk gives: selected by the filter, a later fragment of a message it
// selected, or (maybe) a fragment of a message that an earlier chunk may have selected.
type pick struct {
	start, end int    // where the entry lies in the chunk
	from, to   int    // its text: written out in picks.text, or as logged in picks.raw if maybe
	t          int64  // its originating time (0 if maybe)
	frag       string // its Fragment-id, if it is a fragment of a SIP message
	after      int    // how many fragments of its message follow it
	maybe      bool
}

// picks collects what a chunk gives, writing each entry out as it is picked.
type picks struct {
	data  []byte
	sel   *selector
	text  []byte // the picks written out
	raw   []byte // the maybe picks as logged
	list  []pick // in the order picked
	found int    // how many picks the filter selected: list[:found] is in the chunk's order
	moved bool   // a pick was added after a later one
	cutAt []int  // where fragments of messages that may hold a cut Call-ID lie (see addCutMessages)
}

// add appends k, whose text ends at the end of p.text (or p.raw, if maybe).
func (p *picks) add(k pick) {
	k.to = len(p.text)
	if k.maybe {
		k.to = len(p.raw)
	}
	if n := len(p.list); n > 0 && k.start < p.list[n-1].start {
		p.moved = true
	}
	p.list = append(p.list, k)
}

// addFragments picks the later fragments of the messages the filter selected in the chunk,
// and, maybe, the fragments near its start.
func (p *picks) addFragments() {
	p.found = len(p.list)
	for i := range p.found {
		if k := p.list[i]; k.after > 0 {
			p.addSiblings(k)
		}
	}
	limit := min(len(p.data), fragmentReach)
	for pos := 0; pos < limit; {
		i := bytes.Index(p.data[pos:limit], fragmentKey)
		if i < 0 {
			break
		}
		start, end := split.EntryAround(p.data, 0, pos+i, p.sel.p.StartsEntry)
		raw := split.TrimEOL(p.data[start:end])
		if frag := fragmentOf(raw); frag != nil && !p.picked(start) {
			from := len(p.raw)
			p.raw = append(p.raw, raw...)
			p.add(pick{start: start, end: end, from: from, frag: string(frag), maybe: true})
		}
		pos = end
	}
}

// addSiblings picks the other fragments of k's message that follow it in the chunk.
func (p *picks) addSiblings(k pick) {
	key := append(append(append([]byte(nil), fragmentKey...), k.frag...), '"')
	pos, limit := k.end, min(len(p.data), k.end+fragmentReach)
	for found := 0; found < k.after && pos < limit; found++ {
		i := bytes.Index(p.data[pos:limit], key)
		if i < 0 {
			return
		}
		start, end := split.EntryAround(p.data, k.start, pos+i, p.sel.p.StartsEntry)
		if !p.picked(start) {
			from := len(p.text)
			var t int64
			p.text, t = p.sel.write(p.text, split.TrimEOL(p.data[start:end]))
			p.add(pick{start: start, end: end, from: from, t: t, frag: k.frag})
		}
		pos = end
	}
}

// picked reports whether the entry at start was picked.
func (p *picks) picked(start int) bool {
	if _, ok := slices.BinarySearchFunc(p.list[:p.found], start, func(k pick, start int) int { return k.start - start }); ok {
		return true
	}
	return slices.ContainsFunc(p.list[p.found:], func(k pick) bool { return k.start == start })
}

// batch returns the picks in the chunk's order.
func (p *picks) batch() batch {
	if p.moved {
		slices.SortStableFunc(p.list, func(a, b pick) int { return a.start - b.start })
	}
	var b batch
	for _, k := range p.list {
		switch {
		case k.maybe:
			b.maybe = append(b.maybe, candidate{before: len(b.ends), id: k.frag, raw: p.raw[k.from:k.to]})
			continue
		case p.moved:
			b.out = append(b.out, p.text[k.from:k.to]...)
		default:
			b.out = p.text[:k.to]
		}
		if k.frag != "" {
			b.frags = append(b.frags, fragment{entry: len(b.ends), id: k.frag})
		}
		b.add(k.t)
	}
	return b
}

// wholeMessages selects SIP messages whole: when the filter selects one line of a
// fragmented message (the one that carries the Call-ID, say), the lines with the same
// Fragment-id that follow it in its stream are selected too. It sees a stream's batches
// in order.
type wholeMessages struct {
	selected map[string]bool // the Fragment-ids of the messages selected lately
	order    []string        // the same, oldest first, to forget the oldest
	sel      *selector       // writes out the fragments it keeps
}

// remembered is how many selected messages wholeMessages remembers: their fragments come
// within a few lines, so the most recent thousands are plenty, and memory stays bounded
// however long a stream is followed.
const remembered = 4096

func newWholeMessages(opt Options, node string) *wholeMessages {
	return &wholeMessages{selected: map[string]bool{}, sel: newSelector(opt, node)}
}

// keep notes an entry and reports whether it is to be written: selected by the filter, or
// a fragment of a message that was.
func (w *wholeMessages) keep(frag string, selected bool) bool {
	if selected && frag != "" && !w.selected[frag] {
		w.selected[frag] = true
		w.order = append(w.order, frag)
		if len(w.order) > remembered {
			delete(w.selected, w.order[0])
			w.order = w.order[1:]
		}
	}
	return selected || frag != "" && w.selected[frag]
}

// resolve notes the messages a batch selects and returns it with the candidates whose
// message was selected written out in their places; most batches keep none and are
// returned as they are.
func (w *wholeMessages) resolve(b batch) batch {
	var kept []candidate
	f := 0
	for _, c := range b.maybe {
		for ; f < len(b.frags) && b.frags[f].entry < c.before; f++ {
			w.keep(b.frags[f].id, true)
		}
		if w.keep(c.id, false) {
			kept = append(kept, c)
		}
	}
	for ; f < len(b.frags); f++ {
		w.keep(b.frags[f].id, true)
	}
	if kept == nil {
		return batch{out: b.out, ends: b.ends, times: b.times}
	}
	var out batch
	start := 0
	for i, end := range b.ends {
		for len(kept) > 0 && kept[0].before == i {
			var t int64
			out.out, t = w.sel.write(out.out, kept[0].raw)
			out.add(t)
			kept = kept[1:]
		}
		out.out = append(out.out, b.out[start:end]...)
		out.add(b.times[i])
		start = end
	}
	for _, c := range kept { // after the batch's last entry
		var t int64
		out.out, t = w.sel.write(out.out, c.raw)
		out.add(t)
	}
	return out
}
