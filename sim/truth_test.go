package sim

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestTruthIsTheLines reads the lines back without the simulator's help and checks every
// call of the truth against them: its lines are exactly those that carry one of its ids
// (SIP messages reassembled first), no line is two calls', its start and end are its first
// and last line's times, and its state, reason, SIP messages, streams, quality changes and
// media windows are what its lines say — for the default output and for Hard.
func TestTruthIsTheLines(t *testing.T) {
	for _, c := range []struct {
		seed uint64
		n    int
		opt  Options
	}{{21, 30000, Options{}}, {1, 30000, Hard()}, {2, 30000, Hard()}, {3, 20000, Hard()}} {
		data, truth := generate(t, c.seed, c.n, c.opt)
		lines := readBack(t, data)
		checkTruth(t, c.seed, lines, truth)
	}
}

func checkTruth(t *testing.T, seed uint64, lines []*logged, truth []*CallTruth) {
	t.Helper()
	if len(truth) < 100 {
		t.Fatalf("seed %d: only %d calls: the test proves little", seed, len(truth))
	}
	byID := map[string][]int{}
	for _, l := range lines {
		for _, id := range l.ids {
			if n := byID[id]; len(n) == 0 || n[len(n)-1] != l.n {
				byID[id] = append(n, l.n)
			}
		}
	}
	whose := map[int]*CallTruth{}
	for _, c := range truth {
		var want []int
		for _, id := range []string{c.CallID, c.ParticipantID, c.UUID, c.ConversationID} {
			if id != "" {
				want = append(want, byID[id]...)
			}
		}
		slices.Sort(want)
		want = slices.Compact(want)
		partial := slices.ContainsFunc(c.Lines, func(n int) bool { return lines[n-1].partial })
		got := slices.DeleteFunc(slices.Clone(c.Lines), func(n int) bool { return lines[n-1].partial })
		if !slices.Equal(got, want) {
			t.Errorf("seed %d, call %s / %s: lines %v, but the lines with its ids are %v", seed, c.CallID, c.ParticipantID, got, want)
			continue
		}
		for _, n := range c.Lines {
			if o := whose[n]; o != nil {
				t.Errorf("seed %d: line %d is both %s's and %s's", seed, n, o.CallID, c.CallID)
			}
			whose[n] = c
		}
		first, last := lines[c.Lines[0]-1], lines[c.Lines[len(c.Lines)-1]-1]
		if !c.Start.Equal(first.time) || !c.End.Equal(last.time) {
			t.Errorf("seed %d, call %s: from %v to %v, its lines from %v to %v", seed, c.CallID, c.Start, c.End, first.time, last.time)
		}
		var own []*logged
		for _, n := range c.Lines {
			own = append(own, lines[n-1])
		}
		checkCall(t, seed, c, own, partial)
	}
	for _, l := range lines { // every line with an id is a call's, but for OPTIONS pings
		if len(l.ids) > 0 && whose[l.n] == nil && l.field("Method") != "OPTIONS" && !l.partial {
			t.Errorf("seed %d: line %d carries ids %v but is no call's", seed, l.n, l.ids)
		}
	}
}

