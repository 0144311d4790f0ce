// Package sipsyslog parses the lines that SIP servers (Kamailio, OpenSIPS, Asterisk,
// FreeSWITCH, Flexisip and the like) write through syslog, one line per entry:
//
//	Dec 17 18:17:52 sbc1 kamailio[8813]:  7(8813) ERROR: tm [t_lookup.c:1356]: t_lookup_request(): ...
//	2024-12-17T18:17:52.123456+00:00 pbx1 asterisk[1234]: WARNING[1234][C-00000003] chan_pjsip.c: ...
//	<131>1 2024-12-17T18:17:52Z sbc1 opensips 3001 - - ERROR:core:parse_msg: ...
//
// The syslog envelope or file prefix gives the time, the host and the program with its pid;
// the level comes from the words each server puts before its text, else from the envelope's
// severity, else from the text's words. A line of no known shape becomes a plain record.
package sipsyslog

import (
	"bytes"
	"iter"
	"strings"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/envelope"
	"github.com/calltail/calltail/model/timestamp"
)

// Parser parses SIP servers' syslog lines. The zero value is ready to use and assumes the
// current year for RFC 3164 time stamps.
type Parser struct {
	// Year is the year assumed for syslog time stamps that carry none (RFC 3164);
	// 0 means the current year, read on first use.
	Year int
}

var _ model.Parser = (*Parser)(nil)

// StartsEntry reports whether line begins an entry: it opens with a syslog envelope, a
// syslog daemon's file prefix, or a program tag with its pid. Any other line continues
// the entry above it.
func (p *Parser) StartsEntry(line []byte) bool {
	_, ok := split(line, p.year())
	return ok
}

// Parse fills r from one entry.
func (p *Parser) Parse(raw []byte, r *model.Record) {
	*r = model.Record{Raw: raw}
	e, ok := split(raw, p.year())
	if !ok {
		r.Plain, r.Details, r.Level = true, raw, model.GuessLevel(raw)
		return
	}
	r.Time, r.SyslogTime, r.Node, r.Module, r.Details, r.Shape = e.time, e.time, e.host, e.program, e.text, shape{}
	text := firstLine(e.text)
	if t, rest, ok := ownTime(text, p.year()); ok {
		r.Time, text = t, rest
	}
	r.Level = level(text, e.text, e.severity)
}

// leapYear is the year assumed where the year does not matter: a leap year, so that a
// "Feb 29" stamp is read.
const leapYear = 2000

func (p *Parser) year() int {
	if p.Year == 0 {
		p.Year = time.Now().UTC().Year()
	}
	return p.Year
}

// entry is where the parts of a syslog line lie.
type entry struct {
	time     int64 // from the envelope; 0 without one
	severity int   // the envelope's, 0 to 7, or -1
	host     []byte
	program  []byte // the tag without its pid or directory: "kamailio"
	pid      []byte // digits, or nil
	text     []byte // what follows the tag
}

// split reads the envelope and program tag of raw. Without an envelope, raw must start with
// a tag that carries a pid ("kamailio[8813]: "). It reports false for a line of neither.
func split(raw []byte, year int) (entry, bool) {
	pre, ok := envelope.Parse(raw, year)
	if !ok {
		w, _, _ := bytes.Cut(raw, []byte(" "))
		pid := pidBefore(w)
		if pid == nil {
			return entry{}, false
		}
		name := w[:len(w)-len(pid)-len("[]:")]
		if !isName(name) {
			return entry{}, false
		}
		return entry{severity: -1, program: base(name), pid: pid, text: raw[min(len(w)+1, len(raw)):]}, true
	}
	e := entry{time: pre.Time, severity: pre.Severity, host: pre.Host, program: base(pre.Tag), text: raw[pre.Payload:]}
	switch {
	case is5424(raw):
		e.pid = procID(raw)
	case len(pre.Tag) > 0:
		e.pid = pidBefore(raw[:pre.Payload])
	}
	return e, true
}

