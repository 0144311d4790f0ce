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

func TestAppendAllTrim(t *testing.T) {
	var s Slice[*int]
	for i := range 3*PageLen + 10 {
		v := i
		s.Append(&v)
	}
	for i, v := range s.All() {
		if i < 2*PageLen+5 {
			*v = nil // all of pages 0 and 1, part of page 2
		}
	}
	s.Trim(func(v **int) bool { return *v == nil })
	if s.Held(0) || s.Held(1) || !s.Held(2) || !s.Held(3) {
		t.Errorf("held after Trim: %v %v %v %v; want pages 2 and 3 only", s.Held(0), s.Held(1), s.Held(2), s.Held(3))
	}
	n := 0
	for i, v := range s.All() {
		if *v != nil && **v != i {
			t.Fatalf("element %d holds %d", i, **v)
		}
		n++
	}
	if n != PageLen+10 || s.Len() != 3*PageLen+10 { // pages 2 and 3
		t.Errorf("All yields %d elements of %d", n, s.Len())
	}
}
