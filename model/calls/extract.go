package calls

import (
	"bytes"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/sip"
)

// kind is what an entry tells about its call.
type kind uint8

const (
	evStart        kind = iota // the call's first signalling: an INVITE, an H.225 setup or ARQ, a REST request_token
	evAttempt                  // "Participant attempting to join conference."
	evJoined                   // "Participant has joined."
	evDisconnected             // "Participant has disconnected."
	evFailed                   // "Participant failed to join conference."
	evStreams                  // "Media Stream destroyed"
	evQuality                  // "Stable call quality changed"
	evLostVideo                // "Lost incoming video"
	evICE                      // "ICE new-selected-pair event" or "ICE failed"
	evMode                     // "New mode activated"
	evPIN                      // PIN entry and host/guest waiting lines, before the call joins
	evRecord                   // a call detail record (PrivateServer's CDRs): the whole call in one line
	evFinal                    // a 4xx–6xx response to an INVITE in Pexip's support.sip: the call was refused
	evChannel                  // a SIP server's line about a call without a SIP message (see channelKind)
	evHangup                   // a channel's hangup cause (FreeSWITCH)
)

// pinMessages are the administrator lines of the PIN and host/guest dialogue: they carry
// the Call-Id, the participant and the alias, but no Participant-Id.
var pinMessages = []string{
	"PIN entry correct.", "Participant entered incorrect conference PIN",
	"Participant exceeded PIN entry retries. Call will be disconnected.", "PIN entry timed out.",
	"Host participant joining.", "Conference host timeout.", "Guest participant waiting.",
	"Guest participant joining.",
}

// refusals are the administrator lines that say a call will be disconnected before it
// joins, and the reason each gives, in the words a user would use.
var refusals = map[string]string{
	"Participant exceeded PIN entry retries. Call will be disconnected.": "PIN entry retries exceeded",
	"PIN entry timed out.":     "PIN entry timed out",
	"Conference host timeout.": "Conference host timeout",
}

// event is what an entry tells about its call, copied out of the entry so that the
// entry's text need not be read again.
type event struct {
	kind    kind
	time    int64
	fields  fields
	streams []media.Stream
}

// extract reads what an entry tells about its call, or returns nil. msg, if not nil, is
// the entry's SIP message put together from its fragments.
func extract(r *model.Record, msg []byte) *event {
	k, ok := kindOf(r)
	if !ok {
		return nil
	}
	return read(r, k, msg)
}

// read reads what an entry of kind k tells about its call, or returns nil. msg, if not
// nil, is the entry's SIP message put together from its fragments.
func read(r *model.Record, k kind, msg []byte) *event {
	e := event{kind: k, time: r.Time}
	var f fieldsBuilder
	switch k {
	case evAttempt, evJoined, evDisconnected, evFailed, evPIN:
		if r.Shape != nil { // a SIP server's message: its start line tells how the call went
			line, ok := startLine(fieldBytes(r, "Detail"))
			if !ok {
				readChannel(r, k, &f)
				break
			}
			f.set(fReason, bytes.TrimPrefix(line, []byte("SIP/2.0 ")))
			f.set(fDetail, line[:max(0, bytes.IndexByte(line, ' '))])
			break
		}
		f.readCallFields(r, nil)
		if k == evPIN {
			f.set(fMessage, r.Message())
		}
	case evFinal:
		if msg == nil {
			msg = unescaped(fieldBytes(r, "Detail"))
		}
		line, _ := startLine(msg)
		if len(line) < 12 {
			return nil
		}
		f.set(fReason, finalReason(line[8:], msg))
	case evStreams:
		if e.streams, _ = media.Parse(unescaped(fieldBytes(r, "Detail"))); e.streams == nil {
			return nil
		}
	case evQuality:
		f.set(fWas, fieldBytes(r, "Was"))
		f.set(fNow, fieldBytes(r, "Now"))
	case evICE:
		f.set(fMessage, r.Message())
		f.set(fDetail, fieldBytes(r, "Detail"))
	case evMode:
		f.set(fMode, fieldBytes(r, "Mode"))
	case evRecord:
		f.set(fFrom, fieldBytes(r, "Src"))
		f.set(fTo, fieldBytes(r, "Dst"))
		f.set(fDuration, fieldBytes(r, "Duration"))
		f.set(fReason, fieldBytes(r, "Disposition"))
	case evStart:
		readStart(r, &f, true, msg)
	case evChannel, evHangup:
		readChannel(r, k, &f)
	}
	found := e // only what tells about a call leaves the stack
	found.fields = f.fields()
	return &found
}

