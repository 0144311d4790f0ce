package sim

import (
	"strconv"
	"strings"
	"time"
)

// windowEvery is how often a call logs its per-window media statistics; each window holds
// windowSamples samples, windowEvery/windowSamples apart.
const (
	windowEvery   = 2 * time.Minute
	windowSamples = 6
)

// window is what a call's per-window statistics have counted so far.
type window struct {
	counts [3][4]int // per stream: received, lost, sent, lost by the far end
	was    string    // the quality the last window reported
}

// mediaWindow logs the call's statistics of the last window, then schedules the next
// while the call lasts: a support.management_queue line whose Content is the JSON of a
// participant_media_stream_window event.
func (s *Sim) mediaWindow(c *call) {
	if c.over {
		return
	}
	s.afterFor(c, windowEvery, func() { s.mediaWindow(c) })
	kinds := []string{"audio"}
	if c.video {
		kinds = append(kinds, "video")
	}
	if c.presentation {
		kinds = append(kinds, "presentation")
	}
	now := qualityLevel(c.quality)
	was := c.window.was
	if was == "" {
		was = "0_unknown"
	}
	w := MediaWindow{Was: was, Now: c.quality, Time: loggedTime(s.now)}
	var history, recent []string
	for i := windowSamples - 1; i >= 0; i-- {
		at := unixSeconds(s.now - int64(i)*(windowEvery/windowSamples).Microseconds())
		t, _ := strconv.ParseFloat(at, 64)
		for id, kind := range kinds {
			n := &c.window.counts[id]
			sent := s.packets(c, kind)
			n[0] += sent
			n[1] += s.lost(now, sent)
			n[2] += sent
			n[3] += s.lost(now, sent) / 2
			w.Loss = append(w.Loss, PacketCounts{Type: kind, ID: id, Time: t, RxReceived: n[0], RxLost: n[1], TxSent: n[2], TxLost: n[3]})
			history = append(history, `{"type": "`+kind+`", "id": `+itoa(id)+`, "time": `+at+`, "rx_packets_received": `+itoa(n[0])+
				`, "rx_packets_lost": `+itoa(n[1])+`, "tx_packets_sent": `+itoa(n[2])+`, "tx_packets_lost": `+itoa(n[3])+`}`)
		}
		q := QualityReport{Time: t, Audio: now}
		if c.video {
			q.Video = now
		}
		if c.showing {
			q.Presentation = now
		}
		w.Quality = append(w.Quality, q)
		recent = append(recent, `{"time": `+at+`, "audio": `+itoa(q.Audio)+`, "video": `+itoa(q.Video)+`, "presentation": `+itoa(q.Presentation)+`}`)
	}
	c.window.was = c.quality
	w.Content = `{"uuid": "` + c.partID + `", "call_quality_was": "` + was + `", "call_quality_now": "` + c.quality +
		`", "packet_loss_history": [` + strings.Join(history, ", ") + `], "recent_quality": [` + strings.Join(recent, ", ") + `]}`
	content := w.Content
	if c.media.old { // older releases log the bytes as Python prints them
		content = "b'" + content + "'"
	}
	s.log(c.media, "INFO", "support.management_queue", "Message", "Sending event", "Event", "participant_media_stream_window",
		"Content", content)
	s.fact(c, func(t *CallTruth) { t.Windows = append(t.Windows, w) })
}

// packets draws how many packets a stream carries in one sample's time.
func (s *Sim) packets(c *call, kind string) int {
	secs := int((windowEvery / windowSamples).Seconds())
	switch kind {
	case "audio":
		return secs * (48 + s.rng.IntN(5))
	case "video":
		return secs * (c.bandwidth/10 + s.rng.IntN(20))
	}
	if !c.showing {
		return 0
	}
	return secs * (160 + s.rng.IntN(20))
}

// lost draws how many of n packets a stream of quality level q loses.
func (s *Sim) lost(q, n int) int {
	switch q {
	case 1:
		return s.rng.IntN(3) * min(n, 1)
	case 2:
		return n * (5 + s.rng.IntN(10)) / 1000
	default:
		return n * (30 + s.rng.IntN(50)) / 1000
	}
}

// qualityLevel is the number recent_quality gives a quality: 1_good is 1.
func qualityLevel(q string) int { return int(q[0] - '0') }

// unixSeconds writes a time as seconds since 1970 with milliseconds.
func unixSeconds(us int64) string {
	ms := us / 1000
	return strconv.FormatInt(ms/1000, 10) + "." + string(appendInt(nil, int(ms%1000), 3))
}
