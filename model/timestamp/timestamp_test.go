package timestamp

import (
	"math/rand/v2"
	"testing"
	"time"
)

// us returns the microseconds since the epoch of a UTC time given as RFC 3339.
func us(t *testing.T, rfc3339 string) int64 {
	t.Helper()
	tm, err := time.Parse(time.RFC3339Nano, rfc3339)
	if err != nil {
		t.Fatal(err)
	}
	return tm.UnixMicro()
}

func TestDateTime(t *testing.T) {
	tests := []struct {
		in   string
		want string // the time in RFC 3339, UTC
		len  int
		zone bool
		tSep bool
	}{
		// Pexip's originating time: comma before milliseconds, no zone, taken as UTC.
		{"2026-05-14 23:38:44,061", "2026-05-14T23:38:44.061Z", 23, false, false},
		{"2026-05-14 23:38:44,061 Level=\"INFO\"", "2026-05-14T23:38:44.061Z", 23, false, false},
		// syslog_time: RFC 3339 with milliseconds and an offset.
		{"2026-05-14T23:38:44.061+00:00 conf01", "2026-05-14T23:38:44.061Z", 29, true, true},
		// rsyslog: microseconds.
		{"2019-05-11T08:29:33.751132+00:00", "2019-05-11T08:29:33.751132Z", 32, true, true},
		// Flexisip: colon before milliseconds.
		{"2026-05-14 23:38:44:656 message", "2026-05-14T23:38:44.656Z", 23, false, false},
		{"2026-05-14 23:38:44", "2026-05-14T23:38:44Z", 19, false, false},
		{"2026-05-14T23:38:44", "2026-05-14T23:38:44Z", 19, false, true},
		{"2026-05-14T23:38:44Z", "2026-05-14T23:38:44Z", 20, true, true},
		{"2026-05-14T23:38:44z", "2026-05-14T23:38:44Z", 20, true, true},
		{"2026-11-20T08:00:01.123Z", "2026-11-20T08:00:01.123Z", 24, true, true},
		// Zones and offsets are converted to UTC.
		{"2026-11-20T08:00:01.123456+01:00", "2026-11-20T07:00:01.123456Z", 32, true, true},
		{"2026-11-20T08:00:01+0100", "2026-11-20T07:00:01Z", 24, true, true},
		{"2026-11-20T08:00:01+01", "2026-11-20T07:00:01Z", 22, true, true},
		{"2026-11-20T08:00:01-05:00", "2026-11-20T13:00:01Z", 25, true, true},
		{"2026-11-20T08:00:01-0530", "2026-11-20T13:30:01Z", 24, true, true},
		{"2026-11-20T08:00:01+05:45", "2026-11-20T02:15:01Z", 25, true, true},
		{"2026-11-20 08:00:01-08", "2026-11-20T16:00:01Z", 22, true, false},
		{"2026-01-01T00:30:00+01:00", "2025-12-31T23:30:00Z", 25, true, true}, // across a year
		{"2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00Z", 25, true, true},
		{"2026-11-20 08:00:01,5-01:00 x", "2026-11-20T09:00:01.5Z", 27, true, false},
		// Fractions of one to nine digits; beyond microseconds they are truncated.
		{"2026-05-14T23:38:44.1Z", "2026-05-14T23:38:44.1Z", 22, true, true},
		{"2026-05-14T23:38:44.12Z", "2026-05-14T23:38:44.12Z", 23, true, true},
		{"2026-05-14T23:38:44.123Z", "2026-05-14T23:38:44.123Z", 24, true, true},
		{"2026-05-14T23:38:44.1234Z", "2026-05-14T23:38:44.1234Z", 25, true, true},
		{"2026-05-14T23:38:44.12345Z", "2026-05-14T23:38:44.12345Z", 26, true, true},
		{"2026-05-14T23:38:44.123456Z", "2026-05-14T23:38:44.123456Z", 27, true, true},
		{"2026-05-14T23:38:44.1234567Z", "2026-05-14T23:38:44.123456Z", 28, true, true},
		{"2026-05-14T23:38:44.12345678Z", "2026-05-14T23:38:44.123456Z", 29, true, true},
		{"2026-05-14T23:38:44.123456789Z", "2026-05-14T23:38:44.123456Z", 30, true, true},
		{"2026-05-14T23:38:44.999999999Z", "2026-05-14T23:38:44.999999Z", 30, true, true},
		{"2026-05-14T23:38:44.000001Z", "2026-05-14T23:38:44.000001Z", 27, true, true},
		// A separator not followed by a digit is not a fraction.
		{"2026-05-14 23:38:44, next", "2026-05-14T23:38:44Z", 19, false, false},
		{"2026-05-14 23:38:44.", "2026-05-14T23:38:44Z", 19, false, false},
		{"2026-05-14 23:38:44:x", "2026-05-14T23:38:44Z", 19, false, false},
		// Something after the seconds that is not a zone is left alone.
		{"2026-05-14 23:38:44 +00:00", "2026-05-14T23:38:44Z", 19, false, false},
		{"2026-05-14 23:38:44+x", "2026-05-14T23:38:44Z", 19, false, false},
		{"2026-05-14 23:38:44+0", "2026-05-14T23:38:44Z", 19, false, false},
		{"2026-05-14 23:38:44+01:x0", "2026-05-14T23:38:44Z", 19, false, false},
		{"2026-05-14 23:38:44Level", "2026-05-14T23:38:44Z", 19, false, false},
		// Edges of the calendar.
		{"2024-02-29 12:00:00", "2024-02-29T12:00:00Z", 19, false, false},
		{"2000-02-29 00:00:00", "2000-02-29T00:00:00Z", 19, false, false},
		{"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", 20, true, true},
		{"1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z", 27, true, true},
		{"0001-01-01 00:00:00", "0001-01-01T00:00:00Z", 19, false, false},
		{"9999-12-31 23:59:59", "9999-12-31T23:59:59Z", 19, false, false},
		{"2026-04-30 23:59:59", "2026-04-30T23:59:59Z", 19, false, false},
		{"2026-12-31 00:00:00", "2026-12-31T00:00:00Z", 19, false, false},
		// A leap second is accepted and lands on the next minute.
		{"2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z", 20, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, ok := DateTime([]byte(tt.in))
			if !ok {
				t.Fatalf("DateTime(%q) not ok", tt.in)
			}
			want := Stamp{Micros: us(t, tt.want), Len: tt.len, Zone: tt.zone, T: tt.tSep}
			if s != want {
				t.Errorf("DateTime(%q) = %+v (%s), want %+v (%s)", tt.in, s,
					time.UnixMicro(s.Micros).UTC().Format(time.RFC3339Nano), want, tt.want)
			}
		})
	}
}

func TestDateTimeRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"2026",
		"2026-05-14",
		"2026-05-14 23:38",
		"2026-05-14 23:38:4",   // too short
		"2026/05/14 23:38:44",  // wrong date separator
		"2026-05-14_23:38:44",  // wrong date-time separator
		"2026-05-14t23:38:44",  // lower-case t
		"2026-05-14 23.38.44",  // wrong time separator
		"20x6-05-14 23:38:44",  // not a digit
		"2026-0a-14 23:38:44",  // not a digit
		"2026-05-1x 23:38:44",  // not a digit
		"2026-05-14 2x:38:44",  // not a digit
		"2026-05-14 23:3x:44",  // not a digit
		"2026-05-14 23:38:4x",  // not a digit
		" 2026-05-14 23:38:44", // not at the start
		"-026-05-14 23:38:44",
		"+2026-05-14 23:38:44",
		"2026-00-14 23:38:44", // month 0
		"2026-13-14 23:38:44", // month 13
		"2026-05-00 23:38:44", // day 0
		"2026-05-32 23:38:44", // day 32
		"2026-02-29 12:00:00", // not a leap year
		"2026-02-30 12:00:00",
		"2026-02-31 12:00:00",
		"1900-02-29 12:00:00", // divisible by 100, not by 400
		"2026-04-31 12:00:00",
		"2026-06-31 12:00:00",
		"2026-09-31 12:00:00",
		"2026-11-31 12:00:00",
		"2026-05-14 24:00:00", // hour 24
		"2026-05-14 23:60:00", // minute 60
		"2026-05-14 23:59:61", // second 61
		"2026-05-14 99:99:99",
		"2026-05-14T23:38:44.1234567890Z", // ten fraction digits
		"Nov 20 08:00:01 conf01",
		"conf01 2026-05-14 23:38:44,061",
	} {
		if s, ok := DateTime([]byte(in)); ok {
			t.Errorf("DateTime(%q) = %+v, want rejected", in, s)
		}
	}
}

