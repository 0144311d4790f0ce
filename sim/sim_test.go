package sim

import (
	"bytes"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/split"
)

func lines(t *testing.T, seed uint64, n int) []byte {
	var buf bytes.Buffer
	if err := New(seed).WriteLines(&buf, n); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReproducible(t *testing.T) {
	a, b, c := lines(t, 5, 2000), lines(t, 5, 2000), lines(t, 6, 2000)
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different logs")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same log")
	}
	if n := bytes.Count(a, []byte("\n")); n != 2000 {
		t.Errorf("wrote %d lines, want 2000", n)
	}
}

// TestRealistic checks that the simulation holds what tests and the demo rely on: every
// line parses as a Pexip line, times never go backwards, and each kind of event appears.
func TestRealistic(t *testing.T) {
	data := lines(t, 1, 40000)
	p := &pexip.Parser{}
	var r model.Record
	var last int64
	counts := map[string]int{}
	for _, raw := range split.Entries(data, p.StartsEntry) {
		p.Parse(raw, &r)
		if r.Plain || r.Time == 0 || len(r.Node) == 0 || len(r.Module) == 0 {
			t.Fatalf("line does not parse as a Pexip line: %s", raw)
		}
		if r.Time < last {
			t.Fatalf("time goes backwards at %s", raw)
		}
		last = r.Time
		counts[r.Level.String()]++
		counts[string(r.Module)]++
		counts[string(r.Node)]++
		msg := string(r.Message())
		counts[msg]++
		if _, ok := r.Field("Fragment-id"); ok {
			counts["fragment"]++
		}
		if _, ok := r.Field("Call-id"); ok && bytes.Contains(raw, []byte("Call-id=")) {
			counts["old key spelling"]++
		}
		if strings.Contains(string(raw), "^Mi: ") {
			counts["compact Call-ID header"]++
		}
		if bytes.Contains(raw, []byte(`\"`)) {
			counts["escaped quote"]++
		}
	}
	for _, want := range []string{
		"WARNING", "ERROR", "support.sip", "support.rest", "support.ice", "support.bfcp", "support.dns",
		"support.h323.ras", "support.h323.q931", "support.h323.h245", "support.participant", "support.media",
		"administrator.conference", "administrator.configuration", "administrator.registration", "administrator.alarm",
		"administrator.system.connectivity", "administrator.participantdialer",
		"mgmt01", "conf01", "conf02", "conf03", "10.0.3.31",
		"Participant attempting to join conference.", "Conference has been created.", "Participant has joined.",
		"Participant has disconnected.", "Conference has been stopped.", "Participant failed to join conference.",
		"Media Stream destroyed", "Stable call quality changed", "Lost incoming video", "Participant is presenting.",
		"ICE new-selected-pair event", "ICE failed", "User login failed", "PIN entry correct.",
		"Participant has been quarantined by Break-in prevention policy due to excessive failed join attempts.",
		"Break-in prevention policy rejecting call attempt from quarantined caller.",
		"Summarised received SIP request", "fragment", "old key spelling", "compact Call-ID header", "escaped quote",
	} {
		if counts[want] == 0 {
			t.Errorf("no %q in 40000 simulated lines", want)
		}
	}
	if w, all := counts["WARNING"]+counts["ERROR"], 40000; w*100 > all*5 {
		t.Errorf("%d of %d lines are warnings or errors: too many to be realistic", w, all)
	}
}
