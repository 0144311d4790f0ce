package callsview

import (
	"slices"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/report"
)

// apply takes in what a read brought: every call's row, or the rows of the calls that
// changed and the numbers of those gone; then measures the columns again.
func (m *Model) apply(done readDone) {
	switch {
	case done.reset || m.all == nil:
		m.all = done.rows
		if m.all == nil {
			m.all = []callRow{}
		}
	default:
		if !sameNames(m.look.nodes, done.look.nodes) { // the rows read before name the nodes anew
			for i := range m.all {
				m.all[i].measure(done.look, []int{colSignalling, colMedia})
			}
		}
		m.all = merge(m.all, done.rows, done.gone)
	}
	m.look = done.look
	m.layout = dayFormat(m.all)
	m.natural = widest(m.all, m.layout)
}

// merge returns the rows, by call number, without the calls gone and with the rows
// changed in place of the calls' rows before (or added, for new calls).
func merge(rows, changed []callRow, gone []int) []callRow {
	at := func(n int32) (int, bool) {
		return slices.BinarySearchFunc(rows, n, func(r callRow, n int32) int { return int(r.number - n) })
	}
	if len(gone) > 0 {
		out := make(map[int32]bool, len(gone))
		for _, n := range gone {
			out[int32(n)] = true
		}
		rows = slices.DeleteFunc(rows, func(r callRow) bool { return out[r.number] })
	}
	sorted := true
	for _, c := range changed {
		switch i, found := at(c.number); {
		case found:
			rows[i] = c
		default:
			sorted = sorted && (len(rows) == 0 || rows[len(rows)-1].number < c.number)
			rows = append(rows, c)
		}
	}
	if !sorted {
		slices.SortFunc(rows, func(a, b callRow) int { return int(a.number - b.number) })
	}
	return rows
}

// dayFormat is how the START column writes a call's start: without the date when every
// call listed started on the same day, without the year when in the same year.
func dayFormat(rows []callRow) string {
	const day = int64(24 * time.Hour / time.Microsecond)
	var first time.Time
	var firstDay int64
	layout := "15:04:05"
	for i := range rows {
		start := rows[i].start
		if start == 0 {
			continue
		}
		d := start / day
		if start < 0 && start%day != 0 {
			d-- // days before 1970 start on the day before
		}
		switch {
		case first.IsZero():
			first, firstDay = time.UnixMicro(start).UTC(), d
		case d == firstDay:
		case time.UnixMicro(start).UTC().Year() != first.Year():
			return "2006-01-02 15:04:05"
		default:
			layout = "01-02 15:04:05"
		}
	}
	return layout
}

// widest returns, for each of report.CallColumns, the widest cell of the rows (the
// number column with room for a mark), for the columns' widths to be stable whatever
// rows show.
func widest(rows []callRow, layout string) []int {
	w := make([]int, len(report.CallColumns))
	started := false
	for i := range rows {
		for k, n := range rows[i].widths {
			w[k] = max(w[k], int(n))
		}
		if !started && rows[i].start != 0 {
			started = true
			w[colStart] = ansi.StringWidth(cellOf(&rows[i], colStart, layout, lookup{})) // every start is as wide
		}
	}
	w[colNumber]++
	w[colDuration] = 8
	return w
}

// fieldsOf appends what the fuzzy prompt matches in call i of all to buf.
func (m *Model) fieldsOf(i int, buf []string) []string { return fieldsOf(&m.all[i], m.look, buf) }
