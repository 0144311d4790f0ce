// Command calltail is a terminal log viewer for video-conferencing and VoIP servers,
// first of all Pexip Infinity. This file holds the flags and the wiring; the engine lives
// in model/ and the inputs in source/.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/query"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/source"
	"github.com/calltail/calltail/source/sim"
)

const usage = `calltail - follow Pexip Infinity logs and the calls in them

Usage:
  calltail -n [--query EXPR] [--json] PATH...      print matching entries and exit
  calltail -n -f [--query EXPR] [--json] PATH...   ... and keep printing them as they arrive
  calltail --generate N [--seed S]                 write N simulated log lines to stdout

PATH is a log file, a gzip-compressed log file, or - for standard input. Several files are
merged by originating time.

Flags:
  -n              headless: print entries instead of opening the terminal UI
  -f, --follow    follow the files like tail -F (through rotation and truncation) and
                  print new entries until interrupted; a summary goes to stderr
  --poll          check followed files every 250 ms instead of using inotify (NFS)
  --query EXPR    print only entries matching EXPR, for example
                    'level >= warning'
                    'call-id == "c56a80d01eae2cd5@10.44.161.165"'
                    'module ^= "administrator." && !(message contains "registration")'
                    'timeout || "media stream"'
  --json          print one JSON object per entry: time, node, level, module, message,
                  fields, raw
  --generate N    write N lines of a simulated Pexip deployment's support log
  --seed S        seed of the simulation (default 1); the same seed gives the same lines
  -h, --help      show this help
`

// options are the parsed command line.
type options struct {
	headless bool
	follow   bool
	poll     bool
	query    string
	json     bool
	generate int
	seed     uint64
	paths    []string
}

// errUsage marks errors in how calltail was invoked: exit status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is calltail with its arguments and standard streams; it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opt, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if err == nil {
		err = dispatch(ctx, opt, stdin, stdout, stderr)
	}
	if ctx.Err() != nil {
		if opt.follow && err == nil {
			return 0 // following ends when interrupted
		}
		return 130 // interrupted: the user knows why
	}
	if err != nil {
		fmt.Fprintf(stderr, "calltail: %v\n", err)
		return 2
	}
	return 0
}

func dispatch(ctx context.Context, opt options, stdin io.Reader, stdout, stderr io.Writer) error {
	switch {
	case opt.generate > 0:
		return sim.New(opt.seed).WriteLines(stdout, opt.generate)
	case opt.headless:
		return headless(ctx, opt, stdin, stdout, stderr)
	default:
		return errors.New("the terminal UI is not built yet: use -n to print entries (see calltail --help)")
	}
}

// headless prints the entries of every path that match the query.
func headless(ctx context.Context, opt options, stdin io.Reader, stdout, stderr io.Writer) error {
	f, err := filter.Compile(opt.query)
	if err != nil {
		return fmt.Errorf("bad --query %q: %w", opt.query, err)
	}
	paths := opt.paths
	if len(paths) == 0 {
		if isTerminal(stdin) {
			return errors.New("no input: give a log file, or - for standard input (see calltail --help)")
		}
		paths = []string{"-"}
	}
	if err := checkPaths(paths); err != nil {
		return err
	}
	qopt := query.Options{Filter: f, Format: export.Plain, NewParser: newParser}
	if opt.json {
		qopt.Format = export.JSON
	}
	// Text from a pipe is printed as it arrives, as are followed files.
	if opt.follow || len(paths) == 1 && paths[0] == "-" && !isRegularFile(stdin) {
		return follow(ctx, opt, paths, stdin, qopt, stdout, stderr)
	}
	var inputs []query.Input
	for _, p := range paths {
		s, err := source.Open(p, stdin)
		if err != nil {
			return err
		}
		defer s.Close()
		inputs = append(inputs, query.Input{Name: p, R: s})
	}
	_, err = query.Run(ctx, inputs, qopt, stdout)
	return err
}

