package pexip

import (
	"bytes"
	"os"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
)

// FuzzParse checks that no line makes the parser panic or lose bytes: Raw is the line, and
// every view the record holds points into it.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"../../testdata/quirks.log", "../../testdata/plain.log"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			f.Add(line)
		}
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		orig := bytes.Clone(line)
		var r model.Record
		p := &Parser{Year: 2026}
		p.Parse(line, &r)
		p.StartsEntry(line)
		if !bytes.Equal(r.Raw, orig) || !bytes.Equal(line, orig) {
			t.Fatalf("raw bytes changed: %q -> %q", orig, r.Raw)
		}
		for name, view := range map[string][]byte{"Node": r.Node, "Module": r.Module, "Details": r.Details} {
			if len(view) > 0 && !parsertest.Within(line, view) {
				t.Fatalf("%s %q does not point into the line", name, view)
			}
		}
		r.Message()
		r.IDs(func(model.IDKind, []byte) {})
	})
}
