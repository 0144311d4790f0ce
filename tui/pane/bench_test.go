package pane

import (
	"testing"

	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/themes"
)

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
	p := benchPane(b, storetest.Repeated(b, 20000, 2_000_000))
	p.View()
	b.ReportAllocs()
	for b.Loop() {
		p.View()
	}
}

// BenchmarkViewScrolling moves a page each frame, so every row is read, parsed and
// formatted anew.
func BenchmarkViewScrolling(b *testing.B) {
	p := benchPane(b, storetest.Repeated(b, 20000, 2_000_000))
	p.move(-1)
	b.ReportAllocs()
	for b.Loop() {
		p.move(-57)
		p.View()
	}
}

// BenchmarkViewSearching renders with a search highlighted in every row.
func BenchmarkViewSearching(b *testing.B) {
	p := benchPane(b, storetest.Repeated(b, 20000, 2_000_000))
	q, _ := search.Compile("sip", search.Substring)
	p.SetSearch(q, nil)
	p.View()
	for b.Loop() {
		p.View()
	}
}
