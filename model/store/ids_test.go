package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/calltail/calltail/model"
)

// TestIDPostingsRoundTrip adds postings of every size of delta (entry 0, neighbours, gaps
// of 2^7, 2^14, 2^21 and now and then 2^28), twice some, to ids of every list length through several
// chunk sizes, with texts short and longer than an arena page, some added late, then
// compacts: each id reads back its text and the postings a plain map holds.
func TestIDPostingsRoundTrip(t *testing.T) {
	x := newIDIndex()
	rng := rand.New(rand.NewPCG(1, 2))
	want := map[string][]uint32{}
	texts := []string{strings.Repeat("x", arenaPage+10)}
	for i := range 300 {
		texts = append(texts, fmt.Sprintf("id-%d", i))
	}
	gaps := []uint32{1, 1, 2, 127, 128, 1 << 14, 1 << 21}
	entry := uint32(0)
	for range 20000 {
		id := texts[rng.IntN(len(texts))]
		x.add(model.CallID, []byte(id), entry)
		if w := want[id]; len(w) == 0 || w[len(w)-1] != entry {
			want[id] = append(w, entry)
		}
		if rng.IntN(4) == 0 {
			x.add(model.CallID, []byte(id), entry) // the same entry twice
		}
		if rng.IntN(50) == 0 && entry > 5 { // a late posting, before entries indexed
			late := entry - 3
			x.addLate(model.CallID, []byte(id), late)
			if w := want[id]; !slices.Contains(w, late) {
				at, _ := slices.BinarySearch(w, late)
				want[id] = slices.Insert(w, at, late)
			}
		}
		if rng.IntN(1000) == 0 {
			entry += 1 << 28
		}
		entry += gaps[rng.IntN(len(gaps))]
	}
	check := func(when string) {
		for id, w := range want {
			if got := x.postings(model.CallID, id); !slices.Equal(got, w) {
				t.Fatalf("%s: postings of %.10s: %d of them, want %d (first difference near %v)", when, id, len(got), len(w), firstDiff(got, w))
			}
			n, _ := x.number(model.CallID, id)
			if _, text := x.idText(n); string(text) != id {
				t.Fatalf("%s: text of id %d is %.10q, want %.10q", when, n, text, id)
			}
		}
	}
	if entry < 1<<28 {
		t.Fatalf("the last entry is %d: the big gaps were not tried", entry)
	}
	check("indexed")
	x.compact(0, nil)
	check("compacted")
}

// firstDiff returns the first position where a and b differ, and their values there.
func firstDiff(a, b []uint32) []uint32 {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return []uint32{uint32(i), a[i], b[i]}
		}
	}
	return nil
}

// TestIDRecordIsCompact keeps an id's record at 20 bytes: one is held per id.
func TestIDRecordIsCompact(t *testing.T) {
	if n := unsafe.Sizeof(idRecord{}); n != 20 {
		t.Errorf("an id record takes %d bytes, want 20", n)
	}
}
