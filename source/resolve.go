package source

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync/atomic"
	"time"
)

// Plan is what the command line asks calltail to read. Resolve turns it into inputs.
type Plan struct {
	// Paths are log files (plain or gzip-compressed), diagnostic snapshots (a directory or
	// a .tar.gz), and "-" for Stdin. With none and no Syslog, Stdin is read unless it is
	// a terminal.
	Paths []string
	Stdin io.Reader
	// Syslog are listener URLs (udp://, tcp://, tls://HOST:PORT), received live.
	Syslog        []string
	SyslogOptions SyslogOptions
	// TLSCert, TLSKey and TLSClientCA are the PEM files of tls:// listeners (see LoadTLS).
	TLSCert, TLSKey, TLSClientCA string
	// Spool is where received text is written first; "" is DefaultSpoolPath.
	Spool string
	// Live makes live sources (Inputs.Live) that deliver text as it arrives; without it,
	// each input is a stream read once to its end (Inputs.Once), and Syslog is refused.
	Live bool
	// Follow, when Live, follows files like tail -F through rotation; without it they are
	// read to their end and not followed.
	Follow bool
	// Poll follows files by checking them every 250 ms instead of inotify (NFS).
	Poll bool
	// ReadBack keeps every input's text readable at the offsets delivered, for readers
	// that read entries back (the UI, the calls and security reports): piped text is
	// written to the spool (Live) or to a temporary file (Once), compressed text to a
	// temporary file that is gone once closed, and followed files keep their rotated
	// generations open. Snapshots and compressed files are read once (Inputs.Once) even
	// when Live; without ReadBack they cannot be ("read it without -f").
	ReadBack bool
	// LoadFirst, with Live and ReadBack, makes each plain file's text at the start an input
	// read once (Inputs.Once, see File.Begin), to be indexed first, merged by time with the
	// other inputs read once, as a headless run merges them; its follower goes on from
	// where that text ends.
	LoadFirst bool
}

// Inputs are what a Plan resolves to. Close releases them.
type Inputs struct {
	Live  []Live   // with Plan.Live: run them with RunAll
	Once  []Input  // without Plan.Live (and snapshots, which are not followed): read each to its end
	Files []string // the plain files among the paths, as given: the UI shows their ends first

	syslog  *Syslog
	closers []func() error
}

// Input is a stream of log text read once.
type Input struct {
	Name string    // the path as given, "-", or a snapshot log's path inside the snapshot
	Node string    // the node folder a snapshot log was found in, or ""
	R    io.Reader // the text, decompressed
	// Text reads the text back at the offsets R delivered (with Plan.ReadBack), or is nil.
	Text io.ReaderAt
	// Progress, if not nil, says how many bytes of the input's files have been read, and
	// how many they hold.
	Progress func() (done, total int64)
	// Modified is when the text was last written (a file's modification time), or zero
	// when unknown (a pipe): the year of a time stamp that carries none is taken from it.
	Modified time.Time
	// Gen, if not nil, is the followed generation whose start this is (Plan.LoadFirst):
	// the live source of the same Name sends the rest of it, and says what it is doing.
	Gen *Generation
}

// Close releases what the inputs hold: files, temporary copies, unpacked snapshots, the
// spool and the file watcher. Live sources must have stopped running.
func (in *Inputs) Close() {
	for i := len(in.closers) - 1; i >= 0; i-- {
		in.closers[i]()
	}
	in.closers = nil
}

// SyslogAddrs returns the addresses the syslog listeners are bound to (a port given as 0
// is chosen by the system), or nil without listeners.
func (in *Inputs) SyslogAddrs() []net.Addr {
	if in.syslog == nil {
		return nil
	}
	return in.syslog.Addrs()
}

// The errors of a plan that cannot be read, in words a user can act on.
var (
	ErrNoInput       = errors.New("no input: give log files, a snapshot, - for standard input or --syslog URL, or try calltail --demo (see calltail --help)")
	errStdinTerminal = errors.New("- reads standard input, which is a terminal: pipe a log into calltail")
	errStdinTwice    = errors.New("- (standard input) is given twice: it can be read only once")
	errSyslogOnce    = errors.New("--syslog receives messages live: it cannot be read to an end (leave out --calls, --call and --security)")
)

