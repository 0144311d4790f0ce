package pane

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/themes"
)

func newParser() model.Parser { return &pexip.Parser{} }

// newPane loads n simulated lines into a store and returns a pane over it.
func newPane(t *testing.T, n int, admin bool) (*Model, *store.Store) {
	t.Helper()
	f, _ := storetest.File(t, 3, n)
	st := store.New()
	storetest.Load(t, st, f.Name(), f, split.Options{})
	styles, _ := themes.Get("mono")
	p := New(Config{Title: "test", Admin: admin, Store: st, NewParser: newParser, Notify: func() {}, Styles: &styles})
	t.Cleanup(p.Close)
	p.SetSize(120, 20)
	return p, st
}

// settleAll syncs until the pane's background work is done.
func settleAll(t *testing.T, p *Model) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		p.Sync()
		done, total := p.Progress()
		_, complete := p.Matches()
		if done == total && complete {
			p.Sync()
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatal("background work did not finish")
}

func TestSearchFindsAndJumps(t *testing.T) {
	p, _ := newPane(t, 3000, false)
	settleAll(t, p)
	q, _ := search.Compile("alice", search.Substring)
	from := p.Position()
	p.SetSearch(q, &from)
	settleAll(t, p)
	n, complete := p.Matches()
	if n == 0 || !complete {
		t.Fatalf("%d matches, complete %v", n, complete)
	}
	raw, _ := p.Selected()
	if !strings.Contains(strings.ToLower(string(raw)), "alice") {
		t.Errorf("the cursor is not on a match: %s", raw)
	}
}

// TestHugeLineRowsReadTheirBeginning shows a 20 MB line among short ones: its row reads
// the line's first rowBytes only, and shows its start.
func TestHugeLineRowsReadTheirBeginning(t *testing.T) {
	text := `2026-05-14 10:00:00,000 Level="INFO" Name="support.sip" Message="short"` + "\n" +
		`2026-05-14 10:00:01,000 Level="INFO" Name="support.sip" Message="huge" Detail="` + strings.Repeat("A", 20<<20) + "\"\n"
	path := filepath.Join(t.TempDir(), "support.log")
	os.WriteFile(path, []byte(text), 0o600)
	f, _ := os.Open(path)
	t.Cleanup(func() { f.Close() })
	st := store.New()
	storetest.Load(t, st, path, f, split.Options{BlockSize: 32 << 20, MaxBlock: 32 << 20})
	styles, _ := themes.Get("mono")
	p := New(Config{Title: "test", Store: st, NewParser: newParser, Notify: func() {}, Styles: &styles})
	t.Cleanup(p.Close)
	p.SetSize(120, 20)
	settleAll(t, p)
	view := p.View()
	if !strings.Contains(view, "huge") || !strings.Contains(view, "AAAA") {
		t.Fatalf("the huge line's row:\n%s", view)
	}
	if cap(p.buf) > 2*rowBytes {
		t.Errorf("drawing the rows read %d bytes of an entry, want at most %d", cap(p.buf), rowBytes)
	}
}

// TestPaneHoldsItsPlaceAsOldEntriesGo fills a store beyond its limit under two panes, one
// filtered: a cursor on an entry that stays stays on it, a cursor on an entry let go moves
// to the first held, and no row reads an entry let go.
func TestPaneHoldsItsPlaceAsOldEntriesGo(t *testing.T) {
	f, text := storetest.File(t, 3, 200000)
	half := int64(bytes.LastIndexByte(text[:len(text)/2], '\n') + 1)
	st := store.New()
	st.SetMaxEntries(70000)
	storetest.Load(t, st, f.Name(), io.NewSectionReader(f, 0, half), split.Options{})
	styles, _ := themes.Get("mono")
	var panes []*Model
	for _, filter := range []string{"", "level >= warning"} {
		p := New(Config{Title: "test", Store: st, NewParser: newParser, Notify: func() {}, Styles: &styles})
		t.Cleanup(p.Close)
		p.SetSize(120, 20)
		if err := p.SetFilter(filter); err != nil {
			t.Fatal(err)
		}
		settleAll(t, p)
		panes = append(panes, p)
	}
	all, warnings := panes[0], panes[1]
	all.Home()
	all.scroll(all.Len() - 10) // near the end of what the first half holds: it stays
	kept, _ := all.Selected()
	warnings.Home() // the first warning: it goes
	storetest.Load(t, st, f.Name(), io.NewSectionReader(f, half, int64(len(text))-half), split.Options{})
	if st.First() == 0 {
		t.Fatal("the store let no entry go")
	}
	for _, p := range panes {
		settleAll(t, p)
	}
	if got, _ := all.Selected(); !bytes.Equal(got, kept) {
		t.Errorf("the cursor moved off its entry:\n got %.80q\nwant %.80q", got, kept)
	}
	if all.Following() {
		t.Error("the pane follows again: it was held still")
	}
	if raw, ok := warnings.Selected(); !ok || !bytes.Contains(raw, []byte(`Level="WARNING"`)) && !bytes.Contains(raw, []byte(`Level="ERROR"`)) {
		t.Errorf("the filtered pane's cursor, its entry let go, selects %.80q, %v; want the first warning held", raw, ok)
	}
	if n := st.Len() - st.First(); all.Len() != n {
		t.Errorf("the pane lists %d entries, the store holds %d", all.Len(), n)
	}
	for _, p := range panes {
		p.Home()
		if view := p.View(); strings.Contains(view, "no longer held") || strings.Contains(view, "(entry") {
			t.Errorf("a row reads an entry let go:\n%s", view)
		}
	}
}
