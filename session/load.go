package session

import (
	"container/heap"
	"context"
	"errors"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source"
)

// Load indexes inputs read once (source.Plan without Live, with ReadBack, so that their
// entries can be read back) into st, each as an origin of its own, parsing on all cores:
// one input in its order, several merged by originating time, as headless runs merge
// them. An entry that names no node is given its input's (a snapshot's node folder).
// appended, if not nil, is called after each batch is appended.
func Load(ctx context.Context, st *store.Store, inputs []source.Input, newParser model.NewParserFunc, appended func()) error {
	return load(ctx, st, inputs, addOrigins(st, inputs), newParser, appended)
}

// parserOf returns newParser for an input: its year-less time stamps are dated by when it
// was last written (see model.Dated).
func parserOf(newParser model.NewParserFunc, in source.Input) model.NewParserFunc {
	if in.Modified.IsZero() {
		return newParser
	}
	return model.Modified(newParser, in.Modified.UnixMicro())
}

// addOrigins adds an origin of st for each input, and returns their numbers.
func addOrigins(st *store.Store, inputs []source.Input) []uint16 {
	srcs := make([]uint16, len(inputs))
	for i, in := range inputs {
		srcs[i] = st.AddOrigin(store.Origin{Name: in.Name, Text: in.Text, Node: in.Node})
	}
	return srcs
}

// load is Load, into the origins srcs made for the inputs.
func load(ctx context.Context, st *store.Store, inputs []source.Input, srcs []uint16, newParser model.NewParserFunc, appended func()) error {
	appendBatch := func(b *store.Batch) {
		st.Append(b)
		st.Recycle(b)
		if appended != nil {
			appended()
		}
	}
	if len(inputs) == 1 {
		return st.Parse(ctx, srcs[0], inputs[0].R, parserOf(newParser, inputs[0]), split.Options{}, func(b *store.Batch) error {
			appendBatch(b)
			return nil
		})
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(inputs))
	m := merger{st: st, out: st.NewBatch(), append: appendBatch}
	for i, in := range inputs {
		batches := make(chan *store.Batch, 2)
		go func() {
			defer close(batches)
			err := st.Parse(ctx, srcs[i], in.R, parserOf(newParser, in), split.Options{}, func(b *store.Batch) error {
				select {
				case batches <- b:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
			if err != nil && !errors.Is(err, context.Canceled) {
				cancel() // the first failure stops every input
			}
			errs <- err
		}()
		m.add(&input{batches: batches, recycle: st.Recycle, order: i, i: -1})
	}
	m.run()
	var err error
	for range inputs {
		if e := <-errs; err == nil || errors.Is(err, context.Canceled) {
			err = e // the input that failed, rather than those stopped because it did
		}
	}
	return err
}

// mergeBatch is how many entries a merged batch holds before it is appended.
const mergeBatch = 4096

// merger appends the entries of several inputs to the store in the order of their times.
type merger struct {
	st     *store.Store
	heads  heads
	out    *store.Batch
	append func(*store.Batch)
}

// input is one input's batches, as they are parsed, and its next entry.
type input struct {
	batches <-chan *store.Batch
	recycle func(*store.Batch) // a batch whose entries were all merged
	order   int                // among the inputs: ties go to the first
	b       *store.Batch
	i       int   // the next entry in b
	time    int64 // its time, or the last time of the input before it for an entry without
}

// advance moves to the input's next entry, receiving batches as needed; it reports false
// at the end of the input.
func (in *input) advance() bool {
	in.i++
	for in.b == nil || in.i >= in.b.Len() {
		if in.b != nil {
			in.recycle(in.b)
			in.b = nil
		}
		b, ok := <-in.batches
		if !ok {
			return false
		}
		in.b, in.i = b, 0
	}
	if t := in.b.Time(in.i); t != 0 {
		in.time = t
	}
	return true
}

func (m *merger) add(in *input) {
	if in.advance() {
		heap.Push(&m.heads, in)
	}
}

// run appends every entry, the earliest first.
func (m *merger) run() {
	for m.heads.Len() > 0 {
		in := m.heads[0]
		m.out.AddFrom(in.b, in.i)
		if m.out.Len() >= mergeBatch {
			m.append(m.out)
			m.out = m.st.NewBatch()
		}
		if in.advance() {
			heap.Fix(&m.heads, 0)
		} else {
			heap.Pop(&m.heads)
		}
	}
	if m.out.Len() > 0 {
		m.append(m.out)
	}
}

// heads orders the inputs by the time of their next entry.
type heads []*input

func (h heads) Len() int { return len(h) }
func (h heads) Less(i, j int) bool {
	return h[i].time < h[j].time || h[i].time == h[j].time && h[i].order < h[j].order
}
func (h heads) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *heads) Push(x any)   { *h = append(*h, x.(*input)) }
func (h *heads) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
