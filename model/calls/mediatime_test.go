package calls

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/sim"
)

// TestQualityOverTime reads each simulated call's quality over its time: from its first
// line, the quality the first change says it was; then each change's new quality, at the
// change's time — the values and times the log holds.
func TestQualityOverTime(t *testing.T) {
	var buf bytes.Buffer
	s := sim.New(5)
	s.WriteLines(&buf, 6000)
	text := buf.String()
	st, x := indexText(t, text)
	// The changes as logged, by Call-Id: time, Was and Now.
	re := regexp.MustCompile(`^\S+ \S+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) .*Message="Stable call quality changed".* Call-I[dD]="([^"]+)" Was="(\d)_[a-z]+" Now="(\d)_[a-z]+"`)
	changes := map[string][][]string{}
	for _, line := range strings.Split(text, "\n") {
		if m := re.FindStringSubmatch(line); m != nil {
			changes[m[2]] = append(changes[m[2]], []string{m[1], m[3], m[4]})
		}
	}
	changed := 0
	for _, truth := range s.Truth() {
		logged := changes[truth.CallID]
		if len(logged) == 0 {
			continue
		}
		changed++
		d := detailOf(t, st, x, truth.CallID)
		first, _ := d.Span()
		var want []Sample
		for i, l := range logged {
			at, err := time.Parse("2006-01-02 15:04:05,000", l[0])
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				was, _ := strconv.Atoi(l[1])
				want = append(want, Sample{first, float64(was)})
			}
			now, _ := strconv.Atoi(l[2])
			want = append(want, Sample{at.UnixMicro(), float64(now)})
		}
		if len(d.Media) == 0 || d.Media[0].Name != "call" || d.Media[0].Measure != QualityMeasure || !slices.Equal(d.Media[0].Samples, want) {
			t.Errorf("call %s: media over time %+v, want the call's quality %+v", truth.CallID, d.Media, want)
		}
	}
	if changed == 0 {
		t.Fatal("no simulated call changed quality: the test proves little")
	}
}

// TestLossPerWindow reads participant_media_stream_window lines: the loss of each window
// is the packets lost since the report before of those received (RX) or sent (TX), a
// report repeated in a later line counts once, and each kind of media's recent quality is
// a series of its own.
func TestLossPerWindow(t *testing.T) {
	report := func(at string, history, quality string) string {
		content := `{"uuid": "p1", "packet_loss_history": [` + history + `], "recent_quality": [` + quality + `]}`
		return `2026-05-14 10:00:` + at + `,000 Level="INFO" Name="support.participant" Message="participant_media_stream_window" Call-Id="c1@10.44.5.9" Content="b'` +
			strings.ReplaceAll(content, `"`, `\"`) + `'"` + "\n"
	}
	const t0 = 1778752800 // 2026-05-14 10:00:00 UTC
	counters := func(sec, rxRecv, rxLost, txSent, txLost int) string {
		return `{"type": "audio", "id": 0, "time": ` + strconv.Itoa(t0+sec) + `, "rx_packets_received": ` + strconv.Itoa(rxRecv) +
			`, "rx_packets_lost": ` + strconv.Itoa(rxLost) + `, "tx_packets_sent": ` + strconv.Itoa(txSent) + `, "tx_packets_lost": ` + strconv.Itoa(txLost) + `}`
	}
	log := `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Call-Id="c1@10.44.5.9" Participant-Id="p1" Protocol="SIP"` + "\n" +
		report("10", counters(10, 990, 10, 1000, 0), `{"time": `+strconv.Itoa(t0+10)+`, "audio": 1, "video": 1, "presentation": 0}`) +
		report("20", counters(10, 990, 10, 1000, 0)+", "+counters(20, 1940, 60, 2000, 20), `{"time": `+strconv.Itoa(t0+20)+`, "audio": 3, "video": 2, "presentation": 0}`)
	st, x := indexText(t, log)
	d := detailOf(t, st, x, "c1@10.44.5.9")
	sec := func(s int) int64 { return int64(t0+s) * 1e6 }
	want := []Series{
		{"audio", QualityMeasure, []Sample{{sec(10), 1}, {sec(20), 3}}},
		{"presentation", QualityMeasure, []Sample{{sec(10), 0}, {sec(20), 0}}},
		{"video", QualityMeasure, []Sample{{sec(10), 1}, {sec(20), 2}}},
		{"audio 0 RX", LossMeasure, []Sample{{sec(10), 1}, {sec(20), 5}}}, // 10 of 1000, then 50 of 1000
		{"audio 0 TX", LossMeasure, []Sample{{sec(10), 0}, {sec(20), 2}}}, // 0 of 1000, then 20 of 1000
	}
	if len(d.Media) != len(want) {
		t.Fatalf("series %+v, want %+v", d.Media, want)
	}
	for i, w := range want {
		g := d.Media[i]
		if g.Name != w.Name || g.Measure != w.Measure || !slices.Equal(g.Samples, w.Samples) {
			t.Errorf("series %d = %+v, want %+v", i, g, w)
		}
	}
}
