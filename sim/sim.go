// Package sim simulates a Pexip Infinity deployment and writes the support log it would
// produce: several Conferencing Nodes on two releases (with the key spellings each uses),
// conferences, SIP, WebRTC, H.323 and API calls with their administrator lines, SIP messages
// (large ones fragmented), REST and ICE lines, end-of-call media statistics under both
// modules, and the warnings and errors of real deployments: failed joins, login failures,
// break-in attempts, lost connectivity. The same seed always gives the same lines, so the
// demo, tests and benchmarks share one reproducible source of realistic logs.
//
// Options add, one by one, the cases that make grouping lines into calls hard (Hard turns
// them all on), and Truth tells what each call logged, line by line, to test against.
package sim

import (
	"container/heap"
	"io"
	"math/rand/v2"
	"time"
)

// Epoch is when simulated time starts.
var Epoch = time.Date(2026, 5, 14, 8, 0, 0, 0, time.UTC)

// Sim is one simulated deployment. It is not safe for concurrent use.
type Sim struct {
	rng      *rand.Rand
	opt      Options
	now      int64 // simulated time, microseconds since the epoch
	seq      int64 // orders events that fall at the same time
	events   eventQueue
	nodes    []*node
	confs    []*conference
	out      []byte // lines written but not yet returned
	lines    int    // lines written so far
	returned int    // lines returned so far
	busy     float64
	records  []*record // every call, in the order it began
	owner    *record   // the call whose line is being written, if any
	turn     int       // where the next fragmented message is cut in its Call-ID header
}

// Options shape a simulation. Beyond Start and Busy, each field turns on one of the cases
// that make grouping lines into calls hard (issue 13); with all of them off a seed gives
// the same lines as it always did, byte for byte.
type Options struct {
	Start time.Time // when simulated time starts; zero means Epoch
	// Busy multiplies how often calls arrive and background events happen: 1 (or 0) is a
	// quiet deployment, 10 a busy one.
	Busy float64
	// SplitAnywhere fragments every SIP message longer than 600 characters, cut at any
	// byte: one cut falls in its Call-ID header (or compact i: header), at each offset in
	// turn from the ^M before it to the ^M after it, those two included, so that the
	// header is split everywhere, even inside ^M; the fragments after the first follow
	// within milliseconds, other lines between them.
	SplitAnywhere bool
	// SBC, when not empty, is the one address (port 5061) that all SIP signalling comes
	// from: every SIP call, lone dialog and OPTIONS ping. A quarter of SIP calls then fail
	// to join and are followed within 0.2–6 s by another SIP call to the same alias (of
	// someone else, or of the same person dialling again), so that pairing attempt lines
	// with signalling by address, protocol and alias within 10 s would merge them.
	SBC string
	// Refusals makes some SIP and H.323 calls to PIN-protected conferences end refused —
	// "Participant exceeded PIN entry retries. Call will be disconnected.", "PIN entry
	// timed out.", or "Conference host timeout." after "Guest participant waiting." — the
	// node sending a BYE (or H.225 releaseComplete) after the refusal; and 5% more calls
	// fail to join ("Participant failed to join conference." with a Reason).
	Refusals bool
	// LoneDialogs adds SIP dialogs that no administrator line describes: INVITEs refused
	// at once (404 Not Found, 403 Forbidden with a Reason header, 486 Busy Here, 488 Not
	// Acceptable Here with Reason and Warning headers), INVITEs of SIP scanners (404),
	// INVITEs cancelled by the caller (487 Request Terminated) and INVITEs that fail after
	// 100 Trying (503 Service Unavailable with a Warning header).
	LoneDialogs bool
	// ByeAfterDisconnect lets the node hang up half the SIP calls that joined: "Participant
	// has disconnected." (Detail "Conference terminated by host", "Call disconnected by
	// API" or "Media timeout") comes first, then the node's BYE and the caller's 200 OK,
	// so that the call's last line is not its disconnect line.
	ByeAfterDisconnect bool
	// MediaWindows logs, every 2 minutes of a call with media, its per-window statistics as
	// the vendor's tool reads them: a support.management_queue line whose Event is
	// participant_media_stream_window and whose Content is the JSON of the participant's
	// uuid, cumulative packet counts per stream (20 s apart) and recent quality.
	MediaWindows bool
}

