// Package timestamp reads the time stamps that start log lines, quickly and without
// allocating. Times are microseconds since the Unix epoch, UTC.
package timestamp

// Stamp is a time stamp read from the start of a line.
type Stamp struct {
	Micros int64 // the time, in UTC
	Len    int   // how many bytes it took
	Zone   bool  // it carried a zone (Z or an offset) and was converted to UTC
	T      bool  // its date and time were separated by 'T' (RFC 3339)
}

// DateTime reads "YYYY-MM-DD HH:MM:SS" at the start of b, with 'T' or a space between date
// and time, an optional fraction of up to nine digits after '.', ',' or ':' (Pexip writes
// ",061"; Flexisip ":656"), and an optional zone: Z, +HH:MM, +HHMM or +HH. Times without a
// zone are taken as UTC.
func DateTime(b []byte) (Stamp, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != ' ' && b[10] != 'T') || b[13] != ':' || b[16] != ':' {
		return Stamp{}, false
	}
	year, ok1 := digits(b[0:4])
	month, ok2 := digits(b[5:7])
	day, ok3 := digits(b[8:10])
	hour, ok4 := digits(b[11:13])
	minute, ok5 := digits(b[14:16])
	second, ok6 := digits(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || !valid(year, month, day, hour, minute, second) {
		return Stamp{}, false
	}
	s := Stamp{Len: 19, T: b[10] == 'T'}
	micros := 0
	if n := len(b); n > 20 && (b[19] == '.' || b[19] == ',' || b[19] == ':') && isDigit(b[20]) {
		i, scale := 20, 100000
		for ; i < n && isDigit(b[i]); i++ {
			micros += int(b[i]-'0') * scale
			scale /= 10
		}
		if i-20 > 9 {
			return Stamp{}, false
		}
		s.Len = i
	}
	s.Micros = Civil(year, month, day, hour, minute, second) + int64(micros)
	if off, n, ok := zone(b[s.Len:]); ok {
		s.Micros -= int64(off) * 60e6
		s.Len += n
		s.Zone = true
	}
	return s, true
}

