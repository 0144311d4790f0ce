package pane

// The pane's search: its matches, found in the background, highlighted in the rows and
// moved between with n and N.

import (
	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filtered"
	"github.com/calltail/calltail/model/search"
)

// Search returns the active search, or nil.
func (m *Model) Search() *search.Query { return m.query }

// SetSearch highlights the query's matches and finds them in the background; jump moves
// to the first match at or after the cursor once found. nil ends the search.
func (m *Model) SetSearch(q *search.Query, jump bool) {
	if m.matches != nil {
		m.matches.Close()
		m.matches = nil
	}
	m.query, m.jump = q, jump && q != nil
	if q != nil && !m.previewing() {
		list := m.list
		m.matches = filtered.New(m.cfg.Store, func() filtered.Base { return list.Snap() },
			filtered.Spec{MinLevel: model.LevelDebug, Match: q}, m.cfg.NewParser, m.cfg.Notify)
	}
}

// Matches returns how many entries match the search, and whether the count is complete.
func (m *Model) Matches() (n int, complete bool) {
	if m.matches == nil {
		return 0, true
	}
	done, total := m.matches.Progress()
	return m.matches.Snap().Count(), done == total
}

// NextMatch moves to the next entry that matches the search (the previous one when
// back), wrapping around. It reports false when there is none.
func (m *Model) NextMatch(back bool) bool { return m.jumpToMatch(false, back) }

// jumpToMatch moves the cursor to a match: the first at or after the cursor (inclusive),
// or the next after it (or before it, back), wrapping.
func (m *Model) jumpToMatch(inclusive, back bool) bool {
	if m.matches == nil || m.previewing() {
		return false
	}
	ms, ls := m.matches.Snap(), m.list.Snap()
	if ms.Count() == 0 || ls.Count() == 0 {
		return false
	}
	cur := ls.At(min(max(m.cursor, ls.First()), ls.Len()-1))
	var i int
	switch {
	case back:
		i = ms.Search(cur) - 1
		if i < ms.First() {
			i = ms.Len() - 1
		}
	case inclusive:
		i = ms.Search(cur)
	default:
		i = ms.Search(cur + 1)
	}
	if i >= ms.Len() {
		i = ms.First()
	}
	m.jump = false
	m.follow = false
	m.seen = ls.Len()
	m.cursor = ls.Search(ms.At(i))
	m.top = max(ls.First(), m.cursor-m.height/2)
	m.settle()
	return true
}
