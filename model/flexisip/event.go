package flexisip

import (
	"bytes"
	"iter"

	"github.com/calltail/calltail/model"
)

// The modules of the event log's kinds of line.
var (
	moduleRegister = []byte("flexisip.register")
	moduleCall     = []byte("flexisip.call")
	moduleMessage  = []byte("flexisip.message")
	moduleAuth     = []byte("flexisip.auth")
	moduleReport   = []byte("flexisip.report")
)

// eventParts are the parts of an event log line, as slices of it (nil when absent).
type eventParts struct {
	event, method, callID, from, to, contact, userAgent, status, reason []byte
}

// event reads an event log line after its time stamp.
func event(rest []byte, r *model.Record) bool {
	p, module, ok := readEvent(rest)
	if !ok {
		return false
	}
	r.Module, r.Details, r.Shape = module, rest, eventShape{} // rest as read, for the fields
	r.Level = eventLevel(module, p.status)
	return true
}

// readEvent splits an event log line after its time stamp into its parts.
func readEvent(rest []byte) (p eventParts, module []byte, ok bool) {
	switch {
	case bytes.HasPrefix(rest, []byte(": ")):
		line := firstLine(rest[2:])
		for _, e := range [][]byte{[]byte("Registered "), []byte("Unregistered "), []byte("Registration expired ")} {
			if bytes.HasPrefix(line, e) {
				p.event = line[:len(e)-1]
				return registration(line[len(e):], p)
			}
		}
		for _, e := range [][]byte{[]byte("Received from user "), []byte("Delivered to user ")} {
			if bytes.HasPrefix(line, e) {
				p.event = line[:len(e)-1]
				return message(line[len(e):], p)
			}
		}
		p, ok = exchange(line, p)
		return p, moduleCall, ok
	case bytes.HasPrefix(rest, []byte(" ")):
		line := firstLine(rest[1:])
		if sp := bytes.IndexByte(line, ' '); sp > 0 && isUpper(line[:sp]) {
			return auth(line[sp+1:], eventParts{method: line[:sp]})
		}
		if colon := bytes.Index(line, []byte(": ")); colon > 0 { // a quality report: its body follows
			p, ok = exchange(line[:colon], p)
			return p, moduleReport, ok
		}
	}
	return p, nil, false
}

// fromContact reads "FROM (contact)", the contact optional, and returns what follows.
func fromContact(b []byte, p *eventParts) (rest []byte, ok bool) {
	from, rest, ok := nameAddr(b)
	if !ok {
		return nil, false
	}
	p.from = from
	rest = bytes.TrimLeft(rest, " ")
	if c, after, ok := parenthesised(rest); ok {
		p.contact, rest = c, bytes.TrimLeft(after, " ")
	}
	return rest, true
}

// registration reads "FROM (contact) user-agent".
func registration(b []byte, p eventParts) (eventParts, []byte, bool) {
	rest, ok := fromContact(b, &p)
	if !ok {
		return p, nil, false
	}
	if len(rest) > 0 {
		p.userAgent = rest
	}
	return p, moduleRegister, true
}

// message reads "id:CALL-ID FROM --> TO (destination) status reason".
func message(b []byte, p eventParts) (eventParts, []byte, bool) {
	if !bytes.HasPrefix(b, []byte("id:")) {
		return p, nil, false
	}
	id := b[3:]
	sp := bytes.IndexByte(id, ' ')
	if sp <= 0 {
		return p, nil, false
	}
	p.callID = id[:sp]
	p, ok := exchange(id[sp+1:], p)
	return p, moduleMessage, ok
}

// auth reads, after the method, "FROM (origin) (user-agent) --> TO status reason".
func auth(b []byte, p eventParts) (eventParts, []byte, bool) {
	rest, ok := fromContact(b, &p)
	if !ok {
		return p, nil, false
	}
	if ua, after, ok := parenthesised(rest); ok {
		p.userAgent, rest = ua, after
	}
	p, ok = exchange(rest, p)
	return p, moduleAuth, ok
}

