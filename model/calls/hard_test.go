package calls

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/sim"
)

// TestHardCasesAgainstTruth indexes the simulator's hard cases — SIP messages fragmented
// through their Call-IDs at every offset, all SIP through one SBC, refused PINs, dialogs
// that no administrator line describes, BYEs after the disconnect, per-window media
// statistics — and checks every call against what the simulation logged: one call per
// join attempt and one per lone dialog, none holding two attempts' Participant-Ids, each
// with its true lines, state and reason, and its media values as logged.
func TestHardCasesAgainstTruth(t *testing.T) {
	s := sim.NewWith(31, sim.Hard())
	var buf bytes.Buffer
	if err := s.WriteLines(&buf, 40000); err != nil {
		t.Fatal(err)
	}
	truth, data := s.Truth(), buf.Bytes()
	for _, live := range []bool{false, true} {
		st := store.New()
		x := New(st, newParser)
		if live {
			arriveLive(st, x, data, rand.New(rand.NewPCG(3, 4)))
		} else {
			storetest.Load(t, st, "hard.log", bytes.NewReader(data), split.Options{})
		}
		problems := checkHard(st, x, truth)
		for _, p := range problems[:min(len(problems), 20)] {
			t.Errorf("live %v: %s", live, p)
		}
		if len(problems) > 20 {
			t.Errorf("live %v: ... and %d more", live, len(problems)-20)
		}
	}
}

// arriveLive indexes data as it arrives live: in pieces of random sizes that end at line
// ends, cut into entries as they come, appended in batches of random sizes, with the
// calls read now and then as a live session reads them.
func arriveLive(st *store.Store, x *Index, data []byte, rng *rand.Rand) {
	src := st.AddOrigin(store.Origin{Name: "live", Text: bytes.NewReader(data)})
	joiner := split.NewJoiner(newParser().StartsEntry)
	p := newParser()
	var rec model.Record
	b := st.NewBatch()
	emit := func(_ any, off int64, raw []byte) {
		p.Parse(raw, &rec)
		b.Add(&rec, src, off)
		if rng.IntN(50) == 0 {
			st.Append(b)
			b = st.NewBatch()
			if rng.IntN(20) == 0 {
				x.ReadAhead()
			}
		}
	}
	for off := 0; off < len(data); {
		k := min(len(data)-off, 1+rng.IntN(20000))
		if nl := bytes.IndexByte(data[off+k-1:], '\n'); nl >= 0 {
			k += nl
		} else {
			k = len(data) - off
		}
		joiner.Feed(src, int64(off), data[off:off+k], emit)
		off += k
	}
	joiner.Flush(emit)
	st.Append(b)
}

// checkHard compares the index with the truth and returns what differs.
func checkHard(st *store.Store, x *Index, truth []*sim.CallTruth) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	all := x.Calls()
	if len(all) != len(truth) {
		bad("%d calls listed, the simulation made %d (one per join attempt or lone dialog)", len(all), len(truth))
	}
	owner := map[string]int{} // Participant-Id -> truth index
	for i, want := range truth {
		if want.ParticipantID != "" {
			owner[want.ParticipantID] = i
		}
	}
	for _, c := range all {
		seen := map[int]bool{}
		for _, p := range c.ParticipantIDs {
			if i, ok := owner[p]; ok {
				seen[i] = true
			}
		}
		if len(seen) > 1 {
			bad("call %d holds the Participant-Ids of %d attempts: %v", c.Number, len(seen), c.ParticipantIDs)
		}
	}
	for _, want := range truth {
		id := cmpOr(want.ParticipantID, want.CallID)
		n, ok := x.Find(st, id)
		if !ok {
			bad("no call for %s (lone %v, %s)", id, want.Lone, want.Reason)
			continue
		}
		c, _ := x.Call(n)
		if c.Entries != len(want.Lines) {
			bad("call %s: %d lines, want %d", id, c.Entries, len(want.Lines))
		}
		if got := c.State.String(); got != want.State {
			bad("call %s: state %s, want %s (%s)", id, got, want.State, want.Reason)
		} else if want.Failed && c.Reason == "" {
			bad("call %s: failed with no reason, want %q", id, want.Reason)
		}
		if want.Failed && want.Reason != "" && !strings.Contains(strings.ToLower(c.Reason), strings.ToLower(firstWords(want.Reason))) {
			bad("call %s: reason %q, want %q", id, c.Reason, want.Reason)
		}
		if len(c.Streams) != len(want.Streams) {
			bad("call %s: %d streams, want %d", id, len(c.Streams), len(want.Streams))
			continue
		}
		for i, d := range want.Streams {
			if ws, _ := media.Parse([]byte(d)); c.Streams[i] != ws[0] {
				bad("call %s: stream %d = %+v, want %+v", id, i, c.Streams[i], ws[0])
			}
		}
	}
	sort.Strings(problems)
	return slices.Compact(problems)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// firstWords is the start of a reason, as a call's reason may add headers after it.
func firstWords(s string) string { return s[:min(len(s), 20)] }
