package calls

import (
	"bytes"
	"cmp"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/sip"
	"github.com/calltail/calltail/model/store"
)

// Message is one SIP message of a call, reassembled from its fragments when it was logged
// in several lines — or, in a call's signalling (see Signalling), a BFCP floor control
// message or an H.225 / H.245 message of an H.323 call.
type Message struct {
	Entry     uint32 // the entry that logged it (the first fragment's)
	Time      int64
	Node      string // the node that logged it
	Received  bool   // the node received it (else sent it)
	Src, Dst  string // addresses, as logged
	Transport string
	Text      []byte // the whole message, line breaks as logged (^M), \" decoded
	Fragments int    // how many lines it was logged in
	Missing   []int  // fragment numbers that are missing from the log
	Start     string // the start line: "INVITE sip:x SIP/2.0", "SIP/2.0 200 OK"; of another protocol, the message's name
	CSeq      string
	SDP       string // a summary of its SDP: c=, b=, m= lines (with their direction when not sendrecv) and crypto, or ""

	Protocol    string   // "" for SIP; "BFCP", "H.225" or "H.245"
	Reason      string   // its Reason headers ("Q.850;cause=16;text=\"Normal call clearing\""), joined by "; "
	Warning     string   // its Warning headers ("399 sbc.example.com \"No route\""), joined by "; "
	Diagnostics string   // its MS-Diagnostics (or MS-Client-Diagnostics, MS-Diagnostics-Public) header
	Direction   string   // its SDP's direction when not sendrecv: "sendonly", or per stream "video recvonly"
	Crypto      bool     // its SDP offers SRTP keys (a=crypto)
	Tags        []string // what a BFCP or H.323 message tells besides its name: transaction, floor status, H.239 token, reason
}

// Notes are the lines the ladder writes under the message's arrow: its Reason, Warning
// and MS-Diagnostics headers, those that it has.
func (m *Message) Notes() []string {
	var out []string
	for _, n := range [...][2]string{{"Reason", m.Reason}, {"Warning", m.Warning}, {"MS-Diagnostics", m.Diagnostics}} {
		if n[1] != "" {
			out = append(out, n[0]+": "+n[1])
		}
	}
	return out
}

// Label is what the ladder writes on the message's arrow: the method, or the response
// and the CSeq it answers, "+ SDP" when it carries one; of another protocol, its name and
// name of the message, with its tags.
func (m *Message) Label() string {
	if m.Protocol != "" {
		label := m.Protocol + " " + m.Start
		if len(m.Tags) > 0 {
			label += " (" + strings.Join(m.Tags, "; ") + ")"
		}
		return label
	}
	label := m.Start
	if strings.HasPrefix(label, "SIP/2.0 ") {
		label = strings.TrimPrefix(label, "SIP/2.0 ")
		if m.CSeq != "" {
			label += " (" + m.CSeq + ")"
		}
	} else if sp := strings.IndexByte(label, ' '); sp > 0 {
		label = label[:sp]
	}
	if m.SDP != "" {
		label += " + SDP"
	}
	if m.Missing != nil {
		label += fmt.Sprintf(" [fragments missing: %v]", m.Missing)
	}
	return label
}

// fragment is one line of a fragmented message.
type fragment struct {
	number, total int
	entry         uint32
	text          []byte
}

// Ladder finds the SIP messages among a call's entries (in time order; numbers gives each
// entry's number) and reassembles the fragmented ones, however their lines interleave.
func Ladder(recs []model.Record, numbers []uint32) []Message {
	var out []Message
	frags := map[string][]fragment{}
	firsts := map[string]int{} // fragment id -> index in out of its message
	for i := range recs {
		r := &recs[i]
		if !bytes.HasPrefix(r.Module, []byte("support.sip")) && r.Shape == nil {
			continue
		}
		detail, ok := r.Field("Detail")
		if !ok {
			continue
		}
		detail = unescapedCopy(detail)
		m := Message{Entry: numbers[i], Time: r.Time, Node: string(r.Node),
			Received: bytes.Contains(r.Message(), []byte("eceived")),
			Src:      addr(r, "Src-address", "Src-port"), Dst: addr(r, "Dst-address", "Dst-port"),
			Transport: fieldText(r, "Transport"), Text: detail, Fragments: 1}
		if r.Shape != nil {
			serverEnds(&m, r)
		}
		if id := fieldText(r, "Fragment-id"); id != "" {
			num, _ := strconv.Atoi(fieldText(r, "Fragment-number"))
			total, _ := strconv.Atoi(fieldText(r, "Fragment-total"))
			frags[id] = append(frags[id], fragment{num, total, numbers[i], detail})
			if _, seen := firsts[id]; seen {
				continue
			}
			firsts[id] = len(out)
		} else if !sip.IsMessage(detail) {
			continue
		}
		out = append(out, m)
	}
	for id, fs := range frags {
		m := &out[firsts[id]]
		sort.Slice(fs, func(i, j int) bool { return fs[i].number < fs[j].number })
		m.Text, m.Fragments, m.Missing = nil, len(fs), nil
		next := 0
		for _, f := range fs {
			for ; next < f.number; next++ {
				m.Missing = append(m.Missing, next)
			}
			if f.number == next {
				m.Text = append(m.Text, f.text...)
				next++
			}
		}
		for total := fs[0].total; next < total; next++ {
			m.Missing = append(m.Missing, next)
		}
		m.Entry = fs[0].entry
	}
	for i := range out {
		out[i].describe()
	}
	answeredFrom(out)
	return out
}

