package pexip

import (
	"bytes"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/sim"
)

// simEntries returns the entries of n simulated lines and their total size.
func simEntries(b *testing.B, n int) ([][]byte, int64) {
	var buf bytes.Buffer
	if err := sim.New(1).WriteLines(&buf, n); err != nil {
		b.Fatal(err)
	}
	var entries [][]byte
	var size int64
	for _, raw := range split.Entries(buf.Bytes(), (&Parser{}).StartsEntry) {
		entries = append(entries, raw)
		size += int64(len(raw)) + 1
	}
	return entries, size
}

// BenchmarkParse parses simulated support-log entries: time stamps, level, module.
func BenchmarkParse(b *testing.B) {
	entries, size := simEntries(b, 20000)
	p := &Parser{}
	var r model.Record
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range entries {
			p.Parse(raw, &r)
		}
	}
}

// BenchmarkParseWithIDs also tokenizes every detail to find the correlation ids, as
// indexing does.
func BenchmarkParseWithIDs(b *testing.B) {
	entries, size := simEntries(b, 20000)
	p := &Parser{}
	var r model.Record
	ids := 0
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, raw := range entries {
			p.Parse(raw, &r)
			r.IDs(func(model.IDKind, []byte) { ids++ })
		}
	}
}

// BenchmarkStartsEntry is the per-line check that splits text into entries.
func BenchmarkStartsEntry(b *testing.B) {
	entries, size := simEntries(b, 20000)
	p := &Parser{}
	b.SetBytes(size)
	for b.Loop() {
		for _, raw := range entries {
			p.StartsEntry(raw)
		}
	}
}
