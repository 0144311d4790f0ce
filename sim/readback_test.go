package sim

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/pexip"
)

// logged is one simulated line as the tests read it back, without the simulator's help.
type logged struct {
	n                     int // its number, from 1
	time                  time.Time
	node, module, message string
	fields                map[string]string // by lower-case key, \" decoded
	ids                   []string          // Call-Id, Participant-Id, Uuid, Conversation-Id, a SIP message's Call-ID, a window's uuid
	sip                   string            // the SIP message whole, on its line or its first fragment's
	partial               bool              // a fragment of a message whose other fragments are not all in the text
	cuts                  []int             // on a first fragment: where the message was cut
}

func (l *logged) field(key string) string { return l.fields[strings.ToLower(key)] }

// generate writes n lines of seed shaped by opt and returns them with the truth.
func generate(t testing.TB, seed uint64, n int, opt Options) ([]byte, []*CallTruth) {
	t.Helper()
	s := NewWith(seed, opt)
	var buf bytes.Buffer
	if err := s.WriteLines(&buf, n); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), s.Truth()
}

// readBack parses every line and reassembles every fragmented SIP message.
func readBack(t testing.TB, data []byte) []*logged {
	t.Helper()
	p := &pexip.Parser{}
	var r model.Record
	var lines []*logged
	fragments := map[string][]*logged{}
	var order []string
	for i, raw := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		p.Parse(raw, &r)
		if r.Plain || r.Time == 0 {
			t.Fatalf("line %d does not parse as a Pexip line: %s", i+1, raw)
		}
		l := &logged{n: i + 1, time: model.TimeOf(r.Time), node: string(r.Node), module: string(r.Module), fields: map[string]string{}}
		for k, v := range r.Fields() {
			l.fields[strings.ToLower(string(k))] = string(kv.Unescape(nil, v))
		}
		l.message = l.field("Message")
		for _, k := range []string{"Call-Id", "Participant-Id", "Uuid", "Conversation-Id"} {
			if v := l.field(k); v != "" {
				l.ids = append(l.ids, v)
			}
		}
		switch {
		case l.field("Fragment-id") != "":
			id := l.field("Fragment-id")
			if fragments[id] == nil {
				order = append(order, id)
			}
			fragments[id] = append(fragments[id], l)
		case l.module == "support.sip" && strings.Contains(l.field("Detail"), "SIP/2.0"):
			l.sip = l.field("Detail")
			l.ids = append(l.ids, callIDOf(l.sip))
		case l.field("Event") == "participant_media_stream_window":
			var w struct{ UUID string }
			if err := json.Unmarshal([]byte(windowJSON(l.field("Content"))), &w); err != nil {
				t.Fatalf("line %d: the window's Content is not JSON: %v", l.n, err)
			}
			l.ids = append(l.ids, w.UUID)
		}
		lines = append(lines, l)
	}
	for _, id := range order {
		group := fragments[id]
		slices.SortFunc(group, func(a, b *logged) int { return number(a) - number(b) })
		total, _ := strconv.Atoi(group[0].field("Fragment-total"))
		if len(group) != total || number(group[0]) != 0 {
			for _, l := range group {
				l.partial = true
			}
			continue
		}
		var whole strings.Builder
		for _, l := range group {
			if whole.Len() > 0 {
				group[0].cuts = append(group[0].cuts, whole.Len())
			}
			whole.WriteString(l.field("Detail"))
		}
		group[0].sip = whole.String()
		for _, l := range group {
			l.ids = append(l.ids, callIDOf(whole.String()))
		}
	}
	return lines
}

func number(l *logged) int {
	n, _ := strconv.Atoi(l.field("Fragment-number"))
	return n
}

// callIDOf returns the Call-ID header of a ^M-encoded SIP message, full or compact.
func callIDOf(msg string) string {
	v, _ := header(msg, "Call-ID")
	if v == "" {
		v, _ = header(msg, "i")
	}
	return v
}

// header returns the value of a message's header and where its line starts (at its ^M).
func header(msg, name string) (string, int) {
	at := strings.Index(msg, "^M"+name+": ")
	if at < 0 {
		return "", -1
	}
	v := msg[at+len(name)+4:]
	if end := strings.Index(v, "^M"); end >= 0 {
		v = v[:end]
	}
	return v, at
}

// windowJSON is a window's Content without the b” of older releases.
func windowJSON(content string) string {
	if strings.HasPrefix(content, "b'") {
		return strings.TrimSuffix(strings.TrimPrefix(content, "b'"), "'")
	}
	return content
}

// status returns a SIP response's status, phrase and the method of its CSeq (0 for a request).
func status(msg string) (code int, phrase, method string) {
	start, _, _ := strings.Cut(msg, "^M")
	if !strings.HasPrefix(start, "SIP/2.0 ") || len(start) < 12 {
		return 0, "", ""
	}
	code, _ = strconv.Atoi(start[8:11])
	cseq, _ := header(msg, "CSeq")
	_, method, _ = strings.Cut(cseq, " ")
	return code, start[12:], method
}

// expected is what a call's lines say of it, read as a user would read them.
func expected(lines []*logged, lone bool) CallTruth {
	w := CallTruth{State: StateConnecting}
	for _, l := range lines {
		switch l.message {
		case "Participant has joined.":
			w.State = StateConnected
		case "Participant has disconnected.":
			w.State, w.Reason, w.Duration = StateEnded, l.field("Detail"), l.field("Duration")
		case "Participant failed to join conference.":
			w.State, w.Reason = StateFailed, l.field("Reason")
		case "Participant exceeded PIN entry retries. Call will be disconnected.":
			w.State, w.Reason = StateFailed, ReasonPINRetries
		case "PIN entry timed out.":
			w.State, w.Reason = StateFailed, ReasonPINTimeout
		case "Conference host timeout.":
			w.State, w.Reason = StateFailed, ReasonHostTimeout
		case "Media Stream destroyed":
			w.Streams = append(w.Streams, l.field("Detail"))
		case "Stable call quality changed":
			w.Quality = append(w.Quality, QualityChange{Time: l.time, Was: l.field("Was"), Now: l.field("Now")})
		}
		if l.sip == "" {
			continue
		}
		w.SIP = append(w.SIP, l.sip)
		if code, phrase, method := status(l.sip); code >= 400 && method == "INVITE" {
			w.Status = code
			if lone {
				w.State, w.Reason = StateFailed, strconv.Itoa(code)+" "+phrase
				w.ReasonHeader, _ = header(l.sip, "Reason")
				w.Warning, _ = header(l.sip, "Warning")
			}
		}
	}
	return w
}
