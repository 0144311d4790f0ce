package tui

import (
	"time"

	"github.com/calltail/calltail/session"
)

// rateMeter turns the sources' message counters into messages per second.
type rateMeter struct {
	at       time.Time
	messages int64
	perSec   float64
}

func (r *rateMeter) add(now time.Time, states []session.SourceState) {
	var total int64
	for _, s := range states {
		total += s.Stats.Messages
	}
	if !r.at.IsZero() {
		if d := now.Sub(r.at).Seconds(); d > 0 {
			r.perSec = float64(total-r.messages) / d
		}
	}
	r.at, r.messages = now, total
}
