package logs

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	ref := time.Date(2026, 5, 14, 23, 30, 0, 0, time.UTC)
	for _, c := range []struct{ text, want string }{
		{"12:03", "2026-05-14 12:03:00"},
		{" 12:03:30 ", "2026-05-14 12:03:30"},
		{"12:03:30.250", "2026-05-14 12:03:30.25"},
		{"12:03:30,5", "2026-05-14 12:03:30.5"},
		{"05-13 08:00", "2026-05-13 08:00:00"},
		{"05-13 08:01:13.186", "2026-05-13 08:01:13.186"},
		{"2025-12-31 23:59", "2025-12-31 23:59:00"},
		{"2026-05-14T08:00:00", "2026-05-14 08:00:00"},
		{"2026-05-01", "2026-05-01 00:00:00"},
	} {
		w, ok := ParseTime(c.text)
		if !ok {
			t.Errorf("%q: not a time", c.text)
			continue
		}
		if got := w.In(ref, time.UTC).Format("2006-01-02 15:04:05.999"); got != c.want {
			t.Errorf("%q: %s, want %s", c.text, got, c.want)
		}
	}
	for _, text := range []string{"", "conf01", "12", "12:3x", "25:00", "support.sip", "10.0.1.12", "12:03.5", "2026-13-01"} {
		if _, ok := ParseTime(text); ok {
			t.Errorf("%q reads as a time", text)
		}
	}
	// Read in the zone asked for, on the reference's day there.
	tokyo := time.FixedZone("JST", 9*3600)
	if got := mustParse(t, "08:00").In(ref, tokyo); !got.Equal(time.Date(2026, 5, 15, 8, 0, 0, 0, tokyo)) {
		t.Errorf("08:00 in Tokyo on the day of %s: %s", ref, got)
	}
}

func mustParse(t *testing.T, text string) When {
	w, ok := ParseTime(text)
	if !ok {
		t.Fatalf("%q: not a time", text)
	}
	return w
}
