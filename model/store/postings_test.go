package store

import (
	"math/rand/v2"
	"slices"
	"sort"
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

func TestPostingsLetGoKeepPositions(t *testing.T) {
	var p Postings
	for i := range uint32(1000) {
		p.add(i * 3)
	}
	before := p.snapshot()
	p.dropBelow(600) // posting 200 is entry 600: the chunks before position 192 go
	if p.First() != 192 || p.Len() != 1000 {
		t.Fatalf("after dropping below 600: positions %d to %d, want 192 to 1000", p.First(), p.Len())
	}
	for _, i := range []int{192, 200, 255, 256, 999} {
		if got := p.At(i); got != uint32(i*3) {
			t.Errorf("At(%d) = %d, want %d", i, got, i*3)
		}
	}
	if got := p.Search(0); got != 192 {
		t.Errorf("Search(0) = %d, want the first position held, 192", got)
	}
	if got := p.Search(601); got != 201 {
		t.Errorf("Search(601) = %d, want 201", got)
	}
	if before.At(5) != 15 || before.First() != 0 {
		t.Errorf("a snapshot taken before changed: At(5) = %d", before.At(5))
	}
	p.add(3000)
	if p.Len() != 1001 || p.At(1000) != 3000 {
		t.Errorf("after an append: Len %d, At(1000) = %d", p.Len(), p.At(1000))
	}
	p.dropBelow(5000) // every posting is below
	if p.First() != 1001 || p.Len() != 1001 || len(p.Slice()) != 0 {
		t.Errorf("after dropping all: positions %d to %d, %d held", p.First(), p.Len(), len(p.Slice()))
	}
	p.add(5001)
	if p.At(1001) != 5001 || p.Search(5001) != 1001 {
		t.Errorf("after dropping all and an append: At(1001) = %d", p.At(1001))
	}
}

// TestPostingsSearchAndHide checks Search and the postings shown from a floor against a
// plain list, over random gaps and floors; Search once missed a posting that starts a
// skip-chunk when the chunk before held only smaller ones.
func TestPostingsSearchAndHide(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 2000 {
		var p Postings
		var all []uint32
		id := uint32(0)
		for range 500 {
			id += uint32(1 + rng.IntN(300))
			p.add(id)
			all = append(all, id)
		}
		probe := uint32(rng.IntN(int(id) + 2))
		if got, want := p.Search(probe), sort.Search(len(all), func(i int) bool { return all[i] >= probe }); got != want {
			t.Fatalf("trial %d: Search(%d) = %d, want %d", trial, probe, got, want)
		}
		floor := uint32(rng.IntN(int(id)))
		p.dropBelow(floor)
		want := slices.DeleteFunc(slices.Clone(all), func(v uint32) bool { return v < floor })
		if got := p.snapshot().from(floor).Slice(); !slices.Equal(got, want) {
			t.Fatalf("trial %d: from(%d) holds %d postings, want %d", trial, floor, len(got), len(want))
		}
	}
}