// serverEnds sets the ends of a message a SIP server logged: the server itself, named by
// its node or its format, and the peer. The peer is the address the trace names
// (Asterisk's and FreeSWITCH's Src-address or Dst-address), else what the message says —
// for a request it received, its top Via; for a response it received, its Contact (see
// answeredFrom when it has none); for a request it sent, its request URI; for a response
// it sent, the Via left on top.
func serverEnds(m *Message, r *model.Record) {
	m.Received = received(r)
	self := cmp.Or(string(r.Node), r.Format())
	start, _ := startLine(m.Text)
	response := bytes.HasPrefix(start, []byte("SIP/2.0"))
	peer := m.Dst // as the trace names it (see Messages)
	if m.Received {
		peer = m.Src
	}
	switch {
	case peer != "":
	case m.Received && !response:
		peer = string(viaHost(m.Text))
	case m.Received:
		contact, _ := sip.Header(m.Text, "Contact", "m")
		peer = uriHost(contact)
	case !response:
		uri, _, _ := bytes.Cut(start[bytes.IndexByte(start, ' ')+1:], []byte(" "))
		peer = uriHost(uri)
	default:
		peer = string(viaHost(m.Text))
	}
	m.Src, m.Dst = peer, self
	if !m.Received {
		m.Src, m.Dst = self, peer
	}
}

// received reports whether a SIP server received the message an entry logged, as its
// Direction says ("in", "recv") or, without one, its words (Flexisip's "Sending").
func received(r *model.Record) bool {
	switch d, _ := r.Field("Direction"); string(d) {
	case "in", "recv":
		return true
	case "out", "send":
		return false
	}
	msg := r.Message()
	return !bytes.Contains(msg, []byte("Sending")) && !bytes.Contains(msg, []byte("::send"))
}

// uriHost returns the host and port of a SIP URI or name-addr.
func uriHost(uri []byte) string {
	u := uriUser(uri)
	if at := bytes.IndexByte(u, '@'); at >= 0 {
		u = u[at+1:]
	}
	return string(u)
}

// answeredFrom gives a response a SIP server received without a Contact (a 100 Trying)
// the peer its server last sent a request of the same CSeq to.
func answeredFrom(msgs []Message) {
	sentTo := map[string]string{} // CSeq -> peer
	for i := range msgs {
		m := &msgs[i]
		switch {
		case !m.Received && !strings.HasPrefix(m.Start, "SIP/2.0"):
			sentTo[m.CSeq] = m.Dst
		case m.Received && m.Src == "" && strings.HasPrefix(m.Start, "SIP/2.0"):
			m.Src = sentTo[m.CSeq]
		}
	}
}

// describe reads the start line, CSeq, the Reason, Warning and MS-Diagnostics headers
// and the SDP of the message.
func (m *Message) describe() {
	body := false
	var sdp sdpSummary
	for line := range sip.Lines(m.Text) {
		l := string(line)
		switch {
		case m.Start == "":
			m.Start = l
		case body:
			sdp.read(l)
		case l == "":
			body = true
		default:
			m.header(l)
		}
	}
	m.SDP, m.Direction, m.Crypto = sdp.summary()
}

