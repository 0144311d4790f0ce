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
	"path/filepath"
	"strings"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/source"
	"github.com/calltail/calltail/tui/crash"
	"github.com/calltail/calltail/tui/keymap"
)

const usage = `calltail - follow Pexip Infinity logs and the calls in them

Usage:
  calltail [PATH...] [--syslog URL...]             the terminal UI, following the files
  calltail --demo                                  the UI on a live simulated deployment
  calltail -n [--query EXPR] [--json] PATH...      print matching entries and exit
  calltail -n -f [--query EXPR] [--json] PATH...   ... and keep printing them as they arrive
  calltail --generate N [--seed S] [--hard]        write N simulated log lines to stdout

PATH is a log file, a gzip-compressed log file, - for standard input, or a Pexip diagnostic
snapshot (a directory or a .tar.gz/.tgz archive: its support, administrator and developer
logs are read, labelled with their node). Several files are merged by originating time.

Flags:
  --demo          run a simulated Pexip deployment live: it writes to a temporary file that
                  calltail follows and sends to a loopback syslog listener
  --no-follow     open the files without following them
  --theme NAME    default, light, pexip, high-contrast or mono; without it the terminal's
                  background picks default or light, and NO_COLOR or TERM=dumb picks mono
  --mouse         scroll with the mouse wheel, click to select rows and tabs (then
                  shift+drag selects text)
  -n              headless: print entries instead of opening the terminal UI
  --calls         print the calls in the logs as a table (with --json, one object per call)
  --no-spam       with --calls, leave out the calls of SIP scanners (a User-Agent such as
                  friendly-scanner, sipcli, sipvicious, pplsip) and say on stderr how many
  --security      print the security events in the logs, grouped by remote address: failed
                  administrator and web logins, wrong PINs, break-in prevention blocks,
                  quarantined callers and rejected attempts, refused SIP authentications
                  and registrations (with --json, one object per address)
  --call ID       print the call that carries ID (any of its correlation ids): its summary,
                  timeline (every line of it), signalling ladder (SIP with its Reason,
                  Warning and MS-Diagnostics headers and SDP, BFCP, H.225 and H.245), media
                  statistics and media over time (with --json, one object); exit status 1
                  if none does. A needle search: only the lines around the call's are
                  indexed, so its number among all calls is left out
  --raw           with --call, print every line of the call as logged, in time order
  -f, --follow    follow the files like tail -F (through rotation and truncation) and
                  print new entries until interrupted; a summary goes to stderr
  --poll          check followed files every 250 ms instead of using inotify (NFS)
  --syslog URL    receive syslog (RFC 3164 or 5424) at udp://HOST:PORT, tcp://HOST:PORT
                  (LF-framed or octet-counted) or tls://HOST:PORT; may be repeated. HOST
                  defaults to 127.0.0.1: give 0.0.0.0 to listen on every interface
  --spool PATH    where received messages are written before anything else (default
                  $XDG_STATE_HOME/calltail/spool-DATE-TIME.log); open it later with
                  calltail -n PATH
  --tls-cert F, --tls-key F   the listener's certificate and key (PEM) for tls://
  --tls-client-ca F           require client certificates signed by these CAs (mutual TLS)
  --max-message N  cut syslog messages longer than N bytes, and mark them (default 65536)
  --max-conns N    at most N TCP/TLS connections at once (default 256)
  --max-conns-per-host N  at most N of them from one remote host (default 32)
  --idle-timeout D close connections silent for D (default 5m)
  --format F      read every source as F: pexip, flexisip (general and event logs),
                  privateserver (tab-separated exports), asterisk (full, messages, the
                  console), freeswitch (freeswitch.log), syslog (SIP servers through
                  syslog, and Kamailio, OpenSIPS, rtpengine), or plain; the default,
                  auto, reads each entry by its shape and names each source's format in
                  the status line
  --year Y        the year of time stamps that carry none (RFC 3164 syslog's,
                  Asterisk's "[Jan 14 12:33:40]", FreeSWITCH's "08-03 07:56:53"), for
                  logs of another year than this one
  --max-entries N  hold at most N entries in memory (default 2000000; 0 holds all), or
                  as many as the files held at the start if more: the oldest are let go
                  from memory as new ones arrive, and stay in the files and the spool;
                  calls whose lines were all let go leave the calls list
  --query EXPR    print only entries matching EXPR, for example
                    'level >= warning'
                    'call-id == "c56a80d01eae2cd5@10.44.161.165"'
                    'module ^= "administrator." && !(message contains "registration")'
                    'timeout || "media stream"'
  --json          print one JSON object per entry: time, node, level, module, format,
                  message, fields, raw
  --generate N    write N lines of a simulated Pexip deployment's support log
  --seed S        seed of the simulation (default 1); the same seed gives the same lines
  --hard          with --generate: the hard cases too — SIP messages fragmented through
                  their Call-ID, all SIP through one SBC, refused PINs, dialogs no
                  administrator line describes, BYEs after the disconnect, media windows
  -h, --help      show this help
`

