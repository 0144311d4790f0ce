// Package callsearch finds one call's lines in logs without indexing them all: a needle
// search. The logs are scanned in chunks on every core for the entries whose text holds
// the id asked for (at memchr speed, as the headless query does); those entries are
// parsed and the other ids they carry collected — the call's own (Call-Id, Participant-Id,
// Uuid, its SIP messages' Call-ID) and the ids that group it with other calls (its
// Conference-ID and Conversation-Id); the logs are scanned again for the new ids, until
// none appears. What ties lines to a call without sharing its ids' text (pairing a failed
// call's signalling with its "attempting to join" line, SIP messages whose Call-ID is cut
// between fragments, connections and lookups by address) happens within moments of its
// other lines: the caller indexes only the part of each log within Margin of the lines
// found (see Window), and finds the call there as in the whole logs.
package callsearch

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
)

// Input is one log: read once from R, then again from Text, at the same offsets.
type Input struct {
	Name string
	Node string      // the node that logged it, for entries that name none
	R    io.Reader   // its text, read once
	Text io.ReaderAt // the same text, readable at the offsets R delivered once R has
}

// Options tune Search.
type Options struct {
	NewParser model.NewParserFunc
	Scan      split.Options
}

// identity are the id kinds that name one call, searched for: the calls index joins the
// entries that carry any of them. (A Fragment-id names one SIP message, whose fragments
// come within milliseconds: the window holds them.)
var identity = [model.NumIDKinds]bool{model.CallID: true, model.ParticipantID: true, model.UUID: true}

// grouping are the id kinds that group calls: the calls of a conference instance, the
// legs of a conversation.
var grouping = [model.NumIDKinds]bool{model.ConversationID: true, model.ConferenceID: true}

// hit is an entry that holds a needle.
type hit struct {
	input  int
	offset int64
	time   int64  // its originating time; 0 if none
	ids    []id   // the identity and grouping ids it carries
	ends   bool   // it says a participant disconnected or failed to join
	conf   string // its Conference, as logged
}

// id is a correlation id an entry carries.
type id struct {
	kind model.IDKind
	text string
}

// Found is what Search found: the entries that hold the call's ids and those of its
// conference and conversation, and each input's size.
type Found struct {
	hits   []hit
	call   map[string]bool // the call's own ids: the id asked for and those joined to it
	groups map[string]bool // the Conference-IDs and Conversation-Ids of the call's lines
	confs  map[string]bool // the Conferences its lines name
	byName bool            // no line of the call names a Conference-ID
	Sizes  []int64         // how much text each input holds
	Passes int             // how many times the inputs were scanned
}

// Found reports whether an entry carries the id asked for as one of a call's own ids
// (rather than as a Conference-ID or Conversation-Id, or not at all).
func (f *Found) Found() bool {
	for i := range f.hits {
		if f.ofCall(&f.hits[i]) {
			return true
		}
	}
	return false
}

// ofCall reports whether an entry carries one of the call's own ids.
func (f *Found) ofCall(h *hit) bool {
	return slices.ContainsFunc(h.ids, func(x id) bool { return identity[x.kind] && f.call[x.text] })
}

// Search scans the inputs for the entries that hold text, and again for the ids of the
// call they name, until no new id appears.
func Search(ctx context.Context, inputs []Input, text string, opt Options) (*Found, error) {
	f := &Found{call: map[string]bool{text: true}, groups: map[string]bool{}, confs: map[string]bool{}, Sizes: make([]int64, len(inputs))}
	searched := map[string]bool{}
	seen := map[[2]int64]bool{} // the hits by input and offset
	for needles := []string{text}; len(needles) > 0; {
		if err := f.pass(ctx, inputs, needles, searched, seen, opt); err != nil {
			return nil, err
		}
		f.join()
		if needles = f.unsearched(searched); len(needles) == 0 && !f.byName && f.Found() {
			needles = f.byConference()
		}
	}
	// The calls listed with it whose lines found do not say they ended: their own ids
	// tell when they did.
	for {
		var needles []string
		for _, g := range f.listed(f.callSpan()) {
			for _, x := range g.ids {
				if !g.ended && !searched[x] {
					needles = append(needles, x)
				}
			}
		}
		if len(needles) == 0 {
			return f, nil
		}
		if err := f.pass(ctx, inputs, needles, searched, seen, opt); err != nil {
			return nil, err
		}
	}
}

