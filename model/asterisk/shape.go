package asterisk

import (
	"bytes"
	"iter"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/sip"
)

// shape reads the fields of an Asterisk entry from its raw text: the prefix's, a SIP
// trace's, a security event's and those of the lines that tell how a channel ended.
type shape struct{}

var _ model.Shape = shape{}

// The names of the fields an entry may have, as Fields yields them.
const (
	fThread     = "Thread"     // the thread that logged the line: "1638"
	fChannelID  = "Channel-ID" // Asterisk's call identifier: "C-00000003"
	fLine       = "Line"       // the line of the source file: "28926"
	fFunction   = "Function"   // the function: "handle_request_register"
	fDirection  = "Direction"  // of a SIP trace: "in" (received) or "out" (sent)
	fTransport  = "Transport"  // of a SIP trace: "UDP", "WSS"...
	fSrcAddress = "Src-address"
	fSrcPort    = "Src-port"
	fDstAddress = "Dst-address"
	fDstPort    = "Dst-port"
	fBytes      = "Bytes"  // a SIP trace's size
	fDetail     = "Detail" // a SIP trace's message
	fRemoteAddr = "Remote-address"
	fRemotePort = "Remote-port"
	fCallID     = "Call-ID"
	fChannel    = "Channel"     // the channel whose end a line tells
	fDialStatus = "Dial-Status" // BUSY, CONGESTION or CHANUNAVAIL
	fStatus     = "Status"      // a SIP final response chan_sip received: "486"
	fReason     = "Reason"      // its reason phrase: "Busy Here"
)

// The values of the fields that are not words of the entry.
var (
	valueIn  = []byte("in")
	valueOut = []byte("out")
)

// entry is an Asterisk entry taken apart.
type entry struct {
	pre   prefix // the zero prefix for console lines and traces
	text  []byte // what follows the prefix: r.Details
	first []byte // the text's first line, its indentation removed
	h     header
	msg   []byte // the traced SIP message
	trace bool
	event bool // a security event: the text is its Key="value" pairs
}

func read(r *model.Record) entry {
	e := entry{text: r.Details}
	if pre, ok := readPrefix(firstLine(r.Raw), leapYear); ok {
		e.pre = pre
	}
	e.h, e.msg, e.trace = trace(r.Details)
	e.first = firstLine(r.Details)
	switch {
	case e.trace:
		e.first = e.h.line
	case len(bytes.TrimSpace(e.first)) == 0:
		_, rest := cutLine(r.Details)
		e.first = firstLine(rest)
	}
	e.first = e.first[verboseMarker(e.first):]
	e.first = bytes.TrimLeft(e.first, " ")
	e.event = bytes.HasPrefix(e.first, []byte(`SecurityEvent="`))
	return e
}

// Format names the format, "asterisk".
func (shape) Format() string { return "asterisk" }

// Message returns the text's first line (the next when the first is empty) without its
// indentation and the console's verbosity marker ("Called PJSIP/1338" of "    -- Called
// PJSIP/1338"), or a SIP trace's header line.
func (shape) Message(r *model.Record) []byte {
	e := read(r)
	return e.first
}

// Field returns the value of the field called name, in any letter case (see Fields).
func (s shape) Field(r *model.Record, name string) ([]byte, bool) {
	e := read(r)
	if equalFold(name, fDetail) { // asked of every entry by the calls index: read no more
		if e.trace && sip.IsMessage(e.msg) {
			return e.msg, true
		}
		return nil, false
	}
	var found []byte
	ok := false
	e.each(func(k string, v []byte) bool {
		if equalFold(name, k) {
			found, ok = v, true // the last: a security event's own RemoteAddress follows any forged in its values
		}
		return true
	})
	return found, ok
}

// Fields yields the entry's fields: the prefix's Thread, Channel-ID, Line and Function; a
// SIP trace's Direction, Transport, the peer's Src-address and Src-port (received) or
// Dst-address and Dst-port (sent), Bytes, and the message's Call-ID, CSeq, From, To and
// User-Agent (its Detail, the whole message, is a field but not yielded); a security
// event's pairs as written, with its RemoteAddress's Remote-address and Remote-port; a
// Call-ID the text names; and of a line that tells how a channel ended, Channel,
// Dial-Status, Status and Reason.
func (s shape) Fields(r *model.Record) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		e := read(r)
		e.each(func(k string, v []byte) bool { return yield([]byte(k), v) })
	}
}

