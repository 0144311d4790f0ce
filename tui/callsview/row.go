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
// prompt need (~300 bytes, most strings shared between calls), rather than the call's
// summary (~1.9 KB). Its cells are written when it is drawn or sorted by (cellOf).
type callRow struct {
	start, joined            int64
	span                     time.Duration
	number, warnings, errors int32
	state                    uint8 // a calls.State
	worst                    uint8 // a media.Quality
	hasMedia, scanner        bool  // the logs tell of its media; it comes from a SIP scanner
	widths                   [numColumns]uint8

	duration, who, participant, where, conference, alias string
	protocol, direction, vendor, reason                  string
	sigNode, sigLoc, mediaNode, mediaLoc                 string
	callIDs                                              []string
}

// rowOf is what the list keeps of c, its cells' widths measured with the nodes' names.
func rowOf(c *calls.Call, nodes map[string]string) callRow {
	r := callRow{start: c.Start, joined: c.Joined, span: c.Span, number: int32(c.Number), warnings: int32(c.Warnings),
		errors: int32(c.Errors), state: uint8(c.State), worst: uint8(c.WorstMedia()), hasMedia: len(c.Streams) > 0 || c.Quality != "",
		scanner: c.IsScanner(), duration: c.Duration, who: c.Who(), participant: c.Participant, where: c.Where(),
		conference: c.Conference, alias: c.Alias, protocol: c.Protocol, direction: c.Direction, vendor: c.Vendor,
		reason: c.Reason, sigNode: c.SignalingNode, sigLoc: c.SignalingLocation, mediaNode: c.MediaNode,
		mediaLoc: c.MediaLocation, callIDs: c.CallIDs}
	r.measure(nodes, allColumns)
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
func (r *callRow) measure(nodes map[string]string, cols []int) {
	for _, i := range cols {
		if i != colStart && i != colDuration {
			r.widths[i] = uint8(min(255, ansi.StringWidth(cellOf(r, i, "", nodes))))
		}
	}
}

// lasting is as much of the call as report.Lasted and report.DurationAt read.
func (r *callRow) lasting() calls.Call {
	return calls.Call{Duration: r.duration, State: calls.State(r.state), Span: r.span, Joined: r.joined, Start: r.start}
}

// cellOf returns the row's cell in column i of report.CallColumns as the list shows it,
// as report.CallCell writes it, but for its start in layout, its nodes by the names the
// log rows give them, and its duration left to the moment it is drawn.
func cellOf(r *callRow, i int, layout string, nodes map[string]string) string {
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
		s = r.who
		if r.participant != "" && r.participant != s {
			s += " <" + r.participant + ">"
		}
	case colConference:
		s = r.where
	case colProto:
		s = r.protocol
	case colDir:
		s = r.direction
	case colVendor:
		s = r.vendor
	case colSignalling:
		s = report.NodeName(r.sigNode, r.sigLoc, nodes)
	case colMedia:
		s = report.NodeName(r.mediaNode, r.mediaLoc, nodes)
	case colState:
		return calls.State(r.state).String()
	case colDuration:
		return ""
	case colReason:
		s = r.reason
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
func fieldsOf(r *callRow, nodes map[string]string, buf []string) []string {
	for _, s := range [...]string{r.who, r.participant, r.conference, r.alias, r.vendor, calls.State(r.state).String(), r.reason,
		report.NodeName(r.sigNode, "", nodes), report.NodeName(r.mediaNode, "", nodes), r.protocol} {
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
