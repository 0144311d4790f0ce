package timestamp

// Grace is how much later than its reference time a time stamp without a year may say,
// in microseconds: a day. Such stamps (RFC 3164's) are the sender's local time, of a zone
// they do not name, up to 14 hours ahead of UTC; and a sender's clock may run ahead of
// the host that reads it.
const Grace = 24 * 3600 * 1e6

// Year tells which year a time stamp that carries none (RFC 3164's "Nov 20 08:00:01") is
// in.
type Year struct {
	// Fixed is the year of every such stamp (--year); 0 to infer it from Ref.
	Fixed int
	// Ref is the latest time the text can tell of, in microseconds since the epoch: when
	// it was last written (a file's modification time), or now for text arriving live.
	// A stamp is put in the latest year that does not make it later than Ref (give or
	// take Grace).
	Ref int64
}

// Of returns the year of a time stamp of that month, day and time of day.
func (y Year) Of(month, day, hour, minute, second int) int {
	if y.Fixed != 0 {
		return y.Fixed
	}
	return YearNotAfter(month, day, hour, minute, second, y.Ref+Grace)
}

// BSD reads an RFC 3164 time stamp at the start of b, as BSD does, in the year y says.
func (y Year) BSD(b []byte) (Stamp, bool) {
	month, day, hour, minute, second, n, ok := bsdRead(b)
	if !ok {
		return Stamp{}, false
	}
	return bsdStamp(b, n, y.Of(month, day, hour, minute, second), month, day, hour, minute, second), true
}

// YearNotAfter returns the latest year in which the date and time given is not after ref
// (microseconds since the epoch, UTC): the year of ref, or the one before when that
// would put it after ref. Feb 29 goes to the latest leap year that does.
func YearNotAfter(month, day, hour, minute, second int, ref int64) int {
	year := yearOf(ref)
	for range 9 { // a leap year comes within 8 years
		if day <= daysIn(year, month) && Civil(year, month, day, hour, minute, second) <= ref {
			return year
		}
		year--
	}
	return year
}

// yearOf returns the UTC calendar year of a time in microseconds since the epoch.
func yearOf(micros int64) int {
	days := micros / 86400e6
	if micros%86400e6 < 0 {
		days--
	}
	// civil-from-days (the inverse of Civil's algorithm), the year only.
	z := days + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	year := int(yoe + era*400)
	if mp >= 10 { // January or February: the next civil year
		year++
	}
	return year
}

// RFC1123 reads the date of a SIP (and HTTP) Date header, "Www, DD Mmm YYYY HH:MM:SS GMT"
// (RFC 3261 §25.1, rfc1123-date), at the start of b.
func RFC1123(b []byte) (Stamp, bool) {
	if len(b) < 29 || b[3] != ',' || b[4] != ' ' || b[7] != ' ' || b[11] != ' ' || b[16] != ' ' || string(b[25:29]) != " GMT" {
		return Stamp{}, false
	}
	year, ok := digits(b[12:16])
	if !ok {
		return Stamp{}, false
	}
	// "Mmm DD HH:MM:SS" from its parts, so that the RFC 3164 reader checks them.
	var bsd [15]byte
	copy(bsd[:], b[8:11])
	bsd[3] = ' '
	copy(bsd[4:6], b[5:7])
	copy(bsd[6:], b[16:25])
	month, day, hour, minute, second, ok := bsdFields(bsd[:])
	if !ok || day > daysIn(year, month) {
		return Stamp{}, false
	}
	return Stamp{Micros: Civil(year, month, day, hour, minute, second), Len: 29, Zone: true}, true
}