// checkCall checks what a call's truth says against what its lines say.
func checkCall(t *testing.T, seed uint64, c *CallTruth, own []*logged, partial bool) {
	t.Helper()
	w := expected(own, c.Lone)
	got := CallTruth{State: c.State, Reason: c.Reason, Duration: c.Duration, Status: c.Status, ReasonHeader: c.ReasonHeader,
		Warning: c.Warning, Streams: c.Streams, Quality: c.Quality}
	want := CallTruth{State: w.State, Reason: w.Reason, Duration: w.Duration, Status: w.Status, ReasonHeader: w.ReasonHeader,
		Warning: w.Warning, Streams: w.Streams, Quality: w.Quality}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("seed %d, call %s: truth %+v, its lines say %+v", seed, c.CallID, got, want)
	}
	if c.Failed != (c.State == StateFailed) {
		t.Errorf("seed %d, call %s: Failed %v in state %s", seed, c.CallID, c.Failed, c.State)
	}
	if !partial && !slices.Equal(c.SIP, w.SIP) {
		t.Errorf("seed %d, call %s: %d SIP messages, its lines hold %d (or they differ)", seed, c.CallID, len(c.SIP), len(w.SIP))
	}
	if c.Lone {
		for _, l := range own {
			if strings.HasPrefix(l.module, "administrator.") {
				t.Errorf("seed %d: lone dialog %s has an administrator line: %d %s", seed, c.CallID, l.n, l.message)
			}
		}
		if c.ParticipantID != "" || c.ConversationID != "" || c.Status < 400 {
			t.Errorf("seed %d: lone dialog %s: Participant-Id %q, Conversation-Id %q, status %d", seed, c.CallID, c.ParticipantID, c.ConversationID, c.Status)
		}
	}
	var windows []*logged
	for _, l := range own {
		if l.field("Event") == "participant_media_stream_window" {
			windows = append(windows, l)
		}
	}
	if len(windows) != len(c.Windows) {
		t.Errorf("seed %d, call %s: %d windows, its lines hold %d", seed, c.CallID, len(c.Windows), len(windows))
		return
	}
	for i, l := range windows {
		checkWindow(t, c.Windows[i], l)
	}
}

// checkWindow checks a window of the truth against its line: its Content and the values
// its JSON holds.
func checkWindow(t *testing.T, w MediaWindow, l *logged) {
	t.Helper()
	content := windowJSON(l.field("Content"))
	var logged struct {
		Was    string           `json:"call_quality_was"`
		Now    string           `json:"call_quality_now"`
		Loss   []map[string]any `json:"packet_loss_history"`
		Recent []QualityReport  `json:"recent_quality"`
	}
	if err := json.Unmarshal([]byte(content), &logged); err != nil {
		t.Fatalf("line %d: %v", l.n, err)
	}
	if w.Content != content || w.Was != logged.Was || w.Now != logged.Now || !w.Time.Equal(l.time) ||
		len(w.Loss) != len(logged.Loss) || !slices.Equal(w.Quality, logged.Recent) {
		t.Errorf("line %d: window %+v, logged %s", l.n, w, content)
		return
	}
	for i, p := range w.Loss {
		q := logged.Loss[i]
		if q["type"] != p.Type || q["id"] != float64(p.ID) || q["time"] != p.Time || q["rx_packets_received"] != float64(p.RxReceived) ||
			q["rx_packets_lost"] != float64(p.RxLost) || q["tx_packets_sent"] != float64(p.TxSent) || q["tx_packets_lost"] != float64(p.TxLost) {
			t.Errorf("line %d: packet counts %d are %+v, logged %v", l.n, i, p, q)
		}
	}
}

// TestTruthAsOfTheLinesReturned checks that the truth tells only what the lines returned so
// far tell: none of its lines is beyond them, and a call in the middle has no end yet.
func TestTruthAsOfTheLinesReturned(t *testing.T) {
	s := NewWith(4, Hard())
	var buf bytes.Buffer
	s.WriteLines(&buf, 3000)
	before := map[string]*CallTruth{}
	for _, c := range s.Truth() {
		if last := c.Lines[len(c.Lines)-1]; last > 3000 {
			t.Fatalf("call %s has line %d of 3000", c.CallID, last)
		}
		before[c.CallID+c.ParticipantID] = c
	}
	s.WriteLines(&buf, 30000)
	grew := 0
	for _, c := range s.Truth() {
		if b := before[c.CallID+c.ParticipantID]; b != nil && b.State != c.State {
			grew++
			if !b.End.Before(c.End) || len(b.Lines) >= len(c.Lines) {
				t.Errorf("call %s went from %s to %s but its lines did not grow", c.CallID, b.State, c.State)
			}
		}
	}
	if grew == 0 {
		t.Error("no call changed state in 30000 more lines: the test proves little")
	}
}
