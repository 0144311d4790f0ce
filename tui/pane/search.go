package pane

// The pane's search: its matches, found in the background, highlighted in the rows and
// moved between with n and N. A search goes from where it started to the newest match at
// or above it — from the end, the newest in the log — or, when there is none above, to the
// first below; while the store is still reading the files, to the first match found.

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filtered"
	"github.com/calltail/calltail/model/search"
	"github.com/calltail/calltail/tui/numbers"
)

// Position is where a pane's cursor is: on an entry, and whether that is the end, which
// the pane follows.
type Position struct {
	Entry uint32 // the entry under the cursor, or the last one at the end
	Tail  bool   // at the end, following
	Empty bool   // the pane listed nothing
}

// Position returns where the cursor is. While the pane shows the preview of the files'
// end, it is at the end.
func (m *Model) Position() Position {
	ls := m.list.Snap()
	if ls.Count() == 0 {
		return Position{Tail: true, Empty: true}
	}
	if m.previewing() || m.follow {
		return Position{Entry: ls.At(ls.Len() - 1), Tail: true}
	}
	return Position{Entry: ls.At(min(max(m.cursor, ls.First()), ls.Len()-1))}
}

// GoTo moves the cursor back to p: the end, following, or p's entry (the nearest after
// it if the pane no longer lists it).
func (m *Model) GoTo(p Position) {
	if p.Tail {
		m.follow = true
		m.settle()
		return
	}
	m.leavePreview()
	ls := m.list.Snap()
	m.place(ls.Search(p.Entry), ls)
}

// place puts the cursor on position i of ls, held still, with the rows around it.
func (m *Model) place(i int, ls filtered.Snap) {
	if ls.Count() == 0 {
		return
	}
	m.follow, m.seen = false, ls.Len()
	m.cursor = min(max(i, ls.First()), ls.Len()-1)
	m.top = max(ls.First(), m.cursor-m.height/2)
	m.settle()
}

// Search returns the active search, or nil.
func (m *Model) Search() *search.Query { return m.query }

// SetSearch highlights the query's matches and finds them in the background; with from,
// it then moves from there to the newest match at or above it (see the package). nil ends
// the search.
func (m *Model) SetSearch(q *search.Query, from *Position) {
	if m.matches != nil {
		m.matches.Close()
		m.matches = nil
	}
	m.query, m.jumpFrom = q, nil
	if q != nil && from != nil {
		p := *from
		m.jumpFrom = &p
	}
	clear(m.rows) // rows show the text around a match they would not show
	if q != nil {
		list := m.list
		m.matches = filtered.New(m.cfg.Store, func() filtered.Base { return list.Snap() },
			filtered.Spec{MinLevel: model.LevelDebug, Match: q}, m.cfg.NewParser, m.cfg.Notify)
	}
}

// searchJump moves to the match the search goes to, once it is known: when the search has
// looked at the entry it started from, the newest match at or above it, or the first
// below; from the end while the store is still reading, the first match found.
func (m *Model) searchJump() {
	ms, ls := m.matches.Snap(), m.list.Snap()
	from := *m.jumpFrom
	done, total := m.matches.Progress()
	complete := done == total
	indexing := m.previewing() || m.cfg.Indexing != nil && m.cfg.Indexing()
	if from.Empty || from.Tail && indexing {
		if ms.Count() > 0 {
			m.goToMatch(ms.First())
		}
		return
	}
	if !complete && ls.First()+done <= ls.Search(from.Entry) {
		return // not looked that far yet
	}
	if i := ms.Search(from.Entry+1) - 1; i >= ms.First() {
		m.goToMatch(i)
	} else if i := ms.Search(from.Entry + 1); i < ms.Len() {
		m.goToMatch(i)
	} else if complete {
		m.jumpFrom = nil // no match at all
	}
}

// goToMatch moves the cursor to match number i of the matches.
func (m *Model) goToMatch(i int) {
	m.jumpFrom = nil
	m.leavePreview()
	ls := m.list.Snap()
	m.place(ls.Search(m.matches.Snap().At(i)), ls)
}

// leavePreview shows the store's entries instead of the preview of the files' end: the
// cursor is going to an entry the store has.
func (m *Model) leavePreview() {
	if m.previewing() {
		m.setPreview(nil)
		m.settle()
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

// MatchPosition returns which match the cursor is on (1 for the first, 0 when it is on
// none), how many entries match, and whether the count is complete.
func (m *Model) MatchPosition() (i, n int, complete bool) {
	n, complete = m.Matches()
	if m.matches == nil || m.previewing() || m.Len() == 0 {
		return 0, n, complete
	}
	ms := m.matches.Snap()
	id := m.list.Snap().At(m.cursor)
	if k := ms.Search(id); k < ms.Len() && ms.At(k) == id {
		i = k - ms.First() + 1
	}
	return i, n, complete
}

// MatchStatus says where the cursor is among the matches, for the status line: "match 3
// of 17", or "17 matches" when it is on none; "+" follows the count while it grows.
func (m *Model) MatchStatus() string {
	i, n, complete := m.MatchPosition()
	more := ""
	if !complete {
		more = "+"
	}
	switch {
	case i > 0:
		return "match " + numbers.Count(i) + " of " + numbers.Count(n) + more
	case n == 1:
		return "1 match" + more
	}
	return numbers.Count(n) + " matches" + more
}

// NextMatch moves to the next entry that matches the search (the previous one when
// back), wrapping around. It reports false when there is none.
func (m *Model) NextMatch(back bool) bool {
	if m.matches == nil {
		return false
	}
	ms := m.matches.Snap()
	if ms.Count() == 0 {
		return false
	}
	from := m.Position()
	var i int
	switch {
	case from.Tail && back:
		i = ms.Len() - 1
	case back:
		i = ms.Search(from.Entry) - 1
	case from.Tail:
		i = ms.Len() // after the last: wraps to the first
	default:
		i = ms.Search(from.Entry + 1)
	}
	if i < ms.First() {
		i = ms.Len() - 1
	}
	if i >= ms.Len() {
		i = ms.First()
	}
	m.goToMatch(i)
	return true
}

// hitContext returns the text around the search's first hit in an entry's text — made
// safe and one line, the hit whole — or "" if the search hits nothing in it there (a
// fuzzy search matches characters, not a place).
func hitContext(q *search.Query, raw []byte) string {
	const before, after = 24, 40 // cells of context on each side
	if q.Mode() == search.Fuzzy {
		return ""
	}
	text := clean(raw)
	hits := q.Highlights(text)
	if len(hits) == 0 {
		return ""
	}
	h := hits[0]
	lines := strings.NewReplacer("^M", "⏎")
	pre, post := lines.Replace(text[:h[0]]), lines.Replace(text[h[1]:])
	if w := ansi.StringWidth(pre); w > before {
		pre = ansi.TruncateLeft(pre, w-before, "…")
	}
	return pre + text[h[0]:h[1]] + ansi.Truncate(post, after, "…")
}
