package filtered

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/sim"
)

func newParser() model.Parser { return &pexip.Parser{} }

// fixture is a store loaded from simulated logs, with the parsed records to check against.
type fixture struct {
	st   *store.Store
	recs []model.Record
}

func load(t *testing.T, n int) *fixture {
	f, text := storetest.File(t, 5, n)
	st := store.New()
	storetest.Load(t, st, f.Name(), f, split.Options{BlockSize: 256 << 10})
	fx := &fixture{st: st}
	p := newParser()
	for _, raw := range split.Entries(text, p.StartsEntry) {
		var r model.Record
		p.Parse(raw, &r)
		fx.recs = append(fx.recs, r)
	}
	return fx
}

// wait waits until the list has examined its whole base.
func wait(t *testing.T, l *List) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		done, total := l.Progress()
		if done == total {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("list examined %d of %d", done, total)
		}
		time.Sleep(time.Millisecond)
	}
}

func ids(s Snap) []uint32 {
	var out []uint32
	for i := range s.Len() {
		out = append(out, s.At(i))
	}
	return out
}

func TestListsAgreeWithAScan(t *testing.T) {
	fx := load(t, 20000)
	all := func() Base { return All{N: fx.st.Len()} }
	admin := func() Base { return fx.st.Admin() }
	cases := []struct {
		name   string
		source BaseFunc
		min    model.Level
		expr   string
		want   func(r *model.Record) bool
	}{
		{"everything", all, model.LevelDebug, "", func(*model.Record) bool { return true }},
		{"admin", admin, model.LevelDebug, "", (*model.Record).IsAdmin},
		{"warnings", all, model.LevelWarning, "", func(r *model.Record) bool { return r.Level >= model.LevelWarning }},
		{"admin warnings", admin, model.LevelWarning, "", func(r *model.Record) bool { return r.IsAdmin() && r.Level >= model.LevelWarning }},
		{"expression", all, model.LevelDebug, `module ^= "support.sip" && detail contains "m=video"`, nil},
		{"text in admin, info and up", admin, model.LevelInfo, `alice`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spec := Spec{MinLevel: tc.min}
			want := tc.want
			if tc.expr != "" {
				f, err := filter.Compile(tc.expr)
				if err != nil {
					t.Fatal(err)
				}
				spec.Match = f
				base := tc.want
				want = func(r *model.Record) bool {
					return (base == nil || base(r)) && f.Match(r) && r.Level >= tc.min && (tc.name != "text in admin, info and up" || r.IsAdmin())
				}
			}
			var expected []uint32
			for i := range fx.recs {
				if want(&fx.recs[i]) {
					expected = append(expected, uint32(i))
				}
			}
			l := New(fx.st, tc.source, spec, newParser, func() {})
			defer l.Close()
			wait(t, l)
			if got := ids(l.Snap()); !slices.Equal(got, expected) {
				t.Errorf("%d entries, want %d", len(got), len(expected))
			}
		})
	}
}

func TestListOfAListAndSearch(t *testing.T) {
	fx := load(t, 5000)
	warn := New(fx.st, func() Base { return All{N: fx.st.Len()} }, Spec{MinLevel: model.LevelWarning}, newParser, func() {})
	defer warn.Close()
	wait(t, warn)
	f, _ := filter.Compile("login")
	search := New(fx.st, func() Base { return warn.Snap() }, Spec{MinLevel: model.LevelDebug, Match: f}, newParser, func() {})
	defer search.Close()
	wait(t, search)
	s := search.Snap()
	if s.Len() == 0 {
		t.Fatal("no warning mentions login in the simulation")
	}
	for _, id := range ids(s) {
		r := fx.recs[id]
		if r.Level < model.LevelWarning || !f.Match(&r) {
			t.Errorf("entry %d is not a warning about login", id)
		}
	}
	if pos := warn.Snap().Search(s.At(0)); warn.Snap().At(pos) != s.At(0) {
		t.Errorf("Search(%d) = position %d", s.At(0), pos)
	}
}

// TestListFollowsAGrowingStore appends to the store and checks that Sync examines only
// the new entries and finds their matches.
func TestListFollowsAGrowingStore(t *testing.T) {
	var buf bytes.Buffer
	sim.New(9).WriteLines(&buf, 10000)
	data := buf.Bytes()
	path := filepath.Join(t.TempDir(), "support.log")
	os.WriteFile(path, data, 0o600)
	f, _ := os.Open(path)
	defer f.Close()
	st := store.New()
	src := st.AddOrigin(store.Origin{Name: path, Text: f})
	half := bytes.IndexByte(data[len(data)/2:], '\n') + len(data)/2 + 1
	st.Load(context.Background(), src, bytes.NewReader(data[:half]), newParser, split.Options{})
	l := New(st, func() Base { return All{N: st.Len()} }, Spec{MinLevel: model.LevelWarning}, newParser, func() {})
	defer l.Close()
	wait(t, l)
	first := l.Snap().Len()
	// Append the second half, as the same source at its offsets.
	b := &store.Batch{}
	p := newParser()
	var rec model.Record
	for off, raw := range split.Entries(data[half:], p.StartsEntry) {
		p.Parse(raw, &rec)
		b.Add(&rec, src, int64(half+off))
	}
	st.Append(b)
	l.Sync()
	wait(t, l)
	var want int
	for _, raw := range split.Entries(data, p.StartsEntry) {
		p.Parse(raw, &rec)
		if rec.Level >= model.LevelWarning {
			want++
		}
	}
	if got := l.Snap().Len(); got != want || got <= first {
		t.Errorf("after growing: %d entries (was %d), want %d", got, first, want)
	}
}
