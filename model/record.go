package model

import (
	"bytes"
	"iter"
	"time"

	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/sip"
)

// Record is one parsed log entry: its exact raw bytes and views into them. A Record is
// filled by a Parser and reused between entries; its slices point into Raw.
type Record struct {
	// Raw is the entry exactly as read: continuation lines included, with the line
	// terminator of its last line removed.
	Raw []byte
	// Time is when the event happened (the originating time), in microseconds since the
	// Unix epoch, UTC; 0 when the entry carries no time.
	Time int64
	// SyslogTime is the time syslog logged the entry on the sending system, from the
	// syslog_time prefix or a syslog envelope; 0 when absent.
	SyslogTime int64
	// Node is the system that logged the entry: a host name or IP address.
	Node []byte
	// Level is the entry's severity; plain lines get a level guessed from their words.
	Level Level
	// Module is the dotted name of the module that logged the entry ("support.sip").
	Module []byte
	// Details holds the Key="value" pairs; for a plain record, the free text.
	Details []byte
	// Plain is true for an entry of no known shape: it has no fields.
	Plain bool
	// Shape reads the fields, message and ids of an entry of another format than Pexip
	// Infinity's Key="value" details; nil for those (and for plain entries).
	Shape Shape
}

// Shape is how a format other than Pexip Infinity's lays its fields out in an entry: a
// parser of such a format sets it, and the Record's accessors defer to it.
type Shape interface {
	// Format names the format ("flexisip"), as --format takes it.
	Format() string
	// Field returns the raw value of the field called name, in any letter case.
	Field(r *Record, name string) ([]byte, bool)
	// Fields yields every field's name and raw value, in order.
	Fields(r *Record) iter.Seq2[[]byte, []byte]
	// Message returns what the entry says, as written.
	Message(r *Record) []byte
	// IDs calls fn with each correlation id the entry carries.
	IDs(r *Record, fn func(kind IDKind, id []byte))
}

// Field returns the raw (still escaped) value of the detail called name, in any letter case.
func (r *Record) Field(name string) ([]byte, bool) {
	switch {
	case r.Shape != nil:
		return r.Shape.Field(r, name)
	case r.Plain:
		return nil, false
	}
	return kv.Lookup(r.Details, name)
}

// Fields yields the name and raw (still escaped) value of every detail, in order; none for
// a plain entry.
func (r *Record) Fields() iter.Seq2[[]byte, []byte] {
	switch {
	case r.Shape != nil:
		return r.Shape.Fields(r)
	case r.Plain:
		return func(func([]byte, []byte) bool) {}
	}
	return kv.All(r.Details)
}

// Format names the entry's format: "pexip", "plain", or its Shape's.
func (r *Record) Format() string {
	switch {
	case r.Shape != nil:
		return r.Shape.Format()
	case r.Plain:
		return "plain"
	}
	return "pexip"
}

// Message returns the entry's Message field as written, or the free text of a plain entry.
func (r *Record) Message() []byte {
	switch {
	case r.Shape != nil:
		return r.Shape.Message(r)
	case r.Plain:
		return r.Details
	}
	m, _ := r.Field("Message")
	return m
}

// IsAdmin reports whether the entry belongs to the administrator log: Pexip's
// administrator.* modules; for other servers, what they log about administration and
// security (see admin.go).
func (r *Record) IsAdmin() bool {
	switch {
	case r.Shape == nil && !r.Plain:
		return IsAdminModule(r.Module)
	case r.Shape != nil:
		return shapeIsAdmin(r)
	}
	return false
}

// IsAdminModule reports whether module is one of the administrator.* modules.
func IsAdminModule(module []byte) bool {
	const prefix = "administrator."
	return len(module) >= len(prefix) && string(module[:len(prefix)]) == prefix
}

// IDKind names one kind of correlation id.
type IDKind uint8

// The correlation ids that tie lines of one call together (DESIGN §1).
const (
	CallID         IDKind = iota // one call leg; for SIP also the Call-ID header
	ConversationID               // legs of one conversation
	ParticipantID                // one participant per connection type
	ConferenceID                 // one conference instance on a node
	UUID                         // H.323 RAS/H.245 and REST lines of one call
	FragmentID                   // the lines of one SIP message logged in fragments
	NumIDKinds
)

// idFields are the detail keys of each IDKind, as Pexip spells them in recent releases;
// lookups ignore letter case, so Call-id and Call-ID match too.
var idFields = [NumIDKinds]string{"Call-Id", "Conversation-Id", "Participant-Id", "Conference-ID", "Uuid", "Fragment-id"}

// String returns the kind's field name ("Call-Id").
func (k IDKind) String() string { return idFields[k] }

// IDKindOf returns the IDKind whose field is called name, in any letter case.
func IDKindOf(name string) (IDKind, bool) {
	for k, f := range idFields {
		if kv.EqualFold([]byte(name), f) {
			return IDKind(k), true
		}
	}
	return 0, false
}

// IDs calls fn with each correlation id the entry carries, including the Call-ID header of
// a SIP message in its Detail. Empty values are skipped; an id may be reported twice.
func (r *Record) IDs(fn func(kind IDKind, id []byte)) {
	switch {
	case r.Shape != nil:
		r.Shape.IDs(r, fn)
		return
	case r.Plain:
		return
	}
	for key, value := range kv.All(r.Details) {
		if len(value) == 0 || len(key) < len("Uuid") || len(key) > len("Conversation-Id") {
			continue
		}
		for k, f := range idFields {
			if kv.EqualFold(key, f) {
				fn(IDKind(k), value)
			}
		}
		if kv.EqualFold(key, "Detail") && sip.IsMessage(value) {
			if id, ok := sip.CallID(value); ok {
				fn(CallID, id)
			}
		}
		if kv.EqualFold(key, "Content") {
			if id, ok := contentUUID(value); ok {
				fn(ParticipantID, id)
			}
		}
	}
}

// uuidKey starts the participant's uuid in the JSON Content of a management-queue event
// (Event="participant_media_stream_window": a window of a call's media statistics).
var uuidKey = []byte("uuid")

// contentUUID returns the "uuid" of an event's JSON Content, as logged: with its quotes
// escaped (\") or not, the JSON sometimes wrapped as a Python bytes literal (b'…').
func contentUUID(content []byte) ([]byte, bool) {
	i := bytes.Index(content, uuidKey)
	if i < 0 {
		return nil, false
	}
	rest := bytes.TrimLeft(content[i+len(uuidKey):], `\"' `)
	if len(rest) == 0 || rest[0] != ':' {
		return nil, false
	}
	rest = bytes.TrimLeft(rest[1:], `\"' `)
	end := bytes.IndexAny(rest, `\"'`)
	if end <= 0 {
		return nil, false
	}
	return rest[:end], true
}

// TimeOf converts a Record time (microseconds since the epoch) to a time.Time in UTC.
func TimeOf(micros int64) time.Time { return time.UnixMicro(micros).UTC() }
