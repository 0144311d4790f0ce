package callsearch

import (
	"bytes"
	"io"
	"slices"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
)

// Margin is how far before and after the lines found the logs are indexed. Pairing joins
// a call's lines within two minutes (a PIN prompt's), and the lines of a call it might be
// paired with instead have their own; connections and lookups are shown within 35 s.
const Margin = 5 * time.Minute

// Range is the part of an input to index, from one entry's start to another's (To is
// the input's size for its end).
type Range struct{ From, To int64 }

// Window returns the part of each input to index: from Margin before to Margin after the
// time of the call's lines and of the lines of the calls the call's view lists with it —
// those of its conference instance whose lines (those that carry the conference's id)
// come within Margin of the call's, or that never ended before it did, and the other legs
// of its conversation. Inputs are in time order: each range is found by bisecting the
// input by time.
func (f *Found) Window(inputs []Input, opt Options) ([]Range, error) {
	first, last := f.span()
	out := make([]Range, len(inputs))
	if first == 0 { // no line of the call has a time: all of it
		for i := range out {
			out[i] = Range{0, f.Sizes[i]}
		}
		return out, nil
	}
	from, to := first-Margin.Microseconds(), last+Margin.Microseconds()
	for i, in := range inputs {
		a, err := atTime(in.Text, f.Sizes[i], from, opt.NewParser())
		if err != nil {
			return nil, err
		}
		b, err := atTime(in.Text, f.Sizes[i], to+1, opt.NewParser())
		if err != nil {
			return nil, err
		}
		out[i] = Range{a, max(a, b)}
	}
	return out, nil
}

// span returns the first and last times of the lines of the call and of the calls listed
// with it (see Window), or 0, 0.
func (f *Found) span() (first, last int64) {
	first, last = f.callSpan()
	for _, g := range f.listed(first, last) {
		first, last = min(first, g.first), max(last, g.last)
	}
	return first, last
}

// callSpan returns the first and last times of the call's lines, or 0, 0.
func (f *Found) callSpan() (first, last int64) {
	for i := range f.hits {
		if h := &f.hits[i]; f.ofCall(h) && h.time != 0 {
			if first == 0 || h.time < first {
				first = h.time
			}
			last = max(last, h.time)
		}
	}
	return first, last
}

// listed returns what was found of the calls that the view of the call, whose lines span
// first to last, may list with it: the other legs of its conversation, and the calls of
// its conference whose lines found come within Margin of its own, or that had not ended
// before it did.
func (f *Found) listed(first, last int64) []other {
	if first == 0 {
		return nil
	}
	near := Margin.Microseconds()
	var out []other
	for _, g := range f.others() {
		if g.leg || g.first <= last+near && (g.last >= first-near || !g.ended) {
			out = append(out, g)
		}
	}
	return out
}

// other is what the search found of another call: the lines that carry its conference's
// or conversation's id, joined by their own ids.
type other struct {
	first, last int64
	ended       bool // a line says it disconnected or failed
	leg         bool // it shares a Conversation-Id with the call
	ids         []string
}

// others groups the lines found that are not the call's by the ids they carry.
func (f *Found) others() []other {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		p, ok := parent[x]
		if !ok || p == x {
			parent[x] = x
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	var lines []*hit
	for i := range f.hits {
		h := &f.hits[i]
		if f.ofCall(h) {
			continue
		}
		var root string
		for _, x := range h.ids {
			if !identity[x.kind] {
				continue
			}
			if r := find(x.text); root == "" {
				root = r
			} else if r != root {
				parent[r] = root
			}
		}
		if root != "" {
			lines = append(lines, h)
		}
	}
	groups := map[string]*other{}
	for _, h := range lines {
		var root string
		for _, x := range h.ids {
			if identity[x.kind] {
				root = find(x.text)
				break
			}
		}
		g := groups[root]
		if g == nil {
			g = &other{first: h.time, last: h.time}
			groups[root] = g
		}
		if h.time != 0 && (g.first == 0 || h.time < g.first) {
			g.first = h.time
		}
		g.last, g.ended = max(g.last, h.time), g.ended || h.ends
		for _, x := range h.ids {
			g.leg = g.leg || x.kind == model.ConversationID && f.groups[x.text]
			if identity[x.kind] && !slices.Contains(g.ids, x.text) {
				g.ids = append(g.ids, x.text)
			}
		}
	}
	out := make([]other, 0, len(groups))
	for _, g := range groups {
		if g.first != 0 {
			out = append(out, *g)
		}
	}
	return out
}

// probe is how much of an input is read at a time while bisecting it.
const probe = 64 << 10

// atTime returns where the first entry of text (size bytes) logged at or after t starts,
// or size: text is bisected by the times of the entries (those without a time skipped).
func atTime(text io.ReaderAt, size, t int64, p model.Parser) (int64, error) {
	buf := make([]byte, probe)
	lo, hi := int64(0), size // the entry sought starts in [lo, hi]; hi starts an entry
	for hi-lo > probe {
		mid := lo + (hi-lo)/2
		start, at, err := firstTimed(text, mid, hi, buf, p)
		switch {
		case err != nil:
			return 0, err
		case start < hi && at < t:
			lo = start + 1
		default:
			if start >= hi { // no entry with a time between mid and hi
				start, at, err = firstTimed(text, lo, mid, buf, p)
				if err != nil || start >= mid || at >= t {
					return min(start, hi), err
				}
				lo = start + 1
				continue
			}
			hi = start
		}
	}
	for pos := lo; pos < hi; {
		start, at, err := firstTimed(text, pos, hi, buf, p)
		if err != nil || start >= hi || at >= t {
			return min(start, hi), err
		}
		pos = start + 1
	}
	return hi, nil
}

// firstTimed returns where the first entry that starts in [off, limit) and has a time
// starts, and its time; limit if there is none.
func firstTimed(text io.ReaderAt, off, limit int64, buf []byte, p model.Parser) (int64, int64, error) {
	var rec model.Record
	from := max(off-1, 0) // from the line break before off, if off starts a line
	skip := off > 0       // the line that holds from started before off
	for from < limit {
		n, err := text.ReadAt(buf[:min(int64(len(buf)), limit+1-from)], from)
		if err != nil && err != io.EOF {
			return 0, 0, err
		}
		data := buf[:n]
		pos := 0
		for pos < len(data) {
			end := bytes.IndexByte(data[pos:], '\n')
			if end < 0 {
				if n == len(buf) && pos > 0 {
					break // read the rest of the line again, at its start
				}
				end = len(data) - pos // the last line, or one longer than buf: its start is enough
			}
			if !skip && from+int64(pos) < limit {
				line := split.TrimEOL(data[pos : pos+end])
				if p.StartsEntry(line) {
					if p.Parse(line, &rec); rec.Time != 0 {
						return from + int64(pos), rec.Time, nil
					}
				}
			}
			skip = pos+end == len(data) && n == len(buf) // the line goes on in the next read
			pos += end + 1
		}
		if n == 0 || err == io.EOF && pos >= len(data) {
			break
		}
		from += int64(min(pos, len(data)))
	}
	return limit, 0, nil
}
