package freeswitch

import (
	"bytes"
	"iter"
	"strings"

	"github.com/calltail/calltail/model"
)

// Format is the name of the format, as --format takes it.
const Format = "freeswitch"

// The names of the fields of a dated line, besides those of a siptrace entry.
const (
	fieldUUID     = "Uuid"         // the channel's UUID (model.UUID)
	fieldChannel  = "Channel"      // the channel's name: "sofia/internal/1000@192.168.56.21"
	fieldCallID   = "Call-ID"      // the SIP Call-ID of the channel (model.CallID)
	fieldCause    = "Hangup-Cause" // "NORMAL_CLEARING", "USER_BUSY", ...
	fieldFromName = "From-Name"    // the caller's name, as the dialplan reads it
	fieldFrom     = "From"         // the caller's number, as the dialplan reads it
	fieldTo       = "To"           // the number the dialplan routes
	fieldContext  = "Context"      // the dialplan's context
	fieldCPU      = "Idle-CPU"     // the idle CPU percentage of recent releases' lines
	fieldLine     = "Line"         // the line of the source file that logged it
	fieldFunction = "Function"     // the function of sofia-sip that logged it
)

// facts are what a dated line tells of its channel, as slices of it (nil when it does not).
type facts struct {
	uuid, channel, callID, cause, fromName, from, to, context, cpu, line []byte
}

// readFacts reads what the dated line raw tells of its channel.
func readFacts(raw []byte) facts {
	h, ok := readHead(raw, leapYear)
	if !ok {
		return facts{}
	}
	f := facts{uuid: h.uuid, cpu: h.cpu, line: h.line}
	text := firstLine(h.text)
	switch {
	case bytes.HasPrefix(text, []byte("New Channel ")):
		name, uuid := lastBracket(text[len("New Channel "):])
		if isUUID(uuid) && len(uuid) == uuidLen && f.uuid == nil {
			f.uuid = uuid
		}
		f.channel = name
	case bytes.HasPrefix(text, []byte("Close Channel ")):
		f.channel, _ = lastBracket(text[len("Close Channel "):])
	case bytes.HasPrefix(text, []byte("Hangup ")):
		f.channel, f.cause = hangup(text[len("Hangup "):])
	case bytes.HasPrefix(text, []byte("Channel [")):
		if end := bytes.IndexByte(text, ']'); end > 0 {
			f.channel = text[len("Channel ["):end]
		}
	case bytes.HasPrefix(text, []byte("Channel ")):
		f.channel = word(text[len("Channel "):])
		if _, cause, ok := bytes.Cut(text, []byte(" hanging up, cause: ")); ok {
			f.cause = word(cause)
		}
	case bytes.HasPrefix(text, []byte("Session ")):
		if open := bytes.IndexByte(text, '('); open > 0 {
			f.channel = parenthesised(text[open:])
		}
	case bytes.HasPrefix(text, []byte("(")):
		f.channel = parenthesised(text)
	case bytes.HasPrefix(text, []byte("Processing ")):
		f.fromName, f.from, f.to, f.context = dialplan(text[len("Processing "):])
	default:
		f.channel = word(text)
	}
	if !isChannel(f.channel) {
		f.channel = nil
	}
	if !isCause(f.cause) {
		f.cause = nil
	}
	f.callID = callID(text, h.text)
	return f
}

// lastBracket splits "name [x]" at its last " [".
func lastBracket(b []byte) (name, inside []byte) {
	open := bytes.LastIndex(b, []byte(" ["))
	if open < 0 || !bytes.HasSuffix(b, []byte("]")) {
		return nil, nil
	}
	return b[:open], b[open+2 : len(b)-1]
}

// hangup reads "channel [CS_STATE] [CAUSE]".
func hangup(b []byte) (channel, cause []byte) {
	state := bytes.Index(b, []byte(" [CS_"))
	if state < 0 {
		return nil, nil
	}
	_, cause = lastBracket(b)
	return b[:state], cause
}

// parenthesised returns what stands between the '(' that starts b and its ')'.
func parenthesised(b []byte) []byte {
	if end := bytes.IndexByte(b, ')'); end > 1 {
		return b[1:end]
	}
	return nil
}

