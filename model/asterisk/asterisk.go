// Package asterisk parses Asterisk's own log files (/var/log/asterisk/full, messages) and
// what its console shows:
//
//	[2012-02-13 17:21:54] NOTICE[1638] chan_sip.c: Registration from '<sip:301@example.com>' failed for '1.2.3.4' - Wrong password
//	[Jan 14 12:33:40] DEBUG[7585][C-00000003]: chan_pjsip.c:1647 chan_pjsip_indicate:  PJSIP/home-sip-phone-00000004: ...
//	[Jan 26 18:50:12] VERBOSE[13942][C-00000089] pbx.c:     -- Executing [s@default-incoming:1] Set(...) in new stack
//	NOTICE[566]: chan_sip.c:28926 handle_request_register: Registration from ... - Wrong password
//	    -- Called PJSIP/1338
//
// a time in brackets (date and time, with or without a fraction, or RFC 3164's "Mmm dd
// HH:MM:SS", which carries no year), the level and the thread ("NOTICE[1638]"), the call
// identifier Asterisk gives the lines of one call ("[C-00000003]"), then the file that
// logged it, with its line and function in some formats ("chan_sip.c:28926
// handle_request_register:"), and the text. The journal (journalctl) shows the same lines
// without the time; the console shows verbose messages without any prefix, indented with
// their verbosity marker ("    -- ", "  == ", "       > "). Each of these is an entry; any
// other line continues the entry above it.
//
// SIP traces are entries of their own, the message their Detail. "pjsip set logger on"
// writes a header, then the message:
//
//	[Nov 27 01:55:12] VERBOSE[213] res_pjsip_logger.c: <--- Received SIP request (924 bytes) from UDP:123.127.194.4:32766 --->
//	<--- Transmitting SIP response (312 bytes) to WSS:49.37.212.107:33678 --->
//
// and the header starts an entry wherever it stands, the console's included. chan_sip's
// debug ("sip set debug on") begins its message with a line break: the file shows the
// prefix alone on a line, then "<--- SIP read from UDP:1.2.3.4:5060 --->" or "<---
// Reliably Transmitting (NAT) to 1.2.3.4:5060 --->", the message and "<------------->". So
// that the trace keeps the prefix's time, those headers continue the entry above them
// (older releases' "Reliably Transmitting (NAT) to 1.2.3.4:5060:", written at the start of
// the message, starts one).
package asterisk

import (
	"bytes"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/timestamp"
)

// Parser parses Asterisk's log files. The zero value is ready to use and assumes the
// current year for time stamps that carry none.
type Parser struct {
	// Year is the year assumed for time stamps that carry none ("[Jan 18 17:39:50]");
	// 0 means the current year, read on first use.
	Year int
}

var _ model.Parser = (*Parser)(nil)

func (p *Parser) year() int {
	if p.Year == 0 {
		p.Year = time.Now().UTC().Year()
	}
	return p.Year
}

// leapYear is the year assumed where the year does not matter: a leap year, so that a
// "Feb 29" stamp is read.
const leapYear = 2000

// StartsEntry reports whether line begins an entry: a line with Asterisk's prefix (with or
// without its time), a console verbose line, or a SIP trace's header but chan_sip's (see
// the package comment).
func (p *Parser) StartsEntry(line []byte) bool {
	if _, ok := readPrefix(line, leapYear); ok {
		return true
	}
	if verboseMarker(line) > 0 {
		return true
	}
	h, ok := readHeader(line)
	return ok && !h.follows
}

// Parse fills r from one entry. An entry of no Asterisk shape becomes a plain record.
func (p *Parser) Parse(raw []byte, r *model.Record) {
	if !p.ParseShaped(raw, r) {
		r.Plain, r.Details, r.Level = true, raw, model.GuessLevel(raw)
	}
}

