package calls

import (
	"bytes"
	"strings"

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
)

// pinMessages are the administrator lines of the PIN and host/guest dialogue: they carry
// the Call-Id, the participant and the alias, but no Participant-Id.
var pinMessages = []string{
	"PIN entry correct.", "Participant entered incorrect conference PIN",
	"Participant exceeded PIN entry retries. Call will be disconnected.", "PIN entry timed out.",
	"Host participant joining.", "Conference host timeout.", "Guest participant waiting.",
	"Guest participant joining.",
}

// event is what an entry tells about its call, copied out of the entry so that the
// entry's text need not be read again.
type event struct {
	kind    kind
	time    int64
	fields  fields
	streams []media.Stream
}

// field names a value an event carries: the details of an administrator line, and what
// the other lines give.
type field uint8

// The fields of the administrator lines of a call, as callFields spells them.
const (
	fParticipant field = iota
	fDisplayName
	fConference
	fConferenceAlias
	fProtocol
	fDirection
	fVendor
	fRemoteAddress
	fLocation
	fSignalingNode
	fSignalingLocation
	fMediaNode
	fProxyNode
	fProxyLocation
	fServiceType
	fConferenceID
	fConversationID
	fDuration
	fDetail
	fReason
	numCallFields
)

// The fields of the other lines.
const (
	fRemote    field = numCallFields + iota // the address a call's first signalling came from
	fAlias                                  // the alias it dialled, user@host
	fFrom                                   // the SIP From and To of its INVITE
	fTo                                     //
	fUserAgent                              // the SIP User-Agent
	fWas                                    // a quality change's old and new values
	fNow                                    //
	fMessage                                // an ICE line's message
	fMode                                   // a new media mode
	numFields
)

// fields holds an event's values by field; most are "".
type fields [numFields]string

// callFields are the details that the administrator lines of a call give, by field.
var callFields = [numCallFields]string{
	"Participant", "DisplayName", "Conference", "ConferenceAlias", "Protocol", "Direction", "Vendor",
	"Remote-Address", "Location", "Signaling-Node", "Signaling-Location", "Media-Node", "Proxy-Node",
	"Proxy-Location", "Service-Type", "Conference-ID", "Conversation-Id", "Duration", "Detail", "Reason",
}

// callFieldOf maps the lower-case callFields to their field.
var callFieldOf = func() map[string]field {
	m := map[string]field{}
	for f, k := range callFields {
		m[strings.ToLower(k)] = field(f)
	}
	return m
}()

// fieldText copies the value of a detail, \" decoded, or "".
func fieldText(r *model.Record, key string) string {
	v, ok := r.Field(key)
	if !ok {
		return ""
	}
	return string(unescaped(v))
}

// readCallFields copies the callFields of an administrator line, in one pass over its
// details; the first of a repeated key counts.
func readCallFields(r *model.Record, out *fields) {
	var buf [32]byte
	for k, v := range kv.All(r.Details) {
		if len(k) > len(buf) || len(v) == 0 {
			continue
		}
		lower := buf[:len(k)]
		for i, c := range k {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower[i] = c
		}
		if f, ok := callFieldOf[string(lower)]; ok && out[f] == "" {
			out[f] = string(unescaped(v))
		}
	}
}

// extract reads what an entry tells about its call, or returns nil. It runs on the
// indexing goroutines for every entry, so it decides from the module and message before
// it allocates.
func extract(r *model.Record) *event {
	if r.Plain {
		return nil
	}
	msg := r.Message()
	e := event{time: r.Time}
	f := &e.fields
	switch {
	case bytes.HasPrefix(r.Module, []byte("administrator.conference")):
		k, ok := adminKinds[string(msg)]
		if !ok {
			return nil
		}
		e.kind = k
		readCallFields(r, f)
	case string(msg) == "Media Stream destroyed":
		if e.streams, _ = media.Parse(unescaped(fieldBytes(r, "Detail"))); e.streams == nil {
			return nil
		}
		e.kind = evStreams
	case string(msg) == "Stable call quality changed":
		e.kind, f[fWas], f[fNow] = evQuality, fieldText(r, "Was"), fieldText(r, "Now")
	case string(msg) == "Lost incoming video":
		e.kind = evLostVideo
	case string(msg) == "ICE new-selected-pair event" || string(msg) == "ICE failed":
		e.kind, f[fMessage], f[fDetail] = evICE, string(msg), fieldText(r, "Detail")
	case string(msg) == "New mode activated":
		e.kind, f[fMode] = evMode, fieldText(r, "Mode")
	case bytes.HasPrefix(r.Module, []byte("support.sip")):
		invite := fieldBytes(r, "Detail")
		if !bytes.HasPrefix(invite, []byte("INVITE ")) {
			return nil
		}
		invite = unescaped(invite)
		e.kind, f[fProtocol], f[fRemote] = evStart, "SIP", fieldText(r, "Src-address")
		for _, h := range []struct {
			name, compact string
			to            field
		}{{"User-Agent", "", fUserAgent}, {"From", "f", fFrom}, {"To", "t", fTo}} {
			if v, ok := sip.Header(invite, h.name, h.compact); ok {
				f[h.to] = string(v)
			}
		}
		f[fAlias] = uriUser(f[fTo])
	case bytes.HasPrefix(r.Module, []byte("support.h323")) && bytes.HasPrefix(fieldBytes(r, "Detail"), []byte("setup")):
		_, alias, _ := strings.Cut(fieldText(r, "Detail"), "destinationAddress ")
		e.kind, f[fProtocol], f[fRemote], f[fAlias] = evStart, "H323", fieldText(r, "Src-address"), alias
	case bytes.HasPrefix(r.Module, []byte("support.rest")) && string(msg) == "Received REST API request" &&
		bytes.HasSuffix(fieldBytes(r, "Path"), []byte("/request_token")):
		path := strings.TrimSuffix(fieldText(r, "Path"), "/request_token")
		e.kind, f[fProtocol], f[fRemote], f[fAlias] = evStart, "API", fieldText(r, "Remote-Address"), path[strings.LastIndexByte(path, '/')+1:]
	default:
		return nil
	}
	found := e // only what tells about a call leaves the stack
	return &found
}

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
func uriUser(addr string) string {
	if i := strings.IndexByte(addr, '<'); i >= 0 {
		addr = addr[i+1:]
		if j := strings.IndexByte(addr, '>'); j >= 0 {
			addr = addr[:j]
		}
	}
	addr = strings.TrimPrefix(strings.TrimPrefix(addr, "sips:"), "sip:")
	if i := strings.IndexByte(addr, ';'); i >= 0 {
		addr = addr[:i]
	}
	return addr
}
