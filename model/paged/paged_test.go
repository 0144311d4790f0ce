package paged

import "testing"

func TestSlice(t *testing.T) {
	s := New(func(i int) int { return i })
	s.Grow(1000)
	if s.Len() != 1000 || s.Pages() != 4 || *s.At(999) != 999 {
		t.Fatalf("Len %d, Pages %d, At(999) %d", s.Len(), s.Pages(), *s.At(999))
	}
	*s.At(300) = -1
	s.Free(1)
	if s.Held(1) || !s.Held(3) {
		t.Error("page 1 still held, or page 3 let go")
	}
	if got := *s.At(300); got != 300 {
		t.Errorf("a page let go reads %d at 300, want it fresh (300)", got)
	}
	var z Slice[struct{ a, b uint32 }]
	z.Grow(1)
	if *z.At(0) != (struct{ a, b uint32 }{}) {
		t.Error("no fresh func: want zero elements")
	}
}