// header reads one header line of the message, if it is one the ladder shows.
func (m *Message) header(l string) {
	name, value, ok := strings.Cut(l, ":")
	if !ok {
		return
	}
	value = strings.TrimSpace(value)
	switch name = strings.TrimSpace(name); {
	case strings.EqualFold(name, "CSeq"):
		m.CSeq = value
	case strings.EqualFold(name, "Reason"):
		m.Reason = joinNote(m.Reason, value)
	case strings.EqualFold(name, "Warning"):
		m.Warning = joinNote(m.Warning, value)
	case m.Diagnostics == "" && (strings.EqualFold(name, "MS-Diagnostics") || strings.EqualFold(name, "MS-Client-Diagnostics") ||
		strings.EqualFold(name, "MS-Diagnostics-Public")):
		m.Diagnostics = value
	}
}

func joinNote(list, v string) string {
	if list == "" {
		return v
	}
	return list + "; " + v
}

// sdpSummary gathers what the ladder tells of an SDP body: its c=, b= and m= lines, the
// direction of each stream (a=sendonly, a=recvonly, a=inactive; sendrecv when none is
// given, at the stream's level or the session's) and whether it offers crypto keys.
type sdpSummary struct {
	lines   []string // c=, b= and m= lines
	media   []int    // the index in lines of each m= line
	kinds   []string // the media kind of each m= line: audio, video, application
	dirs    []string // the direction of each m= line, "" when it names none
	session string   // the session's direction, before any m= line
	crypto  bool
}

func (s *sdpSummary) read(l string) {
	switch {
	case strings.HasPrefix(l, "m="):
		kind, _, _ := strings.Cut(l[2:], " ")
		s.media, s.kinds, s.dirs = append(s.media, len(s.lines)), append(s.kinds, kind), append(s.dirs, "")
		s.lines = append(s.lines, l)
	case strings.HasPrefix(l, "c=") || strings.HasPrefix(l, "b="):
		s.lines = append(s.lines, l)
	case strings.HasPrefix(l, "a=crypto:"):
		s.crypto = true
	case l == "a=sendonly" || l == "a=recvonly" || l == "a=inactive" || l == "a=sendrecv":
		if len(s.dirs) == 0 {
			s.session = l[2:]
		} else {
			s.dirs[len(s.dirs)-1] = l[2:]
		}
	}
}

// summary returns the SDP's summary line ("" when it has no c=, b= or m= line), its
// direction when not sendrecv, and whether it offers crypto.
func (s *sdpSummary) summary() (line, direction string, crypto bool) {
	if len(s.lines) == 0 {
		return "", "", false
	}
	var odd []string // "video sendonly"
	same := len(s.media) > 0
	for i, at := range s.media {
		dir := cmp.Or(s.dirs[i], s.session, "sendrecv")
		if dir != "sendrecv" {
			s.lines[at] += " [" + dir + "]"
			odd = append(odd, s.kinds[i]+" "+dir)
		}
		same = same && dir == cmp.Or(s.dirs[0], s.session, "sendrecv")
	}
	switch {
	case len(odd) == 0:
	case same:
		direction = cmp.Or(s.dirs[0], s.session)
	default:
		direction = strings.Join(odd, ", ")
	}
	line = strings.Join(s.lines, "  ")
	if len(s.media) > 0 {
		if s.crypto {
			line += "  crypto offered"
		} else {
			line += "  no crypto"
		}
	}
	return line, direction, s.crypto
}

func addr(r *model.Record, host, port string) string {
	h, p := fieldText(r, host), fieldText(r, port)
	if p == "" {
		return h
	}
	return h + ":" + p
}

func unescapedCopy(v []byte) []byte {
	if kv.NeedsUnescape(v) {
		return kv.Unescape(nil, v)
	}
	return append([]byte(nil), v...)
}

// Records reads entries back from the store and parses them with p; each record owns its
// raw bytes.
func Records(st *store.Store, entries []uint32, p model.Parser) ([]model.Record, error) {
	v := st.View()
	out := make([]model.Record, len(entries))
	for i, n := range entries {
		raw, err := v.Raw(nil, int(n))
		if err != nil {
			return nil, err
		}
		p.Parse(raw, &out[i])
		v.Label(int(n), &out[i])
	}
	return out, nil
}

// LadderOf returns the SIP messages of call number n.
func (x *Index) LadderOf(st *store.Store, n int, p model.Parser) ([]Message, error) {
	entries := x.Entries(st, n)
	recs, err := Records(st, entries, p)
	if err != nil {
		return nil, err
	}
	return Ladder(recs, entries), nil
}