// options are the parsed command line.
type options struct {
	headless    bool
	follow      bool
	poll        bool
	query       string
	json        bool
	generate    int
	seed        uint64
	hard        bool
	paths       []string
	syslog      urls
	spool       string
	tlsCert     string
	tlsKey      string
	tlsClientCA string
	maxMessage  int
	maxConns    int
	maxPerHost  int
	idleTimeout time.Duration
	maxEntries  int
	format      string
	year        int
	newParser   model.NewParserFunc // parsers of the format
	demo        bool
	noFollow    bool
	theme       string
	mouse       bool
	calls       bool
	noSpam      bool
	security    bool
	call        string
	raw         bool
}

// following reports whether calltail runs until interrupted: it follows files or
// receives syslog.
func (o options) following() bool { return o.follow || len(o.syslog) > 0 }

// plan is what the options ask to read: Resolve's input. Each mode sets how (Live,
// Follow, ReadBack).
func (o options) plan(stdin io.Reader) source.Plan {
	return source.Plan{Paths: o.paths, Stdin: stdin, Syslog: o.syslog, Spool: o.spool, Poll: o.poll,
		SyslogOptions: source.SyslogOptions{MaxMessage: o.maxMessage, MaxConns: o.maxConns, MaxConnsPerHost: o.maxPerHost, IdleTimeout: o.idleTimeout},
		TLSCert:       o.tlsCert, TLSKey: o.tlsKey, TLSClientCA: o.tlsClientCA}
}

// urls is a flag that may be given several times.
type urls []string

func (u *urls) String() string     { return strings.Join(*u, ",") }
func (u *urls) Set(v string) error { *u = append(*u, v); return nil }

func main() {
	if !crash.Child() {
		source.SweepTempDirs() // of runs killed outright, supervisor and all
		if opt, err := parseFlags(os.Args[1:]); err == nil && opt.ui() {
			// The UI runs again, supervised: a crash restores the terminal and is reported.
			// Headless runs leave the terminal as it is and start one process, not two.
			dir, err := source.StateDir()
			if err != nil {
				dir = filepath.Join(os.TempDir(), "calltail")
			}
			os.Exit(crash.Supervise(dir, os.Stderr, source.RemoveTempDirs))
		}
	}
	// calltail's one handler of signals: SIGINT, SIGTERM (the kernel's too, when the
	// supervisor dies) and SIGHUP (a terminal closed) cancel ctx, and every mode ends then.
	ctx, stop := crash.NotifyContext()
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
	if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled)) {
		if opt.following() {
			return 0 // following ends when interrupted
		}
		return 130 // interrupted: the user knows why
	}
	if err != nil { // even when interrupted: an error of its own (a spool that failed) is said
		fmt.Fprintf(stderr, "calltail: %v\n", err)
		if errors.As(err, &errNoCall{}) {
			return 1
		}
		return 2
	}
	return 0
}

func dispatch(ctx context.Context, opt options, stdin io.Reader, stdout, stderr io.Writer) error {
	switch {
	case opt.generate > 0:
		var sopt sim.Options
		if opt.hard {
			sopt = sim.Hard()
		}
		return sim.NewWith(opt.seed, sopt).WriteLines(stdout, opt.generate)
	case opt.calls || opt.call != "":
		return callReport(ctx, opt, stdin, stdout, stderr)
	case opt.security:
		return securityReport(ctx, opt, stdin, stdout)
	case opt.ui():
		return interactive(ctx, opt, stdin)
	default:
		return headless(ctx, opt, stdin, stdout, stderr)
	}
}