// ParseShaped fills r from an entry of an Asterisk shape (see model.Shaped).
func (p *Parser) ParseShaped(raw []byte, r *model.Record) bool {
	*r = model.Record{Raw: raw}
	first := firstLine(raw)
	if pre, ok := readPrefix(first, p.year()); ok {
		r.Time, r.Module, r.Details, r.Shape = pre.time, pre.module, raw[pre.text:], shape{}
		r.Level = level(pre.level, r.Details)
		return true
	}
	if verboseMarker(first) > 0 {
		r.Level, r.Details, r.Shape = model.LevelInfo, raw, shape{}
		return true
	}
	if _, ok := readHeader(first); ok {
		r.Level, r.Details, r.Shape = model.LevelInfo, raw, shape{}
		return true
	}
	return false
}

// prefix is what the start of a line tells: its time, level, thread and call identifier,
// and the file, line and function that logged it.
type prefix struct {
	time     int64  // 0 without a time (the journal)
	level    []byte // "NOTICE"
	thread   []byte // "1638"
	callID   []byte // "C-00000003", or nil
	module   []byte // "chan_sip.c", "res_pjsip/pjsip_distributor.c", "Ext. s", or nil
	line     []byte // "28926", or nil
	function []byte // "handle_request_register", or nil
	text     int    // offset of the text in the line
}

// journalLevels are the level words a line without a time may start with: that of a
// line Asterisk writes is known, where a syslog tag ("kamailio[8813]:") could look alike.
var journalLevels = [...]string{"DEBUG", "TRACE", "VERBOSE", "NOTICE", "WARNING", "ERROR", "SECURITY", "DTMF", "FAX"}

// readPrefix reads Asterisk's prefix at the start of line:
// "[time] LEVEL[thread][C-callid] file.c:line function: " with the time, the call id,
// the colon after the brackets, the space before the thread and the line and function
// each optional; without the time, only the levels Asterisk itself writes are taken.
func readPrefix(line []byte, year int) (prefix, bool) {
	var pre prefix
	i := 0
	if len(line) > 0 && line[0] == '[' {
		t, n, ok := readTime(line[1:], year)
		if !ok || len(line) < n+3 || line[n+1] != ']' || line[n+2] != ' ' {
			return prefix{}, false
		}
		pre.time, i = t, n+3
	}
	j := i
	for j < len(line) && j-i < 16 && ('A' <= line[j] && line[j] <= 'Z' || j > i && ('0' <= line[j] && line[j] <= '9' || line[j] == '_')) {
		j++
	}
	if j == i {
		return prefix{}, false
	}
	pre.level = line[i:j]
	if i == 0 && !isJournalLevel(pre.level) {
		return prefix{}, false
	}
	if j < len(line) && line[j] == ' ' {
		j++ // "NOTICE [22382]"
	}
	thread, n := bracketed(line[j:])
	if n == 0 || !isThread(thread) {
		return prefix{}, false
	}
	pre.thread, j = thread, j+n
	if id, n := bracketed(line[j:]); n > 0 && isCallID(id) {
		pre.callID, j = id, j+n
	}
	if j < len(line) && line[j] == ':' {
		j++
	}
	switch {
	case j == len(line):
		pre.text = j
		return pre, true
	case line[j] != ' ':
		return prefix{}, false
	}
	j++
	pre.module, pre.line, pre.function, pre.text = origin(line, j)
	return pre, true
}

// readTime reads the time in brackets: a date and time ("2012-02-13 17:21:54", with a
// fraction or a zone as the dateformat option writes them) or an RFC 3164 stamp
// ("Jan 18 17:39:50", with a fraction). It returns the time and its length.
func readTime(b []byte, year int) (int64, int, bool) {
	if ts, ok := timestamp.DateTime(b); ok {
		return ts.Micros, ts.Len, true
	}
	ts, ok := timestamp.BSD(b, year)
	if !ok {
		return 0, 0, false
	}
	n, micros := ts.Len, ts.Micros
	if n+1 < len(b) && (b[n] == '.' || b[n] == ',') && isDigit(b[n+1]) {
		scale := int64(100000)
		for n++; n < len(b) && isDigit(b[n]); n++ {
			micros += int64(b[n]-'0') * scale
			scale /= 10
		}
	}
	return micros, n, true
}

