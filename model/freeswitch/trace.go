package freeswitch

import (
	"bytes"
	"iter"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/sip"
)

// traceModule is the module of a siptrace entry.
var traceModule = []byte("siptrace")

// stamp is where the parts of a siptrace stamp lie: "recv 352 bytes from
// udp/[192.0.2.2]:5064 at 17:28:11.113313:" or "send 1052 bytes to udp/[...]:5060 at ...:".
type stamp struct {
	direction []byte // "recv" or "send"
	size      []byte // the bytes sent or received, as written
	transport []byte // "udp", "tcp", "tls", "ws", "wss"
	host      []byte // the peer's address, without its brackets
	port      []byte
	clock     int64 // the time of day, in microseconds
}

// readStamp reads the first line of raw as a siptrace stamp.
func readStamp(raw []byte) (stamp, bool) {
	var s stamp
	line := firstLine(raw)
	var via string
	switch {
	case bytes.HasPrefix(line, []byte("recv ")):
		via = " bytes from "
	case bytes.HasPrefix(line, []byte("send ")):
		via = " bytes to "
	default:
		return stamp{}, false
	}
	s.direction, line = line[:4], line[5:]
	n := 0
	for n < len(line) && isDigit(line[n]) {
		n++
	}
	if n == 0 || !bytes.HasPrefix(line[n:], []byte(via)) {
		return stamp{}, false
	}
	s.size, line = line[:n], line[n+len(via):]
	slash := bytes.Index(line, []byte("/["))
	if slash <= 0 || slash > 8 {
		return stamp{}, false
	}
	s.transport, line = line[:slash], line[slash+2:]
	end := bytes.Index(line, []byte("]:"))
	if end < 0 {
		return stamp{}, false
	}
	s.host, line = line[:end], line[end+2:]
	n = 0
	for n < len(line) && isDigit(line[n]) {
		n++
	}
	at := bytes.LastIndex(line, []byte(" at "))
	if n == 0 || at < n {
		return stamp{}, false
	}
	s.port, line = line[:n], line[at+len(" at "):]
	// HH:MM:SS.ffffff: — the colon last.
	if len(line) != 16 || line[2] != ':' || line[5] != ':' || line[8] != '.' || line[15] != ':' {
		return stamp{}, false
	}
	var v [3]int64
	for i, at := range [3]int{0, 3, 6} {
		if !isDigit(line[at]) || !isDigit(line[at+1]) {
			return stamp{}, false
		}
		v[i] = int64(line[at]-'0')*10 + int64(line[at+1]-'0')
	}
	if v[0] > 23 || v[1] > 59 || v[2] > 60 || !isDigits(line[9:15]) {
		return stamp{}, false
	}
	micros := int64(0)
	for _, c := range line[9:15] {
		micros = micros*10 + int64(c-'0')
	}
	s.clock = ((v[0]*60+v[1])*60+v[2])*1000000 + micros
	return s, true
}

// isDashes reports whether line is the row of dashes sofia-sip writes around a message.
func isDashes(line []byte) bool {
	line = bytes.TrimSuffix(line, []byte{'\r'})
	if len(line) < 20 {
		return false
	}
	for _, c := range line {
		if c != '-' {
			return false
		}
	}
	return true
}

// sipText returns the message a siptrace entry carries: the lines after the dashes below
// the stamp, up to the dashes that close it (older releases) or the end of its body by its
// Content-Length, or else to the end of the entry.
func sipText(raw []byte) []byte {
	nl := bytes.IndexByte(raw, '\n')
	if nl < 0 {
		return nil
	}
	msg := raw[nl+1:]
	if line, rest, _ := bytes.Cut(msg, []byte{'\n'}); isDashes(line) {
		msg = rest
	}
	length := -1
	if v, ok := sip.Header(msg, "Content-Length", "l"); ok && isDigits(v) && len(v) < 9 {
		length = 0
		for _, c := range v {
			length = length*10 + int(c-'0')
		}
	}
	body, inBody := 0, false
	for pos := 0; pos < len(msg); {
		if inBody && length >= 0 && body >= length {
			return msg[:pos]
		}
		line := msg[pos:]
		next := len(msg)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line, next = line[:i], pos+i+1
		}
		switch {
		case isDashes(line):
			return msg[:pos]
		case inBody:
			body += len(bytes.TrimSuffix(line, []byte{'\r'})) + len("\r\n") // the log writes each CRLF as LF
		case len(bytes.TrimSuffix(line, []byte{'\r'})) == 0 && pos > 0:
			inBody = true
		}
		pos = next
	}
	return msg
}

// traceShape reads the fields of a siptrace entry: where the message went or came from,
// and the message itself.
type traceShape struct{}

// The names of a siptrace entry's fields, besides the SIP headers it shows.
const (
	fieldDirection = "Direction" // "recv" or "send", as the stamp says
	fieldTransport = "Transport"
	fieldSrcAddr   = "Src-address" // the peer a received message came from
	fieldSrcPort   = "Src-port"
	fieldDstAddr   = "Dst-address" // the peer a sent message went to
	fieldDstPort   = "Dst-port"
	fieldDetail    = "Detail" // the SIP message
)

