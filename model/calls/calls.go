// Package calls follows calls through the logs: it groups entries into calls as they are
// indexed — joining the correlation ids that appear together in an entry (Call-Id, the
// SIP Call-ID header, Participant-Id, Uuid, the Fragment-id of a fragmented SIP message),
// so that administrator lines that carry only a Participant-Id join their call through
// "Participant has joined." — and keeps each call's summary up to date: who, where, how
// it went, its media statistics. It also builds a call's timeline and SIP ladder on demand.
package calls

import (
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/media"
)

// State is how far a call got.
type State int

// The call states.
const (
	Connecting State = iota
	Connected
	Ended
	Failed
)

var stateNames = [...]string{"connecting", "connected", "ended", "failed"}

// String names the state.
func (s State) String() string { return stateNames[s] }

// Change is a moment in a call's media: a quality change ("Was -> Now"), lost video, an
// ICE outcome or a media mode.
type Change struct {
	Time int64
	What string
}

// Call is one participant leg and what the logs say about it.
type Call struct {
	Number int // the call's number in the index, from 1

	// Correlation ids, as logged.
	CallIDs, ConversationIDs, ParticipantIDs, UUIDs, ConferenceIDs []string

	Participant, DisplayName, Alias, Conference, ServiceType   string
	Protocol, Direction, Vendor, RemoteAddress                 string
	From, To                                                   string // of the SIP INVITE
	SignalingNode, SignalingLocation, MediaNode, MediaLocation string
	ProxyNode, ProxyLocation                                   string
	Start, Joined, End                                         int64  // microseconds since the epoch (0: unknown)
	Duration                                                   string // as logged, in seconds
	State                                                      State
	Reason                                                     string // why it ended or failed
	Quality                                                    string // the last "Stable call quality changed" value
	Streams                                                    []media.Stream
	Changes                                                    []Change
	ICE                                                        string
	Entries, Warnings, Errors                                  int
	Nodes                                                      []string // the nodes that logged its lines

	root      uint32   // the union-find root of its ids
	members   []uint32 // the id numbers of its group
	grouping  []uint32 // the id numbers of its Conversation-Ids and Conference-IDs
	dead      bool     // merged into another call
	started   bool     // its first signalling line was seen
	attempted bool     // its "attempting to join" line was seen
	dialled   string   // the alias its signalling or its attempt named, to pair them
}

// who is the participant and alias of a call's administrator lines, to pair its PIN lines.
func who(f *fields) string {
	return f[fParticipant] + "|" + strings.TrimPrefix(f[fConferenceAlias], "sip:")
}

// Instance names the conference instance a call was in: its Conference-ID, or its
// conference and media node when the release logs no Conference-ID.
func (c *Call) Instance() string {
	if len(c.ConferenceIDs) > 0 {
		return c.ConferenceIDs[0]
	}
	if c.Conference == "" {
		return ""
	}
	return c.Conference + "@" + c.MediaNode
}

// WorstMedia returns the worst judgement of the call's streams and quality changes.
func (c *Call) WorstMedia() media.Quality {
	worst := media.Fine
	for _, s := range c.Streams {
		worst = max(worst, s.Worst())
	}
	switch {
	case strings.HasPrefix(c.Quality, "4_") || strings.HasPrefix(c.Quality, "3_"):
		worst = max(worst, media.Bad)
	case strings.HasPrefix(c.Quality, "2_"):
		worst = max(worst, media.Warn)
	}
	return worst
}

// Who is the best name for the participant: display name, else alias, else address.
func (c *Call) Who() string {
	switch {
	case c.DisplayName != "":
		return c.DisplayName
	case c.Participant != "":
		return c.Participant
	case c.From != "":
		return c.From
	}
	return c.RemoteAddress
}

