// Package session is the engine behind the UI: it runs the live sources, indexes what they
// deliver into a store, keeps what each source is doing, and tells the UI — through one
// coalescing signal, never once per line — that something changed.
package session

import (
	"cmp"
	"context"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source"
)

// Notifier coalesces "something changed" signals from background work: any number of
// pokes between two receives are one signal.
type Notifier struct{ ch chan struct{} }

// NewNotifier returns a Notifier.
func NewNotifier() *Notifier { return &Notifier{ch: make(chan struct{}, 1)} }

// Poke signals a change without waiting.
func (n *Notifier) Poke() {
	select {
	case n.ch <- struct{}{}:
	default:
	}
}

// C receives once after one or more pokes.
func (n *Notifier) C() <-chan struct{} { return n.ch }

// SourceState is what a source is doing, for the status line.
type SourceState struct {
	Name   string
	State  source.State
	Note   string
	Stats  source.Stats
	Format string // the format its entries are read as: forced, or detected from its first lines
}

// Session is everything the UI shows.
type Session struct {
	Store     *store.Store
	Calls     *calls.Index // the calls in the store, kept up to date as it grows
	Notifier  *Notifier
	newParser model.NewParserFunc
	sources   []source.Live
	once      []source.Input // read first, merged by time (SetOnce)

	mu        sync.Mutex
	states    map[string]source.Chunk
	sizes     map[string]int64 // bytes in the files followed when the session started, by name
	begun     map[string]bool  // the files whose text at the start is read once (source.Input.Gen)
	ingested  map[*source.Generation]int64
	done      bool
	onceDone  bool  // the once inputs are indexed
	onceErr   error // why they could not all be
	limited   bool  // the store's limit is set (see SetMaxEntries)
	limitAt   int   // ... to this many entries (0: none)
	loadedLen int   // ... when the store held this many
	max       int
	format    string            // the format forced with SetFormat, or "" to detect it
	samples   map[string][]byte // each source's first text, to detect its format from
	formats   map[string]string // each source's format, as detected so far
}

// New returns a session over sources; it starts reading when Run is called. The initial
// size of the files followed is taken now, to report indexing progress.
func New(sources []source.Live, newParser model.NewParserFunc) *Session {
	st := store.New()
	s := &Session{Store: st, Calls: calls.New(st, newParser), Notifier: NewNotifier(), newParser: newParser, sources: sources,
		states: map[string]source.Chunk{}, sizes: map[string]int64{}, begun: map[string]bool{}, ingested: map[*source.Generation]int64{},
		samples: map[string][]byte{}, formats: map[string]string{}}
	for _, src := range sources {
		if f, ok := src.(*source.File); ok {
			if info, err := os.Stat(f.Name()); err == nil && info.Mode().IsRegular() {
				s.sizes[f.Name()] = info.Size()
			}
		}
	}
	return s
}

// SetOnce gives the session inputs to read once, before what the live sources deliver,
// merged by originating time, each entry that names no node labelled with its input's
// (see Load): a snapshot's logs, compressed files, and the text that followed files held
// at the start (source.Plan.LoadFirst), which their followers then go on from. Call it
// before Run.
func (s *Session) SetOnce(inputs []source.Input) {
	s.once = inputs
	for _, in := range inputs {
		if in.Gen != nil {
			s.begun[in.Name] = true
		}
	}
}

// SetFormat says that every source is read as the format called name (see formats.New),
// rather than detected. Call it before Run.
func (s *Session) SetFormat(name string) {
	if name != "auto" {
		s.format = name
	}
}

// detect detects the format of c's source from its first text, until it has seen enough.
func (s *Session) detect(c source.Chunk) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sample := s.samples[c.Source]
	if s.format != "" || len(sample) >= formats.SampleBytes {
		return
	}
	sample = append(sample, c.Data[:min(len(c.Data), formats.SampleBytes-len(sample))]...)
	s.samples[c.Source], s.formats[c.Source] = sample, formats.Detect(sample)
}

