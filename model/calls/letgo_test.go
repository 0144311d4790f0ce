package calls

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/paged"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
)

// TestCallsLetGoWithTheirEntries indexes a log into a store that holds only its last
// entries: the calls whose entries were all let go leave the index, the calls wholly
// held are exactly as an index of the whole log has them, and the calls in between keep
// the entries held.
func TestCallsLetGoWithTheirEntries(t *testing.T) {
	path, _, _ := simulated(t, 250000)
	refSt, ref := indexFile(t, path, split.Options{})
	st := store.New()
	st.SetMaxEntries(70000)
	x := New(st, newParser)
	load(t, st, path, split.Options{})
	floor := uint32(st.First())
	if floor == 0 {
		t.Fatal("the store let no entry go")
	}
	var gone, held, between int
	for _, c := range ref.Calls() {
		entries := ref.Entries(refSt, c.Number)
		id := slices.Concat(c.ParticipantIDs, c.CallIDs, c.UUIDs)[0]
		n, found := x.Find(st, id)
		switch {
		case entries[len(entries)-1] < floor:
			gone++
			if found {
				t.Errorf("call %s, whose entries were all let go, is still call %d", id, n)
			}
		case !found:
			t.Errorf("call %s (entries %d to %d) is not found", id, entries[0], entries[len(entries)-1])
		case entries[0] >= floor:
			held++
			got, _ := x.Call(n)
			if a, b := comparable([]Call{got}), comparable([]Call{c}); a[0] != b[0] {
				t.Errorf("call %s differs from the whole log's:\n got %s\nwant %s", id, a[0], b[0])
			}
			if got := x.Entries(st, n); !slices.Equal(got, entries) {
				t.Errorf("call %s: entries %v, want %v", id, got, entries)
			}
		default:
			between++
			want := slices.DeleteFunc(entries, func(e uint32) bool { return e < floor })
			if got := x.Entries(st, n); !slices.Equal(got, want) {
				t.Errorf("call %s: entries %v, want those held, %v", id, got, want)
			}
		}
	}
	t.Logf("entries from %d held; calls: %d let go, %d held, %d in between", floor, gone, held, between)
	if gone < 50 || held < 50 {
		t.Fatalf("%d calls let go, %d held, %d in between: the test proves little", gone, held, between)
	}
	if got := len(x.Calls()); got != held+between {
		t.Errorf("%d calls listed, want the %d held and %d in between", got, held, between)
	}
}

// TestLongCallOutlivesItsFirstLines holds a call whose Call-Id is logged at its start and
// its end only, far apart, and whose Participant-Id keeps coming between: the store lets
// the start go, yet the end joins the same call, which keeps its Call-Id; and the number
// of a call let go finds no call, even when its Call-Id comes back in a new one.
func TestLongCallOutlivesItsFirstLines(t *testing.T) {
	const admin = `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" `
	var b strings.Builder
	b.WriteString(admin + `Message="Participant has joined." Call-Id="short" Participant-Id="p-short"` + "\n")
	b.WriteString(admin + `Message="Participant has disconnected." Call-Id="short" Participant-Id="p-short"` + "\n")
	b.WriteString(admin + `Message="Participant has joined." Call-Id="long" Participant-Id="p-long"` + "\n")
	for i := range 150000 {
		if i%10000 == 0 {
			b.WriteString(`2026-05-14 10:00:01,000 Level="INFO" Name="support.participant" Message="Still here" Participant-Id="p-long"` + "\n")
		} else {
			b.WriteString(`2026-05-14 10:00:01,000 Level="INFO" Name="support.node" Message="filler"` + "\n")
		}
	}
	b.WriteString(admin + `Message="Participant has disconnected." Call-Id="long" Participant-Id="p-long"` + "\n")
	b.WriteString(admin + `Message="Participant has joined." Call-Id="short" Participant-Id="p-again"` + "\n")
	text := []byte(b.String())

	st := store.New()
	st.SetMaxEntries(65536)
	x := New(st, newParser)
	src := st.AddOrigin(store.Origin{Name: "long.log", Text: bytes.NewReader(text)})
	first := bytes.Index(text, []byte("filler")) // the first three lines apart: numbered before they go
	if err := st.Load(context.Background(), src, bytes.NewReader(text[:first]), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	if n := len(x.Calls()); n != 2 {
		t.Fatalf("%d calls before the filler, want 2", n)
	}
	line := bytes.LastIndexByte(text[:first], '\n') + 1
	rest := store.Origin{Name: "long.log (rest)", Text: bytes.NewReader(text[line:])}
	if err := st.Load(context.Background(), st.AddOrigin(rest), bytes.NewReader(text[line:]), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	if st.First() == 0 {
		t.Fatal("the store let no entry go")
	}
	var ids []string
	for _, c := range x.Calls() {
		ids = append(ids, fmt.Sprint(c.Number, c.CallIDs, c.State))
	}
	n, ok := x.Find(st, "long")
	if c, _ := x.Call(n); !ok || !slices.Equal(c.CallIDs, []string{"long"}) || c.State != Ended || len(ids) != 2 {
		t.Errorf("calls %v: the long call split, or lost its Call-Id (call %d: %+v)", ids, n, c)
	}
	if c, ok := x.Call(1); ok {
		t.Errorf("call 1 was let go, yet its number finds call %d %v", c.Number, c.CallIDs)
	}
}

// TestMemoryFollowsWhatIsHeld runs 300 000 one-line calls, each with a Call-Id of its own,
// through a store that holds 70 000 entries, reading the calls ahead as it goes: the ids,
// calls, numbers and summaries of the calls let go are let go by the store and the index
// alike, page by page, so that what both hold stays in proportion.
func TestMemoryFollowsWhatIsHeld(t *testing.T) {
	var b bytes.Buffer
	const lines = 300000
	for i := range lines {
		fmt.Fprintf(&b, `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Call-Id="c%d"`+"\n", i)
	}
	st := store.New()
	st.SetMaxEntries(70000)
	x := New(st, newParser)
	text := b.Bytes()
	for len(text) > 0 { // in parts, looking at the calls after each, as a live session does
		part := text[:bytes.IndexByte(text[min(len(text)-1, 4<<20):], '\n')+min(len(text)-1, 4<<20)+1]
		text = text[len(part):]
		src := st.AddOrigin(store.Origin{Name: "many.log", Text: bytes.NewReader(part)})
		if err := st.Load(context.Background(), src, bytes.NewReader(part), newParser, split.Options{}); err != nil {
			t.Fatal(err)
		}
		x.ReadAhead()
	}
	if n := len(x.Calls()); n > st.Len()-st.First() {
		t.Errorf("%d calls listed, more than the %d entries held", n, st.Len()-st.First())
	}
	// Ids since the last compaction (a quarter of the limit ago) and one block more.
	limit := (70000+70000/4+2*65536)/paged.PageLen + 2
	for name, held := range map[string]func(int) bool{"ids": x.ids.Held, "calls made": x.made.Held, "numbered calls": x.calls.Held,
		"roots": x.roots.Held, "summaries": x.summaries.read.Held} {
		n := 0
		for k := range lines/paged.PageLen + 1 {
			if held(k) {
				n++
			}
		}
		if n > limit {
			t.Errorf("the calls index holds %d pages of %s for %d entries held, want at most %d", n, name, st.Len()-st.First(), limit)
		}
	}
}
