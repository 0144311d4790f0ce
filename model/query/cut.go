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
// (The look for first fragments is a second pass over the chunk at memchr speed: about a
// sixth more time for a call-id query.)
func (p *picks) addCutMessages() {
	if !p.sel.filter.ComparesCallID() {
		return
	}
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
		raw := split.TrimEOL(p.data[start:end])
		id, number, detail, ok := fragmentParts(raw)
		if !ok || number != 0 {
			continue
		}
		if _, whole := sip.CallID(detail); whole {
			continue // its first fragment carries its Call-ID: the filter saw it there
		}
		pieces := p.fragmentsOf(id, piece{start, end, 0, raw, detail})
		var message []byte
		for _, pc := range pieces {
			message = append(message, pc.detail...)
		}
		at := bytes.LastIndex(raw, detailKey) + len(detailKey)
		p.sel.parse(slices.Concat(raw[:at], message, []byte(`"`)))
		if !p.sel.filter.Match(&p.sel.rec) {
			continue
		}
		for _, pc := range pieces {
			p.pickWhole(pc, string(id))
		}
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