// detectStart detects the format of a followed file from its text at the start, which
// its follower does not send (see SetOnce).
func (s *Session) detectStart(in source.Input) {
	if s.format != "" {
		return
	}
	sample := make([]byte, formats.SampleBytes)
	n, _ := in.Text.ReadAt(sample, 0)
	s.detect(source.Chunk{Source: in.Name, Data: sample[:n]})
}

// SetMaxEntries makes the store hold at most n entries (0: all) once the files' text at
// the start is indexed, or as many as that text holds if more: a file opened is held
// whole, and a long live session lets its oldest entries go. Call it before Run.
func (s *Session) SetMaxEntries(n int) { s.max = n }

// limit sets the store's limit, once the first load is done (see SetMaxEntries).
func (s *Session) limit() {
	if s.limited || s.max == 0 || !s.Loaded() {
		return
	}
	s.limited = true
	n := max(s.max, s.Store.Len())
	s.mu.Lock()
	s.limitAt, s.loadedLen = n, s.Store.Len()
	s.mu.Unlock()
	s.Store.SetMaxEntries(n)
}

// goingSoon returns the number of an entry before which the store lets its entries go
// soon, or 0 while nothing has come since the first load or the store holds fewer than
// seven eighths of its limit: the calls of those entries are read before they go (see
// readCallsAhead).
func (s *Session) goingSoon() uint32 {
	s.mu.Lock()
	limit, loaded := s.limitAt, s.loadedLen
	s.mu.Unlock()
	first, n := s.Store.First(), s.Store.Len()
	margin := limit / 8
	if limit == 0 || n == loaded || n-first+margin < limit {
		return 0
	}
	return uint32(first + 2*margin)
}

// Run reads every source and indexes what arrives until ctx is done and the sources have
// stopped.
func (s *Session) Run(ctx context.Context) error {
	chunks := make(chan source.Chunk, 64)
	counted := make(chan source.Chunk, 64)
	runErr := make(chan error, 1)
	go func() { runErr <- source.RunAll(ctx, s.sources, chunks) }()
	go func() {
		defer close(counted)
		for c := range chunks {
			if c.Data != nil && c.Gen.Seq == 0 && !s.begun[c.Source] {
				s.mu.Lock()
				s.ingested[c.Gen] = c.Offset + int64(len(c.Data))
				s.mu.Unlock()
			}
			if c.Data != nil {
				s.detect(c)
			}
			counted <- c
		}
	}()
	readAhead, stopped := context.WithCancel(ctx)
	defer stopped()
	loadDone, caughtUp := make(chan struct{}), func() {}
	if len(s.once) > 0 {
		gc := debug.SetGCPercent(loadGCPercent)
		caughtUp = func() { debug.SetGCPercent(min(gc, heldGCPercent)) } // GOGC=off (-1) stays off
	}
	go s.readCallsAhead(readAhead, loadDone, caughtUp)
	start := liveStart{origins: map[*source.Generation]uint16{}}
	for _, src := range s.sources {
		start.sources = append(start.sources, src.Name())
	}
	if len(s.once) > 0 { // the live sources wait meanwhile; syslog is spooled
		origins := addOrigins(s.Store, s.once)
		for i, in := range s.once {
			if in.Gen != nil {
				start.origins[in.Gen] = origins[i]
				s.detectStart(in)
			}
		}
		err := load(ctx, s.Store, s.once, origins, s.newParser, s.Notifier.Poke)
		s.mu.Lock()
		s.onceDone, s.onceErr = true, err
		s.mu.Unlock()
		s.limit()
		s.Notifier.Poke()
	}
	close(loadDone)
	ingest(s.Store, counted, s.newParser, start, s.setState, func(int) {
		s.limit()
		s.Notifier.Poke()
	})
	s.mu.Lock()
	s.done = true
	s.mu.Unlock()
	s.Notifier.Poke()
	return <-runErr
}

