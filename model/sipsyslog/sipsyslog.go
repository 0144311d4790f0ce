// Package sipsyslog parses the lines that SIP servers (Kamailio, OpenSIPS, rtpengine,
// Asterisk, FreeSWITCH, Flexisip and the like) write through syslog, and what Kamailio,
// OpenSIPS and rtpengine write to stderr:
//
//	Dec 17 18:17:52 sbc1 kamailio[8813]:  7(8813) ERROR: tm [t_lookup.c:1356]: t_lookup_request(): ...
//	2024-12-17T18:17:52.123456+00:00 pbx1 asterisk[1234]: WARNING[1234][C-00000003] chan_pjsip.c: ...
//	<131>1 2024-12-17T18:17:52Z sbc1 opensips 3001 - - ERROR:core:parse_msg: ...
//	16(41) ERROR: tls [tls_server.c:1329]: tls_h_read_f(): protocol level error     (Kamailio's stderr)
//	Jul  6 10:47:23 [1462] ERROR:core:pv_get_callid: cannot parse Call-Id header   (OpenSIPS's stderr)
//	[1581334363.918166] INFO: [ID="1-92581@x.x.x.x"]: Received command 'offer'   (rtpengine's stderr)
//	2024-12-17T18:17:52.123Z ERROR ERROR: <core> [core/receive.c:310]: ...       (a shipper's time and level, then the server's line)
//
// The syslog envelope or file prefix gives the time, the host and the program with its pid;
// a stderr line gives what it has (the pid, OpenSIPS's time, rtpengine's epoch time, a
// shipper's time) and its program is known from its shape. The level comes from the words
// each server puts before its text, else from the envelope's severity, else from the
// text's words.
//
// A SIP message logged on its own (a Kamailio xlog dump of $mb, indented, without a
// prefix) is an entry of its own, timed by its Date header if it has one. The SIP message
// an entry carries — on the lines after its first, after rsyslog's #012 escapes, or as
// the request line that ends its first line — is its Detail field, with its Call-ID.
// A line of no known shape becomes a plain record.
package sipsyslog

import (
	"bytes"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/envelope"
	"github.com/calltail/calltail/model/timestamp"
)

// Parser parses SIP servers' syslog and stderr lines. The zero value is ready to use and
// puts RFC 3164 time stamps in the latest year that does not make them later than now.
type Parser struct {
	// Year is the year of every syslog time stamp that carries none (RFC 3164), given by
	// --year; 0 to infer it from Modified.
	Year int
	// Modified is when the text was last written, in microseconds since the epoch (a
	// file's modification time): an RFC 3164 time stamp is put in the latest year that
	// does not make it later (see timestamp.Year). 0 means now, read on first use.
	Modified int64
}

var (
	_ model.Parser = (*Parser)(nil)
	_ model.Dated  = (*Parser)(nil)
)

// SetModified says when the text was last written (see Modified).
func (p *Parser) SetModified(micros int64) { p.Modified = micros }

// StartsEntry reports whether line begins an entry: it opens with a syslog envelope, a
// syslog daemon's file prefix, a program tag with its pid, a server's stderr prefix, or
// it is an indented SIP start line (a message dumped on its own). Any other line
// continues the entry above it.
func (p *Parser) StartsEntry(line []byte) bool {
	if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') && isStartLine(bytes.TrimLeft(line, " \t")) {
		return true
	}
	_, ok := split(line, p.years())
	return ok
}

// Parse fills r from one entry.
func (p *Parser) Parse(raw []byte, r *model.Record) {
	if !p.ParseShaped(raw, r) {
		r.Plain, r.Details, r.Level = true, raw, model.GuessLevel(raw)
	}
}

