package callview

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/tui/numbers"
)

// tallScreen is the height, in the view's lines, from which the header shows the whole
// summary unless told otherwise: a 40-row terminal less the tab bar and status line.
const tallScreen = 38

// fullHeader reports whether the header shows the whole summary: of one call on a tall
// screen, or when H asked for it.
func (m *Model) fullHeader() bool {
	if m.header != 0 {
		return m.header > 0
	}
	return m.height >= tallScreen && len(m.more) == 0
}

// headerLines is the header: the call's whole summary, or one or two lines of it.
func (m *Model) headerLines() []string {
	if m.fullHeader() {
		var out []string
		for i, c := range m.all() {
			out = append(out, m.summary(&c, i == 0)...)
		}
		return out
	}
	if len(m.more) == 0 {
		return m.compact(&m.call)
	}
	st := m.styles
	numbers := []string{fmt.Sprint(m.number)}
	for _, o := range m.others {
		numbers = append(numbers, fmt.Sprint(o.Number))
	}
	out := []string{m.fit(st.Title, fmt.Sprintf("Calls %s as one flow", strings.Join(numbers, " + ")), m.hint())}
	for _, c := range m.all() {
		out = append(out, m.fit(st.Text, fmt.Sprintf("%d  %s", c.Number, m.oneLine(&c)), ""))
	}
	return out
}

// compact is a call's summary in two lines: who and how it went; then where, how, its
// Call-ID, nodes, vendor, media and lines.
func (m *Model) compact(c *calls.Call) []string {
	st := m.styles
	title := fmt.Sprintf("Call %d — %s", c.Number, m.line(c.Who(), strings.TrimSpace(c.State.String()+" "+report.DurationAt(c, m.now())), c.Reason))
	if m.err != nil {
		title += "  (" + m.err.Error() + ")"
	}
	more := []string{m.line(c.Where(), strings.TrimSpace(c.Protocol+" "+c.Direction))}
	add := func(key, value string) {
		if value != "" {
			more = append(more, st.FieldKey.Render(key)+" "+sanitize.String(value))
		}
	}
	add("Call-ID", strings.Join(c.CallIDs, ", "))
	nodes := report.NodeName(c.SignalingNode, "", m.nodes)
	if media := report.NodeName(c.MediaNode, "", m.nodes); media != nodes && media != "" {
		nodes += " → " + media
	}
	add("nodes", nodes)
	add("vendor", c.Vendor)
	add("media", report.MediaQuality(c))
	add("lines", fmt.Sprintf("%d (%s, %s)", c.Entries, numbers.Plural(c.Warnings, "warning", "warnings"), numbers.Plural(c.Errors, "error", "errors")))
	return []string{m.fit(st.Title, title, m.hint()), ansi.Truncate(strings.Join(more, "  "), m.width, "…")}
}

// line joins the parts said, made safe, with " · ".
func (m *Model) line(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, sanitize.String(p))
		}
	}
	return strings.Join(out, " · ")
}

// oneLine tells a call in a line: who, where, protocol and direction, state, duration
// and reason.
func (m *Model) oneLine(c *calls.Call) string {
	return m.line(c.Who(), c.Where(), strings.TrimSpace(c.Protocol+" "+c.Direction),
		strings.TrimSpace(c.State.String()+" "+report.DurationAt(c, m.now())), c.Reason)
}

// hint says how to see the rest of the summary.
func (m *Model) hint() string {
	if m.fullHeader() {
		return m.Header.Help().Key + ": two lines"
	}
	return m.Header.Help().Key + ": whole summary"
}

// fit writes text in style, cut to the width, and hint at the right in the faint style
// when there is room.
func (m *Model) fit(style interface{ Render(...string) string }, text, hint string) string {
	room := m.width - ansi.StringWidth(hint) - 2
	if hint == "" || ansi.StringWidth(text) > room {
		return style.Render(ansi.Truncate(text, m.width, "…"))
	}
	return style.Render(text) + strings.Repeat(" ", m.width-ansi.StringWidth(text)-ansi.StringWidth(hint)) + m.styles.Faint.Render(hint)
}

// summary is a call's whole summary, laid out in columns under its title.
func (m *Model) summary(c *calls.Call, first bool) []string {
	st := m.styles
	rows := report.CallSummary(c)
	for i, r := range rows { // as the calls list says them: nodes by name, the duration as h:mm:ss
		switch r[0] {
		case "Signalling node", "Media node", "Proxy node":
			addr, _, _ := strings.Cut(r[1], " (")
			if name := m.nodes[addr]; name != "" {
				rows[i][1] = sanitize.String(name) + " — " + r[1]
			}
		case "Duration":
			rows[i][1] = report.DurationAt(c, m.now()) + " (" + r[1] + " s)"
		}
	}
	cols := max(1, min(3, m.width/48))
	colW := m.width / cols
	per := (len(rows) + cols - 1) / cols
	lines := make([]string, per)
	for i, r := range rows {
		key := st.FieldKey.Render(fmt.Sprintf("%-17s", r[0]))
		text := ansi.Truncate(key+" "+r[1], colW-1, "…")
		lines[i%per] += text + strings.Repeat(" ", max(0, colW-ansi.StringWidth(text)))
	}
	title := fmt.Sprintf("Call %d — %s", c.Number, sanitize.String(c.Who()))
	if first && m.err != nil {
		title += "  (" + m.err.Error() + ")"
	}
	hint := ""
	if first {
		hint = m.hint()
	}
	return append([]string{m.fit(st.Title, title, hint)}, lines...)
}

func (m *Model) tabsLine() string {
	var parts []string
	for i, name := range tabNames {
		label := " " + name + " "
		if Tab(i) == m.tab {
			parts = append(parts, m.styles.TabActive.Render(label))
		} else {
			parts = append(parts, m.styles.TabInactive.Render(label))
		}
	}
	return strings.Join(parts, " ") + m.styles.Faint.Render(fmt.Sprintf("   %s: next tab · %s: back", m.NextTab.Help().Key, m.Back.Help().Key))
}

func (m *Model) bodyHeight() int { return max(1, m.height-len(m.headerLines())-1) }
