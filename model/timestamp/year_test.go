package timestamp

import (
	"testing"
	"time"
)

// TestYearNotAfter puts RFC 3164 stamps in the latest year that does not make them later
// than a reference time (a file's modification time): a log written over New Year keeps
// December in the year before, January in the new one.
func TestYearNotAfter(t *testing.T) {
	tests := []struct {
		stamp, ref string
		want       int
	}{
		{"Dec 31 23:59:59", "2025-01-02T08:00:00Z", 2024},
		{"Jan  1 00:00:01", "2025-01-02T08:00:00Z", 2025},
		{"Jan  2 08:00:00", "2025-01-02T08:00:00Z", 2025},        // the moment of the reference
		{"Jan  2 20:00:00", "2025-01-02T08:00:00Z", 2025},        // within a day after it: a zone east of UTC
		{"Jan  4 08:00:00", "2025-01-02T08:00:00Z", 2024},        // days after it: last year's
		{"Nov  6 10:23:55", "2022-11-07T00:00:00Z", 2022},        // Learn-Kamailio#5's line, read the next day
		{"Nov  6 10:23:55", "2023-03-01T00:00:00Z", 2022},        // read in spring
		{"Feb 29 12:00:00", "2025-06-01T00:00:00Z", 2024},        // the latest leap year
		{"Feb 29 12:00:00", "2024-02-28T00:00:00Z", 2020},        // not yet in 2024
		{"Feb 29 12:00:00", "2101-06-01T00:00:00Z", 2096},        // 2100 is no leap year
		{"Mar  1 00:00:00", "1970-01-01T00:00:00Z", 1969},        // before the epoch
		{"Dec 17 18:17:52", "2024-12-16T00:00:00.000001Z", 2023}, // a line two days ahead of the file
		{"Dec 17 18:17:52", time.Date(2024, 12, 17, 18, 17, 52, 0, time.UTC).Format(time.RFC3339), 2024},
	}
	for _, tt := range tests {
		ref, err := time.Parse(time.RFC3339Nano, tt.ref)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := Year{Ref: ref.UnixMicro()}.BSD([]byte(tt.stamp))
		if !ok {
			t.Fatalf("%q not read", tt.stamp)
		}
		if got := time.UnixMicro(s.Micros).UTC().Year(); got != tt.want {
			t.Errorf("%q with reference %s: year %d, want %d", tt.stamp, tt.ref, got, tt.want)
		}
	}
}

// TestYearFixed: a year given (--year) is every stamp's.
func TestYearFixed(t *testing.T) {
	s, ok := Year{Fixed: 2019, Ref: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()}.BSD([]byte("Dec 31 23:59:59"))
	if want := time.Date(2019, 12, 31, 23, 59, 59, 0, time.UTC).UnixMicro(); !ok || s.Micros != want {
		t.Errorf("= %d, %v; want %d", s.Micros, ok, want)
	}
}

// TestYearOf checks yearOf against the standard library around every New Year of four
// centuries, and before the epoch.
func TestYearOf(t *testing.T) {
	for y := 1800; y <= 2200; y++ {
		for _, tm := range []time.Time{time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 23, 59, 59, 999999000, time.UTC)} {
			if got := yearOf(tm.UnixMicro()); got != y {
				t.Fatalf("yearOf(%s) = %d", tm, got)
			}
		}
	}
}

// TestBSDFraction reads the fraction that Sipwise's NGCP logs put after an RFC 3164 time
// ("Mmm dd HH:MM:SS.ffffff", the shape its KPI scripts match), and stops at nine digits.
func TestBSDFraction(t *testing.T) {
	for in, want := range map[string]Stamp{
		"Jan 10 10:00:00.123456 sp1 proxy[1]:": {Micros: time.Date(2024, 1, 10, 10, 0, 0, 123456000, time.UTC).UnixMicro(), Len: 22},
		"Jan 10 10:00:00.5":                    {Micros: time.Date(2024, 1, 10, 10, 0, 0, 500000000, time.UTC).UnixMicro(), Len: 17},
		"Jan 10 10:00:00.1234567891":           {Micros: time.Date(2024, 1, 10, 10, 0, 0, 123456000, time.UTC).UnixMicro(), Len: 25},
		"Jan 10 10:00:00. x":                   {Micros: time.Date(2024, 1, 10, 10, 0, 0, 0, time.UTC).UnixMicro(), Len: 15},
	} {
		if s, ok := BSD([]byte(in), 2024); !ok || s != want {
			t.Errorf("BSD(%q) = %+v, %v; want %+v", in, s, ok, want)
		}
	}
}

// TestRFC1123 reads a SIP Date header's value, as an Asterisk INVITE carried it in a
// capture pasted in kamailio/kamailio#2436, and rejects other shapes.
func TestRFC1123(t *testing.T) {
	s, ok := RFC1123([]byte("Mon, 10 Aug 2020 21:05:51 GMT."))
	if want := time.Date(2020, 8, 10, 21, 5, 51, 0, time.UTC).UnixMicro(); !ok || s.Micros != want || s.Len != 29 {
		t.Errorf("= %+v, %v; want %d", s, ok, want)
	}
	for _, in := range []string{"", "Mon, 10 Aug 2020 21:05:51 UTC", "Mon, 31 Feb 2020 21:05:51 GMT", "Mon 10 Aug 2020 21:05:51 GMT", "Mon, 10 Aug 20x0 21:05:51 GMT", "Mon, 10 Aug 2020 25:05:51 GMT"} {
		if s, ok := RFC1123([]byte(in)); ok {
			t.Errorf("RFC1123(%q) = %+v", in, s)
		}
	}
}