// ui reports whether the options ask for the terminal UI: no headless mode was chosen.
func (o options) ui() bool {
	return !o.headless && o.generate == 0 && !o.calls && o.call == "" && !o.security
}

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
	fs.Var(&opt.syslog, "syslog", "")
	fs.StringVar(&opt.spool, "spool", "", "")
	fs.StringVar(&opt.tlsCert, "tls-cert", "", "")
	fs.StringVar(&opt.tlsKey, "tls-key", "", "")
	fs.StringVar(&opt.tlsClientCA, "tls-client-ca", "", "")
	fs.IntVar(&opt.maxMessage, "max-message", 64<<10, "")
	fs.IntVar(&opt.maxConns, "max-conns", 256, "")
	fs.IntVar(&opt.maxPerHost, "max-conns-per-host", 32, "")
	fs.DurationVar(&opt.idleTimeout, "idle-timeout", 5*time.Minute, "")
	fs.IntVar(&opt.maxEntries, "max-entries", 2_000_000, "")
	fs.StringVar(&opt.format, "format", "auto", "")
	fs.IntVar(&opt.year, "year", 0, "")
	fs.BoolVar(&opt.demo, "demo", false, "")
	fs.BoolVar(&opt.noFollow, "no-follow", false, "")
	fs.StringVar(&opt.theme, "theme", "", "")
	fs.BoolVar(&opt.mouse, "mouse", false, "")
	fs.BoolVar(&opt.calls, "calls", false, "")
	fs.BoolVar(&opt.security, "security", false, "")
	fs.StringVar(&opt.call, "call", "", "")
	fs.BoolVar(&opt.raw, "raw", false, "")
	fs.BoolVar(&opt.noSpam, "no-spam", false, "")
	fs.StringVar(&opt.query, "query", "", "")
	fs.BoolVar(&opt.json, "json", false, "")
	fs.IntVar(&opt.generate, "generate", 0, "")
	fs.Uint64Var(&opt.seed, "seed", 1, "")
	fs.BoolVar(&opt.hard, "hard", false, "")
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
	switch {
	case opt.maxMessage < 480:
		return opt, fmt.Errorf("--max-message %d: must be at least 480 bytes, the least RFC 3164 allows", opt.maxMessage)
	case opt.maxConns < 1:
		return opt, fmt.Errorf("--max-conns %d: must be at least 1", opt.maxConns)
	case opt.maxPerHost < 1:
		return opt, fmt.Errorf("--max-conns-per-host %d: must be at least 1", opt.maxPerHost)
	case opt.year < 0 || opt.year > 9999:
		return opt, fmt.Errorf("--year %d: give a year such as 2024", opt.year)
	case opt.maxEntries < 0:
		return opt, fmt.Errorf("--max-entries %d: must be 0 (hold every entry) or more", opt.maxEntries)
	case opt.idleTimeout <= 0:
		return opt, fmt.Errorf("--idle-timeout %v: must be positive, e.g. 5m", opt.idleTimeout)
	}
	var err error
	if opt.newParser, err = formats.New(opt.format, opt.year); err != nil {
		return opt, fmt.Errorf("--format: %v", err)
	}
	switch {
	case opt.raw && opt.call == "":
		return opt, errors.New("--raw prints the lines of one call: give it with --call ID")
	case opt.raw && opt.json:
		return opt, errors.New("--raw prints the call's lines as logged: leave out --json (calltail -n --json prints lines as JSON)")
	case opt.noSpam && !opt.calls:
		return opt, fmt.Errorf("--no-spam hides scanner calls from --calls (in the UI's calls list, press %s)", keymap.Default().Scanners.Help().Key)
	}
	if opt.hard && opt.generate == 0 {
		return opt, errors.New("--hard shapes what --generate writes: give --generate N too")
	}
	if opt.generate > 0 && (opt.headless || opt.query != "" || len(opt.paths) > 0) {
		return opt, errors.New("--generate writes a simulated log to stdout and reads no input: pipe it into calltail -n instead")
	}
	return opt, nil
}
