package calls

import (
	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/store"
)

// Detail is everything one call's view shows: the call, its timeline (every entry that
// carries one of its ids, from every module and node, in time order, read back and
// parsed), its signalling and its media over time.
type Detail struct {
	Call       Call
	Entries    []uint32       // the timeline's entry numbers
	Records    []model.Record // the timeline's entries, each owning its raw text
	Signalling []Message      // see Signalling
	Media      []Series       // see MediaOverTime
	Together   []Call         // the calls of its conference there while it was (see Together)
	Legs       []Call         // the other legs of its conversation (see Legs)
}

// NewDetail gathers what a call's view shows from its entries (recs, in time order;
// numbers are their entry numbers).
func NewDetail(c Call, recs []model.Record, numbers []uint32) Detail {
	return Detail{Call: c, Entries: numbers, Records: recs, Signalling: Signalling(recs, numbers), Media: MediaOverTime(recs)}
}

// Span returns the time of the call's first and last entries (0, 0 when none has a time).
func (d *Detail) Span() (first, last int64) {
	for i := range d.Records {
		if t := d.Records[i].Time; t != 0 {
			if first == 0 || t < first {
				first = t
			}
			last = max(last, t)
		}
	}
	return first, last
}

// Detail reads what the view of call number n shows; ok is false when there is no such
// call.
func (x *Index) Detail(st *store.Store, n int, p model.Parser) (d Detail, ok bool, err error) {
	c, ok := x.Call(n)
	if !ok {
		return Detail{}, false, nil
	}
	entries := x.Entries(st, n)
	recs, err := Records(st, entries, p)
	if err != nil {
		return Detail{}, true, err
	}
	d = NewDetail(c, recs, entries)
	d.AddNearby(st, p)
	d.Together, d.Legs = x.Together(n), x.Legs(n)
	return d, true, nil
}
