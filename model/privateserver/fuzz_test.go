package privateserver

import (
	"bytes"
	"os"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
)

// FuzzParse checks that no entry makes the parser panic or lose bytes: Raw is the entry,
// and every view the record and its Shape return points into it.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"sessions", "accounts", "webauth", "cdr"} {
		data, err := os.ReadFile("../../testdata/privateserver/" + name + ".tsv")
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			f.Add(line)
		}
	}
	f.Add([]byte("2012-05-10 17:02:51.377\tDISCONNECT\tCLIENT\t\t\tCLIENT\nCLOSED\t\t62.196.64.113:52034\t\tfalse"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		orig := bytes.Clone(raw)
		var r model.Record
		var p Parser
		p.Parse(raw, &r)
		p.StartsEntry(raw)
		isExportLine(raw)
		if !bytes.Equal(r.Raw, orig) || !bytes.Equal(raw, orig) {
			t.Fatalf("raw bytes changed: %q -> %q", orig, r.Raw)
		}
		within := func(what string, view []byte) {
			if !parsertest.Within(raw, view) {
				t.Fatalf("%s %q does not point into the entry", what, view)
			}
		}
		within("Details", r.Details)
		within("Message", r.Message())
		for name, value := range r.Fields() {
			within(string(name), value)
			if v, ok := r.Field(string(name)); !ok || !bytes.Equal(v, value) {
				t.Fatalf("Field(%s) = %q, %v; Fields gave %q", name, v, ok, value)
			}
		}
		for _, name := range []string{"Timestamp", "Tiscipher", "useragent", "Registration Expires", "ip_address", "Call Date", "Disposition"} {
			v, _ := r.Field(name)
			within(name, v)
		}
		r.IDs(func(kind model.IDKind, id []byte) {
			if kind != model.CallID || string(r.Module) != "privateserver.cdr" || len(id) == 0 {
				t.Fatalf("id %v %q in a %s row", kind, id, r.Module)
			}
			within("id", id)
		})
	})
}
