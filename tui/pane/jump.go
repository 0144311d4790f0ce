package pane

// lnav's moves: to the next or previous error or warning, to a time, between marked rows,
// and the rows' text scrolled sideways.

import (
	"slices"
	"sort"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
)

// NextAtLevel moves to the nearest entry below the cursor (above it when back) whose level
// is at least lo and below hi; it reports false, and stays, when there is none. It looks
// at the entries' levels in the index, one by one: a few milliseconds over millions.
func (m *Model) NextAtLevel(lo, hi model.Level, back bool) bool {
	in := func(l model.Level) bool { return l >= lo && l < hi }
	step := 1
	if back {
		step = -1
	}
	first, n := m.bounds()
	if m.previewing() {
		for i := m.cursor + step; i >= first && i < n; i += step {
			if in(m.preview[m.previewRows[i]].Level) {
				m.follow, m.seen, m.cursor = false, n, i
				m.settle()
				return true
			}
		}
		return false
	}
	ls, v := m.list.Snap(), m.cfg.Store.View()
	from := m.cursor
	if m.follow {
		from = n - 1
	}
	for i := from + step; i >= first && i < n; i += step {
		if in(v.Entry(int(ls.At(i))).Level) {
			m.place(i, ls)
			return true
		}
	}
	return false
}

// GoToTime moves to the first entry at or after t (an originating time, in microseconds),
// or to the last entry when every one is older; the log is taken to be in time order but
// for a few lines. It reports false when the pane lists nothing.
func (m *Model) GoToTime(t int64) bool {
	m.leavePreview()
	ls, v := m.list.Snap(), m.cfg.Store.View()
	first, n := ls.First(), ls.Len()
	if n == first {
		return false
	}
	i := first + sort.Search(n-first, func(k int) bool { return v.Entry(int(ls.At(first+k))).Time >= t })
	m.place(min(i, n-1), ls)
	return true
}

// SelectedTime returns the originating time of the entry under the cursor (microseconds;
// 0 if it has none or the pane lists nothing).
func (m *Model) SelectedTime() int64 {
	if m.Len() == 0 {
		return 0
	}
	if m.previewing() {
		return m.preview[m.previewRows[m.cursor]].Time
	}
	return m.cfg.Store.View().Entry(int(m.list.Snap().At(m.cursor))).Time
}

// Mark marks the entry under the cursor, or unmarks it if it was marked, and reports
// whether it is marked now. Entries of the preview cannot be marked until the store has
// them: Mark then reports false and marks nothing.
func (m *Model) Mark() (marked, ok bool) {
	if m.Len() == 0 || m.previewing() {
		return false, false
	}
	id := m.list.Snap().At(m.cursor)
	if i, found := slices.BinarySearch(m.marks, id); found {
		m.marks = slices.Delete(m.marks, i, i+1)
		return false, true
	} else {
		m.marks = slices.Insert(m.marks, i, id)
	}
	return true, true
}

// Marks returns how many entries are marked.
func (m *Model) Marks() int { return len(m.marks) }

// marked reports whether the entry at position i is marked.
func (m *Model) marked(i int) bool {
	if len(m.marks) == 0 || m.previewing() {
		return false
	}
	_, found := slices.BinarySearch(m.marks, m.list.Snap().At(i))
	return found
}

// NextMark moves to the nearest marked entry below the cursor (above it when back) that
// the pane lists; it reports false, and stays, when there is none.
func (m *Model) NextMark(back bool) bool {
	if len(m.marks) == 0 || m.Len() == 0 {
		return false
	}
	m.leavePreview()
	ls := m.list.Snap()
	cur := ls.At(min(max(m.cursor, ls.First()), ls.Len()-1))
	if m.follow {
		cur = ls.At(ls.Len() - 1)
	}
	k, _ := slices.BinarySearch(m.marks, cur)
	if back {
		for k--; k >= 0; k-- {
			if i := ls.Search(m.marks[k]); i < ls.Len() && ls.At(i) == m.marks[k] {
				m.place(i, ls)
				return true
			}
		}
		return false
	}
	for ; k < len(m.marks); k++ {
		if m.marks[k] == cur {
			continue
		}
		if i := ls.Search(m.marks[k]); i < ls.Len() && ls.At(i) == m.marks[k] {
			m.place(i, ls)
			return true
		}
	}
	return false
}

// ScrollText scrolls the rows' text (not their time, node, level and module) by a third
// of its width to the left (right: to show more of its end), no further than the widest
// visible row's end; it does nothing while rows wrap.
func (m *Model) ScrollText(right bool) {
	if m.wrap {
		return
	}
	nodeW, modW := m.columnWidths()
	text := max(8, m.width-(len(formatTime(&model.Record{}, m.timeMode, m.years))+1+nodeW+1+6+1+modW+1))
	step := max(8, text/3)
	if !right {
		m.xoff = max(0, m.xoff-step)
		return
	}
	widest := 0
	for i := m.top; i < min(m.n, m.top+m.height); i++ {
		widest = max(widest, ansi.StringWidth(m.row(i).text))
	}
	m.xoff = max(0, min(m.xoff+step, widest-text+1))
}

// Scrolled returns how many cells the rows' text is scrolled to the left.
func (m *Model) Scrolled() int { return m.xoff }
