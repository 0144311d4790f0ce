package query

import (
	"bytes"
	"slices"
	"strconv"

	"github.com/calltail/calltail/model/sip"
	"github.com/calltail/calltail/model/split"
)

// Pexip cuts a long SIP message into fragments at any byte, its Call-ID: header too
// ("…^MCall-ID: 6db7" in one fragment, "f57bfa9d704e@10.44.5.9^MCSeq: …" in the next): no
// fragment then holds the message's Call-ID, and the filter cannot select it by any line.
// The fragments of such a message in a chunk are put together and the filter is asked
// about the message whole; if it selects it, every fragment of it is picked, and the
// fragments in later chunks follow it as those of any selected message do.

// detailKey starts the Detail of a support.sip line: the SIP message, its last detail.
var detailKey = []byte(`Detail="`)

// piece is a fragment of a SIP message, found in a chunk.
type piece struct {
	start, end int    // where the entry lies in the chunk
	number     int    // its Fragment-number
	raw        []byte // the entry
	detail     []byte // its part of the message, as logged (^M-encoded)
}

// firstFragment marks the first fragment of a message, which starts its SIP message.
var firstFragment = []byte(`Fragment-number="0"`)

// addCutMessages picks the fragments of the messages in the chunk whose Call-ID their first
// fragment does not hold whole, when the filter compares ids and selects the message put
// together. The other fragments of such a message are looked for within fragmentReach.
//
// With needles, only the messages of the fragments in p.cutAt are looked at: a message
// put together that the filter selects holds a needle (filter.Needles), either whole in
// one of its fragments (the needle scan found that fragment) or cut between the Details
// of two or more (the scan stopped at the part that holds the needle's anchor: see edge).
// Without needles, every first fragment is: a second pass over the chunk at memchr speed.
func (p *picks) addCutMessages(all bool) {
	if all {
		for pos := 0; pos < len(p.data); {
			i := bytes.Index(p.data[pos:], firstFragment)
			if i < 0 {
				return
			}
			if line := lineAt(p.data, pos+i); holdsCallID(line) {
				pos += i + len(firstFragment)
				continue // most first fragments: found at memchr speed, nothing parsed
			}
			start, end := split.EntryAround(p.data, pos, pos+i, p.sel.p.StartsEntry)
			pos = end
			p.addCutMessage(start, end)
		}
		return
	}
	done := map[int]bool{}
	for _, at := range p.cutAt {
		start, end := split.EntryAround(p.data, 0, at, p.sel.p.StartsEntry)
		if start, end, ok := p.firstFragmentOf(start, end); ok && !done[start] {
			done[start] = true
			if !holdsCallID(lineAt(p.data, start)) {
				p.addCutMessage(start, end)
			}
		}
	}
}

// edge notes a place where the needle scan stopped at a part of a needle that a Detail
// cuts (data[lo:hi]): at its end (the needle goes on in the next fragment) or at its
// start (the needle began in the fragment before).
func (p *picks) edge(data []byte, lo, hi int) {
	atEnd := hi+1 == len(data) || data[hi+1] == '\n' || data[hi+1] == '\r'
	if atEnd || bytes.HasSuffix(data[:lo], detailKey) {
		p.cutAt = append(p.cutAt, lo)
	}
}

// firstFragmentOf returns where the first fragment of the message of the fragment at
// start:end lies, if it is a fragment and that one is in the chunk within fragmentReach.
func (p *picks) firstFragmentOf(start, end int) (int, int, bool) {
	id, number, _, ok := fragmentParts(split.TrimEOL(p.data[start:end]))
	if !ok {
		return 0, 0, false
	}
	key := slices.Concat(fragmentKey, id, []byte(`"`))
	floor := max(0, start-fragmentReach)
	for number != 0 {
		i := bytes.LastIndex(p.data[floor:start], key)
		if i < 0 {
			return 0, 0, false
		}
		start, end = split.EntryAround(p.data, floor, floor+i, p.sel.p.StartsEntry)
		if _, number, _, ok = fragmentParts(split.TrimEOL(p.data[start:end])); !ok {
			return 0, 0, false
		}
	}
	return start, end, true
}

