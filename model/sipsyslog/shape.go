package sipsyslog

import (
	"bytes"
	"iter"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/timestamp"
)

// shape reads the fields of a SIP server's entry: its pid, program, Call-ID and the SIP
// message it carries.
type shape struct{}

// The names Fields yields.
var (
	pidName    = []byte("pid")
	callIDName = []byte("Call-ID")
	detailName = []byte("Detail")
	cfgtName   = []byte("cfgt")
)

// Format names the format, "syslog".
func (shape) Format() string { return "syslog" }

// Message returns the text after the program tag or the stderr prefix; for a SIP message
// logged on its own, the message.
func (shape) Message(r *model.Record) []byte { return r.Details }

// Field returns, the names taken in any letter case:
//   - "pid": the process id, from the syslog tag or the stderr prefix;
//   - "program": the program (the Module);
//   - "Call-ID": the Call-ID, in any of the spellings callID reads;
//   - "Detail": the SIP message the entry carries, from its start line, as the calls read
//     it (decoded, a copy, when rsyslog escaped its line breaks as #012);
//   - "cfgt": for an NGCP test Call-ID ("NGCP%auth_fail%///1-29092@10.20.29.2"), the test
//     scenario that Kamailio's cfgt module files it under ("auth_fail").
func (shape) Field(r *model.Record, name string) ([]byte, bool) {
	switch {
	case strings.EqualFold(name, "pid"):
		e, _ := split(r.Raw, timestamp.Year{Fixed: leapYear})
		return e.pid, len(e.pid) > 0
	case strings.EqualFold(name, "program"):
		return r.Module, len(r.Module) > 0
	case strings.EqualFold(name, "Call-ID"):
		return callID(r.Details, r.Module)
	case strings.EqualFold(name, "Detail"):
		return message(r.Details)
	case strings.EqualFold(name, "cfgt"):
		id, _ := callID(r.Details, r.Module)
		return cfgtTest(id)
	}
	return nil, false
}

// Fields yields the pid, the Call-ID, the NGCP test scenario and the SIP message, those
// present; the program is the Module.
func (s shape) Fields(r *model.Record) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if pid, ok := s.Field(r, "pid"); ok && !yield(pidName, pid) {
			return
		}
		if id, ok := callID(r.Details, r.Module); ok {
			if !yield(callIDName, id) {
				return
			}
			if test, ok := cfgtTest(id); ok && !yield(cfgtName, test) {
				return
			}
		}
		if msg, ok := message(r.Details); ok {
			yield(detailName, msg)
		}
	}
}

// IDs reports the entry's Call-ID, if it has one.
func (shape) IDs(r *model.Record, fn func(model.IDKind, []byte)) {
	if id, ok := callID(r.Details, r.Module); ok {
		fn(model.CallID, id)
	}
}

// cfgtTest reads the test scenario of a Call-ID that Sipwise's NGCP test harness made
// ("NGCP%<scenario>%///<SIPp's Call-ID>"): Kamailio's cfgt module takes what lies between
// the "NGCP%" prefix and the next '%' as the test's id. The Call-ID itself is the whole
// value, as its SIP messages carry it: its '%' are not percent-encoding ("%de" would
// decode to a byte that is not there).
func cfgtTest(id []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(id, []byte("NGCP%"))
	if !ok {
		return nil, false
	}
	end := bytes.IndexByte(rest, '%')
	if end <= 0 {
		return nil, false
	}
	return rest[:end], true
}
