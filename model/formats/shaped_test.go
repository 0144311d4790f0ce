package formats

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/sim"
)

// TestShapedIsParse reads every sample, each format's and the simulator's, with the parser
// of every format: ParseShaped knows an entry exactly when Parse reads it as not plain, and
// then reads it the same. Auto reads each entry by the first format that knows it, else as
// the first reads a plain line, as it did when each format read it in full.
func TestShapedIsParse(t *testing.T) {
	texts := parsertest.Texts(t, "../../testdata", "../*/testdata")
	var buf bytes.Buffer
	sim.New(3).WriteLines(&buf, 3000)
	texts = append(texts, buf.Bytes())
	for _, name := range Names[:len(Names)-1] { // all but plain, which knows no shape
		newParser, _ := New(name, 2024)
		full, shaped := newParser(), newParser().(model.Shaped)
		known := 0
		for _, text := range texts {
			for _, raw := range split.Entries(text, full.StartsEntry) {
				var want, got model.Record
				full.Parse(raw, &want)
				ok := shaped.ParseShaped(raw, &got)
				if ok != !want.Plain || ok && !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: ParseShaped %v %+v, Parse %+v, of %q", name, ok, got, want, raw)
				}
				if ok {
					known++
				}
			}
		}
		if known < 20 {
			t.Errorf("%s knew %d entries of the samples: the test proves little", name, known)
		}
	}
	auto, _ := New("auto", 2024)
	for _, text := range texts {
		p, each := auto(), newParsers()
		for _, raw := range split.Entries(text, p.StartsEntry) {
			var got, want model.Record
			p.Parse(raw, &got)
			each[0].Parse(raw, &want)
			for _, q := range each[1:] {
				var r model.Record
				if want.Plain {
					if q.Parse(raw, &r); !r.Plain {
						want = r
					}
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("auto read %+v, each format in turn %+v, of %q", got, want, raw)
			}
		}
	}
}

// newParsers returns a parser of each format, in the order auto tries them (Names').
func newParsers() []model.Parser {
	var out []model.Parser
	for _, name := range Names[:len(Names)-1] {
		newParser, _ := New(name, 2024)
		out = append(out, newParser())
	}
	return out
}
