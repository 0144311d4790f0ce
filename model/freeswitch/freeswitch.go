// Package freeswitch parses FreeSWITCH's own log file, freeswitch.log, as mod_logfile
// writes it:
//
//	2013-12-31 17:39:54.767815 [WARNING] sofia_reg.c:1533 SIP auth challenge (INVITE) on sofia profile 'internal' ...
//	2021-10-29 21:04:58.150982 00.00% [WARNING] sofia_reg.c:2889 Can't find user [201@::1] from 192.0.2.5
//	8b952f41-bb60-4332-9599-186d4a6d5c8a 2022-02-21 16:53:28.516605 86.53% [NOTICE] switch_channel.c:1123 New Channel sofia/internal/1234567@172.16.30.51:59439 [8b952f41-...]
//	08-03 07:56:53.026292 [WARN] [SOFIA] [sofia_reg.c:4130] Can't find user [101@148.251.134.154] from 192.0.2.3
//
// the channel's UUID first when the line was logged for a channel (it names the channel,
// not the host), the local time (the year may be left out), the idle CPU percentage in
// recent releases, the level as FreeSWITCH names it, and the source file and line that
// logged it; the text of a message of several lines follows on the next lines, each
// prefixed with the channel's UUID or not.
//
// Lines that FreeSWITCH writes without a head are read too: the SIP messages that
// "sofia global siptrace on" logs, one entry each,
//
//	recv 352 bytes from udp/[192.0.2.2]:5064 at 17:28:11.113313:
//	------------------------------------------------------------------------
//	SIP/2.0 100 Trying
//	...
//
// and sofia-sip's own debug lines ("sofia loglevel all 9"), "tport.c:3273 tport_tsend() ...".
// A siptrace stamp tells the time of day only: its date is that of the dated line read
// before it (see Parser).
package freeswitch

import (
	"bytes"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/timestamp"
)

// Parser parses freeswitch.log. The zero value is ready to use and assumes the current
// year for times that carry none.
//
// A Parser remembers the date of the last dated line it read, for the siptrace entries
// that follow (their stamps tell the time of day only); one that has read no dated line
// leaves their time 0.
type Parser struct {
	// Year is the year assumed for times that carry none ("08-03 07:56:53.026292");
	// 0 means the current year, read on first use.
	Year int

	day  int64 // midnight of the last dated line read, in microseconds; 0: none yet
	last int64 // that line's time
}

var _ model.Parser = (*Parser)(nil)

// leapYear is the year assumed where the year does not matter: a leap year, so that a
// "02-29" time is read.
const leapYear = 2000

func (p *Parser) year() int {
	if p.Year == 0 {
		p.Year = time.Now().UTC().Year()
	}
	return p.Year
}

// StartsEntry reports whether line begins an entry: a dated line of FreeSWITCH's shape, a
// siptrace stamp or a sofia-sip debug line. Any other line (the UUID-prefixed lines of a
// message of several lines among them) continues the entry above it.
func (p *Parser) StartsEntry(line []byte) bool {
	if _, ok := readHead(line, leapYear); ok {
		return true
	}
	if _, ok := readStamp(line); ok {
		return true
	}
	_, ok := readSofia(line)
	return ok
}

// Parse fills r from one entry; an entry of none of FreeSWITCH's shapes becomes a plain record.
func (p *Parser) Parse(raw []byte, r *model.Record) {
	if !p.ParseShaped(raw, r) {
		r.Plain, r.Details, r.Level = true, raw, model.GuessLevel(raw)
	}
}

// ParseShaped fills r from an entry of one of FreeSWITCH's shapes (see model.Shaped).
func (p *Parser) ParseShaped(raw []byte, r *model.Record) bool {
	*r = model.Record{Raw: raw}
	if h, ok := readHead(raw, p.year()); ok {
		r.Time, r.Level, r.Module, r.Details, r.Shape = h.time, h.level, h.file, h.text, lineShape{}
		p.day, p.last = h.time-h.time%day, h.time
		return true
	}
	if s, ok := readStamp(raw); ok {
		r.Level, r.Module, r.Details, r.Shape = model.LevelDebug, traceModule, raw, traceShape{}
		if p.day != 0 {
			r.Time = p.day + s.clock
			if r.Time < p.last-day/2 { // past midnight since that line
				r.Time += day
			}
		}
		return true
	}
	if s, ok := readSofia(raw); ok {
		r.Level, r.Module, r.Details, r.Shape = model.LevelDebug, s.file, s.text, sofiaShape{}
		return true
	}
	return false
}

// day is a day in microseconds.
const day = 24 * 3600 * 1000000

// head is where the parts of a dated line lie.
type head struct {
	uuid  []byte // the channel's UUID that starts the line, or nil
	time  int64
	cpu   []byte // the idle CPU percentage, without its '%', or nil
	level model.Level
	file  []byte // "sofia_reg.c"
	line  []byte // "1533"
	text  []byte // what follows, to the end of the entry
}

