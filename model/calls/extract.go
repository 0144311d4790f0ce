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
var pinMessages = map[string]bool{
	"PIN entry correct.": true, "Participant entered incorrect conference PIN": true,
	"Participant exceeded PIN entry retries. Call will be disconnected.": true, "PIN entry timed out.": true,
	"Host participant joining.": true, "Conference host timeout.": true, "Guest participant waiting.": true,
	"Guest participant joining.": true,
}

// event is what an entry tells about its call, copied out of the entry so that the
// entry's text need not be read again.
type event struct {
	kind    kind
	time    int64
	node    string
	fields  map[string]string
	streams []media.Stream
}

// field copies the value of a detail, \" decoded, or "".
func field(r *model.Record, key string) string {
	v, ok := r.Field(key)
	if !ok {
		return ""
	}
	if kv.NeedsUnescape(v) {
		v = kv.Unescape(nil, v)
	}
	return string(v)
}

// callFields are the details that the administrator lines of a call give.
var callFields = []string{
	"Participant", "DisplayName", "Conference", "ConferenceAlias", "Protocol", "Direction", "Vendor",
	"Remote-Address", "Location", "Signaling-Node", "Signaling-Location", "Media-Node", "Proxy-Node",
	"Proxy-Location", "Service-Type", "Service-Tag", "Conference-ID", "Conversation-Id", "Duration", "Detail",
	"Reason", "Role", "Licenses",
}

// extract reads what an entry tells about its call, or returns nil. It runs on the
// indexing goroutines for every entry, so it decides from the module and message first.
func extract(r *model.Record) *event {
	if r.Plain {
		return nil
	}
	msg := r.Message()
	e := &event{time: r.Time, node: string(r.Node)}
	switch {
	case bytes.HasPrefix(r.Module, []byte("administrator.conference")):
		switch string(msg) {
		case "Participant attempting to join conference.":
			e.kind = evAttempt
		case "Participant has joined.":
			e.kind = evJoined
		case "Participant has disconnected.":
			e.kind = evDisconnected
		case "Participant failed to join conference.":
			e.kind = evFailed
		default:
			if !pinMessages[string(msg)] {
				return nil
			}
			e.kind = evPIN
		}
		e.fields = map[string]string{}
		for _, k := range callFields {
			if v := field(r, k); v != "" {
				e.fields[k] = v
			}
		}
		return e
	case string(msg) == "Media Stream destroyed":
		e.kind = evStreams
		detail, _ := r.Field("Detail")
		if e.streams, _ = media.Parse(unescaped(detail)); e.streams == nil {
			return nil
		}
		return e
	case string(msg) == "Stable call quality changed":
		e.kind, e.fields = evQuality, map[string]string{"Was": field(r, "Was"), "Now": field(r, "Now")}
		return e
	case string(msg) == "Lost incoming video":
		e.kind = evLostVideo
		return e
	case string(msg) == "ICE new-selected-pair event" || string(msg) == "ICE failed":
		e.kind, e.fields = evICE, map[string]string{"Message": string(msg), "Detail": field(r, "Detail")}
		return e
	case string(msg) == "New mode activated":
		e.kind, e.fields = evMode, map[string]string{"Mode": field(r, "Mode")}
		return e
	case bytes.HasPrefix(r.Module, []byte("support.sip")):
		detail, ok := r.Field("Detail")
		if !ok || !bytes.HasPrefix(detail, []byte("INVITE ")) {
			return nil
		}
		d := unescaped(detail)
		e.kind, e.fields = evStart, map[string]string{"Protocol": "SIP", "Remote": field(r, "Src-address")}
		for _, h := range [][3]string{{"User-Agent", "", "User-Agent"}, {"From", "f", "From"}, {"To", "t", "To"}} {
			if v, ok := sip.Header(d, h[0], h[1]); ok {
				e.fields[h[2]] = string(v)
			}
		}
		e.fields["Alias"] = uriUser(e.fields["To"])
		return e
	case bytes.HasPrefix(r.Module, []byte("support.h323")) && strings.HasPrefix(string(detailOf(r)), "setup"):
		_, alias, _ := strings.Cut(string(detailOf(r)), "destinationAddress ")
		e.kind, e.fields = evStart, map[string]string{"Protocol": "H323", "Remote": field(r, "Src-address"), "Alias": alias}
		return e
	case bytes.HasPrefix(r.Module, []byte("support.rest")) && bytes.HasSuffix(fieldBytes(r, "Path"), []byte("/request_token")) && string(msg) == "Received REST API request":
		path := strings.TrimSuffix(field(r, "Path"), "/request_token")
		e.kind, e.fields = evStart, map[string]string{"Protocol": "API", "Remote": field(r, "Remote-Address"), "Alias": path[strings.LastIndexByte(path, '/')+1:]}
		return e
	}
	return nil
}

func detailOf(r *model.Record) []byte { return fieldBytes(r, "Detail") }

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
