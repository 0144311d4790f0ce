package media

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, detail string
		want         []Stream
	}{{
		name:   "audio, one line with ^M",
		detail: "Stream 0 (audio)^M  RX: rate 54kbps loss 0.77% jitter 6ms^M  TX: rate 61kbps loss 0.00% jitter 2ms^M    codec MP4A-LATM rate 64kbps",
		want: []Stream{{Index: 0, Kind: "audio", Codec: "MP4A-LATM", CodecRate: "64kbps",
			RX: Direction{"54kbps", "0.77%", "6ms", 0.77, 6}, TX: Direction{"61kbps", "0.00%", "2ms", 0, 2}}},
	}, {
		name:   "video, physical lines",
		detail: "Stream 1 (video)\n  RX: rate 1085kbps loss 5.10% jitter 31ms\n  TX: rate 699kbps loss 0.00% jitter 5ms\n    codec H264 rate 700kbps resolution 768x448 fps 30",
		want: []Stream{{Index: 1, Kind: "video", Codec: "H264", CodecRate: "700kbps", Resolution: "768x448", FPS: "30",
			RX: Direction{"1085kbps", "5.10%", "31ms", 5.1, 31}, TX: Direction{"699kbps", "0.00%", "5ms", 0, 5}}},
	}}
	for _, tt := range tests {
		got, ok := Parse([]byte(tt.detail))
		if !ok || len(got) != len(tt.want) || got[0] != tt.want[0] {
			t.Errorf("%s: Parse = %+v, %v\nwant %+v", tt.name, got, ok, tt.want)
		}
	}
	if _, ok := Parse([]byte("not statistics")); ok {
		t.Error("text without a stream parsed")
	}
}

func TestQuality(t *testing.T) {
	if LossQuality(0.99) != Fine || LossQuality(1) != Warn || LossQuality(5) != Bad || JitterQuality(30) != Warn || JitterQuality(29) != Fine {
		t.Error("thresholds: loss >= 1% warning, >= 5% bad; jitter >= 30 ms warning")
	}
	s := Stream{RX: Direction{LossPct: 0.5, JitterMs: 40}}
	if s.Worst() != Warn {
		t.Errorf("Worst = %v", s.Worst())
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("Stream 0 (audio)^M  RX: rate 54kbps loss 0.77% jitter 6ms^M    codec MP4A-LATM rate 64kbps"))
	f.Add([]byte("Stream x^MStream^M RX:"))
	f.Fuzz(func(t *testing.T, b []byte) {
		streams, ok := Parse(b)
		if ok != (len(streams) > 0) {
			t.Fatalf("Parse reported %v with %d streams", ok, len(streams))
		}
		for _, s := range streams { // values are shown as logged: each is in the input
			for _, v := range []string{s.Kind, s.RX.Rate, s.RX.Loss, s.RX.Jitter, s.TX.Rate, s.TX.Loss, s.TX.Jitter, s.Codec, s.CodecRate, s.Resolution, s.FPS} {
				if !strings.Contains(string(b), v) {
					t.Fatalf("value %q is not in the input %q", v, b)
				}
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	detail := []byte("Stream 1 (video)^M  RX: rate 1085kbps loss 0.00% jitter 3ms^M  TX: rate 699kbps loss 0.00% jitter 5ms^M    codec H264 rate 700kbps resolution 768x448 fps 30")
	for b.Loop() {
		Parse(detail)
	}
}
