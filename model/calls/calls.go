// Package calls follows calls through the logs: it groups entries into calls as they are
// indexed — joining the correlation ids that appear together in an entry (Call-Id, the
// SIP Call-ID header, Participant-Id, Uuid, the Fragment-id of a fragmented SIP message),
// so that administrator lines that carry only a Participant-Id join their call through
// "Participant has joined." — and keeps each call's summary up to date: who, where, how
// it went, its media statistics. It also builds a call's timeline and SIP ladder on demand.
package calls

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

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
	Start, Joined                                              int64         // microseconds since the epoch (0: unknown)
	End                                                        int64         // once it ended or failed: the time of its last line (its BYE and 200 OK follow the disconnect line)
	Duration                                                   string        // as logged, in seconds
	Span                                                       time.Duration // from its first line to its last
	State                                                      State
	Reason                                                     string // why it ended or failed
	Quality                                                    string // the last "Stable call quality changed" value
	Streams                                                    []media.Stream
	Changes                                                    []Change
	ICE                                                        string
	Entries, Warnings, Errors                                  int

	sipReason bool // Reason is a SIP response's: the administrator log's tells better
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

// Who is the best name for the participant: the display name of the administrator log or
// of the SIP From, else the participant's alias, else the address.
func (c *Call) Who() string {
	switch {
	case c.DisplayName != "":
		return c.DisplayName
	case fromName(c.From) != "":
		return fromName(c.From)
	case c.Participant != "":
		return c.Participant
	case c.From != "":
		return string(uriUser([]byte(c.From)))
	}
	return c.RemoteAddress
}

// Where names where the call went: its conference, or the alias dialled, or the user
// called.
func (c *Call) Where() string {
	return cmp.Or(c.Conference, c.Alias, string(uriUser([]byte(c.To))))
}

