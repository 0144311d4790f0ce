// Package query runs a filter over log streams without a UI: the engine of headless mode.
// Each stream is read in chunks on every core; when the filter names texts every match must
// hold (filter.Needles), a chunk is searched for them at memchr speed and only the entries
// around the hits are parsed. Results keep each stream's order, and several streams are
// merged by originating time. A SIP message that Pexip logged in fragments is selected
// whole (see wholeMessages).
package query

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/literal"
	"github.com/calltail/calltail/model/split"
)

// Input is one stream of log text.
type Input struct {
	Name string
	R    io.Reader
	Node string // the node that logged the stream, for entries that do not name one
	Size int64  // how many bytes of text it holds, if known: a small input is read in small blocks
	// Modified is when its text was last written, in microseconds since the epoch (a
	// file's modification time), which dates year-less time stamps (model.Dated); 0: now.
	Modified int64
}

// parsing returns opt with parsers for in: they date its year-less time stamps.
func (in Input) parsing(opt Options) Options {
	opt.NewParser = model.Modified(opt.NewParser, in.Modified)
	return opt
}

// scanOf returns how an input is read: a small one in blocks its size, so that many small
// inputs merged (a snapshot's logs) hold little memory.
func scanOf(in Input, opt split.Options) split.Options {
	if in.Size > 0 && opt.BlockSize == 0 {
		opt.BlockSize = int(min(max(in.Size, 64<<10), 1<<20))
	}
	return opt
}

// Options say what to select and how to write it.
type Options struct {
	Filter    *filter.Filter      // nil selects every entry
	Format    export.Format       // how each entry is written
	NewParser model.NewParserFunc // a parser for one goroutine
	Scan      split.Options       // chunking and parallelism
}