// follow prints entries from live sources until they end or ctx is done, then writes a
// one-line summary to stderr when following.
func follow(ctx context.Context, opt options, paths []string, stdin io.Reader, qopt query.Options, stdout, stderr io.Writer) error {
	var sources []source.Live
	fopt := source.FollowOptions{Poll: opt.poll}
	if !opt.poll {
		w, err := source.NewWatcher()
		if err != nil {
			return fmt.Errorf("cannot watch files: %v (try --poll)", err)
		}
		defer w.Close()
		fopt.Watcher = w
	}
	for _, p := range paths {
		if p == "-" {
			sources = append(sources, source.NewReader("-", pollable(stdin), nil))
		} else {
			sources = append(sources, source.NewFile(p, fopt))
		}
	}
	chunks := make(chan source.Chunk, 64)
	runErr := make(chan error, 1)
	go func() { runErr <- source.RunAll(ctx, sources, chunks) }()
	counts, err := query.Follow(chunks, qopt, stdout, func(c source.Chunk) {
		if c.State != source.Following {
			fmt.Fprintf(stderr, "calltail: %s\n", sanitize.String(c.Note))
		}
	})
	if rerr := <-runErr; err == nil {
		err = rerr
	}
	if opt.follow {
		fmt.Fprintln(stderr, summary(sources, counts))
	}
	return err
}

// summary says how many entries each source delivered and what was lost.
func summary(sources []source.Live, counts map[string]int) string {
	total := 0
	var parts []string
	for _, s := range sources {
		n := counts[s.Name()]
		total += n
		part := fmt.Sprintf("%d from %s", n, sanitize.String(s.Name()))
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

// checkPaths rejects a path list that cannot be read: standard input given twice.
func checkPaths(paths []string) error {
	stdinUsed := false
	for _, p := range paths {
		if p == "-" {
			if stdinUsed {
				return errors.New("- (standard input) is given twice: it can be read only once")
			}
			stdinUsed = true
		}
	}
	return nil
}

func newParser() model.Parser { return &pexip.Parser{} }

// parseFlags reads the command line. Flags may come before, between or after paths;
// "--" ends the flags.
func parseFlags(args []string) (options, error) {
	var opt options
	fs := flag.NewFlagSet("calltail", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&opt.headless, "n", false, "")
	fs.BoolVar(&opt.follow, "f", false, "")
	fs.BoolVar(&opt.follow, "follow", false, "")
	fs.BoolVar(&opt.poll, "poll", false, "")
	fs.StringVar(&opt.query, "query", "", "")
	fs.BoolVar(&opt.json, "json", false, "")
	fs.IntVar(&opt.generate, "generate", 0, "")
	fs.Uint64Var(&opt.seed, "seed", 1, "")
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return opt, err
			}
			return opt, fmt.Errorf("%v (see calltail --help)", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			opt.paths = append(opt.paths, rest...)
			break
		}
		opt.paths = append(opt.paths, rest[0])
		args = rest[1:]
	}
	if opt.generate < 0 {
		return opt, fmt.Errorf("--generate %d: the number of lines must be positive", opt.generate)
	}
	if opt.generate > 0 && (opt.headless || opt.query != "" || len(opt.paths) > 0) {
		return opt, errors.New("--generate writes a simulated log to stdout and reads no input: pipe it into calltail -n instead")
	}
	return opt, nil
}

// isRegularFile reports whether r is a file on disk (stdin redirected from a file).
func isRegularFile(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode().IsRegular()
}

// pollable returns standard input in non-blocking mode when it is a pipe, so that a read
// waiting for more text can be interrupted when calltail stops.
func pollable(r io.Reader) io.Reader {
	f, ok := r.(*os.File)
	if !ok || f != os.Stdin {
		return r
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		return r
	}
	if err := syscall.SetNonblock(0, true); err != nil {
		return r
	}
	return os.NewFile(0, "/dev/stdin")
}

// isTerminal reports whether r is an interactive terminal rather than a pipe or file.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
