package calls

import (
	"bytes"

	"github.com/calltail/calltail/model"
)

// What the lines of the SIP servers (Asterisk, FreeSWITCH, Kamailio, OpenSIPS, rtpengine)
// that carry no SIP message tell about their call. Their parsers give the fields read
// here; the wordings are the servers' own.
//
//	FreeSWITCH  New Channel sofia/internal/1000@192.0.2.1 [uuid]           the channel exists
//	            Processing Simon Carr <2000>->*98 in context default      From-Name, From, To
//	            Channel [sofia/internal/1000@192.0.2.1] has been answered  answered
//	            Hangup sofia/internal/1000@192.0.2.1 [CS_EXECUTE] [NORMAL_CLEARING]  Hangup-Cause
//	Asterisk    -- Executing [100@from-internal:1] Dial("PJSIP/200-0001", ...)  the channel exists
//	            -- PJSIP/100-0002 answered PJSIP/200-0001                  answered
//	            == Everyone is busy/congested at this time (1:1/0/0)       Dial-Status
//	            Got SIP response 486 "Busy Here" back from 192.0.2.7:5060  Status, Reason
//	            == Spawn extension (ctx, 100, 2) exited non-zero on 'PJSIP/200-0001'  Channel: it ended
//	Kamailio, OpenSIPS, rtpengine (format syslog)
//	            NOTICE: <script>: INVITE sip:200@example.org callid=…      a Call-ID: the call exists
const (
	fieldCause      = "Hangup-Cause" // FreeSWITCH: why a channel hung up
	fieldDialStatus = "Dial-Status"  // Asterisk: BUSY, CONGESTION or CHANUNAVAIL
	fieldStatus     = "Status"       // Asterisk: a final SIP response chan_sip received
	fieldEnded      = "Channel"      // Asterisk: the channel whose end a line tells
)

// normalCauses are the hangup causes of a call that ended as calls do: hung up by one of
// its ends, after it was answered or not.
var normalCauses = []string{"NORMAL_CLEARING", "NORMAL_UNSPECIFIED", "SUCCESS"}

// channelKind tells what a SIP server's line that carries no SIP message says about its
// call (see the table above): that it was answered or ended, how it failed, or that it
// exists — a channel's first lines, a syslog line that names a Call-ID. A line that
// names the method of no call (REGISTER, OPTIONS...) tells of none. (Asterisk's and
// FreeSWITCH's lines that name a Call-ID tell no more than that: their channels are their
// calls; pjsip's "(callid: …)" are requests refused, mostly registrations.)
func channelKind(r *model.Record) (kind, bool) {
	format := r.Format()
	if format == "flexisip" { // its lines without a message are its modules' (Registrar, MediaRelay...)
		return 0, false
	}
	if len(fieldBytes(r, fieldCause)) > 0 {
		return evHangup, true
	}
	if len(fieldBytes(r, fieldDialStatus)) > 0 || failure(fieldBytes(r, fieldStatus)) {
		return evFailed, true
	}
	msg := r.Message()
	switch format {
	case "asterisk":
		if len(fieldBytes(r, fieldEnded)) > 0 {
			return evDisconnected, true
		}
		if bytes.Contains(msg, []byte(" answered ")) || bytes.HasSuffix(msg, []byte(" answered")) {
			return evJoined, true
		}
		if bytes.HasPrefix(msg, []byte("Executing [")) {
			return evChannel, true
		}
	case "freeswitch":
		if bytes.HasSuffix(msg, []byte("] has been answered")) {
			return evJoined, true
		}
		if bytes.HasPrefix(msg, []byte("New Channel ")) || len(fieldBytes(r, "To")) > 0 {
			return evChannel, true
		}
	}
	if format == "syslog" && namesCallID(r) && !namesOtherMethod(msg) {
		return evChannel, true
	}
	return 0, false
}

// failure reports whether a SIP status refuses a call: 4xx to 6xx, but an authentication
// challenge.
func failure(status []byte) bool {
	return len(status) == 3 && status[0] >= '4' && status[0] <= '6' && string(status) != "401" && string(status) != "407"
}

// namesCallID reports whether an entry carries a Call-ID.
func namesCallID(r *model.Record) bool {
	found := false
	r.IDs(func(k model.IDKind, _ []byte) { found = found || k == model.CallID })
	return found
}

// otherMethods are the SIP methods of dialogs that are not calls.
var otherMethods = [...]string{"REGISTER", "OPTIONS", "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE"}

// namesOtherMethod reports whether a line names, as a word of its own, the method of a
// dialog that is not a call: "REGISTER from sip:100@example.org callid=…", Kamailio's
// "{1 3 REGISTER id}".
func namesOtherMethod(line []byte) bool {
	for _, m := range otherMethods {
		for i := 0; ; {
			at := bytes.Index(line[i:], []byte(m))
			if at < 0 {
				break
			}
			at += i
			end := at + len(m)
			if (at == 0 || !isLetter(line[at-1])) && (end == len(line) || !isLetter(line[end])) {
				return true
			}
			i = end
		}
	}
	return false
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' }

// readChannel reads what a SIP server's line without a SIP message tells of its call:
// the caller and callee the dialplan routes, and why it ended or failed.
func readChannel(r *model.Record, k kind, f *fieldsBuilder) {
	f.set(fProtocol, []byte("SIP"))
	f.set(fFrom, fieldBytes(r, "From"))
	f.set(fTo, fieldBytes(r, "To"))
	f.set(fDisplayName, fieldBytes(r, "From-Name"))
	if r.Format() == "asterisk" {
		f.set(fTo, extension(r.Message()))
	}
	switch k {
	case evHangup:
		f.set(fReason, fieldBytes(r, fieldCause))
	case evFailed:
		if status := fieldBytes(r, fieldStatus); len(status) > 0 {
			f.set(fReason, bytes.TrimSpace(append(append(append([]byte(nil), status...), ' '), fieldBytes(r, "Reason")...)))
		}
		f.set(fReason, fieldBytes(r, fieldDialStatus))
	}
}

// extension returns the extension the dialplan runs of Asterisk's "Executing
// [100@from-internal:1] Dial(...)": the number dialled, but not the special extensions
// of one letter ("s" start, "h" hangup, "i" invalid, "t" timeout).
func extension(msg []byte) []byte {
	rest, ok := bytes.CutPrefix(msg, []byte("Executing ["))
	if !ok {
		return nil
	}
	exten, _, ok := bytes.Cut(rest, []byte("@"))
	if !ok || len(exten) < 2 || bytes.ContainsAny(exten, " ]") {
		return nil
	}
	return exten
}

// hangUp applies a channel's hangup cause: a call answered, or hung up normally, ended;
// one refused before it was answered (USER_BUSY, NO_ANSWER, CALL_REJECTED...) failed.
func (c *Call) hangUp(cause string, at int64, shared names) {
	normal := false
	for _, n := range normalCauses {
		normal = normal || cause == n
	}
	c.End = max(c.End, at)
	if c.Joined != 0 || normal || c.State == Ended {
		c.State = Ended
	} else {
		c.State = Failed
	}
	c.sipReason = false
	replace(&c.Reason, cause, shared.of)
}
