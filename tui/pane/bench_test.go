package pane

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/scan"
	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source/sim"
	"github.com/calltail/calltail/themes"
)

// bigStore returns a store of n entries: a simulated log of 20 000 lines, indexed again and
// again (the same text, new entries), which is what View's cost depends on.
func bigStore(b *testing.B, n int) *store.Store {
	var buf bytes.Buffer
	sim.New(1).WriteLines(&buf, 20000)
	path := filepath.Join(b.TempDir(), "support.log")
	os.WriteFile(path, buf.Bytes(), 0o600)
	f, _ := os.Open(path)
	b.Cleanup(func() { f.Close() })
	st := store.New()
	src := st.AddSource(store.Source{Name: path, Text: f})
	p := newParser()
	var rec model.Record
	var batch store.Batch
	for off, raw := range scan.Entries(buf.Bytes(), p.StartsEntry) {
		p.Parse(raw, &rec)
		batch.Add(&rec, src, int64(off))
	}
	for st.Len() < n {
		st.Append(&batch)
	}
	return st
}

func benchPane(b *testing.B, st *store.Store) *Model {
	styles, _ := themes.Get("default")
	p := New(Config{Title: "Support log", Store: st, NewParser: newParser, Notify: func() {}, Styles: &styles})
	b.Cleanup(p.Close)
	p.SetSize(200, 58)
	p.Sync()
	return p
}

// BenchmarkView renders a 200x60 pane over 2 M entries, following the end (rows cached).
func BenchmarkView(b *testing.B) {
	p := benchPane(b, bigStore(b, 2_000_000))
	p.View()
	b.ReportAllocs()
	for b.Loop() {
		p.View()
	}
}

// BenchmarkViewScrolling moves a page each frame, so every row is read, parsed and
// formatted anew.
func BenchmarkViewScrolling(b *testing.B) {
	p := benchPane(b, bigStore(b, 2_000_000))
	p.move(-1)
	b.ReportAllocs()
	for b.Loop() {
		p.move(-57)
		p.View()
	}
}

// BenchmarkViewSearching renders with a search highlighted in every row.
func BenchmarkViewSearching(b *testing.B) {
	p := benchPane(b, bigStore(b, 2_000_000))
	q, _ := search.Compile("sip", search.Substring)
	p.SetSearch(q, false)
	p.View()
	for b.Loop() {
		p.View()
	}
}