// Run writes every entry of inputs that the filter selects to w, and returns how many it
// wrote. One input keeps its own order; several are merged by originating time (an entry
// without a time takes the time of the selected entry before it in its input; ties keep
// the inputs' order).
func Run(ctx context.Context, inputs []Input, opt Options, w io.Writer) (int, error) {
	if opt.Filter == nil {
		opt.Filter, _ = filter.Compile("")
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	var n int
	var err error
	if len(inputs) == 1 {
		n, err = runOne(ctx, inputs[0], opt, bw)
	} else {
		n, err = runMerged(ctx, inputs, opt, bw)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return n, err
}

func runOne(ctx context.Context, in Input, opt Options, w *bufio.Writer) (int, error) {
	opt = in.parsing(opt)
	n := 0
	var werr error
	whole := newWholeMessages(opt, in.Node)
	err := split.Run(ctx, in.R, opt.NewParser().StartsEntry, scanOf(in, opt.Scan), worker(opt, in.Node), func(b batch) error {
		b = whole.resolve(b)
		n += len(b.times)
		_, werr = w.Write(b.out)
		return werr
	})
	if err != nil && err != werr {
		err = fmt.Errorf("%s: %w", in.Name, err)
	}
	return n, err
}

// batch holds the selected entries of one chunk, already written out, and the fragments of
// SIP messages that were not selected but may belong to a message selected before them.
type batch struct {
	out   []byte      // the entries, back to back
	ends  []int       // where each entry ends in out
	times []int64     // each entry's originating time (0 when it has none)
	frags []fragment  // the entries that are fragments of a SIP message, in order
	maybe []candidate // fragments written only if their message was selected, in order
}

// add appends an entry that ends at the end of b.out.
func (b *batch) add(t int64) {
	b.ends = append(b.ends, len(b.out))
	b.times = append(b.times, t)
}

// worker returns the function that selects and writes the entries of one chunk of an
// input logged by node.
func worker(opt Options, node string) func(split.Block) batch {
	var needles []*literal.Matcher
	for _, n := range opt.Filter.Needles() {
		needles = append(needles, literal.New(n.Text, n.Fold))
	}
	skip := unwantedLevels(opt.Filter)
	return func(c split.Block) batch {
		sel := newSelector(opt, node)
		p := picks{data: c.Data, sel: sel}
		each := func(start int, raw []byte) {
			from := len(p.text)
			if out, t, selected := sel.add(p.text, raw); selected {
				p.text = out
				frag := sel.fragmentID(raw)
				p.add(pick{start: start, end: start + len(raw), from: from, t: t, frag: string(frag), after: sel.fragmentsAfter(frag)})
			}
		}
		cuts := sel.filter.ComparesCallID()
		if kind, ok := entryKinds(sel.p, skip); ok && needles == nil {
			for start, raw := range split.Wanted(c.Data, kind) {
				each(start, raw)
			}
		} else if needles == nil {
			for start, raw := range split.Entries(c.Data, sel.p.StartsEntry) {
				each(start, raw)
			}
		} else if cuts {
			entriesHolding(c.Data, needles, sel.p.StartsEntry, func(start int, raw []byte) {
				p.cutAt = append(p.cutAt, start)
				each(start, raw)
			}, p.edge)
		} else {
			entriesHolding(c.Data, needles, sel.p.StartsEntry, each, nil)
		}
		p.addFragments()
		if cuts {
			p.addCutMessages(needles == nil)
		}
		return p.batch()
	}
}

// selector parses entries and writes out those the filter selects.
type selector struct {
	p      model.Parser
	rec    model.Record
	filter *filter.Filter
	format export.Format
	node   []byte // for entries that name no node
}

func newSelector(opt Options, node string) *selector {
	return &selector{p: opt.NewParser(), filter: opt.Filter, format: opt.Format, node: []byte(node)}
}

// add parses raw and, if the filter selects it, appends it to dst. It returns the entry's
// originating time and whether it was selected.
func (s *selector) add(dst, raw []byte) (out []byte, t int64, selected bool) {
	s.parse(raw)
	if !s.filter.Match(&s.rec) {
		return dst, 0, false
	}
	return export.Append(dst, &s.rec, s.format), s.rec.Time, true
}

// write parses raw and appends it to dst, selected or not; it returns its originating time.
func (s *selector) write(dst, raw []byte) ([]byte, int64) {
	s.parse(raw)
	return export.Append(dst, &s.rec, s.format), s.rec.Time
}

func (s *selector) parse(raw []byte) {
	s.p.Parse(raw, &s.rec)
	if len(s.rec.Node) == 0 {
		s.rec.Node = s.node
	}
}

// entriesHolding calls each, in order, with every entry of data that holds a needle and
// where it starts; and, if edge is not nil, edge with the places where the search for a
// needle stopped at a part of it that a quoted value cuts (see literal.IndexEdges), before
// the entry of the next hit.
func entriesHolding(data []byte, needles []*literal.Matcher, starts split.StartsEntry, each func(int, []byte), edge func(data []byte, lo, hi int)) {
	next := make([]int, len(needles)) // the next hit of each needle at or after pos; -1 for none
	for i := range next {
		next[i] = -2
	}
	for pos := 0; pos < len(data); {
		hit := -1
		for i, m := range needles {
			if next[i] != -1 && next[i] < pos {
				if j := index(m, data, pos, edge); j >= 0 {
					next[i] = pos + j
				} else {
					next[i] = -1
				}
			}
			if next[i] >= 0 && (hit < 0 || next[i] < hit) {
				hit = next[i]
			}
		}
		if hit < 0 {
			return
		}
		start, end := split.EntryAround(data, pos, hit, starts)
		each(start, split.TrimEOL(data[start:end]))
		pos = end
	}
}

// index returns the index of m's needle in data[pos:], calling edge, if not nil, with the
// places in data where it is cut (see literal.IndexEdges).
func index(m *literal.Matcher, data []byte, pos int, edge func(data []byte, lo, hi int)) int {
	if edge == nil {
		return m.Index(data[pos:])
	}
	return m.IndexEdges(data[pos:], '"', func(lo, hi int) { edge(data, pos+lo, pos+hi) })
}

// runMerged runs every input at once and merges their results by originating time.
func runMerged(ctx context.Context, inputs []Input, opt Options, w *bufio.Writer) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	streams := make([]chan batch, len(inputs))
	errs := make(chan error, len(inputs))
	for i, in := range inputs {
		streams[i] = make(chan batch, 4)
		go func() {
			defer close(streams[i])
			opt := in.parsing(opt)
			whole := newWholeMessages(opt, in.Node)
			err := split.Run(ctx, in.R, opt.NewParser().StartsEntry, scanOf(in, opt.Scan), worker(opt, in.Node), func(b batch) error {
				select {
				case streams[i] <- whole.resolve(b):
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
			if err != nil && ctx.Err() == nil {
				err = fmt.Errorf("%s: %w", in.Name, err)
				cancel() // the first failure stops every input, as with one input
			}
			errs <- err
		}()
	}

	heads := make([]head, len(inputs))
	for i := range heads {
		heads[i].src = streams[i]
		heads[i].advance()
	}
	n := 0
	var werr error
	for {
		best := -1
		for i := range heads {
			if heads[i].ok() && (best < 0 || heads[i].time < heads[best].time) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		if werr == nil {
			if _, werr = w.Write(heads[best].entry()); werr != nil {
				cancel()
			}
		}
		n++
		heads[best].advance()
	}
	var err error
	for range inputs {
		if e := <-errs; err == nil || errors.Is(err, context.Canceled) {
			err = e // the input that failed, rather than those stopped because it did
		}
	}
	if werr != nil {
		err = werr
	}
	return n, err
}

// head is the next entry of one stream being merged.
type head struct {
	src  chan batch
	b    batch
	i    int   // index of the current entry in b
	time int64 // its time for ordering
	last int64 // the last time seen in this stream
}

func (h *head) ok() bool { return h.i < len(h.b.times) }

func (h *head) entry() []byte {
	start := 0
	if h.i > 0 {
		start = h.b.ends[h.i-1]
	}
	return h.b.out[start:h.b.ends[h.i]]
}

// advance moves to the next entry, receiving batches until one has entries or the stream ends.
func (h *head) advance() {
	h.i++
	for h.i >= len(h.b.times) {
		b, ok := <-h.src
		if !ok {
			h.b, h.i = batch{}, 0
			return
		}
		h.b, h.i = b, 0
	}
	if t := h.b.times[h.i]; t != 0 {
		h.last = t
	}
	h.time = h.last
}
