package callsview

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// column is a column of the list as the UI draws it. The columns come in the order an
// engineer reads a call by (who, how it went, where) and take their widths by priority:
// each gets its least width in that order while the screen has room, then what is left
// goes to them in order of prio up to their widest cell. Those that do not fit are
// reached by scrolling sideways; the first frozen ones stay.
type column struct {
	name     string
	field    int  // the report.CallColumns column it shows (its sort key)
	min, max int  // least and most width in cells
	prio     int  // the lower, the sooner it grows
	right    bool // aligned right
	flex     bool // shown narrower than its widest cell rather than left out
}

// Where each column of report.CallColumns is.
const (
	colNumber = iota
	colStart
	colParticipant
	colConference
	colProto
	colDir
	colVendor
	colSignalling
	colMedia
	colState
	colDuration
	colReason
	colQuality
	colWarn
	colErr
	numColumns // how many there are
)

// columns are the list's columns, in the order drawn: state, duration, reason and the
// nodes before the conference, the vendor and the rest; the participant's name shrinks
// before them.
var columns = []column{
	{"#", colNumber, 1, 8, 0, true, false},
	{"START", colStart, 8, 23, 1, false, false},
	{"PARTICIPANT", colParticipant, 16, 44, 7, false, true},
	{"STATE", colState, 10, 10, 2, false, false},
	{"DURATION", colDuration, 8, 8, 3, true, false},
	{"REASON", colReason, 10, 44, 4, false, true},
	{"SIG", colSignalling, 6, 24, 5, false, true},
	{"MEDIA", colMedia, 6, 24, 6, false, true},
	{"CONFERENCE", colConference, 10, 28, 8, false, true},
	{"PROTO", colProto, 5, 6, 9, false, false},
	{"DIR", colDir, 3, 3, 10, false, false},
	{"QUALITY", colQuality, 7, 7, 11, false, false},
	{"WARN", colWarn, 4, 6, 12, true, false},
	{"ERR", colErr, 3, 6, 13, true, false},
	{"VENDOR", colVendor, 8, 40, 14, false, true},
}

// frozen is how many of the first columns stay when the list scrolls sideways: the call's
// number, start and participant.
const frozen = 3

// fit lays out the columns on a screen width cells wide, scrolled past skip columns after
// the frozen ones: the columns shown, in order, and their widths; more reports whether
// columns are left out on the right, and then the last cell is left for the › that says
// so (it wrote over the last column's arrow).
func fit(width, skip int, natural []int) (shown []int, widths []int, more bool) {
	if shown, widths, more = fitIn(width, skip, natural); more {
		shown, widths, _ = fitIn(width-1, skip, natural)
	}
	return shown, widths, more
}

// fitIn lays out the columns in width cells as fit does, without room for the ›. The frozen columns have their least width; then the
// columns that matter most (state, duration, reason, nodes: prio up to prioFirst) their
// widest cell, the reason at first no wider than reasonFirst; then those grow to their
// widest; then the others are shown at their least width while they fit; then all grow,
// in order of priority.
func fitIn(width, skip int, natural []int) (shown []int, widths []int, more bool) {
	const prioFirst, reasonFirst = 6, 20
	w := make([]int, len(columns)) // by column: 0 when not shown
	used := -1                     // no separator before the first
	place := func(i, cells int) bool {
		if used+1+cells > width {
			return false
		}
		w[i], used = cells, used+1+cells
		return true
	}
	scrolled := func(i int) bool { return i >= frozen && i < frozen+skip }
	for i := range frozen {
		cells := columns[i].min
		if !columns[i].flex {
			cells = want(i, natural)
		}
		if !place(i, cells) {
			break
		}
	}
	byPrio := make([]int, 0, len(columns))
	for i := range columns {
		if i >= frozen && !scrolled(i) {
			byPrio = append(byPrio, i)
		}
	}
	slices.SortStableFunc(byPrio, func(a, b int) int { return columns[a].prio - columns[b].prio })
	stopped := false
	for _, i := range byPrio {
		c := columns[i]
		cells := want(i, natural)
		switch {
		case c.prio > prioFirst:
			cells = c.min
		case c.field == colReason:
			cells = min(cells, reasonFirst)
		}
		if stopped || !place(i, cells) && !(c.flex && place(i, min(cells, max(c.min, width-used-1)))) {
			stopped, more = true, true
		}
		if c.prio == prioFirst && !stopped { // the first grow before the others show
			for _, j := range byPrio {
				if columns[j].prio <= prioFirst && w[j] > 0 {
					grow := min(want(j, natural)-w[j], width-used)
					w[j], used = w[j]+max(0, grow), used+max(0, grow)
				}
			}
		}
	}
	for _, i := range append([]int{0, 1, 2}[:frozen], byPrio...) {
		if w[i] > 0 {
			grow := min(want(i, natural)-w[i], width-used)
			w[i], used = w[i]+max(0, grow), used+max(0, grow)
		}
	}
	for i := range columns {
		if w[i] > 0 {
			shown, widths = append(shown, i), append(widths, w[i])
		}
	}
	return shown, widths, more
}

// nextSort returns the column the list is sorted by after field's: the next one drawn.
func nextSort(field int) int {
	k := slices.IndexFunc(columns, func(c column) bool { return c.field == field })
	return columns[(k+1)%len(columns)].field
}

// want is the width column i would have if the screen were wide enough: its widest cell
// or its name, within its least and most width.
func want(i int, natural []int) int {
	c := columns[i]
	return min(c.max, max(c.min, natural[c.field], ansi.StringWidth(c.name)))
}

// pad writes s in w cells, cut with an ellipsis when longer, on the right when right.
func pad(s string, w int, right bool) string {
	n := ansi.StringWidth(s)
	switch {
	case n > w:
		return ansi.Truncate(s, w, "…")
	case right:
		return strings.Repeat(" ", w-n) + s
	}
	return s + strings.Repeat(" ", w-n)
}

// header writes the columns' names, the sorted one with its arrow (the name is cut rather
// than the arrow), and marks with ‹ and › the sides where columns are scrolled out.
func header(shown, widths []int, sortCol int, desc, ranked, left, more bool, width int) string {
	var b strings.Builder
	for k, i := range shown {
		if k > 0 {
			if left && k == frozen {
				b.WriteString("‹")
			} else {
				b.WriteString(" ")
			}
		}
		c := columns[i]
		name := c.name
		if c.field == sortCol && !ranked {
			arrow := "▲"
			if desc {
				arrow = "▼"
			}
			name = strings.TrimRight(ansi.Truncate(name, widths[k]-1, "…"), " ") + arrow
		}
		b.WriteString(pad(name, widths[k], c.right && c.field != sortCol))
	}
	line := b.String()
	if more {
		line = ansi.Truncate(line+strings.Repeat(" ", width), width-1, "") + "›"
	}
	return line
}

// row writes a call's cells in the columns shown; marked puts a * before its number.
func row(cells []string, duration string, marked bool, shown, widths []int) string {
	var b strings.Builder
	for k, i := range shown {
		if k > 0 {
			b.WriteString(" ")
		}
		c := columns[i]
		s := cells[c.field]
		switch c.field {
		case colDuration:
			s = duration
		case colNumber:
			if marked {
				s = "*" + s
			}
		}
		b.WriteString(pad(s, widths[k], c.right))
	}
	return b.String()
}
