package calls

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestListsAreSlices adds to, frees and reads many lists at random and checks each against
// a slice that does the same, twice over: blocks outgrown and let go are used again
// without one list seeing another's elements, and the second round takes no more pages.
func TestListsAreSlices(t *testing.T) {
	var ls lists
	size := 0
	for round := range 2 {
		r := rand.New(rand.NewPCG(1, 2))
		got := make([]list, 200)
		want := make([][]uint32, len(got))
		for step := range 20000 {
			i := r.IntN(len(got))
			switch op := r.IntN(10); {
			case op == 0:
				ls.Free(&got[i])
				want[i] = nil
			case op == 1: // another list's elements, as absorb adds them
				if j := r.IntN(len(got)); j != i && len(want[i])+len(want[j]) < 5000 {
					ls.Add(&got[i], ls.Of(got[j])...)
					want[i] = append(want[i], want[j]...)
				}
			default:
				vs := make([]uint32, 1+r.IntN(3))
				for k := range vs {
					vs[k] = r.Uint32()
				}
				ls.Add(&got[i], vs...)
				want[i] = append(want[i], vs...)
			}
			if step%7 == 0 || round == 1 && step%97 == 0 {
				for j := range got {
					if !slices.Equal(ls.Of(got[j]), want[j]) {
						t.Fatalf("round %d, step %d: list %d is %v, want %v", round, step, j, ls.Of(got[j]), want[j])
					}
				}
			}
		}
		for i := range got {
			ls.Free(&got[i])
		}
		if round == 1 && ls.size() != size {
			t.Errorf("the lists hold %d bytes after the second round, %d after the first: blocks let go are not used again", ls.size(), size)
		}
		size = ls.size()
	}
}
