package main

import (
	"cmp"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/source"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui"
)

// previewBytes is how much of the end of each file is shown before it is indexed.
const previewBytes = 512 << 10

// interactive runs the terminal UI over the paths, syslog listeners, or the demo.
func interactive(ctx context.Context, opt options, stdin io.Reader) error {
	term := themes.DetectTerminal(os.Environ(), os.Stdout)
	theme := cmp.Or(opt.theme, term.Theme) // NO_COLOR and TERM=dumb: mono, unless --theme says
	if theme != "" {
		if _, err := themes.Get(theme); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	plan := opt.plan(stdin)
	// The files' text at the start is indexed first, merged by time with snapshots and
	// compressed files as headless runs merge them; their followers go on from its end.
	plan.Live, plan.Follow, plan.ReadBack, plan.LoadFirst = true, !opt.noFollow, true, true
	if opt.demo {
		dir, err := source.TempDir("demo")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		plan = demoPlan(plan, dir)
		if err := os.WriteFile(plan.Paths[0], nil, 0o644); err != nil {
			return err
		}
	}
	in, err := source.Resolve(plan)
	if err != nil {
		return err
	}
	defer in.Close()
	if opt.demo {
		go sim.RunDemo(ctx, plan.Paths[0], in.SyslogAddrs()[0].String(), uint64(time.Now().UnixNano()))
	}
	sess := session.New(in.Live, opt.newParser)
	sess.SetOnce(in.Once)
	sess.SetMaxEntries(opt.maxEntries)
	sess.SetFormat(opt.format)
	m, err := tui.New(sess, tui.Options{Theme: theme, Mouse: opt.mouse, NewParser: opt.newParser,
		Preview: session.Preview(in.Files, previewBytes, opt.newParser), Terminal: term, CopyFile: copyFile()})
	if err != nil {
		return err
	}
	defer m.Close()
	runErr := make(chan error, 1)
	go func() { runErr <- sess.Run(ctx) }()
	if afterUIStart != nil {
		go afterUIStart(opt)
	}
	// A panic is left to crash the process: the supervising parent restores the terminal
	// and reports it (see package crash), as for a panic on any other goroutine. Signals
	// end the program through ctx alone: a handler of its own, on the same signals, could
	// block forever in its shutdown (issue 17).
	_, err = tea.NewProgram(m, tea.WithContext(ctx), tea.WithoutSignalHandler(), tea.WithoutCatchPanics(),
		tea.WithColorProfile(term.Profile)).Run()
	cancel()
	if serr := <-runErr; err == nil || errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = serr
	}
	return err
}

// copyFile is where y saves what it copies, for when no clipboard takes it: copied.txt in
// the state directory, or "" when there is none.
func copyFile() string {
	dir, err := source.StateDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "copied.txt")
}

// demoPlan is what the demo reads, in dir: a simulated deployment writes some nodes'
// lines to a followed file and sends the others' to a loopback syslog listener.
func demoPlan(plan source.Plan, dir string) source.Plan {
	plan.Paths, plan.Follow = []string{filepath.Join(dir, "support.log")}, true
	plan.Syslog = []string{"udp://127.0.0.1:0"}
	plan.SyslogOptions = source.SyslogOptions{}
	plan.Spool = filepath.Join(dir, "syslog-spool.log")
	return plan
}

// afterUIStart, if set, runs on its own goroutine once the UI starts: a test build's hook
// (see crashtest.go).
var afterUIStart func(opt options)