// word returns b up to its first blank.
func word(b []byte) []byte {
	if sp := bytes.IndexAny(b, " \t"); sp >= 0 {
		return b[:sp]
	}
	return b
}

// dialplan reads what mod_dialplan_xml logs as it routes a call:
// "Simon Carr <2000>->*98 in context 5.9.153.41".
func dialplan(b []byte) (fromName, from, to, context []byte) {
	in := bytes.LastIndex(b, []byte(" in context "))
	if in < 0 {
		return nil, nil, nil, nil
	}
	who, context := b[:in], b[in+len(" in context "):]
	arrow := bytes.Index(who, []byte(">->"))
	if arrow < 0 {
		return nil, nil, nil, nil
	}
	lt := bytes.LastIndexByte(who[:arrow], '<')
	if lt < 0 {
		return nil, nil, nil, nil
	}
	return bytes.TrimRight(who[:lt], " "), who[lt+1 : arrow], who[arrow+len(">->"):], context
}

// isChannel reports whether name is a channel's name: an endpoint, a slash, and more
// ("sofia/internal/1000@example.org", "loopback/1001-a").
func isChannel(name []byte) bool {
	slash := bytes.IndexByte(name, '/')
	if slash <= 0 || slash == len(name)-1 || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for _, c := range name[:slash] {
		if !isWordByte(c) && c != '.' {
			return false
		}
	}
	return true
}

// isCause reports whether b is a hangup cause as FreeSWITCH names it.
func isCause(b []byte) bool {
	for _, c := range b {
		if (c < 'A' || c > 'Z') && c != '_' && !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

// callID returns the SIP Call-ID a dated line names: sofia's "receiving invite from ...
// call-id: ID" and "sending invite call-id: ID" (but "(null)"), or a channel variable
// dump's "variable_sip_call_id: [ID]" on a following line.
func callID(first, all []byte) []byte {
	if _, id, ok := bytes.Cut(first, []byte(" call-id: ")); ok {
		if id = word(id); len(id) > 0 && string(id) != "(null)" {
			return id
		}
	}
	if _, id, ok := bytes.Cut(all, []byte("variable_sip_call_id: [")); ok {
		if end := bytes.IndexAny(id, "]\n"); end > 0 && id[end] == ']' {
			return id[:end]
		}
	}
	return nil
}

// lineShape reads the fields of a dated line: what it tells of its channel.
type lineShape struct{}

// Format names the format, "freeswitch".
func (lineShape) Format() string { return Format }

// Message returns the first line of the text after the source file and line.
func (lineShape) Message(r *model.Record) []byte { return firstLine(r.Details) }

// fields returns the line's fields in the order they are shown.
func (lineShape) fields(r *model.Record) [10]struct {
	name  string
	value []byte
} {
	f := readFacts(r.Raw)
	return [10]struct {
		name  string
		value []byte
	}{
		{fieldUUID, f.uuid}, {fieldChannel, f.channel}, {fieldCallID, f.callID}, {fieldCause, f.cause},
		{fieldFromName, f.fromName}, {fieldFrom, f.from}, {fieldTo, f.to}, {fieldContext, f.context},
		{fieldCPU, f.cpu}, {fieldLine, f.line},
	}
}

// Field returns the field called name, in any letter case.
func (s lineShape) Field(r *model.Record, name string) ([]byte, bool) {
	for _, f := range s.fields(r) {
		if f.value != nil && strings.EqualFold(f.name, name) {
			return f.value, true
		}
	}
	return nil, false
}

// Fields yields the fields the line has, in order.
func (s lineShape) Fields(r *model.Record) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		for _, f := range s.fields(r) {
			if f.value != nil && !yield([]byte(f.name), f.value) {
				return
			}
		}
	}
}

// IDs reports the channel's UUID (model.UUID) and the SIP Call-ID the line names.
func (lineShape) IDs(r *model.Record, fn func(model.IDKind, []byte)) {
	f := readFacts(r.Raw)
	if f.uuid != nil {
		fn(model.UUID, f.uuid)
	}
	if f.callID != nil {
		fn(model.CallID, f.callID)
	}
}
