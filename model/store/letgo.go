package store

// SetMaxEntries makes the store hold about n entries at most: from the next append on,
// once it holds a block more than n, it lets go of its oldest whole blocks. n = 0 holds
// every entry.
func (s *Store) SetMaxEntries(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.max = n
}

// letGo lets go of the oldest blocks beyond the limit, and of what the indexes hold of
// them (with the lock held). Readers holding a View keep the blocks it has, so the outer
// slice is copied, not changed. The id index is compacted when a quarter of the limit
// has gone since it last was, so that the work stays in proportion: by the store itself,
// or, when it has an Observer, by the Observer (see CompactIDs), which letGo then says.
func (s *Store) letGo() (observerCompacts bool) {
	if s.max == 0 || s.n-s.floor <= s.max+blockSize {
		return false
	}
	floor := (s.n - s.max) / blockSize * blockSize
	blocks := make([][]Entry, len(s.blocks))
	copy(blocks[floor/blockSize:], s.blocks[floor/blockSize:])
	s.blocks, s.floor = blocks, floor
	for _, p := range s.postings() {
		p.dropBelow(uint32(floor))
	}
	s.release()
	if floor-s.idsFloor >= max(s.max/4, blockSize) {
		s.idsFloor = floor
		if s.observer != nil {
			return true
		}
		s.ids.compact(uint32(floor), nil)
	}
	return false
}

// CompactIDs lets go of the id postings below the store's floor, and of the ids left
// with none that keep does not ask to keep: the Observer calls it, with the ids its own
// index still needs (a long call's Call-ID, seen last long ago), when an Appended says so.
// It returns the pages of ids let go whole (ids k*paged.PageLen on), which the Observer
// may let go too.
func (s *Store) CompactIDs(keep func(id uint32) bool) (freed []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids.compact(uint32(s.floor), keep)
}

// release tells the Text of each origin that a newer origin of the same name followed,
// and whose entries were all let go, that it is needed no more (with the lock held).
func (s *Store) release() {
	newest := map[string]int{}
	for i, src := range s.origins {
		newest[src.Name] = i
	}
	for i, src := range s.origins {
		if s.released[i] || newest[src.Name] == i || s.lastOf[i] >= s.floor {
			continue
		}
		s.released[i] = true
		if r, ok := src.Text.(Releaser); ok {
			r.Release()
		}
	}
}

// postings returns every postings list of the store's own indexes.
func (s *Store) postings() []*Postings {
	out := []*Postings{&s.admin}
	for i := range s.levels {
		out = append(out, &s.levels[i])
	}
	for i := range s.nodes {
		out = append(out, &s.nodes[i])
	}
	for i := range s.modules {
		out = append(out, &s.modules[i])
	}
	return out
}

// First returns the number of the first entry the store holds: 0 unless it has let
// entries go (see SetMaxEntries).
func (s *Store) First() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.floor
}
