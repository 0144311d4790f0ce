package main

import (
	"context"
	"errors"
	"fmt"
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
	theme := opt.theme
	if theme == "" && os.Getenv("NO_COLOR") != "" {
		theme = "mono"
	}
	if theme != "" {
		if _, err := themes.Get(theme); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sources, files, cleanup, err := uiSources(ctx, opt, stdin)
	if err != nil {
		return err
	}
	defer cleanup()
	sess := session.New(sources, opt.newParser)
	sess.SetMaxEntries(opt.maxEntries)
	sess.SetFormat(opt.format)
	m, err := tui.New(sess, tui.Options{Theme: theme, Mouse: opt.mouse, NewParser: opt.newParser,
		Preview: session.Preview(files, previewBytes, opt.newParser), Tmux: os.Getenv("TMUX") != ""})
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
	// and reports it (see package crash), as for a panic on any other goroutine.
	_, err = tea.NewProgram(m, tea.WithContext(ctx), tea.WithoutCatchPanics()).Run()
	cancel()
	if serr := <-runErr; err == nil || errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		err = serr
	}
	return err
}

// afterUIStart, if set, runs on its own goroutine once the UI starts: a test build's hook
// (see crashtest.go).
var afterUIStart func(opt options)

// uiSources makes the live sources of the UI, and says which are files on disk (whose
// ends are previewed).
func uiSources(ctx context.Context, opt options, stdin io.Reader) (sources []source.Live, files []string, cleanup func(), err error) {
	var closers []func()
	cleanup = func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	fail := func(err error) ([]source.Live, []string, func(), error) {
		cleanup()
		return nil, nil, func() {}, err
	}
	paths := opt.paths
	var spool *source.Spool
	spoolFor := func() (*source.Spool, error) { // one spool per session, made when needed
		if spool != nil {
			return spool, nil
		}
		path := opt.spool
		if path == "" {
			if path, err = source.DefaultSpoolPath(time.Now()); err != nil {
				return nil, err
			}
		}
		if spool, err = source.CreateSpool(path); err != nil {
			return nil, err
		}
		closers = append(closers, func() { spool.Close() })
		return spool, nil
	}
	if opt.demo {
		dir, err := os.MkdirTemp("", "calltail-demo-")
		if err != nil {
			return fail(err)
		}
		closers = append(closers, func() { os.RemoveAll(dir) })
		path := filepath.Join(dir, "support.log")
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			return fail(err)
		}
		opt.spool = filepath.Join(dir, "syslog-spool.log")
		sp, err := spoolFor()
		if err != nil {
			return fail(err)
		}
		sys, err := source.NewSyslog([]string{"udp://127.0.0.1:0"}, sp, source.SyslogOptions{})
		if err != nil {
			return fail(err)
		}
		go sim.RunDemo(ctx, path, sys.Addrs()[0].String(), uint64(time.Now().UnixNano()))
		return []source.Live{source.NewFile(path, source.FollowOptions{Keep: true}), sys}, []string{path}, cleanup, nil
	}
	if len(paths) == 0 && len(opt.syslog) == 0 {
		if source.IsTerminal(stdin) {
			return fail(errors.New("nothing to show: give log files, - for standard input, --syslog URL, or try calltail --demo (see calltail --help)"))
		}
		paths = []string{"-"}
	}
	if err := checkPaths(paths); err != nil {
		return fail(err)
	}
	fopt := source.FollowOptions{Poll: opt.poll, Once: opt.noFollow, Keep: true} // the UI reads entries back
	if !opt.poll && !opt.noFollow {
		w, err := source.NewWatcher()
		if err != nil {
			return fail(fmt.Errorf("cannot watch files: %v (try --poll)", err))
		}
		closers = append(closers, func() { w.Close() })
		fopt.Watcher = w
	}
	for _, p := range paths {
		switch {
		case p == "-":
			sp, err := spoolFor()
			if err != nil {
				return fail(err)
			}
			sources = append(sources, source.NewReader("-", source.Pollable(stdin), sp))
		case source.IsSnapshot(p):
			logs, clean, err := source.Snapshot(p)
			if err != nil {
				return fail(err)
			}
			closers = append(closers, clean)
			for _, l := range logs {
				s, err := readable(l.Path, spoolFor, source.FollowOptions{Once: true, Keep: true})
				if err != nil {
					return fail(err)
				}
				sources = append(sources, s)
			}
		default:
			s, err := readable(p, spoolFor, fopt)
			if err != nil {
				return fail(err)
			}
			if _, ok := s.(*source.File); ok {
				files = append(files, p)
			}
			sources = append(sources, s)
		}
	}
	if len(opt.syslog) > 0 {
		s, closeSyslog, err := syslogSource(opt)
		if err != nil {
			return fail(err)
		}
		closers = append(closers, func() { closeSyslog() })
		sources = append(sources, s)
	}
	return sources, files, cleanup, nil
}

// readable returns a follower of a plain file, or, for a gzip-compressed one, a reader
// that decompresses it into the spool (so that its entries can be read back).
func readable(path string, spoolFor func() (*source.Spool, error), fopt source.FollowOptions) (source.Live, error) {
	s, err := source.Open(path, nil)
	if err != nil {
		return nil, err
	}
	if !s.Compressed() {
		s.Close()
		return source.NewFile(path, fopt), nil
	}
	sp, err := spoolFor()
	if err != nil {
		s.Close()
		return nil, err
	}
	return source.NewReader(path, s, sp), nil
}
