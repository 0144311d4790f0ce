package calls

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/media"
)

// Measure is what a media series measures.
type Measure int

// The measures.
const (
	QualityMeasure Measure = iota // Pexip's call quality: 0 unknown, 1 good, 2 ok, 3 bad, 4 terrible
	LossMeasure                   // packet loss, in per cent
)

var measureNames = [...]string{"quality", "loss"}

// String names the measure.
func (m Measure) String() string { return measureNames[m] }

// Judge judges a value of the measure with DESIGN's thresholds: loss of 1% or more is a
// warning and 5% bad; a quality ok is a warning, bad or terrible bad.
func (m Measure) Judge(v float64) media.Quality {
	if m == LossMeasure {
		return media.LossQuality(v)
	}
	switch {
	case v >= 3:
		return media.Bad
	case v >= 2:
		return media.Warn
	}
	return media.Fine
}

var qualityNames = [...]string{"unknown", "good", "ok", "bad", "terrible"}

// Format writes a value of the measure: "bad", "0.77%".
func (m Measure) Format(v float64) string {
	if m == LossMeasure {
		return strconv.FormatFloat(v, 'f', 2, 64) + "%"
	}
	if i := int(v); i >= 0 && i < len(qualityNames) {
		return qualityNames[i]
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Sample is one value of a series: a quality holds from its Time until the next sample; a
// loss is over the time since the series' previous sample (or the call's start):
// a window's.
type Sample struct {
	Time  int64 // microseconds since the epoch
	Value float64
}

// Series is one measure of a call's media over the call's time: of the whole call, or of
// one stream and direction.
type Series struct {
	Name    string // "call", "audio" (a quality of one kind of media), "audio 0 RX" (a stream's direction)
	Measure Measure
	Samples []Sample // in time order
}

// Step reports whether each sample holds until the next (qualities), rather than
// covering the time since the one before (losses).
func (s *Series) Step() bool { return s.Measure == QualityMeasure }

// Worst returns the series' worst value and when it was logged.
func (s *Series) Worst() Sample {
	var w Sample
	for i, x := range s.Samples {
		if i == 0 || x.Value > w.Value {
			w = x
		}
	}
	return w
}

// MediaOverTime reads a call's media over its time from its entries (in time order): the
// quality changes ("Stable call quality changed", Was and Now) and the per-window
// statistics of participant_media_stream_window lines (packet loss per stream and
// direction from their cumulative counters, and the recent quality of each kind of
// media). The end-of-call statistics ("Media Stream destroyed") are over the whole call,
// not over time: the call's Streams hold them.
func MediaOverTime(recs []model.Record) []Series {
	var b seriesBuilder
	for i := range recs {
		r := &recs[i]
		if r.Plain {
			continue
		}
		msg := r.Message()
		switch {
		case string(msg) == "Stable call quality changed":
			if len(b.find("call", QualityMeasure).Samples) == 0 && len(recs) > 0 {
				b.add("call", QualityMeasure, recs[0].Time, qualityOf(fieldText(r, "Was")))
			}
			b.add("call", QualityMeasure, r.Time, qualityOf(fieldText(r, "Now")))
		case bytes.Contains(r.Raw, []byte("participant_media_stream_window")):
			b.window(r)
		}
	}
	return b.done()
}

// qualityOf reads a quality as logged ("3_bad") as its number, or -1.
func qualityOf(v string) float64 {
	n, _, _ := strings.Cut(v, "_")
	q, err := strconv.Atoi(n)
	if err != nil {
		return -1
	}
	return float64(q)
}

// seriesBuilder gathers samples by series.
type seriesBuilder struct {
	all     []*Series
	windows map[string][]lossCounters // cumulative packet counters by stream
}

func (b *seriesBuilder) find(name string, m Measure) *Series {
	for _, s := range b.all {
		if s.Name == name && s.Measure == m {
			return s
		}
	}
	s := &Series{Name: name, Measure: m}
	b.all = append(b.all, s)
	return s
}

func (b *seriesBuilder) add(name string, m Measure, t int64, v float64) {
	if v < 0 || t == 0 {
		return
	}
	s := b.find(name, m)
	s.Samples = append(s.Samples, Sample{t, v})
}

// lossCounters are one stream's cumulative packet counters at a moment, as a
// participant_media_stream_window line's packet_loss_history reports them.
type lossCounters struct {
	Type       string  `json:"type"`
	ID         any     `json:"id"`
	Time       float64 `json:"time"` // seconds since the epoch
	RXReceived float64 `json:"rx_packets_received"`
	RXLost     float64 `json:"rx_packets_lost"`
	TXSent     float64 `json:"tx_packets_sent"`
	TXLost     float64 `json:"tx_packets_lost"`
}

// windowReport is the part of a participant_media_stream_window event the series read.
type windowReport struct {
	PacketLossHistory []lossCounters `json:"packet_loss_history"`
	RecentQuality     []struct {
		Time         float64  `json:"time"`
		Audio        *float64 `json:"audio"`
		Video        *float64 `json:"video"`
		Presentation *float64 `json:"presentation"`
	} `json:"recent_quality"`
}

// window reads a participant_media_stream_window line: its JSON content (in a Content or
// Detail field, or anywhere in the line; as Python writes bytes, b'...', or not).
func (b *seriesBuilder) window(r *model.Record) {
	text := r.Raw
	for _, key := range []string{"Content", "Detail", "Data"} {
		if v, ok := r.Field(key); ok && bytes.IndexByte(v, '{') >= 0 {
			text = v
			break
		}
	}
	if kv.NeedsUnescape(text) {
		text = kv.Unescape(nil, text)
	}
	start, end := bytes.IndexByte(text, '{'), bytes.LastIndexByte(text, '}')
	if start < 0 || end < start {
		return
	}
	var w windowReport
	if json.Unmarshal(text[start:end+1], &w) != nil {
		return
	}
	for _, q := range w.RecentQuality {
		t := int64(q.Time * 1e6)
		for _, k := range []struct {
			name string
			v    *float64
		}{{"audio", q.Audio}, {"video", q.Video}, {"presentation", q.Presentation}} {
			if k.v != nil && !b.has(k.name, QualityMeasure, t) {
				b.add(k.name, QualityMeasure, t, *k.v)
			}
		}
	}
	if b.windows == nil {
		b.windows = map[string][]lossCounters{}
	}
	for _, c := range w.PacketLossHistory {
		name := fmt.Sprintf("%s %v", c.Type, c.ID)
		b.windows[name] = append(b.windows[name], c)
	}
}

func (b *seriesBuilder) has(name string, m Measure, t int64) bool {
	return slices.ContainsFunc(b.find(name, m).Samples, func(s Sample) bool { return s.Time == t })
}

// done turns the windows' counters into loss per window — each report's packets lost
// since the one before, of those received (RX) or sent (TX) — and returns the series,
// the call's quality first, then by name and measure, each in time order.
func (b *seriesBuilder) done() []Series {
	for name, reports := range b.windows {
		slices.SortStableFunc(reports, func(x, y lossCounters) int { return cmp.Compare(x.Time, y.Time) })
		reports = slices.CompactFunc(reports, func(x, y lossCounters) bool { return x.Time == y.Time }) // reported again
		var last lossCounters
		for _, c := range reports {
			t := int64(c.Time * 1e6)
			if rx, lost := c.RXReceived-last.RXReceived, c.RXLost-last.RXLost; rx+lost > 0 {
				b.add(name+" RX", LossMeasure, t, 100*lost/(rx+lost))
			}
			if tx, lost := c.TXSent-last.TXSent, c.TXLost-last.TXLost; tx > 0 {
				b.add(name+" TX", LossMeasure, t, 100*lost/tx)
			}
			last = c
		}
	}
	out := make([]Series, 0, len(b.all))
	for _, s := range b.all {
		if len(s.Samples) == 0 {
			continue
		}
		slices.SortStableFunc(s.Samples, func(x, y Sample) int { return cmp.Compare(x.Time, y.Time) })
		out = append(out, *s)
	}
	rank := func(s Series) int {
		switch {
		case s.Name == "call":
			return 0
		case s.Measure == QualityMeasure:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(x, y Series) int {
		return cmp.Or(cmp.Compare(rank(x), rank(y)), cmp.Compare(x.Name, y.Name), cmp.Compare(x.Measure, y.Measure))
	})
	return out
}