// sipFields are the SIP headers a siptrace entry shows as its fields.
var sipFields = [...]string{"Call-ID", "CSeq", "From", "To", "User-Agent"}

// Format names the format, "freeswitch".
func (traceShape) Format() string { return Format }

// Message returns the stamp line.
func (traceShape) Message(r *model.Record) []byte { return firstLine(r.Raw) }

// fields returns the stamp's fields in the order they are shown.
func (traceShape) fields(r *model.Record) [5]struct {
	name  string
	value []byte
} {
	s, _ := readStamp(r.Raw)
	addr, port := fieldDstAddr, fieldDstPort
	if string(s.direction) == "recv" {
		addr, port = fieldSrcAddr, fieldSrcPort
	}
	return [5]struct {
		name  string
		value []byte
	}{{fieldDirection, s.direction}, {fieldTransport, s.transport}, {addr, s.host}, {port, s.port}, {"Bytes", s.size}}
}

// Field returns a field of the stamp, the whole SIP message ("Detail") or one of its
// headers, the name in any letter case.
func (t traceShape) Field(r *model.Record, name string) ([]byte, bool) {
	for _, f := range t.fields(r) {
		if f.value != nil && strings.EqualFold(f.name, name) {
			return f.value, true
		}
	}
	msg := sipText(r.Raw)
	switch {
	case !sip.IsMessage(msg):
		return nil, false
	case strings.EqualFold(name, fieldDetail):
		return msg, true
	}
	return sip.Header(msg, name, compact(name))
}

// Fields yields the stamp's fields, then the telling headers of the SIP message.
func (t traceShape) Fields(r *model.Record) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		for _, f := range t.fields(r) {
			if f.value != nil && !yield([]byte(f.name), f.value) {
				return
			}
		}
		msg := sipText(r.Raw)
		if !sip.IsMessage(msg) {
			return
		}
		for _, name := range sipFields {
			if v, ok := sip.Header(msg, name, compact(name)); ok && !yield([]byte(name), v) {
				return
			}
		}
	}
}

// IDs reports the Call-ID of the SIP message.
func (traceShape) IDs(r *model.Record, fn func(model.IDKind, []byte)) {
	if msg := sipText(r.Raw); sip.IsMessage(msg) {
		if id, ok := sip.CallID(msg); ok {
			fn(model.CallID, id)
		}
	}
}

// compact returns the compact form of a SIP header name, or "".
func compact(name string) string {
	switch {
	case strings.EqualFold(name, "Call-ID"):
		return "i"
	case strings.EqualFold(name, "From"):
		return "f"
	case strings.EqualFold(name, "To"):
		return "t"
	case strings.EqualFold(name, "Content-Length"):
		return "l"
	}
	return ""
}

// sofia is where the parts of a sofia-sip debug line lie: "tport.c:3273 tport_tsend() text".
type sofia struct {
	file, line, function, text []byte
}

// readSofia reads a sofia-sip debug line.
func readSofia(raw []byte) (sofia, bool) {
	loc, rest, ok := bytes.Cut(firstLine(raw), []byte(" "))
	if !ok {
		return sofia{}, false
	}
	file, line, ok := source(loc)
	if !ok || !bytes.HasSuffix(file, []byte(".c")) || bytes.IndexByte(file, '/') >= 0 {
		return sofia{}, false
	}
	paren := bytes.Index(rest, []byte("() "))
	if paren <= 0 {
		return sofia{}, false
	}
	for _, c := range rest[:paren] {
		if !isWordByte(c) || c == '-' {
			return sofia{}, false
		}
	}
	text := raw[len(loc)+1+paren+len("() "):]
	return sofia{file, line, rest[:paren], text}, true
}

// sofiaShape reads the fields of a sofia-sip debug line: the function that logged it.
type sofiaShape struct{}

// Format names the format, "freeswitch".
func (sofiaShape) Format() string { return Format }

// Message returns the text after the function's name.
func (sofiaShape) Message(r *model.Record) []byte { return firstLine(r.Details) }

// Field returns the "Function" or the source "Line", the name in any letter case.
func (sofiaShape) Field(r *model.Record, name string) ([]byte, bool) {
	s, _ := readSofia(r.Raw)
	switch {
	case strings.EqualFold(name, fieldFunction):
		return s.function, s.function != nil
	case strings.EqualFold(name, fieldLine):
		return s.line, s.line != nil
	}
	return nil, false
}

// Fields yields the function and the source line.
func (sofiaShape) Fields(r *model.Record) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if s, ok := readSofia(r.Raw); ok && yield([]byte(fieldFunction), s.function) {
			yield([]byte(fieldLine), s.line)
		}
	}
}

// IDs reports none: sofia-sip's debug lines name no call.
func (sofiaShape) IDs(*model.Record, func(model.IDKind, []byte)) {}
