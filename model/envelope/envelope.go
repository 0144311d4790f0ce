// Package envelope reads what syslog puts in front of a log message: an RFC 3164 or RFC 5424
// header as it travels on the network ("<134>Nov 20 08:00:01 conf01 ..." and
// "<134>1 2026-11-20T08:00:01.123Z conf01 app - - - ..."), or the prefix a syslog daemon
// writes to its files ("2026-05-14T23:38:44.061+00:00 conf01 ..." or "Nov 20 08:00:01 conf01 ...").
// It returns offsets into the line; the payload is parsed by the line's format.
package envelope

import (
	"bytes"

	"github.com/calltail/calltail/model/timestamp"
)

// Prefix is what a syslog envelope or file prefix tells about a line.
type Prefix struct {
	Time     int64  // when syslog logged the message, microseconds since the epoch; 0 if absent
	Host     []byte // the sending system
	Tag      []byte // the program (RFC 3164 TAG or RFC 5424 APP-NAME), if any
	Severity int    // the PRI's severity, 0 (emergency) to 7 (debug); -1 without a PRI
	Payload  int    // offset of the message payload in the line
}

// Parse reads the envelope or prefix at the start of line. year (not 0) is the year to
// assume for RFC 3164 time stamps, which carry none. It reports false when line has neither.
func Parse(line []byte, year int) (Prefix, bool) {
	return ParseIn(line, timestamp.Year{Fixed: year})
}

// ParseIn reads the envelope or prefix at the start of line as Parse does, putting an
// RFC 3164 time stamp in the year that y says (the latest one not after a reference time,
// or a fixed one).
func ParseIn(line []byte, y timestamp.Year) (Prefix, bool) {
	p := Prefix{Severity: -1}
	i := 0
	if len(line) > 0 && line[0] == '<' {
		pri, n, ok := priority(line)
		if !ok {
			return Prefix{}, false
		}
		p.Severity = pri & 7
		i = n
		if len(line) > i+1 && line[i] == '1' && line[i+1] == ' ' {
			return rfc5424(line, i+2, p)
		}
	}
	// RFC 3164 and file prefixes: a time stamp, the host, an optional tag. After a PRI
	// without a time stamp, everything is the message (RFC 3164 §4.3.3): no host.
	stamped := true
	if ts, ok := y.BSD(line[i:]); ok {
		p.Time, i = ts.Micros, i+ts.Len
	} else if ts, ok := timestamp.DateTime(line[i:]); ok && (ts.Zone || ts.T) {
		p.Time, i = ts.Micros, i+ts.Len
	} else if p.Severity < 0 {
		return Prefix{}, false
	} else {
		stamped = false
	}
	return afterTime(line, i, p, stamped), true
}

// ParseStamped reads the prefix of a line that starts with ts, a time stamp in RFC 3339's
// shape (timestamp.DateTime's, with a zone or a T), as ParseIn does: for a parser that has
// read that stamp already, so that it is not read twice.
func ParseStamped(line []byte, ts timestamp.Stamp) Prefix {
	return afterTime(line, ts.Len, Prefix{Severity: -1, Time: ts.Micros}, true)
}

// afterTime reads the host and tag that follow a prefix's time stamp (or its PRI, when
// not stamped), from i.
func afterTime(line []byte, i int, p Prefix, stamped bool) Prefix {
	if i < len(line) && line[i] == ' ' {
		i++
	}
	for stamped && i < len(line) && line[i] == ' ' {
		i++ // an empty host leaves two spaces ("Jun 25 10:10:39  kamailio[13803]: ...")
	}
	if _, _, isTag := tag(line, i); !isTag && stamped {
		host, next := word(line, i)
		if looksLikeHost(host) {
			p.Host, i = host, next
		}
	}
	if tag, next, ok := tag(line, i); ok {
		p.Tag, i = tag, next
	}
	p.Payload = i
	return p
}

// rfc5424 reads "TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]" from i.
func rfc5424(line []byte, i int, p Prefix) (Prefix, bool) {
	ts, next := word(line, i)
	if string(ts) != "-" {
		t, ok := timestamp.DateTime(ts)
		if !ok || t.Len != len(ts) {
			return Prefix{}, false
		}
		p.Time = t.Micros
	}
	var host, app []byte
	host, next = word(line, next)
	app, next = word(line, next)
	_, next = word(line, next) // PROCID
	_, next = word(line, next) // MSGID
	if string(host) != "-" {
		p.Host = host
	}
	if string(app) != "-" {
		p.Tag = app
	}
	next = structuredData(line, next)
	if next < len(line) && line[next] == ' ' {
		next++
	}
	p.Payload = next + bomLen(line[next:])
	return p, true
}

// structuredData skips "-" or one or more "[id param="value" ...]" elements from i.
func structuredData(line []byte, i int) int {
	if i < len(line) && line[i] == '-' {
		return i + 1
	}
	for i < len(line) && line[i] == '[' {
		quoted := false
		for i++; i < len(line); i++ {
			c := line[i]
			if c == '\\' && quoted {
				i++
			} else if c == '"' {
				quoted = !quoted
			} else if c == ']' && !quoted {
				i++
				break
			}
		}
	}
	return min(i, len(line))
}

// priority reads "<PRI>" with PRI from 0 to 191.
func priority(line []byte) (pri, n int, ok bool) {
	end := bytes.IndexByte(line[:min(len(line), 5)], '>')
	if end < 2 {
		return 0, 0, false
	}
	for _, c := range line[1:end] {
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		pri = pri*10 + int(c-'0')
	}
	return pri, end + 1, pri <= 191
}

// tag reads an RFC 3164 TAG, "program:" or "program[pid]:", followed by a space.
func tag(line []byte, i int) (tag []byte, next int, ok bool) {
	w, next := word(line, i)
	if len(w) < 2 || w[len(w)-1] != ':' {
		return nil, i, false
	}
	name := w[:len(w)-1]
	if open := bytes.IndexByte(name, '['); open > 0 && name[len(name)-1] == ']' {
		name = name[:open]
	}
	for _, c := range name {
		if !isNameByte(c) {
			return nil, i, false
		}
	}
	return name, next, true
}

// looksLikeHost rejects words that are the payload rather than a host: a date, a key=value
// pair, a quoted string, or a word that starts with neither a letter, a digit nor the ':'
// of an IPv6 address — a bracketed word (OpenSIPS writes its pid as "[1462]" after the
// time when it logs to stderr: "Jul  6 10:47:23 [1462] ERROR:core:..."), the "]" of a
// pasted Asterisk time that lost its "[".
func looksLikeHost(w []byte) bool {
	if len(w) == 0 || !startsHost(w[0]) || bytes.ContainsAny(w, `="`) {
		return false
	}
	return !isDate(w) // not the date of a following time stamp
}

// startsHost reports whether a host name or address may start with c.
func startsHost(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == ':'
}

// isDate reports whether w starts with a date, YYYY-MM-DD.
func isDate(w []byte) bool {
	if len(w) < 10 || w[4] != '-' || w[7] != '-' {
		return false
	}
	for _, k := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		if w[k] < '0' || w[k] > '9' {
			return false
		}
	}
	return true
}

// word returns the run of non-space bytes at i and the offset after the space that ends it.
func word(line []byte, i int) (w []byte, next int) {
	if i >= len(line) {
		return nil, len(line)
	}
	end := bytes.IndexByte(line[i:], ' ')
	if end < 0 {
		return line[i:], len(line)
	}
	return line[i : i+end], i + end + 1
}

func bomLen(b []byte) int {
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		return 3
	}
	return 0
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '/'
}