// pidBefore returns the pid of the tag "prog[pid]:" that ends head (a space after it
// allowed), or nil.
func pidBefore(head []byte) []byte {
	head = bytes.TrimSuffix(head, []byte(" "))
	if !bytes.HasSuffix(head, []byte("]:")) {
		return nil
	}
	head = head[:len(head)-len("]:")]
	open := bytes.LastIndexByte(head, '[')
	if open < 0 || !isDigits(head[open+1:]) {
		return nil
	}
	return head[open+1:]
}

// is5424 reports whether raw starts with an RFC 5424 header, "<PRI>1 ".
func is5424(raw []byte) bool {
	end := bytes.IndexByte(raw[:min(len(raw), 5)], '>')
	return len(raw) > 0 && raw[0] == '<' && end > 0 && bytes.HasPrefix(raw[end+1:], []byte("1 "))
}

// procID returns the PROCID of an RFC 5424 header when it is a number: the word after
// TIMESTAMP, HOSTNAME and APP-NAME.
func procID(raw []byte) []byte {
	rest := raw[bytes.IndexByte(raw, '>')+len(">1 "):]
	for range 3 {
		_, rest, _ = bytes.Cut(rest, []byte(" "))
	}
	id, _, _ := bytes.Cut(rest, []byte(" "))
	if !isDigits(id) {
		return nil
	}
	return id
}

// base drops the directory of a program tag: "/usr/sbin/kamailio" is "kamailio".
func base(program []byte) []byte {
	return program[bytes.LastIndexByte(program, '/')+1:]
}

// ownTime reads the time stamp some servers put at the start of their text: Asterisk's
// "[2024-12-17 18:17:52]" or "[Dec 17 18:17:52]", FreeSWITCH's "2024-12-17 18:17:52.123456".
func ownTime(text []byte, year int) (micros int64, rest []byte, ok bool) {
	text = skipSpace(text)
	if len(text) > 0 && text[0] == '[' {
		ts, ok := timestamp.DateTime(text[1:])
		if !ok {
			ts, ok = timestamp.BSD(text[1:], year)
		}
		if !ok || len(text) <= ts.Len+1 || text[ts.Len+1] != ']' {
			return 0, text, false
		}
		return ts.Micros, text[ts.Len+2:], true
	}
	ts, ok := timestamp.DateTime(text)
	if !ok || (len(text) > ts.Len && text[ts.Len] != ' ') {
		return 0, text, false
	}
	return ts.Micros, text[ts.Len:], true
}

// markWords is how many words from the start of the text are looked at for a level mark.
const markWords = 6

// level is the level of an entry whose first line's text (after any time stamp) is text,
// and whose whole text is all: the level mark the server wrote, else the envelope's
// severity, else the words of all its lines (a traceback's last line tells).
func level(text, all []byte, severity int) model.Level {
	rest := text
	for range markWords {
		var w []byte
		w, rest, _ = bytes.Cut(skipSpace(rest), []byte(" "))
		if l, ok := mark(w); ok {
			return l
		}
	}
	if severity >= 0 {
		return model.SeverityLevel(severity)
	}
	return model.GuessLevel(all)
}

// mark reads a level mark: Kamailio's and OpenSIPS's "ERROR:" or "ERROR:core:...", Asterisk's
// "WARNING[1234]..." and FreeSWITCH's "[WARNING]". The level word is in upper case.
func mark(w []byte) (model.Level, bool) {
	var name []byte
	if len(w) > 2 && w[0] == '[' && w[len(w)-1] == ']' {
		name = w[1 : len(w)-1]
	} else if end := bytes.IndexAny(w, ":["); end > 0 {
		name = w[:end]
	}
	for _, c := range name {
		if c < 'A' || c > 'Z' {
			return 0, false
		}
	}
	switch string(name) {
	case "VERBOSE":
		return model.LevelInfo, true
	case "DBG":
		return model.LevelDebug, true
	case "BUG":
		return model.LevelCritical, true
	}
	return model.ParseLevel(name)
}

