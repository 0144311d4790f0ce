// Package sim simulates a Pexip Infinity deployment and writes the support log it would
// produce: several Conferencing Nodes on two releases (with the key spellings each uses),
// conferences, SIP, WebRTC, H.323 and API calls with their administrator lines, SIP messages
// (large ones fragmented), REST and ICE lines, end-of-call media statistics under both
// modules, and the warnings and errors of real deployments: failed joins, login failures,
// break-in attempts, lost connectivity. The same seed always gives the same lines, so the
// demo, tests and benchmarks share one reproducible source of realistic logs.
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
	rng    *rand.Rand
	now    int64 // simulated time, microseconds since the epoch
	seq    int64 // orders events that fall at the same time
	events eventQueue
	nodes  []*node
	confs  []*conference
	out    []byte // lines written but not yet returned
	lines  int    // lines written so far
	busy   float64
	truth  []*CallTruth
}

// CallTruth is what the simulation knows of a call it logged: its ids, who and where, and
// every SIP message and stream statistic it logged for it — to test calltail against.
type CallTruth struct {
	Protocol, Direction                         string
	CallID, ConversationID, ParticipantID, UUID string
	Participant, DisplayName, Conference, Alias string
	Failed                                      bool
	SIP                                         []string // each SIP message as logged, ^M-encoded, in order; a relayed message once per node
	Streams                                     []string // each "Media Stream destroyed" Detail, in order
}

// Truth returns the calls logged so far, in order.
func (s *Sim) Truth() []*CallTruth { return s.truth }

// Options shape a simulation.
type Options struct {
	Start time.Time // when simulated time starts; zero means Epoch
	// Busy multiplies how often calls arrive and background events happen: 1 (or 0) is a
	// quiet deployment, 10 a busy one.
	Busy float64
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
	s := &Sim{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: opt.Start.UnixMicro(), busy: opt.Busy}
	s.nodes = deployment()
	s.confs = conferences()
	s.after(0, s.newCall)
	s.after(0, s.background)
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
	e.run()
}

// after schedules run to happen d from now.
func (s *Sim) after(d time.Duration, run func()) {
	s.seq++
	heap.Push(&s.events, event{at: s.now + d.Microseconds(), seq: s.seq, run: run})
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