func TestDateTimeDoesNotAllocate(t *testing.T) {
	b := []byte("2026-11-20T08:00:01.123456+01:00 conf01")
	if n := testing.AllocsPerRun(100, func() { DateTime(b) }); n != 0 {
		t.Errorf("DateTime allocates %v times", n)
	}
}

func TestBSD(t *testing.T) {
	tests := []struct {
		in   string
		year int
		want string
	}{
		{"Nov 20 08:00:01", 2026, "2026-11-20T08:00:01Z"},
		{"Nov 20 08:00:01 conf01 pexip: msg", 2026, "2026-11-20T08:00:01Z"},
		{"Nov  1 08:00:01 conf01", 2026, "2026-11-01T08:00:01Z"}, // padded with a space
		{"Nov 01 08:00:01 conf01", 2026, "2026-11-01T08:00:01Z"}, // padded with a zero
		{"Jan  1 00:00:00", 2026, "2026-01-01T00:00:00Z"},
		{"Feb 28 23:59:59", 2025, "2025-02-28T23:59:59Z"},
		{"Feb 29 12:00:00", 2024, "2024-02-29T12:00:00Z"},
		{"Mar  9 01:02:03", 2026, "2026-03-09T01:02:03Z"},
		{"Apr 30 12:00:00", 2026, "2026-04-30T12:00:00Z"},
		{"May 31 12:00:00", 2026, "2026-05-31T12:00:00Z"},
		{"Jun 15 12:00:00", 2026, "2026-06-15T12:00:00Z"},
		{"Jul  4 12:00:00", 2026, "2026-07-04T12:00:00Z"},
		{"Aug 31 12:00:00", 2026, "2026-08-31T12:00:00Z"},
		{"Sep 30 12:00:00", 2026, "2026-09-30T12:00:00Z"},
		{"Oct 10 10:10:10", 2026, "2026-10-10T10:10:10Z"},
		{"Dec 31 23:59:59", 1999, "1999-12-31T23:59:59Z"},
		{"Dec 31 23:59:60", 2016, "2017-01-01T00:00:00Z"}, // leap second
		{"Nov 20 08:00:01", 1970, "1970-11-20T08:00:01Z"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			s, ok := BSD([]byte(tt.in), tt.year)
			if !ok {
				t.Fatalf("BSD(%q, %d) not ok", tt.in, tt.year)
			}
			want := Stamp{Micros: us(t, tt.want), Len: 15}
			if s != want {
				t.Errorf("BSD(%q, %d) = %+v, want %+v (%s)", tt.in, tt.year, s, want, tt.want)
			}
		})
	}
}

func TestBSDRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"Nov 20 08:00",
		"Nov 20 08:00:0",
		"nov 20 08:00:01", // month names are capitalised
		"NOV 20 08:00:01",
		"Noe 20 08:00:01",
		"November 20 08:00:01",
		"Nov 1  08:00:01",  // padded on the wrong side
		"Nov 00 08:00:01",  // day 0
		"Nov  0 08:00:01",  // day 0
		"Nov 32 08:00:01",  // day 32
		"Nov 31 08:00:01",  // November has 30 days
		"Feb 30 08:00:01",  // never
		"Apr 31 08:00:01",  // never
		"Nov 20 24:00:01",  // hour 24
		"Nov 20 08:60:01",  // minute 60
		"Nov 20 08:00:61",  // second 61
		"Nov 20 08-00-01",  // wrong separator
		"Nov-20 08:00:01",  // wrong separator
		"Nov 2x 08:00:01",  // not a digit
		"Nov 20 0x:00:01",  // not a digit
		"Nov 20 08:0x:01",  // not a digit
		"Nov 20 08:00:0x",  // not a digit
		"Nov   20 08:00:0", // too much padding
		"2026-11-20 08:00:01",
		" Nov 20 08:00:01",
	} {
		if s, ok := BSD([]byte(in), 2026); ok {
			t.Errorf("BSD(%q) = %+v, want rejected", in, s)
		}
	}
}

