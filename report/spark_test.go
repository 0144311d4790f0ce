package report

import (
	"testing"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/media"
)

// TestSparkline draws a quality that holds from each change to the next, and a loss per
// window that covers the time since the window before: each cell the worst value of its
// time, as high as the value and judged with the thresholds (loss from 1% a warning,
// from 5% bad; quality ok a warning, bad and terrible bad).
func TestSparkline(t *testing.T) {
	const s = int64(1e6) // a second
	from, to := 1_778_752_800*s, 1_778_752_800*s+100*s
	tests := []struct {
		name   string
		series calls.Series
		runes  string
		judged string // . fine, w warning, b bad, space no data
	}{
		{"quality", calls.Series{Name: "call", Measure: calls.QualityMeasure,
			Samples: []calls.Sample{{Time: from, Value: 1}, {Time: from + 30*s, Value: 3}, {Time: from + 60*s, Value: 2}, {Time: from + 90*s, Value: 4}}},
			"▁▁▁▆▆▆▆▄▄█", "...bbbbwwb"}, // a change's cell holds the worse of the two
		{"a change after the start", calls.Series{Name: "call", Measure: calls.QualityMeasure,
			Samples: []calls.Sample{{Time: from + 50*s, Value: 1}}},
			"·····▁▁▁▁▁", "     ....."},
		{"loss per window", calls.Series{Name: "audio 0 RX", Measure: calls.LossMeasure,
			Samples: []calls.Sample{{Time: from + 20*s, Value: 0}, {Time: from + 40*s, Value: 0.5}, {Time: from + 70*s, Value: 12}, {Time: from + 80*s, Value: 1.5}}},
			"▁▁▂▂████▂·", "....bbbbw "},
	}
	for _, tt := range tests {
		cells := Sparkline(&tt.series, from, to, 10)
		var runes, judged []rune
		for _, c := range cells {
			runes = append(runes, c.Rune)
			switch {
			case c.Rune == NoData:
				judged = append(judged, ' ')
			case c.Quality == media.Bad:
				judged = append(judged, 'b')
			case c.Quality == media.Warn:
				judged = append(judged, 'w')
			default:
				judged = append(judged, '.')
			}
		}
		if string(runes) != tt.runes || string(judged) != tt.judged {
			t.Errorf("%s: %q %q, want %q %q", tt.name, string(runes), string(judged), tt.runes, tt.judged)
		}
	}
}

// TestMediaChart lays out a call's media over time: the span and what a column stands
// for, then each series, its sparkline and its worst value, judged.
func TestMediaChart(t *testing.T) {
	const s = int64(1e6)
	from := int64(1_778_752_800) * s
	series := []calls.Series{
		{Name: "call", Measure: calls.QualityMeasure, Samples: []calls.Sample{{Time: from, Value: 1}, {Time: from + 43*s, Value: 3}, {Time: from + 67*s, Value: 2}}},
		{Name: "audio 0 RX", Measure: calls.LossMeasure, Samples: []calls.Sample{{Time: from + 50*s, Value: 0.4}}},
	}
	head, rows := MediaChart(series, from, from+100*s, 74)
	want := []string{
		"call quality            ▁▁▁▁▁▁▁▁▆▆▆▆▆▆▄▄▄▄▄▄  worst bad at 10:00:43 — bad",
		"audio 0 RX loss         ▂▂▂▂▂▂▂▂▂▂▂·········  max 0.40%",
	}
	if head != "Media over time  10:00:00 → 10:01:40, 5s a column" {
		t.Errorf("head %q", head)
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		if r.Text() != want[i] {
			t.Errorf("row %d\n got %q\nwant %q", i, r.Text(), want[i])
		}
	}
	if rows[0].Judge != media.Bad || rows[1].Judge != media.Fine {
		t.Errorf("judged %v and %v, want bad and fine", rows[0].Judge, rows[1].Judge)
	}
}
