package report

import (
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/model/sip"
)

// quietFields are the fields a timeline line leaves out: shown before them (Message,
// Level, Name), or the correlation ids every line of the call shares one of.
var quietFields = map[string]bool{
	"message": true, "level": true, "name": true, "call-id": true, "participant-id": true, "conversation-id": true,
	"uuid": true, "conference-id": true, "fragment-id": true, "fragment-number": true, "fragment-total": true,
}

// TimelineLine is one entry of a call's timeline as --call prints it, on one line made
// safe: its time (UTC, to the millisecond), node, level, module and message, then its
// other fields but the correlation ids — a SIP message or a multi-line detail by its
// first line.
func TimelineLine(r *model.Record) string {
	var b strings.Builder
	b.WriteString(Clock(r.Time))
	if r.Time == 0 {
		b.WriteString(strings.Repeat(" ", len("2006-01-02 15:04:05.000")))
	}
	b.WriteString("  ")
	if len(r.Node) > 0 {
		b.WriteString(sanitize.String(string(r.Node)) + "  ")
	}
	level := r.Level.String()
	b.WriteString(level + strings.Repeat(" ", max(1, 9-len(level))))
	if len(r.Module) > 0 {
		b.WriteString(sanitize.String(string(r.Module)) + "  ")
	}
	b.WriteString(oneLine(r.Message(), 0))
	if r.Plain {
		return b.String()
	}
	for key, value := range r.Fields() {
		if quietFields[strings.ToLower(string(key))] || len(value) == 0 {
			continue
		}
		b.WriteString("  ")
		if strings.EqualFold(string(key), "Detail") && sip.IsMessage(value) {
			b.WriteString("[" + oneLine(value, 0) + "]")
			continue
		}
		b.WriteString(sanitize.String(string(key)) + "=" + oneLine(value, 160))
	}
	return b.String()
}

// oneLine returns the first line of a value, \" decoded, made safe, cut at n runes (0:
// not cut), "…" when there was more.
func oneLine(v []byte, n int) string {
	if kv.NeedsUnescape(v) {
		v = kv.Unescape(nil, v)
	}
	first, more := v, false
	for line := range sip.Lines(v) {
		first, more = line, len(line) < len(v)
		break
	}
	s := sanitize.String(string(first))
	if r := []rune(s); n > 0 && len(r) > n {
		s, more = string(r[:n]), true
	}
	if more {
		s += "…"
	}
	return s
}

// entryJSON is a line of a call's timeline as --call --json prints it.
type entryJSON struct {
	Time    string          `json:"time,omitempty"`
	Node    text            `json:"node"`
	Level   string          `json:"level"`
	Module  text            `json:"module"`
	Message text            `json:"message"`
	Fields  map[string]text `json:"fields"`
}

// timelineEntry is a line of a call's timeline for JSON: every field, \" decoded, the first
// of a repeated key.
func timelineEntry(r *model.Record) entryJSON {
	msg := r.Message()
	if kv.NeedsUnescape(msg) && !r.Plain {
		msg = kv.Unescape(nil, msg)
	}
	e := entryJSON{Time: Clock(r.Time), Node: text(r.Node), Level: r.Level.String(), Module: text(r.Module), Message: text(msg),
		Fields: map[string]text{}}
	if r.Plain {
		return e
	}
	for key, value := range r.Fields() {
		k := sanitize.String(string(key))
		if _, seen := e.Fields[k]; seen {
			continue
		}
		if kv.NeedsUnescape(value) {
			value = kv.Unescape(nil, value)
		}
		e.Fields[k] = text(value)
	}
	return e
}