// apply takes in what an entry says about the call.
func (c *Call) apply(e *event) {
	if c.Start == 0 || (e.time != 0 && e.time < c.Start) {
		c.Start = e.time
	}
	switch e.kind {
	case evStart:
		c.started = true
		c.dialled = first(c.dialled, e.fields[fAlias])
		c.Protocol = first(c.Protocol, e.fields[fProtocol])
		c.From, c.To = first(c.From, e.fields[fFrom]), first(c.To, e.fields[fTo])
		if c.Vendor == "" {
			c.Vendor = e.fields[fUserAgent]
		}
	case evAttempt, evJoined, evDisconnected, evFailed, evPIN:
		f := &e.fields
		c.Participant = first(c.Participant, f[fParticipant])
		c.DisplayName = first(c.DisplayName, f[fDisplayName])
		c.Alias = first(c.Alias, f[fConferenceAlias])
		c.Conference = first(c.Conference, f[fConference])
		c.ServiceType = first(c.ServiceType, f[fServiceType])
		c.Protocol = first(f[fProtocol], c.Protocol)
		c.Direction = first(c.Direction, f[fDirection])
		if f[fVendor] != "" {
			c.Vendor = f[fVendor] // the admin log's Vendor beats the SIP User-Agent
		}
		c.RemoteAddress = first(c.RemoteAddress, f[fRemoteAddress])
		c.SignalingNode = first(c.SignalingNode, f[fSignalingNode])
		c.SignalingLocation = first(c.SignalingLocation, f[fSignalingLocation])
		c.MediaNode = first(c.MediaNode, f[fMediaNode])
		c.MediaLocation = first(c.MediaLocation, f[fLocation])
		c.ProxyNode = first(c.ProxyNode, f[fProxyNode])
		c.ProxyLocation = first(c.ProxyLocation, f[fProxyLocation])
		addOnce(&c.ConferenceIDs, f[fConferenceID])
		addOnce(&c.ConversationIDs, f[fConversationID])
		switch e.kind {
		case evAttempt:
			c.attempted = true
			c.dialled = first(c.dialled, strings.TrimPrefix(f[fConferenceAlias], "sip:"))
		case evJoined:
			c.State, c.Joined = Connected, e.time
		case evDisconnected:
			c.State, c.End, c.Duration = Ended, e.time, f[fDuration]
			if d := f[fDetail]; d != "" {
				c.Reason = d
			}
		case evFailed:
			c.State, c.End, c.Reason = Failed, e.time, f[fReason]
		}
	case evStreams:
		c.Streams = append(c.Streams, e.streams...)
	case evQuality:
		c.Quality = e.fields[fNow]
		c.Changes = append(c.Changes, Change{e.time, "quality " + e.fields[fWas] + " -> " + e.fields[fNow]})
	case evLostVideo:
		c.Changes = append(c.Changes, Change{e.time, "lost incoming video"})
	case evICE:
		c.ICE = e.fields[fMessage]
		c.Changes = append(c.Changes, Change{e.time, e.fields[fMessage]})
	case evMode:
		c.Changes = append(c.Changes, Change{e.time, "new mode: " + e.fields[fMode]})
	}
}

// absorb takes in another call's summary, when their ids turn out to be one call's.
func (c *Call) absorb(o *Call) {
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&c.Participant, o.Participant}, {&c.DisplayName, o.DisplayName}, {&c.Alias, o.Alias},
		{&c.Conference, o.Conference}, {&c.ServiceType, o.ServiceType}, {&c.Protocol, o.Protocol},
		{&c.Direction, o.Direction}, {&c.Vendor, o.Vendor}, {&c.RemoteAddress, o.RemoteAddress},
		{&c.From, o.From}, {&c.To, o.To}, {&c.SignalingNode, o.SignalingNode},
		{&c.SignalingLocation, o.SignalingLocation}, {&c.MediaNode, o.MediaNode},
		{&c.MediaLocation, o.MediaLocation}, {&c.ProxyNode, o.ProxyNode}, {&c.ProxyLocation, o.ProxyLocation},
		{&c.Duration, o.Duration}, {&c.Reason, o.Reason}, {&c.Quality, o.Quality}, {&c.ICE, o.ICE},
	} {
		*f.dst = first(*f.dst, f.src)
	}
	if o.Start != 0 && (c.Start == 0 || o.Start < c.Start) {
		c.Start = o.Start
	}
	c.Joined = max(c.Joined, o.Joined)
	c.End = max(c.End, o.End)
	c.State = max(c.State, o.State)
	c.started, c.attempted = c.started || o.started, c.attempted || o.attempted
	c.Streams = append(c.Streams, o.Streams...)
	c.Changes = append(c.Changes, o.Changes...)
	c.Entries += o.Entries
	c.Warnings += o.Warnings
	c.Errors += o.Errors
	for _, l := range [][2]*[]string{{&c.CallIDs, &o.CallIDs}, {&c.ConversationIDs, &o.ConversationIDs},
		{&c.ParticipantIDs, &o.ParticipantIDs}, {&c.UUIDs, &o.UUIDs}, {&c.ConferenceIDs, &o.ConferenceIDs}} {
		for _, v := range *l[1] {
			addOnce(l[0], v)
		}
	}
}

// addID records one of the call's correlation ids.
func (c *Call) addID(kind model.IDKind, text string) {
	switch kind {
	case model.CallID:
		addOnce(&c.CallIDs, text)
	case model.ParticipantID:
		addOnce(&c.ParticipantIDs, text)
	case model.UUID:
		addOnce(&c.UUIDs, text)
	case model.ConversationID:
		addOnce(&c.ConversationIDs, text)
	case model.ConferenceID:
		addOnce(&c.ConferenceIDs, text)
	}
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func addOnce(list *[]string, v string) {
	if v == "" {
		return
	}
	for _, x := range *list {
		if x == v {
			return
		}
	}
	*list = append(*list, v)
}