// pass scans the inputs for the needles, and adds the entries found.
func (f *Found) pass(ctx context.Context, inputs []Input, needles []string, searched map[string]bool, seen map[[2]int64]bool, opt Options) error {
	for _, n := range needles {
		searched[n] = true
	}
	for i, in := range inputs {
		hits, err := f.scan(ctx, i, in, needles, opt)
		if err != nil {
			return fmt.Errorf("%s: %w", in.Name, err)
		}
		for _, h := range hits {
			if k := [2]int64{int64(i), h.offset}; !seen[k] {
				seen[k] = true
				f.hits = append(f.hits, h)
			}
		}
	}
	f.Passes++
	return nil
}

// join adds to the call's ids those of every entry that carries one of them, and the
// grouping ids of those entries, until no more are added.
func (f *Found) join() {
	for changed := true; changed; {
		changed = false
		for i := range f.hits {
			h := &f.hits[i]
			if !f.ofCall(h) {
				continue
			}
			for _, x := range h.ids {
				set := f.call
				if grouping[x.kind] {
					set = f.groups
				}
				if !set[x.text] {
					set[x.text], changed = true, true
				}
			}
			if h.conf != "" {
				f.confs[h.conf] = true
			}
		}
	}
}

// unsearched returns the ids of the call and its groups not searched for yet, in order.
func (f *Found) unsearched(searched map[string]bool) []string {
	var out []string
	for _, set := range []map[string]bool{f.call, f.groups} {
		for x := range set {
			if !searched[x] {
				out = append(out, x)
			}
		}
	}
	slices.Sort(out)
	return out
}

// byConference returns, if no line of the call names a Conference-ID, what its lines
// that name a conference hold: the calls of its conference instance are those of the
// conference on its media node (calls.Call.Instance), found by name.
func (f *Found) byConference() []string {
	f.byName = true
	for i := range f.hits {
		if h := &f.hits[i]; f.ofCall(h) && slices.ContainsFunc(h.ids, func(x id) bool { return x.kind == model.ConferenceID }) {
			return nil
		}
	}
	var out []string
	for name := range f.confs {
		out = append(out, `Conference="`+name+`"`)
	}
	slices.Sort(out)
	return out
}

// scan returns the entries of input i that hold a needle: the first time read from R,
// then from Text.
func (f *Found) scan(ctx context.Context, i int, in Input, needles []string, opt Options) ([]hit, error) {
	r := io.Reader(io.NewSectionReader(in.Text, 0, f.Sizes[i]))
	var counted *countingReader
	if f.Passes == 0 {
		counted = &countingReader{r: in.R}
		r = counted
	}
	m := newAnyOf(needles)
	var out []hit
	var parsers sync.Pool
	err := split.Run(ctx, r, opt.NewParser().StartsEntry, opt.Scan, func(b split.Block) []hit {
		p, _ := parsers.Get().(model.Parser)
		if p == nil {
			p = opt.NewParser()
		}
		defer parsers.Put(p)
		var hits []hit
		var rec model.Record
		floor := 0 // the end of the last entry found
		for _, at := range m.hits(b.Data) {
			if at < floor {
				continue // in the entry found last
			}
			start, end := split.EntryAround(b.Data, floor, at, p.StartsEntry)
			p.Parse(split.TrimEOL(b.Data[start:end]), &rec)
			hits = append(hits, hitOf(&rec, i, b.Offset+int64(start)))
			floor = end
		}
		return hits
	}, func(hits []hit) error {
		out = append(out, hits...)
		return nil
	})
	if counted != nil {
		f.Sizes[i] = counted.n
	}
	return out, err
}

// hitOf copies what the search keeps of an entry of input i at offset.
func hitOf(r *model.Record, i int, offset int64) hit {
	h := hit{input: i, offset: offset, time: r.Time}
	r.IDs(func(k model.IDKind, v []byte) {
		if (identity[k] || grouping[k]) && !slices.ContainsFunc(h.ids, func(x id) bool { return x.kind == k && x.text == string(v) }) {
			h.ids = append(h.ids, id{k, string(v)})
		}
	})
	if !r.Plain {
		msg := string(r.Message())
		h.ends = msg == "Participant has disconnected." || msg == "Participant failed to join conference."
		if v, ok := r.Field("Conference"); ok {
			h.conf = string(v)
		}
	}
	return h
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
