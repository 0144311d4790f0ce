// Package flexisip parses the logs of Flexisip, Belledonne Communications' SIP proxy,
// presence and conference servers.
//
// The general log (flexisip-proxy.log, flexisip-presence.log, flexisip-conference.log):
//
//	2024-12-17 18:17:52:656 flexisip-message- Agent::processRequest - Received SIP request ...
//	2024-12-17 18:17:52:656 flexisip-debug- nta: received INVITE sip:bob@example.org SIP/2.0 (CSeq 483)
//
// a local time with a colon before the milliseconds, then domain-level-tags and the text;
// older releases put no space after the level ("flexisip-debug-Invoking ..."). A SIP
// message logged in full follows on the next lines, unprefixed: it belongs to the entry.
//
// The event log (users/<domain>/<user>/<kind>/<date>.log), one line per request handled:
//
//	Tue Dec 17 18:17:52 2024: Registered  <sip:alice@example.org> (sip:alice@192.0.2.10) Linphone/5.2.5
//	Tue Dec 17 18:17:52 2024: "Alice" <sip:alice@example.org> -->  <sip:bob@example.org> 486 Busy Here
//	Tue Dec 17 18:17:52 2024: Delivered to user id:a84b4c76 <sip:alice@...> -->  <sip:bob@...> 200 OK
//	Tue Dec 17 18:17:52 2024 REGISTER  <sip:alice@...> (sip:198.51.100.7:5060;transport=UDP)  (Linphone/5.2.5)  -->  <sip:alice@...> 401 Unauthorized
//
// registrations, calls, messages (their Call-ID after "id:"), authentication attempts (no
// colon after the date) and call quality reports (whose body follows on the next lines).
package flexisip

import (
	"bytes"
	"iter"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/sip"
	"github.com/calltail/calltail/model/timestamp"
)

// Parser parses Flexisip's general and event logs. The zero value is ready to use.
type Parser struct{}

var _ model.Parser = (*Parser)(nil)

// StartsEntry reports whether line begins an entry: it opens with the general log's time
// stamp or the event log's.
func (p *Parser) StartsEntry(line []byte) bool {
	if _, ok := timestamp.DateTime(line); ok {
		return true
	}
	_, ok := timestamp.Ctime(line)
	return ok
}

// Parse fills r from one entry. An entry of neither log's shape becomes a plain record.
func (p *Parser) Parse(raw []byte, r *model.Record) {
	if !p.ParseShaped(raw, r) {
		r.Plain, r.Details, r.Level = true, raw, model.GuessLevel(raw)
	}
}

// ParseShaped fills r from an entry of either log's shape (see model.Shaped).
func (p *Parser) ParseShaped(raw []byte, r *model.Record) bool {
	*r = model.Record{Raw: raw}
	if ts, ok := timestamp.DateTime(raw); ok {
		r.Time = ts.Micros
		return general(raw[ts.Len:], r)
	}
	if ts, ok := timestamp.Ctime(raw); ok {
		r.Time = ts.Micros
		return event(raw[ts.Len:], r)
	}
	return false
}

// levels are the general log's level words, as "-word-", and ours.
var levels = []struct {
	word  string
	level model.Level
}{
	{"-debug-", model.LevelDebug}, {"-message-", model.LevelInfo}, {"-warning-", model.LevelWarning},
	{"-error-", model.LevelError}, {"-fatal-", model.LevelCritical},
}

// general reads a general log entry after its time stamp: " domain-level-tags text".
func general(rest []byte, r *model.Record) bool {
	if len(rest) < 2 || rest[0] != ' ' {
		return false
	}
	rest = rest[1:]
	token := rest
	if sp := bytes.IndexByte(rest, ' '); sp >= 0 {
		token = rest[:sp]
	}
	if nl := bytes.IndexByte(token, '\n'); nl >= 0 {
		token = token[:nl]
	}
	for _, l := range levels {
		i := bytes.Index(token, []byte(l.word))
		if i <= 0 {
			continue
		}
		text := rest[min(len(token)+1, len(rest)):]
		if after := token[i+len(l.word):]; len(after) > 0 && after[0] != '[' {
			text = rest[i+len(l.word):] // an older release: the text follows the level at once
		}
		r.Level, r.Details, r.Shape = l.level, text, generalShape{}
		r.Module = module(firstLine(text), token[:i])
		return true
	}
	return false
}

