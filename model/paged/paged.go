// Package paged is a slice kept in pages, so that the pages no longer needed can be let
// go one by one: the indexes of ids a long live session has seen grow for ever, but the
// ids of calls that ended long ago are needed no more.
package paged

import "iter"

// PageLen is how many elements a page holds.
const PageLen = 256

// Slice is a growable slice of T in pages of PageLen. A page let go reads, and is made
// again when written, as fresh elements (see New).
type Slice[T any] struct {
	pages [][]T
	n     int
	fresh func(i int) T // the element i of a new page
}

// New returns an empty Slice whose new elements are fresh(i), or the zero T if fresh is nil.
func New[T any](fresh func(i int) T) Slice[T] { return Slice[T]{fresh: fresh} }

// Len returns the number of elements.
func (s *Slice[T]) Len() int { return s.n }

// Grow makes the slice at least n elements long.
func (s *Slice[T]) Grow(n int) {
	for len(s.pages)*PageLen < n {
		s.pages = append(s.pages, nil)
	}
	s.n = max(s.n, n)
}

// At returns element i, 0 <= i < Len(), to read or write; a page let go is made again.
func (s *Slice[T]) At(i int) *T {
	p := &s.pages[i/PageLen]
	if *p == nil {
		*p = make([]T, PageLen)
		if s.fresh != nil {
			start := i / PageLen * PageLen
			for k := range *p {
				(*p)[k] = s.fresh(start + k)
			}
		}
	}
	return &(*p)[i%PageLen]
}

// Held reports whether page k (elements k*PageLen to (k+1)*PageLen-1) is held.
func (s *Slice[T]) Held(k int) bool { return k < len(s.pages) && s.pages[k] != nil }

// Pages returns how many pages the slice spans, held or not.
func (s *Slice[T]) Pages() int { return len(s.pages) }

// Free lets page k go.
func (s *Slice[T]) Free(k int) {
	if k < len(s.pages) {
		s.pages[k] = nil
	}
}

// Get returns element i, 0 <= i < Len(), without making a page let go again: it reads as
// a fresh element.
func (s *Slice[T]) Get(i int) T {
	if p := s.pages[i/PageLen]; p != nil {
		return p[i%PageLen]
	}
	if s.fresh != nil {
		return s.fresh(i)
	}
	var zero T
	return zero
}

// Append adds v at the end.
func (s *Slice[T]) Append(v T) {
	s.Grow(s.n + 1)
	*s.At(s.n - 1) = v
}

// All yields the index and element of every element of the pages held, in order.
func (s *Slice[T]) All() iter.Seq2[int, *T] {
	return func(yield func(int, *T) bool) {
		for k, p := range s.pages {
			for j := range p {
				if i := k*PageLen + j; i >= s.n || !yield(i, &p[j]) {
					return
				}
			}
		}
	}
}

// Trim lets go of every full page whose elements are all empty; the last page, which may
// grow, is kept.
func (s *Slice[T]) Trim(empty func(v *T) bool) {
	for k, p := range s.pages {
		if p == nil || (k+1)*PageLen >= s.n {
			continue
		}
		free := true
		for j := range p {
			if !empty(&p[j]) {
				free = false
				break
			}
		}
		if free {
			s.pages[k] = nil
		}
	}
}