// bracketed returns what "[...]" at the start of b holds, and the length with the
// brackets; 0 when b does not start with one.
func bracketed(b []byte) ([]byte, int) {
	if len(b) < 2 || b[0] != '[' {
		return nil, 0
	}
	end := bytes.IndexByte(b[:min(len(b), 40)], ']')
	if end < 1 {
		return nil, 0
	}
	return b[1:end], end + 1
}

// origin reads "file.c:line function: " (or "file.c: ", or "file.c:line in function: ")
// from line[i:], and returns its parts and the offset of the text after it. Without a
// file, the text starts at i.
func origin(line []byte, i int) (module, number, function []byte, text int) {
	rest := line[i:]
	colon := bytes.IndexByte(rest[:min(len(rest), 80)], ':')
	if colon <= 0 || !isFileName(rest[:colon]) {
		return nil, nil, nil, i
	}
	module, text = rest[:colon], i+colon+1
	k := text
	for k < len(line) && isDigit(line[k]) {
		k++
	}
	if k > text { // ":28926 handle_request_register: "
		number, text = line[text:k], k
		if k < len(line) && line[k] == ' ' {
			fn := line[k+1:]
			fn = bytes.TrimPrefix(fn, []byte("in "))
			if end := bytes.IndexByte(fn[:min(len(fn), 80)], ':'); end > 0 && bytes.IndexByte(fn[:end], '"') < 0 {
				function = fn[:end]
				text = len(line) - len(fn) + end + 1
			}
		}
	}
	if text < len(line) && line[text] == ' ' {
		text++
	}
	return module, number, function, text
}

// isFileName reports whether b names what logged a line: a source file
// ("res_pjsip/pjsip_distributor.c"), a module ("pjproject"), or the dialplan's "Ext. s".
func isFileName(b []byte) bool {
	if bytes.HasPrefix(b, []byte("Ext. ")) {
		return bytes.IndexByte(b[len("Ext. "):], ' ') < 0
	}
	for _, c := range b {
		if !isWordByte(c) && c != '.' && c != '/' {
			return false
		}
	}
	return isLetter(b[0])
}

// verboseMarker returns the length of the console's verbosity marker that starts line
// ("  == ", "    -- ", "       > "), or 0.
func verboseMarker(line []byte) int {
	n := 0
	for n < len(line) && n < 8 && line[n] == ' ' {
		n++
	}
	if n < 2 {
		return 0
	}
	for _, m := range [...]string{"-- ", "== ", "> "} {
		if bytes.HasPrefix(line[n:], []byte(m)) {
			return n + len(m)
		}
	}
	return 0
}

// level maps an Asterisk level word to ours. A SECURITY line takes the severity of its
// event (Severity="Error" or "Informational").
func level(word, text []byte) model.Level {
	switch string(word) {
	case "VERBOSE", "DTMF", "FAX":
		return model.LevelInfo
	case "SECURITY":
		switch sev, _ := pairValue(firstLine(text), "Severity"); string(sev) {
		case "Error":
			return model.LevelError
		case "Informational":
			return model.LevelInfo
		}
		return model.LevelNotice
	}
	if l, ok := model.ParseLevel(word); ok {
		return l
	}
	return model.LevelInfo
}

func isJournalLevel(w []byte) bool {
	for _, l := range journalLevels {
		if string(w) == l {
			return true
		}
	}
	return false
}

// isThread reports whether b is a thread id: digits, or -1 for none.
func isThread(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("-"))
	return len(b) > 0 && isDigits(b)
}

// isCallID reports whether b is a call identifier, "C-" and hexadecimal digits.
func isCallID(b []byte) bool {
	if len(b) < 3 || b[0] != 'C' || b[1] != '-' {
		return false
	}
	for _, c := range b[2:] {
		if !isDigit(c) && !('a' <= c|0x20 && c|0x20 <= 'f') {
			return false
		}
	}
	return true
}

func firstLine(b []byte) []byte {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		b = b[:nl]
	}
	return bytes.TrimSuffix(b, []byte{'\r'})
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isWordByte(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_' || c == '-'
}