// module names what logged a general log line: sofia-sip's component ("nta: ..."), or
// the class of Flexisip's "Class::function - " prefix, or else the log domain.
func module(text, domain []byte) []byte {
	if colon := bytes.Index(text, []byte(": ")); colon > 0 && colon <= 8 && isLower(text[:colon]) {
		return text[:colon]
	}
	if dash := bytes.Index(text, []byte(" - ")); dash > 0 {
		if scope := bytes.Index(text[:dash], []byte("::")); scope > 0 && bytes.IndexByte(text[:scope], ' ') < 0 {
			class := text[:scope]
			if b := bytes.IndexByte(class, '['); b > 0 { // "Class[0x5581c2a3f0d0]"
				class = class[:b]
			}
			return class
		}
	}
	return domain
}

func isLower(w []byte) bool {
	for _, c := range w {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func firstLine(b []byte) []byte {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		return bytes.TrimSuffix(b[:nl], []byte{'\r'})
	}
	return b
}

// sipMessage returns the SIP message that follows a general log entry's first line, if
// one does.
func sipMessage(details []byte) ([]byte, bool) {
	nl := bytes.IndexByte(details, '\n')
	if nl < 0 {
		return nil, false
	}
	msg := details[nl+1:]
	return msg, sip.IsMessage(msg)
}

// generalShape reads the fields of a general log entry: those of the SIP message it
// carries.
type generalShape struct{}

// sipFields are the SIP headers a general log entry shows as its fields.
var sipFields = []string{"Call-ID", "CSeq", "From", "To", "User-Agent"}

// Format names the format, "flexisip".
func (generalShape) Format() string { return "flexisip" }

// Message returns the first line of the text.
func (generalShape) Message(r *model.Record) []byte { return firstLine(r.Details) }

// Field returns a header of the SIP message that follows the line, or "Detail", the whole message.
func (generalShape) Field(r *model.Record, name string) ([]byte, bool) {
	msg, ok := sipMessage(r.Details)
	switch {
	case !ok:
		return nil, false
	case bytes.EqualFold([]byte(name), []byte("Detail")):
		return msg, true // the whole message, where the calls look for it
	}
	return sip.Header(msg, name, compact(name))
}

// Fields yields the telling headers of the SIP message that follows the line.
func (s generalShape) Fields(r *model.Record) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		msg, ok := sipMessage(r.Details)
		if !ok {
			return
		}
		for _, name := range sipFields {
			if v, ok := sip.Header(msg, name, compact(name)); ok && !yield([]byte(name), v) {
				return
			}
		}
	}
}

// IDs reports the Call-ID of the SIP message, or of the line that announces one.
func (generalShape) IDs(r *model.Record, fn func(model.IDKind, []byte)) {
	if msg, ok := sipMessage(r.Details); ok {
		if id, ok := sip.CallID(msg); ok {
			fn(model.CallID, id)
			return
		}
	}
	if id, ok := summaryCallID(firstLine(r.Details)); ok {
		fn(model.CallID, id)
	}
}

// compact returns the compact form of a SIP header name, or "".
func compact(name string) string {
	switch {
	case bytes.EqualFold([]byte(name), []byte("Call-ID")):
		return "i"
	case bytes.EqualFold([]byte(name), []byte("From")):
		return "f"
	case bytes.EqualFold([]byte(name), []byte("To")):
		return "t"
	}
	return ""
}

// summaryCallID reads the Call-ID of the line Flexisip writes for each SIP message it
// receives or sends: "Received SIP request [0x5581c2a3f0d0] INVITE (20 - a84b4c76e66710) from ...".
func summaryCallID(line []byte) ([]byte, bool) {
	if !bytes.Contains(line, []byte("SIP request")) && !bytes.Contains(line, []byte("SIP response")) {
		return nil, false
	}
	for i := 0; i < len(line); i++ {
		open := bytes.IndexByte(line[i:], '(')
		if open < 0 {
			return nil, false
		}
		i += open + 1
		j := i
		for j < len(line) && '0' <= line[j] && line[j] <= '9' {
			j++
		}
		if j == i || !bytes.HasPrefix(line[j:], []byte(" - ")) {
			continue
		}
		id := line[j+3:]
		if end := bytes.IndexByte(id, ')'); end > 0 {
			return id[:end], true
		}
		return nil, false
	}
	return nil, false
}