// each calls fn with each field's name and value but the Detail, while fn returns true.
func (e *entry) each(fn func(string, []byte) bool) {
	field := func(k string, v []byte) bool { return len(v) == 0 || fn(k, v) }
	if !field(fThread, e.pre.thread) || !field(fChannelID, e.pre.callID) ||
		!field(fLine, e.pre.line) || !field(fFunction, e.pre.function) {
		return
	}
	if e.trace && !e.traceFields(field) {
		return
	}
	if e.event {
		for k, v := range pairs(e.first) {
			if !fn(string(k), v) {
				return
			}
		}
		remote, _ := pairValue(e.first, "RemoteAddress")
		host, port := securityAddress(remote)
		if !field(fRemoteAddr, host) || !field(fRemotePort, port) {
			return
		}
	}
	if id, ok := textCallID(e.first, e.event); ok && !fn(fCallID, id) {
		return
	}
	end := ending(e.first)
	_ = field(fChannel, end.channel) && field(fDialStatus, end.dialStatus) && field(fStatus, end.status) && field(fReason, end.reason)
}

// traceFields calls field with a SIP trace's fields.
func (e *entry) traceFields(field func(string, []byte) bool) bool {
	h := &e.h
	addr, port := fDstAddress, fDstPort
	switch h.direction {
	case received:
		addr, port = fSrcAddress, fSrcPort
		if !field(fDirection, valueIn) {
			return false
		}
	case sent:
		if !field(fDirection, valueOut) {
			return false
		}
	}
	if !field(fTransport, h.transport) {
		return false
	}
	if h.direction != unknown && (!field(addr, h.host) || !field(port, h.port)) {
		return false
	}
	if !field(fBytes, h.size) {
		return false
	}
	if !sip.IsMessage(e.msg) {
		return true
	}
	for _, name := range sipHeaders {
		if v, ok := messageHeader(e.msg, name[0]); ok && !field(name[0], v) {
			return false
		}
	}
	return true
}

// IDs reports the entry's ids: the Call-ID of the SIP message it traces, or that its text
// names ("(callid: ...)", a PJSIP security event's SessionID); and Asterisk's call
// identifier ("C-00000003") as a model.UUID, which joins the lines of one call but is
// not a SIP Call-ID.
func (shape) IDs(r *model.Record, fn func(model.IDKind, []byte)) {
	e := read(r)
	if len(e.pre.callID) > 0 {
		fn(model.UUID, e.pre.callID)
	}
	if e.trace {
		if id, ok := sip.CallID(e.msg); ok {
			fn(model.CallID, id)
		}
		return
	}
	if id, ok := textCallID(e.first, e.event); ok {
		fn(model.CallID, id)
	}
}

// callIDMarks introduce a SIP Call-ID in the text of Asterisk's own lines, and the byte
// that ends it: pjsip's "failed for '203.0.113.8:5071' (callid: 2767...) - No matching
// endpoint found", chan_sip's "Looking for  Call ID: 0c26...@70.167.153.136 (Checking
// From)" and "Allocating new SIP dialog for 0c26...@70.167.153.136 - OPTIONS".
var callIDMarks = [...]struct {
	mark string
	end  byte
}{{"(callid: ", ')'}, {"Call ID: ", ' '}, {"SIP dialog for ", ' '}}

// textCallID returns the SIP Call-ID a line names; of a security event, its SessionID
// when the service is PJSIP (chan_sip's and the manager's are addresses in memory).
func textCallID(line []byte, event bool) ([]byte, bool) {
	if event {
		if service, _ := pairValue(line, "Service"); string(service) != "PJSIP" {
			return nil, false
		}
		id, ok := pairValue(line, "SessionID")
		return id, ok && len(id) > 0
	}
	for _, m := range callIDMarks {
		_, rest, ok := bytes.Cut(line, []byte(m.mark))
		if !ok {
			continue
		}
		if end := bytes.IndexByte(rest, m.end); end >= 0 {
			rest = rest[:end]
		}
		if len(rest) > 0 {
			return rest, true
		}
	}
	return nil, false
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }
