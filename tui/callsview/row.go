package callsview

import (
	"reflect"
	"strconv"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/report"
)

// callRow is what the list keeps of a call: the few values its columns, its sort and its
// prompt need (~140 bytes, its strings by number in texts), rather than the call's summary
// (~1.9 KB). Its cells are written when it is drawn or sorted by (cellOf).
type callRow struct {
	start, joined            int64
	span                     time.Duration
	number, warnings, errors int32
	state                    uint8 // a calls.State
	worst                    uint8 // a media.Quality
	hasMedia, scanner        bool  // the logs tell of its media; it comes from a SIP scanner
	widths                   [numColumns]uint8

	duration, who, participant, where, conference, alias text
	protocol, direction, vendor, reason                  text
	sigNode, sigLoc, mediaNode, mediaLoc                 text
	callIDs                                              []string
}

// text is one of the rows' strings, by its number in texts; 0 is "".
type text uint32

// texts holds the rows' strings, each once: a row refers to each of its strings by number
// (4 bytes rather than a 16-byte string), and a name many calls share is kept once. Only
// the reader adds to it; a read hands the list the strings it held then (a lookup), which
// later additions leave as they were: they go past its end.
type texts struct {
	all []string
	of  map[string]text
}

// intern returns the number of s, adding s if it is new.
func (t *texts) intern(s string) text {
	if s == "" {
		return 0
	}
	if n, ok := t.of[s]; ok {
		return n
	}
	if t.of == nil {
		t.of, t.all = map[string]text{}, []string{""}
	}
	n := text(len(t.all))
	t.all = append(t.all, s)
	t.of[s] = n
	return n
}

// lookup is what the rows' cells are written with: their strings, and the names the log
// rows give the nodes.
type lookup struct {
	texts []string
	nodes map[string]string
}

// of returns the string numbered n.
func (l lookup) of(n text) string {
	if n == 0 {
		return ""
	}
	return l.texts[n]
}

// rowOf is what the list keeps of c, its strings added to t, its cells' widths measured
// with the nodes' names.
func rowOf(c *calls.Call, t *texts, nodes map[string]string) callRow {
	r := callRow{start: c.Start, joined: c.Joined, span: c.Span, number: int32(c.Number), warnings: int32(c.Warnings),
		errors: int32(c.Errors), state: uint8(c.State), worst: uint8(c.WorstMedia()), hasMedia: len(c.Streams) > 0 || c.Quality != "",
		scanner: c.IsScanner(), duration: t.intern(c.Duration), who: t.intern(c.Who()), participant: t.intern(c.Participant),
		where: t.intern(c.Where()), conference: t.intern(c.Conference), alias: t.intern(c.Alias), protocol: t.intern(c.Protocol),
		direction: t.intern(c.Direction), vendor: t.intern(c.Vendor), reason: t.intern(c.Reason),
		sigNode: t.intern(c.SignalingNode), sigLoc: t.intern(c.SignalingLocation), mediaNode: t.intern(c.MediaNode),
		mediaLoc: t.intern(c.MediaLocation), callIDs: c.CallIDs}
	r.measure(lookup{t.all, nodes}, allColumns)
	return r
}

// allColumns is every column, for measure.
var allColumns = func() []int {
	out := make([]int, len(report.CallColumns))
	for i := range out {
		out[i] = i
	}
	return out
}()

// measure records the widths of the row's cells in cols (up to 255: wider than any
// column is drawn). Those of START and DURATION depend on the other calls and the time.
func (r *callRow) measure(l lookup, cols []int) {
	for _, i := range cols {
		if i != colStart && i != colDuration {
			r.widths[i] = uint8(min(255, ansi.StringWidth(cellOf(r, i, "", l))))
		}
	}
}

// lasting is as much of the call as report.Lasted and report.DurationAt read.
func (r *callRow) lasting(l lookup) calls.Call {
	return calls.Call{Duration: l.of(r.duration), State: calls.State(r.state), Span: r.span, Joined: r.joined, Start: r.start}
}

// cellOf returns the row's cell in column i of report.CallColumns as the list shows it,
// as report.CallCell writes it, but for its start in layout, its nodes by the names the
// log rows give them, and its duration left to the moment it is drawn.
func cellOf(r *callRow, i int, layout string, l lookup) string {
	var s string
	switch i {
	case colNumber:
		return strconv.Itoa(int(r.number))
	case colStart:
		if r.start != 0 {
			return time.UnixMicro(r.start).UTC().Format(layout)
		}
		return ""
	case colParticipant:
		s = l.of(r.who)
		if p := l.of(r.participant); p != "" && p != s {
			s += " <" + p + ">"
		}
	case colConference:
		s = l.of(r.where)
	case colProto:
		s = l.of(r.protocol)
	case colDir:
		s = l.of(r.direction)
	case colVendor:
		s = l.of(r.vendor)
	case colSignalling:
		s = report.NodeName(l.of(r.sigNode), l.of(r.sigLoc), l.nodes)
	case colMedia:
		s = report.NodeName(l.of(r.mediaNode), l.of(r.mediaLoc), l.nodes)
	case colState:
		return calls.State(r.state).String()
	case colDuration:
		return ""
	case colReason:
		s = l.of(r.reason)
	case colQuality:
		if r.hasMedia {
			return [...]string{"good", "warning", "bad"}[r.worst]
		}
		return ""
	case colWarn:
		return strconv.Itoa(int(r.warnings))
	case colErr:
		return strconv.Itoa(int(r.errors))
	}
	return sanitize.String(s)
}

// quality is the worst judgement of the call's media.
func (r *callRow) quality() media.Quality { return media.Quality(r.worst) }

// fieldsOf appends to buf what the fuzzy prompt matches in a call, one field at a time:
// who, the participant's address, the conference and alias, the vendor, the state, the
// reason, the nodes, the protocol and the call ids. A word of the prompt matches within
// one field, so that "olivia" does not find o, l, i, v, i and a strewn over a Mozilla
// User-Agent.
func fieldsOf(r *callRow, l lookup, buf []string) []string {
	for _, s := range [...]string{l.of(r.who), l.of(r.participant), l.of(r.conference), l.of(r.alias), l.of(r.vendor),
		calls.State(r.state).String(), l.of(r.reason), report.NodeName(l.of(r.sigNode), "", l.nodes),
		report.NodeName(l.of(r.mediaNode), "", l.nodes), l.of(r.protocol)} {
		if s != "" {
			buf = append(buf, s)
		}
	}
	for _, s := range r.callIDs {
		if s != "" {
			buf = append(buf, s)
		}
	}
	return buf
}

// sameNames reports whether two maps of the nodes' names are the same map (report.NodeNames
// makes a new one when it learns a name).
func sameNames(a, b map[string]string) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}
