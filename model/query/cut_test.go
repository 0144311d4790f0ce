package query

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/sip"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/sim"
)

// hardLog is the simulator's hard cases: among them SIP messages whose Call-ID: header
// Pexip cut between two fragments, at every offset.
func hardLog(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := sim.NewWith(5, sim.Hard()).WriteLines(&buf, 20000); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCallIDCutByFragments selects, by their Call-ID, SIP messages whose Call-ID no one
// fragment holds whole: every fragment of each is printed. (A message that straddles two
// blocks of the reading, one in about three hundred with the default 1 MiB blocks, is
// not: see cut.go.)
func TestCallIDCutByFragments(t *testing.T) {
	data := hardLog(t)
	cut := loggedCuts(data, 12)
	if len(cut) == 0 {
		t.Fatal("no message's Call-ID was cut between fragments: the test proves nothing")
	}
	for _, msg := range cut {
		got, _ := run(t, `call-id == "`+msg.callID+`"`, split.Options{}, data)
		if n := strings.Count(got, `Fragment-id="`+msg.id+`"`); n != msg.lines {
			t.Errorf("%d of the %d fragments of %s, whose Call-ID %s is cut", n, msg.lines, msg.id, msg.callID)
		}
	}
}

// TestStreamPutsCutMessagesTogether follows the same log entry by entry: what a message
// whose Call-ID is cut, or any other entry, selects is printed as when the log is read
// whole, in the same order.
func TestStreamPutsCutMessagesTogether(t *testing.T) {
	data := hardLog(t)
	cut := loggedCuts(data, 12)
	if len(cut) == 0 {
		t.Fatal("no message's Call-ID was cut between fragments: the test proves nothing")
	}
	for _, msg := range cut {
		whole, _ := run(t, `call-id == "`+msg.callID+`"`, split.Options{}, data)
		f, _ := filter.Compile(`call-id == "` + msg.callID + `"`)
		s := NewStream(Options{Filter: f, NewParser: newParser})
		var followed bytes.Buffer
		for _, raw := range split.Entries(data, newParser().StartsEntry) {
			followed.Write(s.Add(raw))
		}
		followed.Write(s.Flush())
		if followed.String() != whole || strings.Count(whole, `Fragment-id="`+msg.id+`"`) != msg.lines {
			t.Errorf("call-id %s: followed, %d lines; read whole, %d (and %d of the %d fragments of its cut message)", msg.callID,
				strings.Count(followed.String(), "\n"), strings.Count(whole, "\n"), strings.Count(whole, `Fragment-id="`+msg.id+`"`), msg.lines)
		}
	}
}

// loggedCut is a fragmented SIP message of a log whose Call-ID no fragment holds whole.
type loggedCut struct {
	id, callID string
	lines      int // its fragments
}

// loggedCuts returns up to n of the fragmented messages of data whose Call-ID no one
// fragment holds whole.
func loggedCuts(data []byte, n int) []loggedCut {
	fields := regexp.MustCompile(`Fragment-id="([^"]+)" Fragment-number="\d+" Fragment-total="\d+" Detail="(.*)"$`)
	type message struct {
		lines  int
		detail []byte
		whole  bool // a fragment holds the Call-ID whole
	}
	messages := map[string]*message{}
	var order []string
	for _, line := range bytes.Split(data, []byte("\n")) {
		if m := fields.FindSubmatch(line); m != nil {
			id := string(m[1])
			if messages[id] == nil {
				messages[id] = &message{}
				order = append(order, id)
			}
			messages[id].lines++
			messages[id].detail = append(messages[id].detail, m[2]...) // the simulator logs them in order
			if _, ok := sip.CallID(m[2]); ok {
				messages[id].whole = true
			}
		}
	}
	var out []loggedCut
	for _, id := range order {
		msg := messages[id]
		if callID, ok := sip.CallID(msg.detail); ok && !msg.whole && len(out) < n {
			out = append(out, loggedCut{id, string(callID), msg.lines})
		}
	}
	return out
}
