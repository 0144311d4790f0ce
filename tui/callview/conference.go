package callview

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/sanitize"
)

// conferenceView lists the participants of the call's conference instance that were there
// while it was, and when each was; then the other legs of its conversation. The head — the
// conference's title and the column names — stays at the top while the rows scroll.
func (m *Model) conferenceView() (head, rows []string) {
	st := m.styles
	cols := m.confColumns(append(append([]calls.Call(nil), m.conference...), m.legs...))
	if inst := m.call.Instance(); inst == "" {
		head = append(head, st.Faint.Render("the logs do not say which conference this call was in"))
	} else {
		title := "Conference " + sanitize.String(m.call.Conference)
		if cols.day != "" {
			title += ", " + cols.day
		}
		title += "  (" + sanitize.String(inst) + "): there at the same time"
		head = append(head, st.Title.Render(ansi.Truncate(title, m.width, "…")), st.Title.Render(cols.header()))
		rows = m.callRows(m.conference, cols)
	}
	if len(m.legs) > 0 {
		rows = append(rows, "", st.Title.Render("Other legs of its conversation"), st.Title.Render(cols.header()))
		rows = append(rows, m.callRows(m.legs, cols)...)
	}
	return head, rows
}

// confColumns are the widths of the conference tab's columns, sized to the calls it lists
// and the screen: the participant's column takes what the others leave.
type confColumns struct {
	number, who, proto, clock, state int
	layout                           string // how the times are written
	day                              string // the one day of every time, written once in the title; "" if several
	width                            int    // the screen's
}

// confColumns sizes the columns for all and the screen's width. Times are written to the
// millisecond, without their date when they all fall on one day.
func (m *Model) confColumns(all []calls.Call) confColumns {
	c := confColumns{number: len("#"), who: len("PARTICIPANT"), proto: len("PROTO"), state: len("STATE"), width: m.width,
		layout: "2006-01-02 15:04:05.000"}
	days := map[string]bool{}
	for _, call := range all {
		c.number = max(c.number, len(fmt.Sprint(call.Number)))
		c.who = max(c.who, ansi.StringWidth(sanitize.String(call.Who())))
		c.proto = max(c.proto, ansi.StringWidth(sanitize.String(call.Protocol)))
		c.state = max(c.state, len(call.State.String()))
		for _, t := range []int64{first(call.Joined, call.Start), call.End} {
			if t != 0 {
				days[time.UnixMicro(t).UTC().Format("2006-01-02")] = true
			}
		}
	}
	if len(days) == 1 {
		for d := range days {
			c.day = d
		}
		c.layout = "15:04:05.000"
	}
	c.clock = len(c.layout)
	rest := func() int { return m.width - (c.number + c.proto + 2*c.clock + c.state + 5) } // what the others and the spaces between leave
	if rest() < min(c.who, 20) {
		c.proto = min(c.proto, 10) // an odd protocol's name gives way to the participant's
	}
	c.who = max(min(c.who, 40, rest()), 8)
	return c
}

// header is the column names' line.
func (c confColumns) header() string {
	return c.line("#", "PARTICIPANT", "PROTO", "JOINED", "LEFT", "STATE")
}

// line lays out one row's cells in the columns, cut to the screen.
func (c confColumns) line(number, who, proto, joined, left, state string) string {
	cells := []string{cellOf(number, c.number), cellOf(who, c.who), cellOf(proto, c.proto), cellOf(joined, c.clock), cellOf(left, c.clock), state}
	return ansi.Truncate(strings.Join(cells, " "), c.width, "…")
}

// clockOf writes a time as the columns do, or nothing for 0.
func (c confColumns) clockOf(t int64) string {
	if t == 0 {
		return ""
	}
	return time.UnixMicro(t).UTC().Format(c.layout)
}

// callRows lists calls: who, how, when each joined and left, and its state; the call
// itself selected.
func (m *Model) callRows(all []calls.Call, cols confColumns) []string {
	var out []string
	for _, c := range all {
		line := cols.line(fmt.Sprint(c.Number), sanitize.String(c.Who()), sanitize.String(c.Protocol),
			cols.clockOf(first(c.Joined, c.Start)), cols.clockOf(c.End), c.State.String())
		if c.Number == m.call.Number {
			line = m.styles.Selected.Render(line)
		}
		out = append(out, line)
	}
	return out
}
