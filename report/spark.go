package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/sanitize"
)

// Spark is one cell of a sparkline.
type Spark struct {
	Rune    rune          // a bar, ▁ to █; · where the series says nothing of the cell's time
	Quality media.Quality // the judgement of the worst value the cell stands for
}

// bars are the sparkline's heights, lowest first.
var bars = []rune("▁▂▃▄▅▆▇█")

// NoData is the cell of a time the series says nothing of.
const NoData = '·'

// Sparkline draws series s over the time from..to in width cells. A cell stands for the
// worst value that holds in its time: a quality from its change until the next, a loss
// over the time since the sample before it (or the start). Its height grows with the
// value: a quality from good (▁) to terrible (█), loss from 0 (▁) to 10% and more (█).
func Sparkline(s *calls.Series, from, to int64, width int) []Spark {
	if width <= 0 {
		return nil
	}
	span := max(to-from, 1)
	cells := make([]Spark, width)
	worst := make([]float64, width)
	seen := make([]bool, width)
	cellOf := func(t int64) int { return int(min(max((t-from)*int64(width)/span, 0), int64(width-1))) }
	mark := func(a, b int, v float64) { // cells a..b hold v
		for i := max(a, 0); i <= min(b, width-1); i++ {
			if !seen[i] || v > worst[i] {
				worst[i], seen[i] = v, true
			}
		}
	}
	for i, x := range s.Samples {
		if s.Step() {
			last := width - 1
			if i+1 < len(s.Samples) {
				last = cellOf(s.Samples[i+1].Time)
			}
			mark(cellOf(x.Time), last, x.Value)
			continue
		}
		start := from
		if i > 0 {
			start = s.Samples[i-1].Time
		}
		mark(cellOf(start), cellOf(x.Time), x.Value)
	}
	for i := range cells {
		cells[i] = Spark{Rune: NoData}
		if seen[i] {
			cells[i] = Spark{Rune: bar(s.Measure, worst[i]), Quality: s.Measure.Judge(worst[i])}
		}
	}
	return cells
}

// bar is the height of value v of measure m.
func bar(m calls.Measure, v float64) rune {
	var level int
	switch m {
	case calls.QualityMeasure:
		level = [...]int{0, 0, 3, 5, 7}[min(max(int(v), 0), 4)]
	case calls.LossMeasure:
		if v > 0 {
			level = 1 + int(v/10*6)
		}
	}
	return bars[min(max(level, 0), len(bars)-1)]
}

// ChartRow is one series of the media chart: its name, its sparkline and its worst value.
type ChartRow struct {
	Label string // "call quality", "audio 0 RX loss", padded to one width
	Cells []Spark
	Worst string // "worst bad at 10:04:12", "max 0.77%"
	Judge media.Quality
}

// Text is the row as plain text.
func (r ChartRow) Text() string {
	var b strings.Builder
	b.WriteString(r.Label)
	for _, c := range r.Cells {
		b.WriteRune(c.Rune)
	}
	b.WriteString("  " + r.Worst)
	return b.String()
}

const (
	chartLabel = 24 // the label column's width
	chartWorst = 30 // room for the worst value
)

// MediaChart lays out a call's media over time (from..to, the call's first and last
// lines) in width columns: a heading that says the span each row covers, then one row
// per series — its sparkline, and its worst value, judged ("— warning", "— bad") with
// DESIGN's thresholds.
func MediaChart(series []calls.Series, from, to int64, width int) (head string, rows []ChartRow) {
	w := max(10, width-chartLabel-chartWorst)
	head = "Media over time"
	if from != 0 && to > from {
		head += fmt.Sprintf("  %s → %s, %s a column", clockTime(from), clockTime(to), (time.Duration(to-from) * time.Microsecond / time.Duration(w)).Round(time.Millisecond))
	}
	for i := range series {
		s := &series[i]
		label := sanitize.String(s.Name + " " + s.Measure.String())
		if n := len([]rune(label)); n < chartLabel-1 {
			label += strings.Repeat(" ", chartLabel-n)
		} else {
			label = string([]rune(label)[:chartLabel-2]) + "… "
		}
		worst := s.Worst()
		judge := s.Measure.Judge(worst.Value)
		text := "max " + s.Measure.Format(worst.Value)
		if s.Step() {
			text = "worst " + s.Measure.Format(worst.Value)
		}
		if len(s.Samples) > 1 {
			text += " at " + clockTime(worst.Time)
		}
		if judge != media.Fine {
			text += " — " + judgementNames[judge]
		}
		rows = append(rows, ChartRow{Label: label, Cells: Sparkline(s, from, to, w), Worst: text, Judge: judge})
	}
	return head, rows
}

// clockTime writes a time of day, UTC, to the second.
func clockTime(t int64) string { return time.UnixMicro(t).UTC().Format("15:04:05") }
