package store

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
)

// loadText appends the entries of text to s, as one more source.
func loadText(t *testing.T, s *Store, name string, text []byte) {
	t.Helper()
	src := s.AddOrigin(Origin{Name: name, Text: bytes.NewReader(text)})
	if err := s.Load(context.Background(), src, bytes.NewReader(text), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
}

// idless returns n lines that carry no correlation id.
func idless(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, `2026-05-14 10:00:00,000 Level="INFO" Name="support.test" Message="line %d"`+"\n", i)
	}
	return b.Bytes()
}

// TestLettingGoEntriesWithoutIDs (issue 17): a store with a small limit, fed lines that
// carry no ids, compacts an id index that holds none — before any id came, and again
// once every id it held was let go — and goes on indexing the ids that come after.
func TestLettingGoEntriesWithoutIDs(t *testing.T) {
	s := New()
	s.SetMaxEntries(1000)
	loadText(t, s, "before", idless(200000)) // compactions of an index that never held an id
	if s.First() == 0 {
		t.Fatal("the store let no entry go")
	}
	var b bytes.Buffer
	for i := range 1000 {
		fmt.Fprintf(&b, `2026-05-14 10:00:01,000 Level="INFO" Name="support.test" Message="with id" Call-Id="c%d"`+"\n", i)
	}
	loadText(t, s, "ids", b.Bytes())
	if n := len(s.IDs(model.CallID)); n != 1000 {
		t.Fatalf("the id index holds %d Call-Ids, want 1000", n)
	}
	loadText(t, s, "after", idless(200000)) // the ids are let go, then the index is compacted empty
	if ids := s.IDs(model.CallID); len(ids) != 0 {
		t.Errorf("the id index holds %d Call-Ids whose entries were all let go", len(ids))
	}
	if got := s.ByID(model.CallID, "c0"); got != nil {
		t.Errorf("Call-Id c0, let go, is in entries %v", got)
	}
	loadText(t, s, "last", []byte(`2026-05-14 10:00:02,000 Level="INFO" Name="support.test" Message="with id" Call-Id="last"`+"\n"))
	last := uint32(s.Len() - 1)
	if got := s.ByID(model.CallID, "last"); !slices.Equal(got, []uint32{last}) {
		t.Errorf("Call-Id last in entries %v, want [%d]", got, last)
	}
	if held := s.Len() - s.First(); held < 1000 || held > 1000+blockSize {
		t.Errorf("the store holds %d entries, want 1 000 to 1 000 + a block", held)
	}
}

// TestCompactEmptyIDIndex compacts an id index that never held an id, and one whose
// every id was let go, twice each: nothing to keep is not an edge case.
func TestCompactEmptyIDIndex(t *testing.T) {
	x := newIDIndex()
	for range 2 {
		if freed := x.compact(100, nil); len(freed) != 0 {
			t.Fatalf("an empty index let pages %v go", freed)
		}
	}
	x.add(model.CallID, []byte("a"), 5)
	for range 2 {
		x.compact(100, nil)
	}
	if got := x.postings(model.CallID, "a"); got != nil || x.live != 0 || x.chunks.size() != arenaPage {
		t.Errorf("after compaction: postings %v, %d live, %d bytes of chunks; want none, 0, %d", got, x.live, x.chunks.size(), arenaPage)
	}
	x.add(model.CallID, []byte("b"), 200)
	if got := x.postings(model.CallID, "b"); !slices.Equal(got, []uint32{200}) {
		t.Errorf("postings of b %v, want [200]", got)
	}
}
