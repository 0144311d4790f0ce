package kv

import (
	"bytes"
	"testing"

	"github.com/calltail/calltail/sim"
)

// BenchmarkAll reads every pair of 20 000 simulated Pexip lines: what indexing does for
// each entry's ids.
func BenchmarkAll(b *testing.B) {
	var buf bytes.Buffer
	sim.New(1).WriteLines(&buf, 20000)
	lines := bytes.Split(buf.Bytes(), []byte("\n"))
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		n := 0
		for _, l := range lines {
			for range All(l) {
				n++
			}
		}
	}
}