// kindOf tells what an entry says about its call, if anything: it reads no more than the
// module, the message, and for signalling lines the start of the Detail or Path.
func kindOf(r *model.Record) (kind, bool) {
	if r.Plain {
		return 0, false
	}
	if string(r.Module) == "privateserver.cdr" {
		return evRecord, true
	}
	if r.Shape != nil {
		return sipKind(r)
	}
	msg := r.Message()
	switch {
	case bytes.HasPrefix(r.Module, []byte("administrator.conference")):
		k, ok := adminKinds[string(msg)]
		return k, ok
	case string(msg) == "Media Stream destroyed":
		return evStreams, true
	case string(msg) == "Stable call quality changed":
		return evQuality, true
	case string(msg) == "Lost incoming video":
		return evLostVideo, true
	case string(msg) == "ICE new-selected-pair event" || string(msg) == "ICE failed":
		return evICE, true
	case string(msg) == "New mode activated":
		return evMode, true
	case bytes.HasPrefix(r.Module, []byte("support.sip")):
		if bytes.HasSuffix(msg, []byte("response")) { // "Sending SIP response" and the like
			return evFinal, finalToInvite(r)
		}
		return evStart, bytes.HasPrefix(detailStart(r), []byte("INVITE "))
	case bytes.HasPrefix(r.Module, []byte("support.h323")):
		return evStart, bytes.HasPrefix(detailStart(r), []byte("setup"))
	case bytes.HasPrefix(r.Module, []byte("support.rest")):
		return evStart, string(msg) == "Received REST API request" && bytes.HasSuffix(fieldBytes(r, "Path"), []byte("/request_token"))
	}
	return 0, false
}

// sipKind tells what the SIP message a SIP server (Flexisip, Asterisk...) logged says
// about its call: an INVITE starts it, the final answer to the INVITE joins it or fails it
// (an authentication challenge aside), a BYE ends it. Of a line that carries no message,
// channelKind tells.
func sipKind(r *model.Record) (kind, bool) {
	msg := fieldBytes(r, "Detail")
	line, ok := startLine(msg)
	switch {
	case !ok:
		return channelKind(r)
	case bytes.HasPrefix(line, []byte("INVITE ")):
		return evStart, true
	case bytes.HasPrefix(line, []byte("BYE ")):
		return evDisconnected, true
	case !bytes.HasPrefix(line, []byte("SIP/2.0 ")) || len(line) < 11:
		return 0, false
	}
	cseq, _ := sip.Header(msg, "CSeq", "")
	if !bytes.HasSuffix(cseq, []byte(" INVITE")) {
		return 0, false
	}
	switch code := line[8:11]; {
	case code[0] == '2':
		return evJoined, true
	case string(code) == "401" || string(code) == "407":
		return 0, false
	case code[0] >= '4':
		return evFailed, true
	}
	return 0, false
}

// finalToInvite reports whether a SIP response Pexip logged refuses an INVITE: 4xx to 6xx,
// but an authentication challenge. (An answer, 2xx, tells nothing the administrator log
// does not.) The status is read from the start of the Detail; the CSeq only then.
func finalToInvite(r *model.Record) bool {
	start := detailStart(r)
	if len(start) < 12 || !bytes.HasPrefix(start, []byte("SIP/2.0 ")) {
		return false
	}
	switch code := start[8:11]; {
	case code[0] < '4' || code[0] > '6':
		return false
	case string(code) == "401" || string(code) == "407":
		return false
	}
	cseq, _ := sip.WholeHeader(start, "CSeq", "") // found before the value ends, or not whole
	return bytes.HasSuffix(cseq, []byte(" INVITE"))
}

// finalReason tells why a final response refused a call, in its words: the status and
// reason phrase ("404 Not Found"), then the text of its Warning and Reason headers.
func finalReason(status, msg []byte) []byte {
	out := append([]byte(nil), bytes.TrimSpace(status)...)
	phrase := bytes.TrimSpace(status[min(3, len(status)):])
	sep := []byte(": ")
	for _, h := range []string{"Warning", "Reason"} {
		v, ok := sip.WholeHeader(msg, h, "")
		if !ok {
			continue
		}
		text := quoted(v)
		if h == "Reason" {
			if _, t, found := bytes.Cut(v, []byte(`text="`)); found {
				text, _, _ = bytes.Cut(t, []byte(`"`))
			}
		}
		if text = bytes.TrimSpace(text); len(text) > 0 && !bytes.EqualFold(text, phrase) && !bytes.Contains(out, text) {
			out = append(append(out, sep...), text...)
			sep = []byte("; ")
		}
	}
	return out
}

// quoted returns the first quoted text of a header value (a Warning's text), or the value.
func quoted(v []byte) []byte {
	if _, rest, ok := bytes.Cut(v, []byte(`"`)); ok {
		text, _, _ := bytes.Cut(rest, []byte(`"`))
		return text
	}
	return v
}

// startLine returns the start line of a SIP message, and whether text is one.
func startLine(text []byte) ([]byte, bool) {
	if !sip.IsMessage(text) {
		return nil, false
	}
	for line := range sip.Lines(text) {
		return line, true
	}
	return nil, false
}