// addCutMessage picks the fragments of the message whose first fragment lies at start:end
// if its Call-ID is not whole in it and the filter selects the message put together.
func (p *picks) addCutMessage(start, end int) {
	raw := split.TrimEOL(p.data[start:end])
	id, number, detail, ok := fragmentParts(raw)
	if !ok || number != 0 {
		return
	}
	if _, whole := sip.CallID(detail); whole {
		return // its first fragment carries its Call-ID: the filter saw it there
	}
	pieces := p.fragmentsOf(id, piece{start, end, 0, raw, detail})
	var message []byte
	for _, pc := range pieces {
		message = append(message, pc.detail...)
	}
	at := bytes.LastIndex(raw, detailKey) + len(detailKey)
	p.sel.parse(slices.Concat(raw[:at], message, []byte(`"`)))
	if !p.sel.filter.Match(&p.sel.rec) {
		return
	}
	for _, pc := range pieces {
		p.pickWhole(pc, string(id))
	}
}

// fragmentsOf returns the first fragment of message id and those that follow it in the
// chunk, in order, up to the first missing.
func (p *picks) fragmentsOf(id []byte, first piece) []piece {
	pieces := []piece{first}
	key := slices.Concat(fragmentKey, id, []byte(`"`))
	for pos, limit := first.end, min(len(p.data), first.end+fragmentReach); pos < limit; {
		i := bytes.Index(p.data[pos:limit], key)
		if i < 0 {
			break
		}
		start, end := split.EntryAround(p.data, pos, pos+i, p.sel.p.StartsEntry)
		pos = end
		raw := split.TrimEOL(p.data[start:end])
		_, number, detail, ok := fragmentParts(raw)
		if !ok || number != len(pieces) {
			break
		}
		pieces = append(pieces, piece{start, end, number, raw, detail})
	}
	return pieces
}

// pickWhole picks a fragment of a message the filter selected: added, or, if it was
// picked as a maybe (a fragment of a message an earlier chunk may have selected), made a
// pick of its own.
func (p *picks) pickWhole(pc piece, id string) {
	from := len(p.text)
	var t int64
	p.text, t = p.sel.write(p.text, pc.raw)
	for i := range p.list {
		if k := &p.list[i]; k.start == pc.start {
			if k.maybe {
				k.maybe, k.from, k.to, k.t = false, from, len(p.text), t
			} else {
				p.text = p.text[:from] // picked already
			}
			return
		}
	}
	p.add(pick{start: pc.start, end: pc.end, from: from, t: t, frag: id})
	p.moved = true // among the picks of the chunk, out of their order
}

// fragmentParts reads a fragment's Fragment-id, Fragment-number and Detail from its raw
// text, where Pexip writes them (the Detail last), without parsing the entry.
func fragmentParts(raw []byte) (id []byte, number int, detail []byte, ok bool) {
	if id = fragmentOf(raw); id == nil {
		return nil, 0, nil, false
	}
	const numberKey = `Fragment-number="`
	i := bytes.Index(raw, []byte(numberKey))
	if i < 0 {
		return nil, 0, nil, false
	}
	rest := raw[i+len(numberKey):]
	j := bytes.IndexByte(rest, '"')
	n, err := strconv.Atoi(string(rest[:max(j, 0)]))
	d := bytes.LastIndex(raw, detailKey)
	if err != nil || d < 0 || !bytes.HasSuffix(raw, []byte(`"`)) || d+len(detailKey) > len(raw)-1 {
		return nil, 0, nil, false
	}
	return id, n, raw[d+len(detailKey) : len(raw)-1], true
}

// lineAt returns the line of data that holds offset i.
func lineAt(data []byte, i int) []byte {
	start := bytes.LastIndexByte(data[:i], '\n') + 1
	end := bytes.IndexByte(data[i:], '\n')
	if end < 0 {
		return data[start:]
	}
	return data[start : i+end]
}

// holdsCallID reports whether a line holds a Call-ID: header (in the spelling Pexip logs,
// or compact) that a line break ends: a quick look, before anything is parsed.
func holdsCallID(line []byte) bool {
	for _, name := range [][]byte{[]byte("^MCall-ID: "), []byte("^Mi: ")} {
		if j := bytes.Index(line, name); j >= 0 && bytes.Contains(line[j+len(name):], []byte("^M")) {
			return true
		}
	}
	return false
}
