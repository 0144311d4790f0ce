// Package storetest builds stores of simulated Pexip logs for tests and benchmarks.
package storetest

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/sim"
)

// NewParser returns the Pexip parser the stores are loaded with.
func NewParser() model.Parser { return &pexip.Parser{} }

// File writes n lines of the simulation seeded with seed to support.log in tb's temp dir
// and opens it for the rest of the test. It returns the file and its text.
func File(tb testing.TB, seed uint64, n int) (*os.File, []byte) {
	tb.Helper()
	var buf bytes.Buffer
	if err := sim.New(seed).WriteLines(&buf, n); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "support.log")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f, buf.Bytes()
}

// Load indexes a log's text into st, reading it from r (the text itself, or its file).
func Load(tb testing.TB, st *store.Store, name string, r io.ReaderAt, opt split.Options) {
	tb.Helper()
	src := st.AddOrigin(store.Origin{Name: name, Text: r})
	if err := st.Load(context.Background(), src, io.NewSectionReader(r, 0, 1<<62), NewParser, opt); err != nil {
		tb.Fatal(err)
	}
}

// Repeated returns a store of at least n entries: lines simulated lines (seed 1), indexed
// again and again (the same text, new entries), for benchmarks whose cost depends on the
// number of entries.
func Repeated(tb testing.TB, lines, n int) *store.Store {
	f, text := File(tb, 1, lines)
	st := store.New()
	src := st.AddOrigin(store.Origin{Name: f.Name(), Text: f})
	p := NewParser()
	var rec model.Record
	var batch store.Batch
	for off, raw := range split.Entries(text, p.StartsEntry) {
		p.Parse(raw, &rec)
		batch.Add(&rec, src, int64(off))
	}
	for st.Len() < n {
		st.Append(&batch)
	}
	return st
}
