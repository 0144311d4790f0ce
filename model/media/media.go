// Package media reads Pexip's end-of-call media statistics: the Detail of a "Media Stream
// destroyed" line (logged under support.participant by older releases, support.media by
// newer ones), one stream per line:
//
//	Stream 1 (video)^M  RX: rate 1085kbps loss 0.00% jitter 3ms^M  TX: rate 699kbps loss 0.00% jitter 5ms^M    codec H264 rate 700kbps resolution 768x448 fps 30
//
// Values are kept as logged ("0.77%", "54kbps", "6ms") for display, and also as numbers
// for judging them.
package media

import (
	"strconv"
	"strings"

	"github.com/calltail/calltail/model/sip"
)

// Direction is one direction's figures.
type Direction struct {
	Rate, Loss, Jitter string  // as logged: "54kbps", "0.77%", "6ms"
	LossPct, JitterMs  float64 // the same, as numbers
}

// Stream is one stream's statistics.
type Stream struct {
	Index      int    // the stream number
	Kind       string // audio, video or presentation
	RX, TX     Direction
	Codec      string
	CodecRate  string // as logged: "700kbps"
	Resolution string // "768x448", video only
	FPS        string // "30", video only
}

// Quality judges a value: 0 fine, 1 a warning, 2 bad.
type Quality int

// The judgements.
const (
	Fine Quality = iota
	Warn
	Bad
)

// LossQuality judges packet loss: 1% or more is a warning, 5% or more bad.
func LossQuality(pct float64) Quality {
	switch {
	case pct >= 5:
		return Bad
	case pct >= 1:
		return Warn
	}
	return Fine
}

// JitterQuality judges jitter: 30 ms or more is a warning.
func JitterQuality(ms float64) Quality {
	if ms >= 30 {
		return Warn
	}
	return Fine
}

// Worst returns the worst judgement of the stream's values.
func (s Stream) Worst() Quality {
	return max(LossQuality(s.RX.LossPct), LossQuality(s.TX.LossPct), JitterQuality(s.RX.JitterMs), JitterQuality(s.TX.JitterMs))
}

// Parse reads the streams in a Detail value (lines broken by ^M or real line breaks).
// Lines it does not understand are skipped; it reports false when no stream was found.
func Parse(detail []byte) ([]Stream, bool) {
	text := string(detail) // one copy: the streams' values are slices of it
	var out []Stream
	var cur *Stream
	for b := range sip.Lines(detail) {
		at := cap(detail) - cap(b) // b is a slice of detail: the same line in text
		line := strings.TrimSpace(text[at : at+len(b)])
		switch {
		case strings.HasPrefix(line, "Stream "):
			out = append(out, Stream{})
			cur = &out[len(out)-1]
			index, kind, _ := strings.Cut(line[len("Stream "):], " ")
			cur.Index, _ = strconv.Atoi(index)
			cur.Kind = strings.Trim(strings.TrimSpace(kind), "()")
		case cur == nil:
		case strings.HasPrefix(line, "RX:"):
			cur.RX = direction(line[3:])
		case strings.HasPrefix(line, "TX:"):
			cur.TX = direction(line[3:])
		case strings.HasPrefix(line, "codec "):
			readPairs(line, named{"codec", &cur.Codec}, named{"rate", &cur.CodecRate},
				named{"resolution", &cur.Resolution}, named{"fps", &cur.FPS})
		}
	}
	return out, len(out) > 0
}

func direction(text string) Direction {
	var d Direction
	readPairs(text, named{"rate", &d.Rate}, named{"loss", &d.Loss}, named{"jitter", &d.Jitter})
	d.LossPct, _ = strconv.ParseFloat(strings.TrimSuffix(d.Loss, "%"), 64)
	d.JitterMs, _ = strconv.ParseFloat(strings.TrimSuffix(d.Jitter, "ms"), 64)
	return d
}

// named is where readPairs puts the value of a name.
type named struct {
	name string
	dst  *string
}

// readPairs reads "name value name value ..." into the strings of the names given; other
// names are skipped, and the last of a repeated name counts.
func readPairs(text string, into ...named) {
	var name string
	isValue := false
	for word := range strings.FieldsSeq(text) {
		if isValue {
			for _, n := range into {
				if n.name == name {
					*n.dst = word
				}
			}
		}
		name, isValue = word, !isValue
	}
}