// exchange reads "FROM --> TO (destination) status reason", or only "--> TO ..." when the
// caller read FROM; "Cancelled" stands for a status.
func exchange(b []byte, p eventParts) (eventParts, bool) {
	if p.from == nil {
		from, rest, ok := nameAddr(b)
		if !ok {
			return p, false
		}
		p.from, b = from, rest
	}
	b = bytes.TrimLeft(b, " ")
	if !bytes.HasPrefix(b, []byte("-->")) {
		return p, false
	}
	to, rest, ok := nameAddr(b[3:])
	if !ok {
		return p, false
	}
	p.to, rest = to, bytes.TrimLeft(rest, " ")
	if _, after, ok := parenthesised(rest); ok {
		rest = bytes.TrimLeft(after, " ")
	}
	if bytes.HasPrefix(rest, []byte("Cancelled")) {
		p.reason = rest[:len("Cancelled")]
		return p, true
	}
	n := 0
	for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' {
		n++
	}
	if n != 3 {
		return p, false
	}
	p.status = rest[:3]
	if reason := bytes.TrimSpace(rest[3:]); len(reason) > 0 {
		p.reason = reason
	}
	return p, true
}

// nameAddr reads a From or To value, `"Display Name" <uri>` or ` <uri>`: up to its '>'.
func nameAddr(b []byte) (value, rest []byte, ok bool) {
	start := len(b) - len(bytes.TrimLeft(b, " "))
	end := bytes.IndexByte(b[start:], '>')
	if end < 0 || bytes.IndexByte(b[start:start+end], '<') < 0 {
		return nil, b, false
	}
	return b[start : start+end+1], b[start+end+1:], true
}

// parenthesised reads "(text)" at the start of b.
func parenthesised(b []byte) (text, rest []byte, ok bool) {
	if len(b) == 0 || b[0] != '(' {
		return nil, b, false
	}
	end := bytes.IndexByte(b, ')')
	if end < 0 {
		return nil, b, false
	}
	return b[1:end], b[end+1:], true
}

func isUpper(w []byte) bool {
	for _, c := range w {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return len(w) > 0
}

// eventLevel is the level of an event line: from its status, where an authentication
// challenge (401, 407) is the normal first answer, not a failure.
func eventLevel(module, status []byte) model.Level {
	if len(status) != 3 {
		return model.LevelInfo
	}
	switch {
	case status[0] >= '5':
		return model.LevelError
	case status[0] == '4' && bytes.Equal(module, moduleAuth) && (string(status) == "401" || string(status) == "407"):
		return model.LevelInfo
	case status[0] == '4':
		return model.LevelWarning
	}
	return model.LevelInfo
}

// eventShape reads the fields of an event log line.
type eventShape struct{}

// Format names the format, "flexisip".
func (eventShape) Format() string { return "flexisip" }

// Message returns the line after its time stamp.
func (eventShape) Message(r *model.Record) []byte {
	return firstLine(bytes.TrimLeft(r.Details, ": "))
}

// fields returns the line's fields in the order they are shown.
func (eventShape) fields(r *model.Record) [9]struct{ name, value []byte } {
	p, _, _ := readEvent(r.Details)
	return [9]struct{ name, value []byte }{
		{[]byte("Event"), p.event}, {[]byte("Method"), p.method}, {[]byte("Call-ID"), p.callID},
		{[]byte("From"), p.from}, {[]byte("To"), p.to}, {[]byte("Contact"), p.contact},
		{[]byte("User-Agent"), p.userAgent}, {[]byte("Status"), p.status}, {[]byte("Reason"), p.reason},
	}
}

// Field returns the field called name, in any letter case.
func (s eventShape) Field(r *model.Record, name string) ([]byte, bool) {
	for _, f := range s.fields(r) {
		if f.value != nil && bytes.EqualFold(f.name, []byte(name)) {
			return f.value, true
		}
	}
	return nil, false
}

// Fields yields the fields the line has, in order.
func (s eventShape) Fields(r *model.Record) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		for _, f := range s.fields(r) {
			if f.value != nil && !yield(f.name, f.value) {
				return
			}
		}
	}
}

// IDs reports the Call-ID of a message line.
func (eventShape) IDs(r *model.Record, fn func(model.IDKind, []byte)) {
	if p, _, _ := readEvent(r.Details); p.callID != nil { // read on every entry indexed: no more than the parts
		fn(model.CallID, p.callID)
	}
}
