package flexisip

import (
	"bytes"
	"os"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/split"
)

// FuzzParse checks that no entry makes the parser panic or lose bytes: Raw is the entry,
// and every view the record and its fields hold points into it.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"../../testdata/flexisip/flexisip-proxy.log", "../../testdata/flexisip/users/example.org/alice/2024-12-17.log"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, raw := range split.Entries(data, new(Parser).StartsEntry) {
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		orig := bytes.Clone(raw)
		var r model.Record
		p := new(Parser)
		p.Parse(raw, &r)
		p.StartsEntry(raw)
		if !bytes.Equal(r.Raw, orig) || !bytes.Equal(raw, orig) {
			t.Fatalf("raw bytes changed: %q -> %q", orig, r.Raw)
		}
		within := func(what string, view []byte) {
			if len(view) > 0 && !parsertest.Within(raw, view) {
				t.Fatalf("%s %q does not point into the entry", what, view)
			}
		}
		if _, event := r.Shape.(eventShape); !event { // the event log's modules are names of its kinds
			within("Module", r.Module)
		}
		within("Details", r.Details)
		within("Message", r.Message())
		for k, v := range r.Fields() {
			within(string(k), v)
		}
		r.IDs(func(_ model.IDKind, id []byte) { within("id", id) })
	})
}
