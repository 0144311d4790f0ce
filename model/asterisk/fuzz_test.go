package asterisk

import (
	"bytes"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/split"
)

// FuzzParse checks that no entry makes the parser panic or lose bytes: Raw is the entry,
// and every view the record, its fields and ids hold points into it, but the values that
// are no words of the entry ("in", "out", a dial status).
func FuzzParse(f *testing.F) {
	for _, name := range samples {
		data := sample(f, name)
		for _, raw := range split.Entries(data, new(Parser).StartsEntry) {
			f.Add(raw)
		}
		f.Add(withCR(data))
	}
	constant := [][]byte{valueIn, valueOut, statusBusy, statusCongestion, statusChanUnavail}
	f.Fuzz(func(t *testing.T, raw []byte) {
		orig := bytes.Clone(raw)
		var r model.Record
		p := &Parser{Year: 2024}
		p.Parse(raw, &r)
		p.StartsEntry(raw)
		if !bytes.Equal(r.Raw, orig) || !bytes.Equal(raw, orig) {
			t.Fatalf("raw bytes changed: %q -> %q", orig, r.Raw)
		}
		within := func(what string, view []byte) {
			for _, c := range constant {
				if len(view) > 0 && &view[0] == &c[0] {
					return
				}
			}
			if len(view) > 0 && !parsertest.Within(raw, view) {
				t.Fatalf("%s %q does not point into the entry", what, view)
			}
		}
		within("Module", r.Module)
		within("Details", r.Details)
		within("Message", r.Message())
		for k, v := range r.Fields() {
			within(string(k), v)
			if _, ok := r.Field(string(k)); !ok {
				t.Fatalf("field %s yielded but not found", k)
			}
		}
		if d, ok := r.Field("Detail"); ok {
			within("Detail", d)
		}
		r.IDs(func(_ model.IDKind, id []byte) { within("id", id) })
	})
}