// apply takes in what an entry says about the call. It copies what it keeps, so that
// the call does not hold on to the event, and shares the values many calls have.
func (c *Call) apply(e *event, shared names) {
	if c.Start == 0 || (e.time != 0 && e.time < c.Start) {
		c.Start = e.time
	}
	f := &e.fields
	switch e.kind {
	case evStart:
		keep(&c.Protocol, f.get(fProtocol), shared.of)
		keep(&c.From, f.get(fFrom), strings.Clone)
		keep(&c.To, f.get(fTo), shared.of)
		keep(&c.Vendor, f.get(fUserAgent), shared.of)
	case evAttempt, evJoined, evDisconnected, evFailed, evPIN:
		keep(&c.Participant, f.get(fParticipant), strings.Clone)
		keep(&c.DisplayName, f.get(fDisplayName), strings.Clone)
		keep(&c.RemoteAddress, f.get(fRemoteAddress), strings.Clone)
		for _, k := range []struct {
			dst *string
			f   field
		}{
			{&c.Alias, fConferenceAlias}, {&c.Conference, fConference}, {&c.ServiceType, fServiceType},
			{&c.Direction, fDirection}, {&c.SignalingNode, fSignalingNode}, {&c.SignalingLocation, fSignalingLocation},
			{&c.MediaNode, fMediaNode}, {&c.ProxyNode, fProxyNode},
			{&c.ProxyLocation, fProxyLocation},
		} {
			keep(k.dst, f.get(k.f), shared.of)
		}
		replace(&c.Protocol, f.get(fProtocol), shared.of)
		replace(&c.Vendor, f.get(fVendor), shared.of) // the admin log's Vendor beats the SIP User-Agent
		addOnce(&c.ConferenceIDs, f.get(fConferenceID), shared.of)
		addOnce(&c.ConversationIDs, f.get(fConversationID), strings.Clone)
		if e.kind == evJoined || e.kind == evDisconnected {
			// The Location of these lines is the media node's; an attempt's is where the
			// call arrived.
			replace(&c.MediaLocation, f.get(fLocation), shared.of)
		}
		switch e.kind {
		case evJoined:
			c.State, c.Joined = Connected, e.time
		case evDisconnected:
			c.End = max(c.End, e.time)
			replace(&c.Duration, f.get(fDuration), strings.Clone)
			if c.State == Failed { // refused, then disconnected: it stays refused
				keep(&c.Reason, f.get(fDetail), shared.of)
				break
			}
			c.State = Ended
			replace(&c.Reason, f.get(fDetail), shared.of)
		case evFailed:
			if c.Joined != 0 || c.State == Ended {
				break // a proxy's other forks answer 487 once one has answered
			}
			c.State, c.End = Failed, max(c.End, e.time)
			if c.sipReason || c.Reason == "" {
				c.Reason, c.sipReason = "", false
				replace(&c.Reason, f.get(fReason), shared.of)
			}
		case evPIN:
			if why, refused := refusals[f.get(fMessage)]; refused && c.State != Ended {
				c.State, c.End, c.Reason, c.sipReason = Failed, max(c.End, e.time), why, false
			}
		}
	case evChannel, evHangup:
		keep(&c.Protocol, f.get(fProtocol), shared.of)
		keep(&c.From, f.get(fFrom), strings.Clone)
		keep(&c.To, f.get(fTo), shared.of)
		keep(&c.DisplayName, f.get(fDisplayName), strings.Clone)
		if e.kind == evHangup {
			c.hangUp(f.get(fReason), e.time, shared)
		}
	case evFinal:
		if c.State == Connecting { // refused before it joined
			c.State, c.End, c.sipReason = Failed, max(c.End, e.time), true
			replace(&c.Reason, f.get(fReason), shared.of)
		}
	case evStreams:
		if c.Streams == nil {
			c.Streams = e.streams // most calls log their streams once: no copy
		} else {
			c.Streams = append(c.Streams, e.streams...)
		}
	case evQuality:
		replace(&c.Quality, f.get(fNow), shared.of)
		c.Changes = append(c.Changes, Change{e.time, "quality " + f.get(fWas) + " -> " + f.get(fNow)})
	case evLostVideo:
		c.Changes = append(c.Changes, Change{e.time, "lost incoming video"})
	case evICE:
		replace(&c.ICE, f.get(fMessage), shared.of)
		c.Changes = append(c.Changes, Change{e.time, c.ICE})
	case evMode:
		c.Changes = append(c.Changes, Change{e.time, "new mode: " + f.get(fMode)})
	case evRecord:
		keep(&c.From, f.get(fFrom), strings.Clone)
		keep(&c.To, f.get(fTo), shared.of)
		replace(&c.Duration, f.get(fDuration), strings.Clone)
		replace(&c.Reason, f.get(fReason), shared.of)
		c.State = Ended
		if c.Reason != "ANSWERED" {
			c.State = Failed
		}
		if seconds, err := strconv.Atoi(strings.ReplaceAll(c.Duration, ",", "")); err == nil && e.time != 0 { // "3,725"
			c.End = e.time + int64(seconds)*1e6
		}
	}
}

// finish completes a call's summary with what its lines' count tells: a call that ended
// or failed ends with its last line, and spans from its first line to its last.
func (c *Call) finish(n counts) {
	if c.State == Ended || c.State == Failed {
		c.End = max(c.End, n.lastTime)
	}
	if n.firstTime != 0 {
		c.Span = time.Duration(n.lastTime-n.firstTime) * time.Microsecond
	}
}

// addID records one of the call's correlation ids.
func (c *Call) addID(kind model.IDKind, text string) {
	switch kind {
	case model.CallID:
		addOnce(&c.CallIDs, text, nil)
	case model.ParticipantID:
		addOnce(&c.ParticipantIDs, text, nil)
	case model.UUID:
		addOnce(&c.UUIDs, text, nil)
	case model.ConversationID:
		addOnce(&c.ConversationIDs, text, nil)
	case model.ConferenceID:
		addOnce(&c.ConferenceIDs, text, nil)
	}
}

// addOnce appends v to list, unless v is empty or listed. keepAs, if not nil, makes the
// copy that is kept.
func addOnce(list *[]string, v string, keepAs func(string) string) {
	if v == "" || slices.Contains(*list, v) {
		return
	}
	if keepAs != nil {
		v = keepAs(v)
	}
	*list = append(*list, v)
}

// fromName returns the quoted display name of a SIP name-addr ("Alice" <sip:alice@example.com>).
func fromName(addr string) string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(addr), `"`)
	if !ok {
		return ""
	}
	name, _, ok := strings.Cut(rest, `"`)
	if !ok {
		return ""
	}
	return name
}