// TestBSDUnpadded: a one-digit day left unpadded ("Nov 4 18:30:40", as a relay that squeezes
// spaces writes it; fail2ban's asterisk test log has such a line) is read, one byte shorter.
func TestBSDUnpadded(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		len  int
	}{
		{"Nov 4 18:30:40 localhost asterisk[32229]: NOTICE[32257]: chan_sip.c:23417", "2026-11-04T18:30:40Z", 14},
		{"Nov 4 18:30:40", "2026-11-04T18:30:40Z", 14},
		{"Jan 1 00:00:00.25 x", "2026-01-01T00:00:00.25Z", 17},
	} {
		for _, read := range []func([]byte) (Stamp, bool){
			func(b []byte) (Stamp, bool) { return BSD(b, 2026) },
			Year{Fixed: 2026}.BSD,
		} {
			s, ok := read([]byte(tt.in))
			if want := (Stamp{Micros: us(t, tt.want), Len: tt.len}); !ok || s != want {
				t.Errorf("%q: %+v, %v; want %+v", tt.in, s, ok, want)
			}
		}
	}
	for _, in := range []string{"Nov 0 08:00:01", "Nov 4 8:30:40", "Nov 4 18:30", "Nov 4  18:30:40"} {
		if s, ok := BSD([]byte(in), 2026); ok {
			t.Errorf("BSD(%q) = %+v, want rejected", in, s)
		}
	}
}

// TestBSDLeapDay: an RFC 3164 time stamp carries no year and the caller's year is a
// guess, so Feb 29 is always accepted (in a common year it lands on Mar 1).
func TestBSDLeapDay(t *testing.T) {
	s, ok := BSD([]byte("Feb 29 08:00:01"), 2026)
	if !ok {
		t.Fatal("Feb 29 rejected")
	}
	if want := us(t, "2026-03-01T08:00:01Z"); s.Micros != want {
		t.Errorf("Feb 29 2026 = %d, want %d", s.Micros, want)
	}
}

func TestCivil(t *testing.T) {
	tests := []struct {
		y, mo, d, h, mi, s int
		want               int64
	}{
		{1970, 1, 1, 0, 0, 0, 0},
		{1970, 1, 1, 0, 0, 1, 1e6},
		{1969, 12, 31, 23, 59, 59, -1e6},
		{2000, 3, 1, 0, 0, 0, 951868800e6},
		{2026, 5, 14, 23, 38, 44, 1778801924e6},
		{1600, 1, 1, 0, 0, 0, -11676096000e6},
		{0, 1, 1, 0, 0, 0, -62167219200e6},
		{-1, 12, 31, 0, 0, 0, -62167305600e6},
	}
	for _, tt := range tests {
		if got := Civil(tt.y, tt.mo, tt.d, tt.h, tt.mi, tt.s); got != tt.want {
			t.Errorf("Civil(%d-%02d-%02d %02d:%02d:%02d) = %d, want %d", tt.y, tt.mo, tt.d, tt.h, tt.mi, tt.s, got, tt.want)
		}
		ref := time.Date(tt.y, time.Month(tt.mo), tt.d, tt.h, tt.mi, tt.s, 0, time.UTC).UnixMicro()
		if ref != tt.want {
			t.Errorf("table entry %v disagrees with time.Date: %d", tt, ref)
		}
	}
}

