package main

import (
	"context"
	"fmt"
	"io"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/callsearch"
	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/query"
	"github.com/calltail/calltail/model/security"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/source"
)

// headless prints the entries that the query selects: of files read once, in parallel
// and merged by time, or, when following (-f, --syslog) or reading a pipe, as they arrive.
func headless(ctx context.Context, opt options, stdin io.Reader, stdout, stderr io.Writer) error {
	f, err := filter.Compile(opt.query)
	if err != nil {
		return fmt.Errorf("bad --query %q: %w", opt.query, err)
	}
	qopt := query.Options{Filter: f, Format: export.Plain, NewParser: opt.newParser}
	if opt.json {
		qopt.Format = export.JSON
	}
	plan := opt.plan(stdin)
	plan.Live, plan.Follow = opt.following() || plan.PipeOnly(), true
	in, err := source.Resolve(plan)
	if err != nil {
		return err
	}
	defer in.Close()
	if plan.Live {
		return session.Follow(ctx, in.Live, qopt, stdout, stderr, opt.following())
	}
	inputs := make([]query.Input, len(in.Once))
	for i, s := range in.Once {
		inputs[i] = query.Input{Name: s.Name, R: s.R, Node: s.Node}
		if !s.Modified.IsZero() {
			inputs[i].Modified = s.Modified.UnixMicro()
		}
		if s.Progress != nil {
			_, inputs[i].Size = s.Progress()
		}
	}
	_, err = query.Run(ctx, inputs, qopt, stdout)
	return err
}

// errNoCall is exit status 1: the logs hold no call with the id asked for.
type errNoCall struct{ id string }

func (e errNoCall) Error() string {
	return fmt.Sprintf("no call carries %q (see calltail --calls for the calls in these logs)", e.id)
}

// callReport prints the calls table, or one call (or its raw lines), from the paths'
// logs. With --no-spam the table leaves out the calls of SIP scanners, and says on stderr
// how many.
func callReport(ctx context.Context, opt options, stdin io.Reader, stdout, stderr io.Writer) error {
	if opt.calls {
		return callsTable(ctx, opt, stdin, stdout, stderr)
	}
	return oneCall(ctx, opt, stdin, stdout)
}

// oneCall prints the call that carries opt.call, found by a needle search: the logs are
// scanned for the lines that hold its ids (callsearch), and only the part of them around
// those lines is indexed. The call's number among all the calls of the logs is not known
// then, and is left out (see unnumber); when no line holds the id whole (a SIP Call-ID
// cut between fragments) or holds it only as a Conference-ID or Conversation-Id, the
// logs are indexed whole, and the call printed with its number.
func oneCall(ctx context.Context, opt options, stdin io.Reader, stdout io.Writer) error {
	plan := opt.plan(stdin)
	plan.ReadBack = true
	in, err := source.Resolve(plan)
	if err != nil {
		return err
	}
	defer in.Close()
	inputs := make([]callsearch.Input, len(in.Once))
	for i, s := range in.Once {
		inputs[i] = callsearch.Input{Name: s.Name, Node: s.Node, R: s.R, Text: s.Text}
	}
	sopt := callsearch.Options{NewParser: opt.newParser}
	found, err := callsearch.Search(ctx, inputs, opt.call, sopt)
	if err != nil {
		return err
	}
	whole := !found.Found()
	ranges := make([]callsearch.Range, len(inputs))
	if whole {
		for i := range ranges {
			ranges[i] = callsearch.Range{To: found.Sizes[i]}
		}
	} else if ranges, err = found.Window(inputs, sopt); err != nil {
		return err
	}
	parts := make([]source.Input, len(inputs))
	for i, s := range in.Once {
		r := ranges[i]
		parts[i] = source.Input{Name: s.Name, Node: s.Node, R: io.NewSectionReader(s.Text, r.From, r.To-r.From),
			Text: io.NewSectionReader(s.Text, r.From, r.To-r.From)}
	}
	st := store.New()
	index := calls.New(st, opt.newParser)
	if err := session.Load(ctx, st, parts, opt.newParser, nil); err != nil {
		return err
	}
	n, ok := index.Find(st, opt.call)
	if !ok {
		return errNoCall{opt.call}
	}
	d, ok, err := index.Detail(st, n, opt.newParser())
	switch {
	case err != nil:
		return err
	case !ok:
		return errNoCall{opt.call}
	case opt.raw:
		return report.WriteRaw(stdout, &d)
	}
	if !whole {
		unnumber(&d)
	}
	if opt.json {
		return report.WriteCallJSON(stdout, &d)
	}
	return report.WriteCall(stdout, &d, 120)
}

// unnumber leaves out the call numbers of a call found in part of the logs, and of the
// calls listed with it: numbers among the calls of that part, not of the whole logs.
func unnumber(d *calls.Detail) {
	d.Call.Number = 0
	for _, list := range [][]calls.Call{d.Together, d.Legs} {
		for i := range list {
			list[i].Number = 0
		}
	}
}

// securityReport prints the security events in the paths' logs, grouped by address.
func securityReport(ctx context.Context, opt options, stdin io.Reader, stdout io.Writer) error {
	st := store.New()
	in, err := load(ctx, opt, stdin, st)
	if err != nil {
		return err
	}
	defer in.Close()
	groups, err := security.Find(ctx, st, opt.newParser)
	if err != nil {
		return err
	}
	if opt.json {
		return report.WriteSecurityJSON(stdout, groups)
	}
	return report.WriteSecurity(stdout, groups)
}

// load indexes the logs of the paths given, or of standard input, into st, keeping them
// readable until the inputs are closed.
func load(ctx context.Context, opt options, stdin io.Reader, st *store.Store) (*source.Inputs, error) {
	plan := opt.plan(stdin)
	plan.ReadBack = true
	in, err := source.Resolve(plan)
	if err != nil {
		return nil, err
	}
	if err := session.Load(ctx, st, in.Once, opt.newParser, nil); err != nil {
		in.Close()
		return nil, err
	}
	return in, nil
}