// SBCAddress is the SBC's address in Hard.
const SBCAddress = "192.0.2.10"

// Hard returns Options with every case of issue 13 on, all SIP coming through the SBC at
// SBCAddress.
func Hard() Options {
	return Options{SplitAnywhere: true, SBC: SBCAddress, Refusals: true, LoneDialogs: true, ByeAfterDisconnect: true, MediaWindows: true}
}

// New returns a simulation seeded with seed, starting at Epoch.
func New(seed uint64) *Sim { return NewWith(seed, Options{}) }

// NewWith returns a simulation seeded with seed and shaped by opt.
func NewWith(seed uint64, opt Options) *Sim {
	if opt.Start.IsZero() {
		opt.Start = Epoch
	}
	if opt.Busy <= 0 {
		opt.Busy = 1
	}
	s := &Sim{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), opt: opt, now: opt.Start.UnixMicro(), busy: opt.Busy}
	s.nodes = deployment()
	s.confs = conferences()
	s.after(0, s.newCall)
	s.after(0, s.background)
	if opt.LoneDialogs {
		s.after(0, s.loneDialog)
	}
	return s
}

// Next appends the next line of the log, with its line feed, to dst.
func (s *Sim) Next(dst []byte) []byte {
	for len(s.out) == 0 {
		s.step()
	}
	i := indexNewline(s.out)
	dst = append(dst, s.out[:i+1]...)
	s.out = s.out[i+1:]
	s.returned++
	if len(s.out) == 0 {
		s.out = s.out[:0:0] // let the buffer be reused from its start
	}
	return dst
}

// WriteLines writes n lines to w.
func (s *Sim) WriteLines(w io.Writer, n int) error {
	buf := make([]byte, 0, 256<<10)
	for range n {
		buf = s.Next(buf)
		if len(buf) >= 192<<10 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	_, err := w.Write(buf)
	return err
}

// Now returns the simulated time of the last line written.
func (s *Sim) Now() time.Time { return time.UnixMicro(s.now).UTC() }

// step runs the next event, which writes zero or more lines.
func (s *Sim) step() {
	e := heap.Pop(&s.events).(event)
	s.now = e.at
	s.owner = e.owner
	e.run()
}

// after schedules run to happen d from now.
func (s *Sim) after(d time.Duration, run func()) { s.afterOwned(nil, d, run) }

// afterOwned schedules run to happen d from now, the lines it writes owner's (if not nil).
func (s *Sim) afterOwned(owner *record, d time.Duration, run func()) {
	s.seq++
	heap.Push(&s.events, event{at: s.now + d.Microseconds(), seq: s.seq, run: run, owner: owner})
}

func indexNewline(b []byte) int {
	for i, c := range b {
		if c == '\n' {
			return i
		}
	}
	return len(b) - 1
}

type event struct {
	at, seq int64
	run     func()
	owner   *record // the call whose lines run writes, if any
}

type eventQueue []event

func (q eventQueue) Len() int { return len(q) }
func (q eventQueue) Less(i, j int) bool {
	return q[i].at < q[j].at || q[i].at == q[j].at && q[i].seq < q[j].seq
}
func (q eventQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *eventQueue) Push(x any)   { *q = append(*q, x.(event)) }
func (q *eventQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// Helpers for random choices.

func (s *Sim) pick(xs []string) string { return xs[s.rng.IntN(len(xs))] }

func (s *Sim) chance(p float64) bool { return s.rng.Float64() < p }

// gap returns a random wait between lo and hi milliseconds, shortened by how busy the
// deployment is.
func (s *Sim) gap(lo, hi int) time.Duration { return time.Duration(float64(s.ms(lo, hi)) / s.busy) }

// ms returns a random duration between lo and hi milliseconds.
func (s *Sim) ms(lo, hi int) time.Duration {
	return time.Duration(lo+s.rng.IntN(hi-lo+1)) * time.Millisecond
}

// hexID returns n random lower-case hex digits.
func (s *Sim) hexID(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[s.rng.IntN(16)]
	}
	return string(b)
}

// uuid returns a random version-4 UUID.
func (s *Sim) uuid() string {
	h := s.hexID(32)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}
