package callview

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/report"
)

// mediaView is the streams table, bad values in the warning and error styles, the media
// over time as sparklines, and the call's media events in order.
func (m *Model) mediaView() []string {
	st := m.styles
	if len(m.call.Streams) == 0 && len(m.call.Changes) == 0 && len(m.series) == 0 {
		return []string{st.Faint.Render("no media statistics yet: they are logged when the call ends")}
	}
	widths := []int{7, 13, 9, 8, 10, 9, 8, 10, 11, 11, 11, 4}
	var head []string
	for i, c := range report.StreamColumns {
		head = append(head, cellOf(c, widths[i]))
	}
	out := []string{st.Title.Render(strings.Join(head, " "))}
	if len(m.call.Streams) == 0 {
		out = append(out, st.Faint.Render("no stream statistics yet: they are logged when the call ends"))
	}
	for _, s := range m.call.Streams {
		row := report.StreamRow(s)
		judge := []media.Quality{0, 0, 0, media.LossQuality(s.RX.LossPct), media.JitterQuality(s.RX.JitterMs), 0,
			media.LossQuality(s.TX.LossPct), media.JitterQuality(s.TX.JitterMs), 0, 0, 0, 0}
		var cells []string
		for i, v := range row {
			cells = append(cells, m.judged(cellOf(sanitize.String(v), widths[i]), judge[i]))
		}
		out = append(out, strings.Join(cells, " "))
	}
	out = append(out, m.chart()...)
	if len(m.call.Changes) > 0 {
		out = append(out, "", st.Title.Render("Changes"))
		for _, ch := range m.call.Changes {
			line := report.Clock(ch.Time) + "  " + sanitize.String(ch.What)
			if strings.Contains(ch.What, "3_bad") || strings.Contains(ch.What, "4_terrible") || strings.Contains(ch.What, "lost") || strings.Contains(ch.What, "failed") {
				line = st.WarnRow.Render(line)
			}
			out = append(out, line)
		}
	}
	return out
}

// chart draws the media over time: a sparkline per series, each cell in the warning or
// error style when its value crosses DESIGN's thresholds, and the series' worst value.
func (m *Model) chart() []string {
	if len(m.series) == 0 {
		return nil
	}
	st := m.styles
	head, rows := report.MediaChart(m.series, m.from, m.to, m.width)
	out := []string{"", st.Title.Render(head)}
	for _, r := range rows {
		var b strings.Builder
		b.WriteString(r.Label)
		for i := 0; i < len(r.Cells); {
			j := i
			for j < len(r.Cells) && r.Cells[j].Quality == r.Cells[i].Quality && (r.Cells[j].Rune == report.NoData) == (r.Cells[i].Rune == report.NoData) {
				j++
			}
			var run strings.Builder
			for _, c := range r.Cells[i:j] {
				run.WriteRune(c.Rune)
			}
			if r.Cells[i].Rune == report.NoData {
				b.WriteString(st.Faint.Render(run.String()))
			} else {
				b.WriteString(m.judged(run.String(), r.Cells[i].Quality))
			}
			i = j
		}
		b.WriteString("  " + m.judged(r.Worst, r.Judge))
		out = append(out, b.String())
	}
	return out
}

// judged draws s in the style of a judgement: as it is when fine, else in the warning
// or error style.
func (m *Model) judged(s string, q media.Quality) string {
	var style lipgloss.Style
	switch q {
	case media.Bad:
		style = m.styles.ErrorRow
	case media.Warn:
		style = m.styles.WarnRow
	default:
		return s
	}
	return style.Render(s)
}
