package sim

import (
	"slices"
	"sort"
	"time"
)

// The states of a call, as CallTruth.State names them.
const (
	StateConnecting = "connecting" // attempting to join, entering a PIN, waiting for the host
	StateConnected  = "connected"  // joined, not yet disconnected
	StateEnded      = "ended"      // joined, then disconnected
	StateFailed     = "failed"     // never joined: refused, failed to join, or a final SIP 4xx–6xx
)

// The reasons of refused calls, in the words a user reads (CallTruth.Reason).
const (
	ReasonPINRetries  = "PIN entry retries exceeded"
	ReasonPINTimeout  = "PIN entry timed out"
	ReasonHostTimeout = "Conference host timeout"
)

// CallTruth is what the simulation knows of a call it logged, as of the lines returned so
// far: its ids, who and where, every line it logged and what they say — to test calltail
// against. A call is one join attempt (one Participant-Id), or one SIP dialog that no
// administrator line describes (Lone). The lines of a call are those that carry one of its
// ids: its Call-Id (as a field or as the Call-ID header of a SIP message, each fragment of
// it counted), Participant-Id, Uuid, Conversation-Id, or the uuid of a per-window media
// statistics line. "Conference has been created." and "Conference has been stopped."
// belong to the conference instance and "Placing outbound call" names no id: they are
// none of its lines.
type CallTruth struct {
	Protocol, Direction                         string
	CallID, ConversationID, ParticipantID, UUID string // "" when it has none (a lone dialog has only a Call-ID)
	Participant, DisplayName, Conference, Alias string // Conference is "" for a lone dialog; Alias is what was dialled
	UserAgent                                   string // the SIP User-Agent or Vendor of the caller
	Node                                        string // the signalling node, as its lines name it
	Remote                                      string // where its signalling came from: the caller, or the SBC
	Lone                                        bool   // a SIP dialog that no administrator line describes
	Spam                                        bool   // a lone dialog of a SIP scanner (friendly-scanner, sipvicious, ...)
	Failed                                      bool   // State is StateFailed
	// State is StateConnecting, StateConnected, StateEnded or StateFailed.
	State string
	// Reason is why the call ended or failed, in the user's words: the Detail of
	// "Participant has disconnected.", the Reason of "Participant failed to join
	// conference.", ReasonPINRetries, ReasonPINTimeout, ReasonHostTimeout, or for a lone
	// dialog the status and reason phrase of its final response ("488 Not Acceptable Here").
	Reason string
	// Status is the final response to the call's INVITE when it is a 4xx–6xx, else 0.
	Status int
	// ReasonHeader and Warning are the Reason: and Warning: header values of that final
	// response, as logged ("" when it has none).
	ReasonHeader, Warning string
	// Duration is the Duration of "Participant has disconnected." as logged ("" before).
	Duration string
	// Lines are the numbers (from 1) of every line of the call, in order; Start and End
	// are the originating times of the first and the last (the end is the call's last
	// line, whatever it says).
	Lines      []int
	Start, End time.Time
	SIP        []string        // each SIP message as logged, ^M-encoded, whole, in order; a relayed message once per node
	Streams    []string        // each "Media Stream destroyed" Detail, in order
	Quality    []QualityChange // each "Stable call quality changed", in order
	Windows    []MediaWindow   // each per-window statistics line, in order
}

// QualityChange is one "Stable call quality changed" line.
type QualityChange struct {
	Time     time.Time
	Was, Now string // as logged: "1_good", "2_ok", "3_bad"
}

// MediaWindow is one per-window media statistics line: Event "participant_media_stream_window".
type MediaWindow struct {
	Time     time.Time // the line's originating time
	Content  string    // the JSON as logged, \" decoded, without the b'' older releases put around it
	Was, Now string    // its call_quality_was and call_quality_now
	Loss     []PacketCounts
	Quality  []QualityReport
}

// PacketCounts is one entry of a window's packet_loss_history: the counts of one stream
// since the call began, at Time.
type PacketCounts struct {
	Type                               string  // audio, video, presentation
	ID                                 int     // the stream's number, as in "Stream 1 (video)"
	Time                               float64 // seconds since 1970, as logged
	RxReceived, RxLost, TxSent, TxLost int
}