// months are the month abbreviations of RFC 3164 time stamps.
var months = [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// BSD reads an RFC 3164 time stamp, "Mmm dd HH:MM:SS" (day padded with a space or a zero,
// or not padded: "Nov 4 18:30:40", as some relays squeeze it), at the start of b, with an
// optional fraction of up to nine digits after '.' (as Sipwise's NGCP writes its logs: "Jan
// 10 10:00:00.123456"). It carries no year: the caller gives the year to assume (see Year
// for inferring it).
func BSD(b []byte, year int) (Stamp, bool) {
	month, day, hour, minute, second, n, ok := bsdRead(b)
	if !ok {
		return Stamp{}, false
	}
	return bsdStamp(b, n, year, month, day, hour, minute, second), true
}

// bsdRead reads the fields of an RFC 3164 time stamp at the start of b, its day padded or
// not, and returns its length: 15, or 14 for a one-digit day without padding.
func bsdRead(b []byte) (month, day, hour, minute, second, n int, ok bool) {
	if len(b) >= 14 && b[3] == ' ' && isDigit(b[4]) && b[5] == ' ' && isDigit(b[6]) {
		var padded [15]byte // "Nov 4 18:30:40" as "Nov  4 18:30:40"
		copy(padded[:4], b)
		padded[4] = ' '
		copy(padded[5:], b[4:14])
		month, day, hour, minute, second, ok = bsdFields(padded[:])
		return month, day, hour, minute, second, 14, ok
	}
	month, day, hour, minute, second, ok = bsdFields(b)
	return month, day, hour, minute, second, 15, ok
}

// bsdFields reads the fields of an RFC 3164 time stamp at the start of b.
func bsdFields(b []byte) (month, day, hour, minute, second int, ok bool) {
	if len(b) < 15 || b[3] != ' ' || b[6] != ' ' || b[9] != ':' || b[12] != ':' {
		return 0, 0, 0, 0, 0, false
	}
	for i, m := range months {
		if string(b[:3]) == m {
			month = i + 1
			break
		}
	}
	dayText := b[4:6]
	if dayText[0] == ' ' {
		dayText = dayText[1:]
	}
	day, ok1 := digits(dayText)
	hour, ok2 := digits(b[7:9])
	minute, ok3 := digits(b[10:12])
	second, ok4 := digits(b[13:15])
	// The year is the caller's guess: accept Feb 29 whatever it is (2000 is a leap year).
	if month == 0 || !(ok1 && ok2 && ok3 && ok4) || !valid(2000, month, day, hour, minute, second) {
		return 0, 0, 0, 0, 0, false
	}
	return month, day, hour, minute, second, true
}

// bsdStamp makes the Stamp of an RFC 3164 time stamp of n bytes whose fields were read
// from b, with its fraction, if any.
func bsdStamp(b []byte, n, year, month, day, hour, minute, second int) Stamp {
	s := Stamp{Micros: Civil(year, month, day, hour, minute, second), Len: n}
	if len(b) > n+1 && b[n] == '.' && isDigit(b[n+1]) {
		i, scale, micros := n+1, 100000, 0
		for ; i < len(b) && isDigit(b[i]) && i-n-1 < 9; i++ {
			micros += int(b[i]-'0') * scale
			scale /= 10
		}
		s.Micros += int64(micros)
		s.Len = i
	}
	return s
}

// Ctime reads a C ctime() time stamp, "Www Mmm dd HH:MM:SS YYYY" (day padded with a space),
// at the start of b, as Flexisip's event log writes it.
func Ctime(b []byte) (Stamp, bool) {
	if len(b) < 24 || b[3] != ' ' || b[19] != ' ' {
		return Stamp{}, false
	}
	year, ok := digits(b[20:24])
	if !ok {
		return Stamp{}, false
	}
	month, day, hour, minute, second, ok := bsdFields(b[4:19])
	if !ok {
		return Stamp{}, false
	}
	return Stamp{Micros: Civil(year, month, day, hour, minute, second), Len: 24}, true
}

// Civil returns the microseconds since the epoch of a UTC calendar time. It uses the
// days-from-civil algorithm, so it is exact for the proleptic Gregorian calendar.
func Civil(year, month, day, hour, minute, second int) int64 {
	y := year
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	m := month + 9
	if month > 2 {
		m = month - 3
	}
	doy := (153*m+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	days := int64(era)*146097 + int64(doe) - 719468
	return ((days*24+int64(hour))*60+int64(minute))*60e6 + int64(second)*1e6
}

// zone reads Z, +HH:MM, +HHMM or +HH and returns its offset east of UTC in minutes.
func zone(b []byte) (minutes, n int, ok bool) {
	if len(b) == 0 {
		return 0, 0, false
	}
	if b[0] == 'Z' || b[0] == 'z' {
		return 0, 1, true
	}
	if (b[0] != '+' && b[0] != '-') || len(b) < 3 {
		return 0, 0, false
	}
	h, ok := digits(b[1:3])
	if !ok {
		return 0, 0, false
	}
	m, n := 0, 3
	switch {
	case len(b) >= 6 && b[3] == ':':
		if m, ok = digits(b[4:6]); !ok {
			return 0, 0, false
		}
		n = 6
	case len(b) >= 5 && isDigit(b[3]) && isDigit(b[4]):
		m, _ = digits(b[3:5])
		n = 5
	}
	minutes = h*60 + m
	if b[0] == '-' {
		minutes = -minutes
	}
	return minutes, n, true
}

func valid(year, month, day, hour, minute, second int) bool {
	return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 60
}

// daysIn returns the number of days in a month of the proleptic Gregorian calendar.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// digits reads a run of ASCII digits; it reports false if any byte is not a digit.
func digits(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if !isDigit(c) {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
