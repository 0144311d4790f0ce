package filter

import (
	"bytes"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/sim"
)

// BenchmarkMatch evaluates filters on parsed simulated entries (parsing excluded).
func BenchmarkMatch(b *testing.B) {
	var buf bytes.Buffer
	sim.New(1).WriteLines(&buf, 20000)
	p := &pexip.Parser{}
	var recs []model.Record
	var size int64
	for _, raw := range split.Entries(buf.Bytes(), p.StartsEntry) {
		var r model.Record
		p.Parse(raw, &r)
		recs = append(recs, r)
		size += int64(len(raw)) + 1
	}
	for _, expr := range []string{
		`level >= warning`,
		`call-id == "c56a80d01eae2cd5@10.44.161.165"`,
		`module ^= "administrator." && participant contains alice`,
		`"media stream destroyed"`,
		`message ~ "^Participant (has|failed)"`,
	} {
		f, err := Compile(expr)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(expr, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for i := range recs {
					f.Match(&recs[i])
				}
			}
		})
	}
}