// ParseShaped fills r from an entry of a SIP server's shape (see model.Shaped).
func (p *Parser) ParseShaped(raw []byte, r *model.Record) bool {
	*r = model.Record{Raw: raw}
	y := p.years()
	if isStartLine(bytes.TrimLeft(firstLine(raw), " \t")) {
		r.Details, r.Level, r.Shape = raw, model.LevelInfo, shape{}
		if date, ok := dateOf(raw); ok {
			r.Time = date
		}
		return true
	}
	e, ok := split(raw, y)
	if !ok {
		return false
	}
	r.Time, r.SyslogTime, r.Node, r.Module, r.Details, r.Shape = e.time, e.time, e.host, e.program, e.text, shape{}
	if e.kind != kindSyslog {
		r.SyslogTime = 0 // a stderr line's time is the server's, or a shipper's
	}
	text := firstLine(e.text)
	if t, rest, ok := ownTime(text, y); ok {
		r.Time, text = t, rest
	}
	r.Level = level(text, e.text, e.severity)
	return true
}

// leapYear is the year assumed where the year does not matter: a leap year, so that a
// "Feb 29" stamp is read.
const leapYear = 2000

// years tells which year RFC 3164 time stamps are in.
func (p *Parser) years() timestamp.Year {
	if p.Year != 0 {
		return timestamp.Year{Fixed: p.Year}
	}
	if p.Modified == 0 {
		p.Modified = time.Now().UnixMicro()
	}
	return timestamp.Year{Ref: p.Modified}
}

// kind is the shape of an entry's prefix.
type kind uint8

const (
	kindSyslog kind = iota // a syslog envelope, a file prefix, or a program tag with its pid
	kindStderr             // a server's own stderr line, maybe behind a shipper's time and level
)

// entry is where the parts of a line lie.
type entry struct {
	kind     kind
	time     int64 // from the envelope or the stderr prefix; 0 without one
	severity int   // the envelope's, 0 to 7, or -1
	host     []byte
	program  []byte // the tag without its pid or directory: "kamailio"
	pid      []byte // digits, or nil
	text     []byte // what follows the tag or the stderr prefix
}

// split reads the prefix of raw: a server's stderr prefix, a syslog envelope with its
// program tag, or (without an envelope) a tag that carries a pid ("kamailio[8813]: "). It
// reports false for a line of none of these.
func split(raw []byte, y timestamp.Year) (entry, bool) {
	if e, ok := stderr(raw, y); ok {
		return e, true
	}
	pre, ok := envelope.ParseIn(raw, y)
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
	if pid, _, ok := rank(e.text); ok && e.pid == nil {
		e.pid = pid // Kamailio's "19(1925) DEBUG: ..." after a tag without one
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
// "[2024-12-17 18:17:52]" or "[Dec 17 18:17:52]", FreeSWITCH's "2024-12-17 18:17:52.123456",
// OpenSIPS's "Oct  3 10:12:24 [771739] " when its stderr format goes through syslog.
func ownTime(text []byte, y timestamp.Year) (micros int64, rest []byte, ok bool) {
	text = skipSpace(text)
	if len(text) > 0 && text[0] == '[' {
		ts, ok := timestamp.DateTime(text[1:])
		if !ok {
			ts, ok = y.BSD(text[1:])
		}
		if !ok || len(text) <= ts.Len+1 || text[ts.Len+1] != ']' {
			return 0, text, false
		}
		return ts.Micros, text[ts.Len+2:], true
	}
	if ts, ok := y.BSD(text); ok && len(text) > ts.Len+1 && text[ts.Len] == ' ' && text[ts.Len+1] == '[' {
		return ts.Micros, text[ts.Len:], true
	}
	ts, ok := timestamp.DateTime(text)
	if !ok || (len(text) > ts.Len && text[ts.Len] != ' ') {
		return 0, text, false
	}
	return ts.Micros, text[ts.Len:], true
}

func firstLine(b []byte) []byte {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		return bytes.TrimSuffix(b[:nl], []byte{'\r'})
	}
	return b
}

func skipSpace(b []byte) []byte { return bytes.TrimLeft(b, " ") }

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
