package logs

import (
	"strings"
	"time"
)

// When is a time as typed at the picker: a time of day, perhaps with a date, perhaps
// with a year.
type When struct {
	clock      time.Duration // since midnight
	month, day int           // 0 when no date was typed
	year       int           // 0 when no year was typed
}

// whenLayouts are the forms a typed time may take: the rows' own ("05-14 08:01:13.186"),
// ISO 8601 with a space or a T, and a time of day alone; seconds and their fractions
// (after a dot or a comma) may be left out.
var whenLayouts = []struct {
	layout     string
	date, year bool
}{
	{"2006-01-02 15:04:05", true, true},
	{"2006-01-02 15:04", true, true},
	{"2006-01-02T15:04:05", true, true},
	{"2006-01-02T15:04", true, true},
	{"2006-01-02", true, true},
	{"01-02 15:04:05", true, false},
	{"01-02 15:04", true, false},
	{"15:04:05", false, false},
	{"15:04", false, false},
}

// ParseTime reads a time as typed: "12:03", "12:03:30.250", "05-14 12:03",
// "2026-05-14 08:00", "2026-05-14T08:00:00", "2026-05-14".
func ParseTime(text string) (When, bool) {
	text = strings.TrimSpace(strings.ReplaceAll(text, ",", "."))
	frac := time.Duration(0)
	if i := strings.LastIndexByte(text, '.'); i > 0 && strings.Count(text[:i], ":") == 2 {
		d, err := time.ParseDuration("0." + text[i+1:] + "s")
		if err != nil || strings.ContainsAny(text[i+1:], "+-") {
			return When{}, false
		}
		text, frac = text[:i], d
	}
	for _, l := range whenLayouts {
		t, err := time.Parse(l.layout, text)
		if err != nil {
			continue
		}
		if frac != 0 && !strings.HasSuffix(l.layout, ":05") {
			return When{}, false
		}
		w := When{clock: time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute +
			time.Duration(t.Second())*time.Second + frac}
		if l.date {
			w.month, w.day = int(t.Month()), t.Day()
		}
		if l.year {
			w.year = t.Year()
		}
		return w, true
	}
	return When{}, false
}

// In returns the time in zone loc, on ref's day (in loc) when it names no date, in ref's
// year when it names no year.
func (w When) In(ref time.Time, loc *time.Location) time.Time {
	ref = ref.In(loc)
	y, mo, d := ref.Date()
	if w.month != 0 {
		mo, d = time.Month(w.month), w.day
	}
	if w.year != 0 {
		y = w.year
	}
	return time.Date(y, mo, d, 0, 0, 0, 0, loc).Add(w.clock)
}
