package freeswitch

import (
	"bytes"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/split"
)

// FuzzParse checks that no entry makes the parser panic or lose bytes: Raw is the entry,
// every view the record and its fields hold points into it, and an entry is plain exactly
// when its first line starts no entry.
func FuzzParse(f *testing.F) {
	for _, data := range samples(f) {
		for _, raw := range split.Entries(data, new(Parser).StartsEntry) {
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		orig := bytes.Clone(raw)
		var r model.Record
		p := &Parser{Year: 2024}
		p.Parse(raw, &r)
		if !bytes.Equal(r.Raw, orig) || !bytes.Equal(raw, orig) {
			t.Fatalf("raw bytes changed: %q -> %q", orig, r.Raw)
		}
		first, _, _ := bytes.Cut(raw, []byte{'\n'})
		if p.StartsEntry(first) == r.Plain {
			t.Fatalf("%q: starts an entry %v, plain %v", raw, !r.Plain, r.Plain)
		}
		within := func(what string, view []byte) {
			if len(view) > 0 && !parsertest.Within(raw, view) {
				t.Fatalf("%s %q does not point into the entry", what, view)
			}
		}
		if _, trace := r.Shape.(traceShape); !trace { // a siptrace's module is a name of its own
			within("Module", r.Module)
		}
		within("Details", r.Details)
		within("Message", r.Message())
		for k, v := range r.Fields() {
			within(string(k), v)
		}
		d, _ := r.Field("Detail")
		within("Detail", d)
		r.IDs(func(_ model.IDKind, id []byte) { within("id", id) })
	})
}