// loadGCPercent is the collector's GOGC while the first load indexes, and until its calls
// are caught up: most of what it allocates is garbage at once (lines read, parsed, let
// go), and at the default 100 the heap grows to twice what is kept before the collector
// runs. At 30, the UI's peak RSS on a 300 MB file is 115 MB rather than 188, for about the
// same CPU.
const loadGCPercent = 30

// heldGCPercent is the collector's GOGC once the first load is done and its calls caught up
// (unless GOGC asks for less): what is held then is mostly the index, which grows slowly
// as lines arrive, and at 100 a long session's heap would be let grow to twice it before
// a collection.
const heldGCPercent = 50

// readAheadEvery is how often a live session reads its calls' new lines.
const readAheadEvery = time.Second

// readCallsAhead keeps the summaries of the calls that live lines tell about read as the
// lines arrive, once the first load is done: their text can be lost later (a file
// truncated in place), and the calls list then opens at once. The calls the first load
// found are read when the calls list asks for them — a log opened and never looked at
// for calls costs no summaries — or just before the store lets their lines go. Their
// calls are caught up (joined, paired) as soon as loadDone is closed and every source is
// indexed; then caughtUp is called.
func (s *Session) readCallsAhead(ctx context.Context, loadDone <-chan struct{}, caughtUp func()) {
	t := time.NewTicker(readAheadEvery)
	defer t.Stop()
	var read uint64
	loaded := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-loadDone:
			loadDone = nil // closed: once is enough
		}
		switch {
		case !s.Loaded():
		case !loaded: // the first load's calls are read when the calls list asks
			loaded = true
			read = s.Calls.Unread()
			debug.FreeOSMemory() // what the load used and no longer needs, back to the system
			caughtUp()
		default:
			if n := s.goingSoon(); n > 0 {
				s.Calls.ReadAheadBefore(n)
			}
			if s.Calls.Version() != read {
				read = s.Calls.ReadAhead()
			}
		}
	}
}

func (s *Session) setState(c source.Chunk) {
	s.mu.Lock()
	s.states[c.Source] = c
	s.mu.Unlock()
	s.Notifier.Poke()
}

// States returns what each source is doing, in the order the sources were given, the
// inputs read once first (but for the start of a followed file, whose follower says what
// it is doing, unless reading it failed).
func (s *Session) States() []SourceState {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SourceState, 0, len(s.once)+len(s.sources))
	for _, in := range s.once {
		if in.Gen != nil && s.onceErr == nil {
			continue
		}
		st := SourceState{Name: in.Name, State: source.Opened, Format: s.format}
		if s.onceErr != nil {
			st.State, st.Note = source.Failed, s.onceErr.Error()
		}
		out = append(out, st)
	}
	for _, src := range s.sources {
		st := SourceState{Name: src.Name(), Stats: src.Stats(), Format: cmp.Or(s.format, s.formats[src.Name()])}
		if c, ok := s.states[src.Name()]; ok {
			st.State, st.Note = c.State, c.Note
		}
		out = append(out, st)
	}
	return out
}

// Live reports whether a source may still deliver: a file followed, a listener, a pipe —
// not only files read to their end (--no-follow, snapshots).
func (s *Session) Live() bool {
	for _, st := range s.States() {
		if st.State != source.Opened && st.State != source.Failed {
			return true
		}
	}
	return false
}

// Indexing returns how many of the bytes that the files held at the start have been read,
// and how many there were: the progress of the first load.
func (s *Session) Indexing() (done, total int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.ingested {
		done += n
	}
	for name, n := range s.sizes {
		if !s.begun[name] {
			total += n
		}
	}
	done = min(done, total)
	for _, in := range s.once {
		if in.Progress != nil {
			d, t := in.Progress()
			done, total = done+min(d, t), total+t
		}
	}
	return done, total
}

// Loaded reports whether the files' text at the start, and the inputs read once, have
// been indexed.
func (s *Session) Loaded() bool {
	done, total := s.Indexing()
	s.mu.Lock()
	defer s.mu.Unlock()
	return done >= total && (s.onceDone || len(s.once) == 0)
}
