package store

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestPostings(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, gap := range []int{1, 3, 200, 100000} {
		var p Postings
		var want []uint32
		id := uint32(rng.IntN(10))
		for range 1000 {
			p.add(id)
			p.add(id) // a repeat is ignored
			want = append(want, id)
			id += uint32(1 + rng.IntN(gap))
		}
		if p.Len() != len(want) || !slices.Equal(p.Slice(), want) {
			t.Fatalf("gap %d: postings = %v..., want %v...", gap, p.Slice()[:5], want[:5])
		}
		for i, w := range want {
			if got := p.At(i); got != w {
				t.Fatalf("gap %d: At(%d) = %d, want %d", gap, i, got, w)
			}
		}
		for _, probe := range []uint32{0, want[0], want[500] - 1, want[500], want[999], want[999] + 1} {
			wantPos, _ := slices.BinarySearch(want, probe)
			if got := p.Search(probe); got != wantPos {
				t.Errorf("gap %d: Search(%d) = %d, want %d", gap, probe, got, wantPos)
			}
		}
		if gap == 1 && len(p.data) > 1100 {
			t.Errorf("dense postings take %d bytes for 1000 entries, want about 1 each", len(p.data))
		}
	}
}

func TestPostingsSnapshotIsStable(t *testing.T) {
	var p Postings
	for i := range uint32(100) {
		p.add(i * 2)
	}
	snap := p.snapshot()
	for i := range uint32(1000) {
		p.add(200 + i)
	}
	if snap.Len() != 100 || snap.At(99) != 198 || len(snap.Slice()) != 100 {
		t.Errorf("snapshot changed after appends: len %d, last %d", snap.Len(), snap.At(99))
	}
}