// Resolve opens what plan names: it checks the paths, binds the listeners, makes the
// spool and the file watcher when needed, and returns live sources or streams. On error
// everything opened so far is released.
func Resolve(plan Plan) (_ *Inputs, err error) {
	in := &Inputs{}
	defer func() {
		if err != nil {
			in.Close()
		}
	}()
	paths := plan.Paths
	if len(paths) == 0 && len(plan.Syslog) == 0 {
		if IsTerminal(plan.Stdin) {
			return nil, ErrNoInput
		}
		paths = []string{"-"}
	}
	if err := checkStdin(paths, plan.Stdin); err != nil {
		return nil, err
	}
	if !plan.Live {
		if len(plan.Syslog) > 0 {
			return nil, errSyslogOnce
		}
		for _, p := range paths {
			if err := in.addOnce(p, plan); err != nil {
				return nil, err
			}
		}
		return in, nil
	}
	r := resolver{plan: plan, in: in}
	for _, p := range paths {
		if err := r.addLive(p); err != nil {
			return nil, err
		}
	}
	if len(plan.Syslog) > 0 {
		if err := r.addSyslog(); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// checkStdin rejects "-" given twice, or given when standard input is a terminal.
func checkStdin(paths []string, stdin io.Reader) error {
	seen := false
	for _, p := range paths {
		if p != "-" {
			continue
		}
		if seen {
			return errStdinTwice
		}
		seen = true
		if IsTerminal(stdin) {
			return errStdinTerminal
		}
	}
	return nil
}

// addOnce adds the stream of a path read once: a snapshot's logs, or the file (or
// standard input) decompressed if need be.
func (in *Inputs) addOnce(path string, plan Plan) error {
	if path != "-" && IsSnapshot(path) {
		return in.addSnapshot(path, plan.ReadBack)
	}
	return in.openOnce(path, path, "", plan.Stdin, plan.ReadBack)
}

// addSnapshot adds a snapshot's logs, an input per log of each node (its generations
// read one after another, oldest first), labelled with its node.
func (in *Inputs) addSnapshot(path string, readBack bool) error {
	logs, cleanup, err := Snapshot(path)
	if err != nil {
		return err
	}
	in.closers = append(in.closers, func() error { cleanup(); return nil })
	copies := &copyDir{} // where compressed logs are decompressed to, to be read back
	in.closers = append(in.closers, copies.remove)
	for _, chain := range chains(logs) {
		var total int64
		var modified time.Time
		for _, l := range chain {
			if info, err := os.Stat(l.Path); err == nil {
				total += info.Size()
				modified = info.ModTime() // the newest generation's, last
			}
		}
		r := &chainReader{logs: chain, copies: copies, consumed: new(atomic.Int64)}
		last := chain[len(chain)-1]
		input := Input{Name: last.Name, Node: last.Node, R: r, Modified: modified,
			Progress: func() (done, all int64) { return r.consumed.Load(), total }}
		if readBack {
			r.text = &chainText{}
			input.Text = r.text
		}
		in.Once = append(in.Once, input)
	}
	return nil
}

// openOnce opens one stream. With readBack, a plain file is opened a second time to read
// entries back from; other text is copied, as it is read, into a temporary file that is
// gone once closed.
func (in *Inputs) openOnce(path, name, node string, stdin io.Reader, readBack bool) error {
	read := new(atomic.Int64)
	s, err := openCounted(path, stdin, read)
	if err != nil {
		return err
	}
	in.closers = append(in.closers, s.Close)
	input := Input{Name: name, Node: node, R: s}
	if info, err := os.Stat(path); path != "-" && err == nil {
		input.Progress = func() (done, total int64) { return read.Load(), info.Size() }
		input.Modified = info.ModTime()
	}
	switch {
	case !readBack:
	case path != "-" && !s.Compressed():
		f, err := os.Open(path)
		if err != nil {
			return describe(path, err)
		}
		in.closers = append(in.closers, f.Close)
		input.Text = f
	default:
		f, err := os.CreateTemp("", "calltail-text-")
		if err != nil {
			return err
		}
		os.Remove(f.Name()) // gone when closed
		in.closers = append(in.closers, f.Close)
		input.R, input.Text = io.TeeReader(s, f), f
	}
	in.Once = append(in.Once, input)
	return nil
}

// resolver makes live sources; the spool and the file watcher are made when first needed
// and shared.
type resolver struct {
	plan    Plan
	in      *Inputs
	spool   *Spool
	watcher *Watcher
	watched bool // the watcher was asked for (it is nil when polling)
}

// addLive adds the live sources of a path.
func (r *resolver) addLive(path string) error {
	plan := r.plan
	if path == "-" {
		var spool *Spool
		if plan.ReadBack {
			var err error
			if spool, err = r.spooled(); err != nil {
				return err
			}
		}
		r.in.Live = append(r.in.Live, NewReader("-", Pollable(plan.Stdin), spool))
		return nil
	}
	if IsSnapshot(path) { // read once, as a snapshot is not followed
		if !plan.ReadBack {
			return fmt.Errorf("%s is a snapshot: it cannot be followed; read it without -f", path)
		}
		return r.in.addSnapshot(path, true)
	}
	fopt := FollowOptions{Poll: plan.Poll, Once: !plan.Follow, Keep: plan.ReadBack}
	if plan.Follow && !plan.Poll {
		w, err := r.fileWatcher()
		if err != nil {
			return err
		}
		fopt.Watcher = w
	}
	plain, err := r.addFile(path, fopt)
	if plain {
		r.in.Files = append(r.in.Files, path)
	}
	return err
}

// addFile adds a follower of a plain file, or a compressed one read once, and reports
// which. A file that cannot be opened yet is followed: the follower waits for it and
// says so.
func (r *resolver) addFile(path string, fopt FollowOptions) (plain bool, err error) {
	s, err := Open(path, nil)
	if err != nil || !s.Compressed() {
		if err == nil {
			s.Close()
		}
		f := NewFile(path, fopt)
		if r.plan.LoadFirst && r.plan.ReadBack {
			if start, ok := f.Begin(); ok {
				r.in.Once = append(r.in.Once, start)
				r.in.closers = append(r.in.closers, f.closeBegun)
			}
		}
		r.in.Live = append(r.in.Live, f)
		return true, nil
	}
	s.Close()
	if !r.plan.ReadBack {
		return false, fmt.Errorf("%s is compressed: it cannot be followed; read it without -f", path)
	}
	// Read once, as it is not followed, decompressed into a file that is gone once closed
	// (or calltail ends, however it ends).
	return false, r.in.openOnce(path, path, "", nil, true)
}

// spooled returns the session's spool, creating it the first time.
func (r *resolver) spooled() (*Spool, error) {
	if r.spool != nil {
		return r.spool, nil
	}
	path := r.plan.Spool
	if path == "" {
		var err error
		if path, err = DefaultSpoolPath(time.Now()); err != nil {
			return nil, err
		}
	}
	spool, err := CreateSpool(path)
	if err != nil {
		return nil, err
	}
	r.spool = spool
	r.in.closers = append(r.in.closers, spool.Close)
	return spool, nil
}

// fileWatcher returns the inotify watcher that every follower shares.
func (r *resolver) fileWatcher() (*Watcher, error) {
	if !r.watched {
		w, err := NewWatcher()
		if err != nil {
			return nil, fmt.Errorf("cannot watch files: %v (try --poll)", err)
		}
		r.watcher, r.watched = w, true
		r.in.closers = append(r.in.closers, w.Close)
	}
	return r.watcher, nil
}

// addSyslog binds the listeners, spooling what they receive.
func (r *resolver) addSyslog() error {
	opt := r.plan.SyslogOptions
	if r.plan.TLSCert != "" || r.plan.TLSKey != "" || r.plan.TLSClientCA != "" {
		cfg, err := LoadTLS(r.plan.TLSCert, r.plan.TLSKey, r.plan.TLSClientCA)
		if err != nil {
			return err
		}
		opt.TLS = cfg
	}
	spool, err := r.spooled()
	if err != nil {
		return err
	}
	s, err := NewSyslog(r.plan.Syslog, spool, opt)
	if err != nil {
		return err
	}
	r.in.syslog = s
	r.in.Live = append(r.in.Live, s)
	return nil
}

// PipeOnly reports whether the plan reads nothing but standard input, and from a pipe
// rather than a file: text that headless runs print as it arrives.
func (p Plan) PipeOnly() bool {
	if len(p.Syslog) > 0 || IsRegularFile(p.Stdin) {
		return false
	}
	switch len(p.Paths) {
	case 0:
		return !IsTerminal(p.Stdin)
	case 1:
		return p.Paths[0] == "-"
	}
	return false
}
