package sipsyslog

import (
	"bytes"
	"os"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
)

// FuzzParse checks that no entry makes the parser panic or lose bytes: Raw is the entry,
// every view the record and its shape return points into it (but a SIP message whose line
// breaks rsyslog escaped, decoded into a copy), and a line that starts an entry is read as
// one of a known shape.
func FuzzParse(f *testing.F) {
	for _, path := range []string{"../../testdata/sipsyslog/sip-servers.log", "testdata/kamailio-syslog.log",
		"testdata/kamailio-stderr.log", "testdata/opensips.log", "testdata/rtpengine.log", "testdata/audiocodes-escaped.log",
		"testdata/shipped.log"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			f.Add(line)
		}
	}
	for _, path := range []string{"testdata/kamailio-xlog-dump.log", "testdata/ngcp-sipp.msg"} {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)                                                                      // the whole entry
		f.Add(bytes.TrimPrefix(data, []byte("17(3643) INFO: <script>: New message:\n"))) // the dump alone
	}
	f.Add([]byte("Dec 17 18:18:08 sbc1 kamailio[8813]: INFO: x\nINVITE sip:b@h SIP/2.0\n i: <77aa@host>\n"))
	f.Add([]byte("<13>1 - - - 12 - - ci=<null> call-id: "))
	f.Fuzz(func(t *testing.T, line []byte) {
		orig := bytes.Clone(line)
		var r model.Record
		p := &Parser{Year: 2026}
		starts := p.StartsEntry(line)
		p.Parse(line, &r)
		if starts && r.Plain {
			t.Fatalf("a line that starts an entry is read as plain: %q", line)
		}
		if !bytes.Equal(r.Raw, orig) || !bytes.Equal(line, orig) {
			t.Fatalf("raw bytes changed: %q -> %q", orig, r.Raw)
		}
		within := func(what string, view []byte) {
			if !parsertest.Within(line, view) {
				t.Fatalf("%s %q does not point into the line", what, view)
			}
		}
		within("Node", r.Node)
		shaped := bytes.Equal(r.Module, kamailio) || bytes.Equal(r.Module, opensips) || bytes.Equal(r.Module, rtpengine)
		if !shaped {
			within("Module", r.Module) // the program of a stderr line is told by its shape
		}
		within("Details", r.Details)
		within("Message", r.Message())
		for _, name := range []string{"pid", "program", "Call-ID", "cfgt", "other"} {
			if v, _ := r.Field(name); name != "program" || !shaped {
				within(name, v)
			}
		}
		detail, _ := r.Field("Detail")
		if !parsertest.Within(line, detail) && (bytes.Contains(detail, []byte("#012")) || !bytes.Contains(line, []byte("#01")) || len(detail) > len(line)) {
			t.Fatalf("Detail %q is neither a view of the line nor its escaped line breaks decoded", detail)
		}
		for name, v := range r.Fields() {
			if string(name) != "Detail" {
				within("field", v)
			}
		}
		r.IDs(func(_ model.IDKind, id []byte) {
			if len(id) == 0 {
				t.Fatal("empty id")
			}
			within("id", id)
		})
	})
}
