package parallel

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestOrderedKeepsOrder(t *testing.T) {
	var got []int
	o := NewOrdered(4, func(i int) int {
		time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
		return i * 2
	}, func(r int) { got = append(got, r) })
	for i := range 1000 {
		o.Submit(i)
	}
	o.Close()
	if len(got) != 1000 {
		t.Fatalf("%d results, want 1000", len(got))
	}
	for i, r := range got {
		if r != i*2 {
			t.Fatalf("result %d = %d, want %d", i, r, i*2)
		}
	}
}
