package calls

import (
	"math"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
)

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

// span is where a value lies in its event's text.
type span struct{ start, end uint16 }

// fields holds an event's values by field, as slices of one string; most are empty.
// What a call keeps of them it copies (see keep), so that the string can be freed.
type fields struct {
	text string
	at   [numFields]span
}

// get returns the value of f, or "".
func (v *fields) get(f field) string { return v.text[v.at[f].start:v.at[f].end] }

// fieldsBuilder collects an event's values, as slices of its entry, until fields copies
// them into one string.
type fieldsBuilder struct {
	vals [numFields][]byte
}

// set gives f its value, unless it has one (the first of a repeated detail counts).
func (b *fieldsBuilder) set(f field, v []byte) {
	if b.vals[f] == nil && len(v) > 0 {
		b.vals[f] = v
	}
}

// readCallFields sets the callFields of an administrator line in one pass over its
// details, or if only is not nil, those fields only, reading no further than the last.
func (b *fieldsBuilder) readCallFields(r *model.Record, only []field) {
	var lower [32]byte
	found := 0
	for k, v := range kv.All(r.Details) {
		if only != nil {
			for _, f := range only {
				if len(v) > 0 && b.vals[f] == nil && kv.EqualFold(k, callFields[f]) {
					b.set(f, v)
					found++
				}
			}
			if found == len(only) {
				return
			}
			continue
		}
		if len(k) > len(lower) || len(v) == 0 {
			continue
		}
		for i, c := range k {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lower[i] = c
		}
		if f, ok := callFieldOf[string(lower[:len(k)])]; ok {
			b.set(f, v)
		}
	}
}

// fields copies the values into one string, \" decoded. Values past the first 64 KiB are
// left out.
func (b *fieldsBuilder) fields() fields {
	size := 0
	for _, v := range b.vals {
		size += len(v)
	}
	var text strings.Builder
	text.Grow(min(size, math.MaxUint16))
	var out fields
	for f, v := range b.vals {
		if len(v) == 0 {
			continue
		}
		if kv.NeedsUnescape(v) {
			v = kv.Unescape(nil, v)
		}
		start := text.Len()
		if start+len(v) > math.MaxUint16 {
			continue
		}
		text.Write(v)
		out.at[f] = span{uint16(start), uint16(text.Len())}
	}
	out.text = text.String()
	return out
}

// keep sets *dst to copyOf(v), if *dst is empty and v is not: a call keeps the first value
// it is told.
func keep(dst *string, v string, copyOf func(string) string) {
	if *dst == "" && v != "" {
		*dst = copyOf(v)
	}
}

// replace sets *dst to copyOf(v), if v is not empty and differs: a call keeps the last
// value it is told.
func replace(dst *string, v string, copyOf func(string) string) {
	if v != "" && v != *dst {
		*dst = copyOf(v)
	}
}

// names holds one copy of each value that many calls share (conference, node, location,
// vendor...), so that a hundred thousand calls do not hold a hundred thousand copies.
type names map[string]string

// of returns the shared copy of v.
func (n names) of(v string) string {
	if s, ok := n[v]; ok {
		return s
	}
	s := strings.Clone(v)
	n[s] = s
	return s
}