// readHead reads the head of a dated line: [UUID ]time [CPU% ][LEVEL] file:line, or the
// bracketed shape [UUID ]time [LEVEL] [TAG] [file:line]. year is assumed for a time without one.
func readHead(raw []byte, year int) (head, bool) {
	var h head
	line := firstLine(raw)
	rest := line
	if isUUID(rest) && len(rest) > uuidLen && rest[uuidLen] == ' ' {
		h.uuid, rest = rest[:uuidLen], rest[uuidLen+1:]
	}
	t, n, ok := readTime(rest, year)
	if !ok || len(rest) <= n || rest[n] != ' ' {
		return head{}, false
	}
	h.time, rest = t, rest[n+1:]
	if pct := bytes.IndexByte(rest[:min(len(rest), 8)], '%'); pct > 0 && isDecimal(rest[:pct]) && len(rest) > pct+1 && rest[pct+1] == ' ' {
		h.cpu, rest = rest[:pct], rest[pct+2:]
	}
	word, rest, ok := bracketed(rest)
	if !ok {
		return head{}, false
	}
	if h.level, ok = level(word); !ok {
		return head{}, false
	}
	if tag, after, ok := bracketed(rest); ok && isUpper(tag) { // the subsystem: "[SOFIA]"
		rest = after
	}
	var loc []byte
	if l, after, ok := bracketed(rest); ok {
		loc, rest = l, after
	} else if sp := bytes.IndexByte(rest, ' '); sp > 0 {
		loc, rest = rest[:sp], rest[sp+1:]
	} else {
		loc, rest = rest, rest[len(rest):]
	}
	if h.file, h.line, ok = source(loc); !ok {
		return head{}, false
	}
	h.text = raw[len(line)-len(rest):] // the rest of the first line, and the lines after it
	return h, true
}

// readTime reads "YYYY-MM-DD HH:MM:SS.ffffff" or, without the year, "MM-DD HH:MM:SS.ffffff"
// at the start of b, and returns it and its length.
func readTime(b []byte, year int) (micros int64, n int, ok bool) {
	if len(b) >= 19 && b[4] == '-' && b[10] == ' ' {
		s, ok := timestamp.DateTime(b)
		return s.Micros, s.Len, ok && !s.Zone
	}
	if len(b) < 14 || b[2] != '-' || b[5] != ' ' || b[8] != ':' || b[11] != ':' {
		return 0, 0, false
	}
	var v [5]int
	for i, at := range [5]int{0, 3, 6, 9, 12} {
		if !isDigit(b[at]) || !isDigit(b[at+1]) {
			return 0, 0, false
		}
		v[i] = int(b[at]-'0')*10 + int(b[at+1]-'0')
	}
	month, dayOf, hour, minute, second := v[0], v[1], v[2], v[3], v[4]
	// Any day of the month in a leap year, as for syslog times: the year is the caller's guess.
	if month < 1 || month > 12 || dayOf < 1 || dayOf > monthDays[month-1] || hour > 23 || minute > 59 || second > 60 {
		return 0, 0, false
	}
	micros = timestamp.Civil(year, month, dayOf, hour, minute, second)
	n = 14
	if len(b) > 15 && b[14] == '.' && isDigit(b[15]) {
		scale := int64(100000)
		for n = 15; n < len(b) && isDigit(b[n]); n++ {
			micros += int64(b[n]-'0') * scale
			scale /= 10
		}
	}
	return micros, n, true
}

// monthDays are the days of each month in a leap year.
var monthDays = [12]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// level reads a level as FreeSWITCH names it: DEBUG, INFO, NOTICE, WARNING (WARN), ERR,
// CRIT, ALERT, and CONSOLE (what the console shows whatever its level: information).
func level(word []byte) (model.Level, bool) {
	if string(word) == "CONSOLE" {
		return model.LevelInfo, true
	}
	if !isUpper(word) {
		return 0, false
	}
	return model.ParseLevel(word)
}

// bracketed reads "[word] " (or "[word]" at the end) at the start of b.
func bracketed(b []byte) (word, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != '[' {
		return nil, b, false
	}
	end := bytes.IndexByte(b[:min(len(b), 64)], ']')
	if end < 1 {
		return nil, b, false
	}
	rest = b[end+1:]
	if len(rest) > 0 {
		if rest[0] != ' ' {
			return nil, b, false
		}
		rest = rest[1:]
	}
	return b[1:end], rest, true
}

// source splits "file.c:123" into the file and the line; the file has an extension
// ("freeswitch_lua.cpp").
func source(loc []byte) (file, line []byte, ok bool) {
	colon := bytes.LastIndexByte(loc, ':')
	if colon <= 0 || !isDigits(loc[colon+1:]) {
		return nil, nil, false
	}
	file = loc[:colon]
	dot := bytes.LastIndexByte(file, '.')
	if dot <= 0 || dot == len(file)-1 {
		return nil, nil, false
	}
	for _, c := range file {
		if !isWordByte(c) && c != '.' && c != '/' {
			return nil, nil, false
		}
	}
	return file, loc[colon+1:], true
}

// uuidLen is the length of a UUID as FreeSWITCH writes it: 8-4-4-4-12 hex digits.
const uuidLen = 36

// isUUID reports whether b starts with a UUID.
func isUUID(b []byte) bool {
	if len(b) < uuidLen {
		return false
	}
	for i, c := range b[:uuidLen] {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

// isDecimal reports whether b is digits with at most one '.' among them: "86.53".
func isDecimal(b []byte) bool {
	dots := 0
	for _, c := range b {
		if c == '.' {
			dots++
		} else if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0 && dots <= 1 && b[0] != '.'
}

func isUpper(w []byte) bool {
	for _, c := range w {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return len(w) > 0
}

func isWordByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || isDigit(c) || c == '-' || c == '_'
}

// firstLine returns b up to its first line break, without a carriage return before it.
func firstLine(b []byte) []byte {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		b = b[:nl]
	}
	return bytes.TrimSuffix(b, []byte{'\r'})
}