// TestCivilProperty checks Civil against time.Date on many random calendar times, and
// DateTime on the same times written out.
func TestCivilProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 200000
	if testing.Short() {
		n = 10000
	}
	for range n {
		var y int
		switch r.IntN(4) {
		case 0:
			y = 1970 + r.IntN(100) // the years logs have
		case 1:
			y = r.IntN(10000) // four-digit years
		default:
			y = r.IntN(200001) - 100000 // far out, negative years too
		}
		mo := 1 + r.IntN(12)
		d := 1 + r.IntN(daysInMonth(y, mo))
		h, mi, s := r.IntN(24), r.IntN(60), r.IntN(60)
		want := time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC).UnixMicro()
		if got := Civil(y, mo, d, h, mi, s); got != want {
			t.Fatalf("Civil(%d-%02d-%02d %02d:%02d:%02d) = %d, want %d", y, mo, d, h, mi, s, got, want)
		}
		if y < 0 || y > 9999 {
			continue
		}
		frac := r.IntN(1e6)
		tm := time.Date(y, time.Month(mo), d, h, mi, s, frac*1000, time.UTC)
		text := tm.Format("2006-01-02 15:04:05,000000")
		st, ok := DateTime([]byte(text))
		if !ok || st.Micros != tm.UnixMicro() || st.Len != len(text) {
			t.Fatalf("DateTime(%q) = %+v, %v; want %d", text, st, ok, tm.UnixMicro())
		}
		// The same instant written in a random zone.
		off := (r.IntN(27*60) - 12*60) / 15 * 15 // -12:00 to +14:00 in quarter hours
		zoned := tm.In(time.FixedZone("", off*60)).Format("2006-01-02T15:04:05.000000-07:00")
		if zoned[0] == '-' || len(zoned) != 32 {
			continue // the offset moved it out of the four-digit years
		}
		st, ok = DateTime([]byte(zoned))
		if !ok || st.Micros != tm.UnixMicro() || st.Len != len(zoned) || !st.Zone || !st.T {
			t.Fatalf("DateTime(%q) = %+v, %v; want %d", zoned, st, ok, tm.UnixMicro())
		}
		if mo != 2 || d != 29 {
			bsd := tm.Format("Jan _2 15:04:05")
			st, ok = BSD([]byte(bsd), y)
			if !ok || st.Micros != tm.Truncate(time.Second).UnixMicro() {
				t.Fatalf("BSD(%q, %d) = %+v, %v; want %d", bsd, y, st, ok, tm.Truncate(time.Second).UnixMicro())
			}
		}
	}
}

// TestDateTimeAllDays walks every day of four years, a leap year among them, and checks
// that each valid date is accepted and the day after the last of each month is not.
func TestDateTimeAllDays(t *testing.T) {
	for _, y := range []int{1900, 2000, 2024, 2026} {
		for mo := 1; mo <= 12; mo++ {
			last := daysInMonth(y, mo)
			for d := 1; d <= 31; d++ {
				text := pad4(y) + "-" + pad2(mo) + "-" + pad2(d) + " 12:00:00"
				_, ok := DateTime([]byte(text))
				if ok != (d <= last) {
					t.Errorf("DateTime(%q) ok = %v, want %v", text, ok, d <= last)
				}
			}
		}
	}
}

func daysInMonth(y, mo int) int {
	return time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func pad2(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
func pad4(n int) string { return pad2(n/100) + pad2(n%100) }

func FuzzDateTime(f *testing.F) {
	for _, s := range []string{
		"2026-05-14 23:38:44,061",
		"2026-05-14T23:38:44.061+00:00 conf01",
		"2019-05-11T08:29:33.751132+00:00",
		"2026-05-14 23:38:44:656",
		"2026-11-20T08:00:01+0530",
		"2026-02-30 12:00:00",
		"Nov 20 08:00:01",
		"Nov  1 08:00:01 conf01",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if s, ok := DateTime(b); ok {
			if s.Len < 19 || s.Len > len(b) {
				t.Fatalf("DateTime(%q).Len = %d", b, s.Len)
			}
			// Without its zone, the stamp is an exact time that time.Parse agrees with.
			if !s.Zone {
				layout := "2006-01-02 15:04:05"
				text := string(b[:19])
				if s.T {
					layout = "2006-01-02T15:04:05"
				}
				if b[17] == '6' && b[18] == '0' {
					return // a leap second; time.Parse refuses it
				}
				tm, err := time.Parse(layout, text)
				if err != nil {
					t.Fatalf("DateTime accepted %q, time.Parse refused it: %v", text, err)
				}
				if sec := floorDiv(s.Micros, 1e6); sec != tm.Unix() {
					t.Fatalf("DateTime(%q) = %d, time.Parse says %d s", b, s.Micros, tm.Unix())
				}
			}
		}
		if s, ok := BSD(b, 2024); ok && s.Len != 15 {
			t.Fatalf("BSD(%q).Len = %d", b, s.Len)
		}
	})
}

func TestCtime(t *testing.T) {
	s, ok := Ctime([]byte("Tue Dec  3 18:17:52 2024: Registered"))
	if !ok || s.Len != 24 || s.Micros != Civil(2024, 12, 3, 18, 17, 52) {
		t.Errorf("Ctime = %+v, %v", s, ok)
	}
	for _, bad := range []string{"Tue Dec  3 18:17:52", "Tue Dec  3 18:17:52 20x4", "Tue Dek  3 18:17:52 2024"} {
		if _, ok := Ctime([]byte(bad)); ok {
			t.Errorf("Ctime(%q) accepted", bad)
		}
	}
}
