package calls

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/calltail/calltail/model/paged"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
)

// TestLettingGoLinesWithoutIDs (issue 17): a store with a small limit and a calls index,
// fed lines that carry no ids, then calls, then such lines again, so that the index
// compacts the store's ids when none was ever seen and when every one was let go; the
// calls let go leave, and a call that comes after is indexed as any other.
func TestLettingGoLinesWithoutIDs(t *testing.T) {
	st := store.New()
	st.SetMaxEntries(1000)
	x := New(st, newParser)
	feed := func(name string, text []byte) {
		t.Helper()
		src := st.AddOrigin(store.Origin{Name: name, Text: bytes.NewReader(text)})
		if err := st.Load(context.Background(), src, bytes.NewReader(text), newParser, split.Options{}); err != nil {
			t.Fatal(err)
		}
		x.ReadAhead()
	}
	idless := func(n int) []byte {
		var b bytes.Buffer
		for i := range n {
			fmt.Fprintf(&b, `2026-05-14 10:00:00,000 Level="INFO" Name="support.test" Message="line %d"`+"\n", i)
		}
		return b.Bytes()
	}
	const admin = `2026-05-14 10:00:01,000 Level="INFO" Name="administrator.conference" `
	calls := func(prefix string, n int) []byte {
		var b bytes.Buffer
		for i := range n {
			fmt.Fprintf(&b, admin+`Message="Participant has joined." Call-Id="%s%d" Participant-Id="p-%s%d"`+"\n", prefix, i, prefix, i)
			fmt.Fprintf(&b, admin+`Message="Participant has disconnected." Call-Id="%s%d" Participant-Id="p-%s%d"`+"\n", prefix, i, prefix, i)
		}
		return b.Bytes()
	}

	feed("before", idless(200000))
	if st.First() == 0 {
		t.Fatal("the store let no entry go")
	}
	feed("calls", calls("c", 300))
	if n := len(x.Calls()); n != 300 {
		t.Fatalf("%d calls listed, want 300", n)
	}
	feed("after", idless(200000))
	if n := len(x.Calls()); n != 0 {
		t.Errorf("%d calls listed, whose lines were all let go", n)
	}
	if _, ok := x.Find(st, "c0"); ok {
		t.Error("call c0, let go, is still found")
	}
	for k := range x.ids.Pages() {
		if x.ids.Held(k) && (k+1)*paged.PageLen < x.ids.Len() {
			t.Errorf("the calls index holds page %d of ids, whose calls were all let go", k)
		}
	}
	feed("last", calls("last", 1))
	n, ok := x.Find(st, "last0")
	if !ok {
		t.Fatal("the call that came last is not found")
	}
	c, _ := x.Call(n)
	if want := []uint32{uint32(st.Len() - 2), uint32(st.Len() - 1)}; !slices.Equal(x.Entries(st, n), want) || c.State != Ended {
		t.Errorf("call %d: entries %v, state %v; want %v, ended", n, x.Entries(st, n), c.State, want)
	}
}

// TestBatchLongerThanTheLimit loads one-line calls, each with a Call-Id of its own, into
// a store that holds fewer entries than a batch has: a batch is partly let go as it is
// taken in, with the ids only its entries let go carried. The index makes no call of
// those entries, and holds no page of ids that it has all forgotten.
func TestBatchLongerThanTheLimit(t *testing.T) {
	var b bytes.Buffer
	for i := range 300000 {
		fmt.Fprintf(&b, `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Call-Id="c%d"`+"\n", i)
	}
	st := store.New()
	st.SetMaxEntries(1000)
	x := New(st, newParser)
	text := b.Bytes()
	src := st.AddOrigin(store.Origin{Name: "many.log", Text: bytes.NewReader(text)})
	if err := st.Load(context.Background(), src, bytes.NewReader(text), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	held := st.Len() - st.First()
	if n := len(x.Calls()); n > held {
		t.Errorf("%d calls listed, more than the %d entries held", n, held)
	}
	stale := 0
	for k := range x.ids.Pages() {
		if !x.ids.Held(k) || (k+1)*paged.PageLen >= x.ids.Len() {
			continue // let go, or the last page, which may get new ids
		}
		forgotten := true
		for i := k * paged.PageLen; i < (k+1)*paged.PageLen && forgotten; i++ {
			s := x.ids.Get(i)
			forgotten = s.parent == uint32(i) && s.call == 0 && s.group == 0
		}
		if forgotten {
			stale++
		}
	}
	if stale > 0 {
		t.Errorf("the calls index holds %d pages of ids it has all forgotten (entries from %d of %d held)", stale, st.First(), st.Len())
	}
}
