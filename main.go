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
	"syscall"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/query"
	"github.com/calltail/calltail/source"
	"github.com/calltail/calltail/source/sim"
)

const usage = `calltail - follow Pexip Infinity logs and the calls in them

Usage:
  calltail -n [--query EXPR] [--json] PATH...   print matching entries and exit
  calltail --generate N [--seed S]              write N simulated log lines to stdout

PATH is a log file, a gzip-compressed log file, or - for standard input. Several files are
merged by originating time.

Flags:
  -n              headless: print entries instead of opening the terminal UI
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
		err = dispatch(ctx, opt, stdin, stdout)
	}
	if ctx.Err() != nil {
		return 130 // interrupted: the user knows why
	}
	if err != nil {
		fmt.Fprintf(stderr, "calltail: %v\n", err)
		return 2
	}
	return 0
}

func dispatch(ctx context.Context, opt options, stdin io.Reader, stdout io.Writer) error {
	switch {
	case opt.generate > 0:
		return sim.New(opt.seed).WriteLines(stdout, opt.generate)
	case opt.headless:
		return headless(ctx, opt, stdin, stdout)
	default:
		return errors.New("the terminal UI is not built yet: use -n to print entries (see calltail --help)")
	}
}

// headless prints the entries of every path that match the query.
func headless(ctx context.Context, opt options, stdin io.Reader, stdout io.Writer) error {
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
	var inputs []query.Input
	stdinUsed := false
	for _, p := range paths {
		if p == "-" {
			if stdinUsed {
				return errors.New("- (standard input) is given twice: it can be read only once")
			}
			stdinUsed = true
		}
		s, err := source.Open(p, stdin)
		if err != nil {
			return err
		}
		defer s.Close()
		inputs = append(inputs, query.Input{Name: p, R: s})
	}
	format := export.Plain
	if opt.json {
		format = export.JSON
	}
	_, err = query.Run(ctx, inputs, query.Options{
		Filter:    f,
		Format:    format,
		NewParser: func() model.Parser { return &pexip.Parser{} },
	}, stdout)
	return err
}

// parseFlags reads the command line. Flags may come before, between or after paths;
// "--" ends the flags.
func parseFlags(args []string) (options, error) {
	var opt options
	fs := flag.NewFlagSet("calltail", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&opt.headless, "n", false, "")
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

// isTerminal reports whether r is an interactive terminal rather than a pipe or file.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
