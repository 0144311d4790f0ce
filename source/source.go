package source

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// A Live source delivers log text as it arrives: a followed file, a syslog listener,
// standard input. Run sends whole lines, in order, until ctx is done; it then releases
// everything it holds (files, sockets, goroutines) and returns nil, or the error that
// stopped it. Every Live source passes the same conformance test (conformance_test.go).
type Live interface {
	// Name says what the source is, as users wrote it: a path or a syslog URL.
	Name() string
	// Run sends the source's text to out until ctx is done.
	Run(ctx context.Context, out chan<- Chunk) error
	// Stats returns the source's counters so far; safe to call while Run runs.
	Stats() Stats
}

// Chunk is either whole lines of one generation of a source's text, or a change of the
// source's state (Data nil, State set).
type Chunk struct {
	Source string      // the source's Name
	Gen    *Generation // the text the lines belong to
	Offset int64       // where Data starts in the generation's text
	// Data holds whole lines, each ending in '\n', except that the last line of a
	// generation that ended (a rotated file) may lack it. The receiver owns Data.
	Data  []byte
	State State  // for a change of state: what the source is doing now
	Note  string // for a change of state: what happened, in words for the status line
}

// Generation is one unbroken run of a source's text: a file until it is rotated away or
// truncated, or a spool file. Offsets of entries are offsets into it.
type Generation struct {
	Name string      // the path it was read from
	Seq  int         // 0 for the first generation of a source, then 1, 2...
	Text io.ReaderAt // reads the text back; nil if it cannot be read back (a pipe without spool)
}

// State is what a live source is doing.
type State int

// The states of a live source.
const (
	Following State = iota // reading text as it arrives
	Waiting                // the path does not exist (yet, or any more)
	Rotated                // the file was replaced; the new one is followed from its start
	Truncated              // the file shrank; it is followed again from its start
	Failed                 // an error stops the source for now; Note says what and what to do
	Listening              // a network listener is ready
	Opened                 // the file was read to its end and is not followed
)

var stateNames = [...]string{"following", "waiting", "rotated", "truncated", "failed", "listening", "opened"}

// String returns the state's name as the status line shows it.
func (s State) String() string { return stateNames[s] }

// Stats are a source's counters.
type Stats struct {
	Bytes    int64 // text delivered
	Messages int64 // syslog messages received
	// Dropped counts messages lost before they were spooled: the kernel's receive buffer
	// overflowed, or the spooler could not keep up.
	Dropped int64
	// Truncated counts messages longer than the size limit, cut and marked.
	Truncated int64
	// Rejected counts connections and frames refused: too many connections, bad framing
	// or resets, TLS handshakes that failed. Idle connections are closed without counting.
	Rejected int64
}

// RunAll runs every source until ctx is done (or, for sources that end, until they have
// all ended), sending their chunks to out, and closes out when the last has returned.
// It returns the first error a source returned.
func RunAll(ctx context.Context, sources []Live, out chan<- Chunk) error {
	errs := make(chan error, len(sources))
	for _, s := range sources {
		go func() {
			err := s.Run(ctx, out)
			if err != nil {
				err = fmt.Errorf("%s: %w", s.Name(), err)
			}
			errs <- err
		}()
	}
	var first error
	for range sources {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	close(out)
	return first
}

// Summary says, in one line, how many entries each source delivered (counts, by source
// name) and what was lost: "calltail: 1234 entries: 1200 from support.log, 34 from
// udp://127.0.0.1:5514 (12 dropped)".
func Summary(sources []Live, counts map[string]int) string {
	total := 0
	var parts []string
	for _, s := range sources {
		n := counts[s.Name()]
		total += n
		part := fmt.Sprintf("%d from %s", n, s.Name())
		st := s.Stats()
		var lost []string
		for _, c := range []struct {
			n    int64
			what string
		}{{st.Dropped, "dropped"}, {st.Truncated, "truncated"}, {st.Rejected, "rejected"}} {
			if c.n > 0 {
				lost = append(lost, fmt.Sprintf("%d %s", c.n, c.what))
			}
		}
		if lost != nil {
			part += " (" + strings.Join(lost, ", ") + ")"
		}
		parts = append(parts, part)
	}
	return fmt.Sprintf("calltail: %d entries: %s", total, strings.Join(parts, ", "))
}
