package calls

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
)

// logBuilder writes log lines in the shape of Pexip Infinity's support log (DESIGN §1):
// syslog time, node, originating time, Level, Name, then Key="value" details.
type logBuilder struct {
	b     strings.Builder
	now   time.Time
	lines map[string]int // lines written per tag, to check each call's line count
	tag   string         // the tag of the lines written now
	frag  int            // for fragment ids
}

func newLog() *logBuilder {
	return &logBuilder{now: time.Date(2026, 5, 14, 10, 0, 0, 0, time.UTC), lines: map[string]int{}}
}

// at moves the clock on by ms milliseconds.
func (l *logBuilder) at(ms int) *logBuilder {
	l.now = l.now.Add(time.Duration(ms) * time.Millisecond)
	return l
}

// line writes one line; values have their quotes escaped as Pexip escapes them.
func (l *logBuilder) line(node, level, module string, pairs ...string) {
	fmt.Fprintf(&l.b, "%s %s %s Level=%q Name=%q", l.now.Format("2006-01-02T15:04:05.000+00:00"), node,
		strings.Replace(l.now.Format("2006-01-02 15:04:05.000"), ".", ",", 1), level, module)
	for i := 0; i+1 < len(pairs); i += 2 {
		fmt.Fprintf(&l.b, ` %s="%s"`, pairs[i], strings.ReplaceAll(pairs[i+1], `"`, `\"`))
	}
	l.b.WriteByte('\n')
	l.lines[l.tag]++
}

// admin writes an administrator.conference line.
func (l *logBuilder) admin(node, message string, pairs ...string) {
	l.line(node, "INFO", "administrator.conference", append([]string{"Message", message}, pairs...)...)
}

// sipMessage joins a start line and headers with ^M, ending the headers with a blank line.
func sipMessage(start string, headers ...string) string {
	return start + "^M" + strings.Join(headers, "^M") + "^M^M"
}

// sip logs a SIP message received by (or sent from) node, cut into fragments at the
// offsets given (none: one line).
func (l *logBuilder) sip(node, message, src, dst, detail string, cuts ...int) {
	ends := func(pairs ...string) []string {
		return append([]string{"Message", message, "Src-address", src, "Src-port", "5061", "Dst-address", dst,
			"Dst-port", "5061", "Transport", "TLS"}, pairs...)
	}
	if len(cuts) == 0 {
		l.line(node, "INFO", "support.sip", ends("Detail", detail)...)
		return
	}
	l.frag++
	id := fmt.Sprintf("%016x", 0xf00d0000+l.frag)
	parts, last := []string{}, 0
	for _, c := range cuts {
		parts, last = append(parts, detail[last:c]), c
	}
	parts = append(parts, detail[last:])
	for i, p := range parts {
		l.line(node, "INFO", "support.sip", ends("Fragment-id", id, "Fragment-number", fmt.Sprint(i),
			"Fragment-total", fmt.Sprint(len(parts)), "Detail", p)...)
	}
}

// sipCall is what a SIP call of the test logs needs.
type sipCall struct {
	callID, user, display, alias, participantID string
	remote, node                                string
}

func (c sipCall) invite() string {
	return sipMessage("INVITE sip:"+c.alias+" SIP/2.0",
		"Via: SIP/2.0/TLS "+c.remote+":5061;branch=z9hG4bK"+c.participantID[:8],
		"Max-Forwards: 70",
		`From: "`+c.display+`" <sip:`+c.user+`>;tag=`+c.participantID[:6],
		"To: <sip:"+c.alias+">",
		"Call-ID: "+c.callID,
		"CSeq: 1 INVITE",
		"Contact: <sip:"+c.user+";transport=tls>",
		"User-Agent: Acme Phone 1.2",
		"Content-Type: application/sdp",
		"Content-Length: 0")
}

func (c sipCall) response(code, cseq string, extra ...string) string {
	return sipMessage("SIP/2.0 "+code, append([]string{
		"Via: SIP/2.0/TLS " + c.remote + ":5061;branch=z9hG4bK" + c.participantID[:8],
		`From: "` + c.display + `" <sip:` + c.user + `>;tag=` + c.participantID[:6],
		"To: <sip:" + c.alias + ">;tag=99",
		"Call-ID: " + c.callID,
		"CSeq: " + cseq,
		"Content-Length: 0"}, extra...)...)
}

func (c sipCall) request(method, cseq string) string {
	return sipMessage(method+" sip:"+c.alias+" SIP/2.0",
		"Via: SIP/2.0/TLS "+c.remote+":5061;branch=z9hG4bK"+c.participantID[:8],
		`From: "`+c.display+`" <sip:`+c.user+`>;tag=`+c.participantID[:6],
		"To: <sip:"+c.alias+">;tag=99",
		"Call-ID: "+c.callID,
		"CSeq: "+cseq,
		"Content-Length: 0")
}

// attempt logs "Participant attempting to join conference." for the call.
func (l *logBuilder) attempt(c sipCall) {
	l.admin(c.node, "Participant attempting to join conference.", "ConferenceAlias", c.alias, "Participant", "sip:"+c.user,
		"Protocol", "SIP", "Direction", "in", "Remote-Address", c.remote, "Participant-Id", c.participantID)
}

// refused logs a SIP call that the conference refuses: the INVITE (cut at cuts), its
// attempt and "failed to join" lines, the 404 and the ACK.
func (l *logBuilder) refused(c sipCall, cuts ...int) {
	l.tag = c.callID
	l.sip(c.node, "Received SIP request", c.remote, c.node, c.invite(), cuts...)
	l.at(2).sip(c.node, "Sending SIP response", c.node, c.remote, c.response("100 Trying", "1 INVITE"))
	l.at(5).attempt(c)
	l.at(3).admin(c.node, "Participant failed to join conference.", "ConferenceAlias", c.alias, "Participant", "sip:"+c.user,
		"Protocol", "SIP", "Direction", "in", "Remote-Address", c.remote, "Participant-Id", c.participantID, "Reason", "Conference not found")
	l.at(4).sip(c.node, "Sending SIP response", c.node, c.remote, c.response("404 Not Found", "1 INVITE"))
	l.at(40).sip(c.node, "Received SIP request", c.remote, c.node, c.request("ACK", "1 ACK"))
	l.tag = ""
}

// loadText indexes text into a new store with a calls index: as a file, or if live, in
// batches of random sizes with the calls looked at (ReadAhead) between them, as a live
// session does.
func loadText(tb testing.TB, text string, live bool, seed uint64) (*store.Store, *Index) {
	tb.Helper()
	st := store.New()
	x := New(st, newParser)
	if !live {
		storetest.Load(tb, st, "test.log", strings.NewReader(text), split.Options{})
		return st, x
	}
	data := []byte(text)
	src := st.AddOrigin(store.Origin{Name: "live", Text: bytes.NewReader(data)})
	p := newParser()
	var rec model.Record
	rng := rand.New(rand.NewPCG(seed, 7))
	b := st.NewBatch()
	for off, raw := range split.Entries(data, p.StartsEntry) {
		p.Parse(raw, &rec)
		b.Add(&rec, src, int64(off))
		if rng.IntN(3) == 0 {
			st.Append(b)
			b = st.NewBatch()
			if rng.IntN(2) == 0 {
				x.ReadAhead()
			}
		}
	}
	st.Append(b)
	return st, x
}