// readStart reads a call's first signalling line: a SIP INVITE, an H.225 setup or a REST
// request_token — its protocol, where it came from and the alias it dialled, for SIP its
// From and To, and if all, its User-Agent. msg, if not nil, is the message put together
// from its fragments (see readWhole), which may lack the last: then a header that no line
// break ends is not read, for it may be cut. Without msg, the line's Detail holds the
// headers whole, or is the whole message.
func readStart(r *model.Record, f *fieldsBuilder, all bool, msg []byte) {
	switch {
	case bytes.HasPrefix(r.Module, []byte("support.sip")) || r.Shape != nil:
		invite := msg
		switch {
		case invite != nil:
		case all || r.Shape != nil:
			invite = fieldBytes(r, "Detail")
		default:
			invite = detailStart(r) // enough to find the headers
		}
		f.set(fProtocol, []byte("SIP"))
		f.set(fRemote, fieldBytes(r, "Src-address"))
		if r.Shape != nil {
			if !received(r) { // an INVITE a SIP server sent: the peer is where it went
				f.set(fRemote, fieldBytes(r, "Dst-address"))
			}
			f.set(fRemote, viaHost(invite))
		}
		wanted := 2
		if all {
			wanted = 3
		}
		for h := range sip.Headers(invite) {
			if msg != nil && !h.Whole {
				continue
			}
			for _, w := range startHeaders[:wanted] {
				if kv.EqualFold(h.Name, w.name) || kv.EqualFold(h.Name, w.compact) {
					f.set(w.to, h.Value)
				}
			}
			if f.vals[fTo] != nil && f.vals[fFrom] != nil && (!all || f.vals[fUserAgent] != nil) {
				break
			}
		}
		if line, ok := startLine(invite); ok { // INVITE sip:alias SIP/2.0: what was dialled
			if _, uri, ok := bytes.Cut(line, []byte(" ")); ok {
				uri, _, _ = bytes.Cut(uri, []byte(" "))
				f.set(fAlias, uriUser(uri))
			}
		}
		f.set(fAlias, uriUser(f.vals[fTo]))
	case bytes.HasPrefix(r.Module, []byte("support.h323")):
		_, alias, _ := bytes.Cut(fieldBytes(r, "Detail"), []byte("destinationAddress "))
		f.set(fProtocol, []byte("H323"))
		f.set(fRemote, fieldBytes(r, "Src-address"))
		f.set(fAlias, alias)
	default:
		path := bytes.TrimSuffix(fieldBytes(r, "Path"), []byte("/request_token"))
		f.set(fProtocol, []byte("API"))
		f.set(fRemote, fieldBytes(r, "Remote-Address"))
		f.set(fAlias, path[bytes.LastIndexByte(path, '/')+1:])
	}
}

// sipHeader is a SIP header an event reads into a field.
type sipHeader struct {
	name, compact string
	to            field
}

// startHeaders are the headers readStart reads: for pairing the first two.
var startHeaders = [...]sipHeader{{"To", "t", fTo}, {"From", "f", fFrom}, {"User-Agent", "User-Agent", fUserAgent}}

// adminKinds are the administrator.conference messages that tell about a call.
var adminKinds = func() map[string]kind {
	m := map[string]kind{
		"Participant attempting to join conference.": evAttempt,
		"Participant has joined.":                    evJoined,
		"Participant has disconnected.":              evDisconnected,
		"Participant failed to join conference.":     evFailed,
	}
	for _, msg := range pinMessages {
		m[msg] = evPIN
	}
	return m
}()

// detailStart returns an entry's Detail from its start to the end of the line, without
// reading it through: a SIP message is long, and its first line and headers tell most.
func detailStart(r *model.Record) []byte {
	v, _ := kv.ValueStart(r.Details, "Detail")
	return v
}

// fieldText copies the value of a detail, \" decoded, or "".
func fieldText(r *model.Record, key string) string {
	return string(unescaped(fieldBytes(r, key)))
}

// fieldBytes returns the value of a detail as logged, or nil.
func fieldBytes(r *model.Record, key string) []byte {
	v, _ := r.Field(key)
	return v
}

func unescaped(v []byte) []byte {
	if kv.NeedsUnescape(v) {
		return kv.Unescape(nil, v)
	}
	return v
}

// uriUser returns user@host of a SIP name-addr ("Alice" <sip:alice@example.com>;tag=1).
func uriUser(addr []byte) []byte {
	if i := bytes.IndexByte(addr, '<'); i >= 0 {
		addr = addr[i+1:]
		if j := bytes.IndexByte(addr, '>'); j >= 0 {
			addr = addr[:j]
		}
	}
	addr = bytes.TrimPrefix(bytes.TrimPrefix(addr, []byte("sips:")), []byte("sip:"))
	if i := bytes.IndexByte(addr, ';'); i >= 0 {
		addr = addr[:i]
	}
	return addr
}

// viaHost returns where a SIP request came from: the sent-by host and port of its first
// Via header ("SIP/2.0/UDP 192.0.2.10:5060;branch=...").
func viaHost(msg []byte) []byte {
	via, _ := sip.Header(msg, "Via", "v")
	if sp := bytes.IndexByte(via, ' '); sp >= 0 {
		via = via[sp+1:]
	}
	if end := bytes.IndexAny(via, ";, "); end >= 0 {
		via = via[:end]
	}
	return via
}
