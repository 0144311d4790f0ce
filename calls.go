package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/security"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source"
)

// errNoCall is exit status 1: the logs hold no call with the id asked for.
type errNoCall struct{ id string }

func (e errNoCall) Error() string {
	return fmt.Sprintf("no call carries %q (see calltail --calls for the calls in these logs)", e.id)
}

// callReport prints the calls table, or one call, from the paths' logs.
func callReport(ctx context.Context, opt options, stdin io.Reader, stdout io.Writer) error {
	st := store.New()
	index := calls.New(st, opt.newParser)
	if err := loadPaths(ctx, opt, stdin, st); err != nil {
		return err
	}
	if opt.calls {
		all := index.Calls()
		if opt.json {
			return calls.WriteJSON(stdout, all)
		}
		return calls.WriteTable(stdout, all)
	}
	n, ok := index.Find(st, opt.call)
	if !ok {
		return errNoCall{opt.call}
	}
	c, _ := index.Call(n)
	ladder, err := index.LadderOf(st, n, opt.newParser())
	if err != nil {
		return err
	}
	if opt.json {
		return calls.WriteCallJSON(stdout, &c, ladder)
	}
	return calls.WriteCall(stdout, &c, ladder, 120)
}

// securityReport prints the security events in the paths' logs, grouped by address.
func securityReport(ctx context.Context, opt options, stdin io.Reader, stdout io.Writer) error {
	st := store.New()
	if err := loadPaths(ctx, opt, stdin, st); err != nil {
		return err
	}
	found := make(chan struct{}, 1)
	w := security.NewWatch(st, opt.newParser, func() {
		select {
		case found <- struct{}{}:
		default:
		}
	})
	defer w.Close()
	for !w.Update() {
		select {
		case <-found:
		case <-time.After(50 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if opt.json {
		return security.WriteJSON(stdout, w.Groups())
	}
	return security.WriteTable(stdout, w.Groups())
}

// loadPaths indexes the logs of the paths given, or of standard input if none, into st.
func loadPaths(ctx context.Context, opt options, stdin io.Reader, st *store.Store) error {
	paths := opt.paths
	if len(paths) == 0 {
		if source.IsTerminal(stdin) {
			return errors.New("no input: give log files, or - for standard input (see calltail --help)")
		}
		paths = []string{"-"}
	}
	if err := checkPaths(paths); err != nil {
		return err
	}
	for _, p := range paths {
		if err := loadInto(ctx, st, p, stdin, opt.newParser); err != nil {
			return err
		}
	}
	return nil
}

// loadInto indexes a path's log (a file, a compressed file, a snapshot or standard input)
// into st. Text that is not a plain file is kept in a temporary file, to be read back.
func loadInto(ctx context.Context, st *store.Store, path string, stdin io.Reader, newParser func() model.Parser) error {
	if path != "-" && source.IsSnapshot(path) {
		logs, cleanup, err := source.Snapshot(path)
		if err != nil {
			return err
		}
		defer cleanup()
		for _, l := range logs {
			if err := loadInto(ctx, st, l.Path, nil, newParser); err != nil {
				return err
			}
		}
		return nil
	}
	s, err := source.Open(path, stdin)
	if err != nil {
		return err
	}
	defer s.Close()
	var text *os.File
	var r io.Reader = s
	if path != "-" && !s.Compressed() {
		if text, err = os.Open(path); err != nil { // read back from the file itself
			return err
		}
	} else { // a pipe or a compressed file: keep a copy to read entries back from
		if text, err = os.CreateTemp("", "calltail-text-"); err != nil {
			return err
		}
		os.Remove(text.Name()) // gone when closed
		r = io.TeeReader(s, text)
	}
	src := st.AddSource(store.Source{Name: path, Text: text})
	return st.Load(ctx, src, r, newParser, split.Options{})
}