// idKeys introduce a Call-ID anywhere in the text, in any letter case: the SIP header, and
// the pairs Kamailio's and OpenSIPS's scripts log. After a colon, blanks may come first.
var idKeys = [...]string{"call-id:", "call-id=", "callid=", "callid:", "ci="}

// callID returns the first Call-ID that text carries: a SIP "Call-ID:" header (or "i:" at the
// start of a line) or a callid=, call-id= or ci= pair. Asterisk's channel ids
// ("[C-00000012]") are not Call-IDs.
func callID(text []byte) ([]byte, bool) {
	for i := 0; i < len(text); i++ {
		if c := text[i] | 0x20; (c != 'c' && c != 'i') || (i > 0 && isWordByte(text[i-1])) {
			continue
		}
		if id := idAt(text, i); len(id) > 0 {
			return id, true
		}
	}
	return nil, false
}

// idAt reads the Call-ID whose key starts at text[i], if one does.
func idAt(text []byte, i int) []byte {
	rest := text[i:]
	for _, key := range idKeys {
		if hasPrefixFold(rest, key) {
			return idValue(rest[len(key):], key[len(key)-1] == ':')
		}
	}
	if hasPrefixFold(rest, "i:") && lineStart(text, i) {
		return idValue(rest[len("i:"):], true)
	}
	return nil
}

// idValue reads a Call-ID value: up to a blank, ';', ',', '>' or the end, without an opening
// '<'. Kamailio's "<null>" for an unset variable is no value.
func idValue(b []byte, blanks bool) []byte {
	if blanks {
		b = bytes.TrimLeft(b, " \t")
	}
	if bytes.HasPrefix(b, []byte("<null>")) {
		return nil
	}
	b = bytes.TrimPrefix(b, []byte("<"))
	if end := bytes.IndexAny(b, " \t\r\n;,>"); end >= 0 {
		return b[:end]
	}
	return b
}

// lineStart reports whether only blanks stand between text[i] and the start of its line.
func lineStart(text []byte, i int) bool {
	for i > 0 && (text[i-1] == ' ' || text[i-1] == '\t') {
		i--
	}
	return i == 0 || text[i-1] == '\n'
}

// shape reads the fields of a SIP server's syslog entry: its pid, program and Call-ID.
type shape struct{}

// The names Fields yields.
var (
	pidName    = []byte("pid")
	callIDName = []byte("Call-ID")
)

// Format names the format, "syslog".
func (shape) Format() string { return "syslog" }

// Message returns the text after the program tag.
func (shape) Message(r *model.Record) []byte { return r.Details }

// Field returns the pid, program or Call-ID, the names taken in any letter case.
func (shape) Field(r *model.Record, name string) ([]byte, bool) {
	switch {
	case strings.EqualFold(name, "pid"):
		e, _ := split(r.Raw, leapYear)
		return e.pid, len(e.pid) > 0
	case strings.EqualFold(name, "program"):
		return r.Module, len(r.Module) > 0
	case strings.EqualFold(name, "Call-ID"):
		return callID(r.Details)
	}
	return nil, false
}

// Fields yields the pid and the Call-ID, those present; the program is the Module.
func (s shape) Fields(r *model.Record) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if pid, ok := s.Field(r, "pid"); ok && !yield(pidName, pid) {
			return
		}
		if id, ok := callID(r.Details); ok {
			yield(callIDName, id)
		}
	}
}

// IDs reports the entry's Call-ID, if it has one.
func (shape) IDs(r *model.Record, fn func(model.IDKind, []byte)) {
	if id, ok := callID(r.Details); ok {
		fn(model.CallID, id)
	}
}

func firstLine(b []byte) []byte {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		return bytes.TrimSuffix(b[:nl], []byte{'\r'})
	}
	return b
}

func skipSpace(b []byte) []byte { return bytes.TrimLeft(b, " ") }

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// isName reports whether b is a program name as a syslog tag spells it.
func isName(b []byte) bool {
	for _, c := range b {
		if !isWordByte(c) && c != '.' && c != '/' {
			return false
		}
	}
	return len(b) > 0
}

func isWordByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}