// QualityReport is one entry of a window's recent_quality: 0 unknown (or no such stream),
// 1 good, 2 ok, 3 bad, 4 terrible.
type QualityReport struct {
	Time                       float64
	Audio, Video, Presentation int
}

// record is what the simulation writes down of a call as it logs it. What a line tells is
// kept as a fact with the line's number, so that Truth can tell what the lines returned so
// far tell, no more.
type record struct {
	truth CallTruth // what is known before any line: ids, who, where
	lines []int
	times []int64 // the originating time of each line, microseconds since the epoch
	facts []fact
}

// fact is what one line tells about its call: a SIP message, a stream's statistics, or
// what apply does.
type fact struct {
	line        int
	sip, stream string
	apply       func(*CallTruth)
}

// Truth returns the calls logged in the lines returned so far, in the order they began,
// each as of those lines.
func (s *Sim) Truth() []*CallTruth {
	var calls []*CallTruth
	for _, r := range s.records {
		n := sort.SearchInts(r.lines, s.returned+1)
		if n == 0 {
			continue
		}
		t := r.truth
		t.Lines = slices.Clone(r.lines[:n])
		t.Start, t.End = loggedTime(r.times[0]), loggedTime(r.times[n-1])
		t.State = StateConnecting
		for _, f := range r.facts {
			switch {
			case f.line > s.returned:
			case f.sip != "":
				t.SIP = append(t.SIP, f.sip)
			case f.stream != "":
				t.Streams = append(t.Streams, f.stream)
			default:
				f.apply(&t)
			}
		}
		t.Failed = t.State == StateFailed
		calls = append(calls, &t)
	}
	return calls
}

// loggedTime is a time as a line's originating time writes it: to the millisecond.
func loggedTime(us int64) time.Time { return time.UnixMilli(us / 1000).UTC() }

// track starts the record of call c.
func (s *Sim) track(c *call) {
	c.rec = &record{lines: make([]int, 0, 32), times: make([]int64, 0, 32), truth: CallTruth{Protocol: c.protocol, Direction: c.direction, CallID: c.callID, ConversationID: c.convID,
		ParticipantID: c.partID, Participant: "sip:" + c.user, DisplayName: c.display, Conference: c.conf.name,
		Alias: c.conf.alias, UserAgent: c.vendor, Node: c.sig.name, Remote: c.remote, Lone: c.lone, Spam: c.spam}}
	if c.protocol == "H323" {
		c.rec.truth.UUID = c.uuid
	}
	s.records = append(s.records, c.rec)
}

// own notes the line just begun as a line of the call being logged, if any.
func (s *Sim) own() {
	if r := s.owner; r != nil {
		r.lines = append(r.lines, s.lines)
		r.times = append(r.times, s.now)
	}
}

// unowned runs log, whose lines are none of the call's.
func (s *Sim) unowned(log func()) {
	o := s.owner
	s.owner = nil
	log()
	s.owner = o
}

// fact notes what the line just written tells about call c.
func (s *Sim) fact(c *call, apply func(*CallTruth)) {
	if c.rec != nil {
		c.rec.facts = append(c.rec.facts, fact{line: s.lines, apply: apply})
	}
}

// noteSIP notes that the line just written is the SIP message detail of call c, or its
// first fragment.
func (s *Sim) noteSIP(c *call, detail string) {
	if c.rec != nil {
		c.rec.facts = append(c.rec.facts, fact{line: s.lines, sip: detail})
	}
}

// noteStream notes that the line just written holds the statistics of a stream of call c.
func (s *Sim) noteStream(c *call, detail string) {
	if c.rec != nil {
		c.rec.facts = append(c.rec.facts, fact{line: s.lines, stream: detail})
	}
}

// state notes that the line just written puts call c in state, for reason.
func (s *Sim) state(c *call, state, reason string) {
	s.fact(c, func(t *CallTruth) { t.State, t.Reason = state, reason })
}

// afterFor runs log d from now, its lines those of call c.
func (s *Sim) afterFor(c *call, d time.Duration, log func()) { s.afterOwned(c.rec, d, log) }
