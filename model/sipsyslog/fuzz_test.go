package sipsyslog

import (
	"bytes"
	"os"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
)

// FuzzParse checks that no entry makes the parser panic or lose bytes: Raw is the entry,
// and every view the record and its shape return points into it.
func FuzzParse(f *testing.F) {
	data, err := os.ReadFile("../../testdata/sipsyslog/sip-servers.log")
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		f.Add(line)
	}
	f.Add([]byte("Dec 17 18:18:08 sbc1 kamailio[8813]: INFO: x\nINVITE sip:b@h SIP/2.0\n i: <77aa@host>\n"))
	f.Add([]byte("<13>1 - - - 12 - - ci=<null> call-id: "))
	f.Fuzz(func(t *testing.T, line []byte) {
		orig := bytes.Clone(line)
		var r model.Record
		p := &Parser{Year: 2026}
		p.StartsEntry(line)
		p.Parse(line, &r)
		if !bytes.Equal(r.Raw, orig) || !bytes.Equal(line, orig) {
			t.Fatalf("raw bytes changed: %q -> %q", orig, r.Raw)
		}
		within := func(what string, view []byte) {
			if !parsertest.Within(line, view) {
				t.Fatalf("%s %q does not point into the line", what, view)
			}
		}
		within("Node", r.Node)
		within("Module", r.Module)
		within("Details", r.Details)
		within("Message", r.Message())
		for _, name := range []string{"pid", "program", "Call-ID", "other"} {
			v, _ := r.Field(name)
			within(name, v)
		}
		for _, v := range r.Fields() {
			within("field", v)
		}
		r.IDs(func(_ model.IDKind, id []byte) {
			if len(id) == 0 {
				t.Fatal("empty id")
			}
			within("id", id)
		})
	})
}
