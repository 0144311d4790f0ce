package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/sim"
)

// simulatedCall indexes a simulated log and returns the detail of a call that entered a
// PIN, presented (with BFCP) and changed quality.
func simulatedCall(t *testing.T) calls.Detail {
	t.Helper()
	var buf bytes.Buffer
	s := sim.New(3)
	s.WriteLines(&buf, 8000)
	st := store.New()
	x := calls.New(st, newParser)
	storetest.Load(t, st, "sim.log", bytes.NewReader(buf.Bytes()), split.Options{})
	for _, truth := range s.Truth() {
		n, ok := x.Find(st, truth.ParticipantID)
		if !ok || truth.Protocol != "SIP" {
			continue
		}
		d, _, err := x.Detail(st, n, newParser())
		if err != nil {
			t.Fatal(err)
		}
		var said []string
		for i := range d.Records {
			said = append(said, string(d.Records[i].Message()))
		}
		all := strings.Join(said, "\n")
		if strings.Contains(all, "PIN entry correct.") && strings.Contains(all, "Participant is presenting.") &&
			strings.Contains(all, "BFCP message") && len(d.Media) > 0 && d.Call.State == calls.Ended {
			return d
		}
	}
	t.Fatal("no simulated SIP call entered a PIN, presented and changed quality")
	return calls.Detail{}
}

// TestWriteCallTimeline prints a call as --call does: its timeline holds every line of
// it, one a line, in time order — the PIN, presentation and BFCP lines among them — and
// its ladder the BFCP rows, its media over time the quality changes.
func TestWriteCallTimeline(t *testing.T) {
	d := simulatedCall(t)
	var out bytes.Buffer
	if err := WriteCall(&out, &d, 120); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	_, timeline, ok := strings.Cut(text, "\nTimeline (")
	if !ok {
		t.Fatalf("no timeline:\n%s", text)
	}
	lines := strings.Split(timeline, "\n")[1:]
	for i := range d.Records {
		r := &d.Records[i]
		want := Clock(r.Time) + "  " + string(r.Node) + "  " + r.Level.String()
		if i >= len(lines) || !strings.HasPrefix(lines[i], "  "+want) || !strings.Contains(lines[i], string(r.Message())) {
			t.Fatalf("timeline line %d is not entry %d (%s %s):\n%s", i, d.Entries[i], want, r.Message(), timeline)
		}
	}
	if lines[len(d.Records)] != "" {
		t.Errorf("the timeline has more lines than the call's %d:\n%s", len(d.Records), timeline)
	}
	for _, want := range []string{"PIN entry correct.", "Participant is presenting.", "Participant has stopped presenting.",
		"SIP messages, 4 BFCP)", "BFCP FloorRequest", "BFCP FloorRequestStatus (Granted)", "Media over time", "call quality", "— bad"} {
		if !strings.Contains(text, want) {
			t.Errorf("--call lacks %q:\n%s", want, text)
		}
	}
}

// TestWriteCallJSON prints a call as --call --json does: one object with its timeline
// (every line, its fields), its signalling (SIP and BFCP, each with its protocol) and its
// media over time (each sample judged).
func TestWriteCallJSON(t *testing.T) {
	d := simulatedCall(t)
	var out bytes.Buffer
	if err := WriteCallJSON(&out, &d); err != nil {
		t.Fatal(err)
	}
	var got struct {
		CallIDs  []string `json:"call_ids"`
		Timeline []struct {
			Time, Node, Level, Module, Message string
			Fields                             map[string]string
		}
		Signalling []struct{ Protocol, Label string }
		Media      []struct {
			Name, Measure string
			Samples       []struct {
				Value     float64
				Judgement string
			}
		} `json:"media_over_time"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if len(got.Timeline) != len(d.Records) || got.CallIDs[0] != d.Call.CallIDs[0] {
		t.Fatalf("%d timeline entries for %d lines; ids %v", len(got.Timeline), len(d.Records), got.CallIDs)
	}
	for i, e := range got.Timeline {
		r := &d.Records[i]
		if e.Time != Clock(r.Time) || e.Message != string(r.Message()) || e.Module != string(r.Module) || e.Fields["Message"] != e.Message {
			t.Errorf("timeline entry %d = %+v, want the line %s", i, e, r.Raw)
		}
	}
	protocols := map[string]int{}
	for _, s := range got.Signalling {
		protocols[s.Protocol]++
	}
	if protocols["SIP"] == 0 || protocols["BFCP"] != 4 || len(got.Signalling) != len(d.Signalling) {
		t.Errorf("signalling by protocol %v, want SIP and 4 BFCP", protocols)
	}
	if len(got.Media) == 0 || got.Media[0].Name != "call" || got.Media[0].Measure != "quality" {
		t.Fatalf("media over time %+v", got.Media)
	}
	for _, s := range got.Media[0].Samples {
		if want := judgementNames[calls.QualityMeasure.Judge(s.Value)]; s.Judgement != want {
			t.Errorf("quality %v judged %q, want %q", s.Value, s.Judgement, want)
		}
	}
}
