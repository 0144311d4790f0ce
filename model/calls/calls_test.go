package calls

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/flexisip"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/sim"
)

func newParser() model.Parser { return &pexip.Parser{} }

// simulated writes n simulated lines to a file and returns its path, text and truth.
func simulated(t testing.TB, n int) (string, []byte, []*sim.CallTruth) {
	s := sim.New(21)
	var buf bytes.Buffer
	if err := s.WriteLines(&buf, n); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "support.log")
	os.WriteFile(path, buf.Bytes(), 0o600)
	return path, buf.Bytes(), s.Truth()
}

// checkAgainstTruth checks that the index found every simulated call with its ids, every
// SIP message of it (fragments reassembled) and every stream value exactly.
func checkAgainstTruth(t *testing.T, st *store.Store, x *Index, data []byte, truth []*sim.CallTruth) {
	t.Helper()
	all := x.Calls()
	if len(truth) < 100 {
		t.Fatalf("only %d simulated calls: the test proves little", len(truth))
	}
	if len(all) != len(truth) {
		t.Errorf("found %d calls, the simulation made %d", len(all), len(truth))
	}
	logged := map[string]bool{} // the Call-Ids the log holds
	p := newParser()
	var rec model.Record
	for _, raw := range split.Entries(data, p.StartsEntry) {
		p.Parse(raw, &rec)
		rec.IDs(func(k model.IDKind, id []byte) {
			if k == model.CallID {
				logged[string(id)] = true
			}
		})
	}
	fragmented := 0
	for _, want := range truth {
		n, ok := x.Find(st, want.ParticipantID) // logged for every call, the failed ones too
		if !ok {
			t.Errorf("no call for Participant-Id %s (Call-Id %s)", want.ParticipantID, want.CallID)
			continue
		}
		c, _ := x.Call(n)
		// A WebRTC or API call logs its Call-Id only once it has joined (or entered a PIN).
		callIDLogged := logged[want.CallID]
		if callIDLogged && !slices.Contains(c.CallIDs, want.CallID) || !slices.Contains(c.ParticipantIDs, want.ParticipantID) {
			t.Errorf("call %s: ids %v / %v, want %s / %s", want.CallID, c.CallIDs, c.ParticipantIDs, want.CallID, want.ParticipantID)
		}
		if want.UUID != "" && !slices.Contains(c.UUIDs, want.UUID) {
			t.Errorf("call %s: uuids %v, want %s", want.CallID, c.UUIDs, want.UUID)
		}
		if !want.Failed && c.Protocol != want.Protocol {
			t.Errorf("call %s: protocol %q, want %q", want.CallID, c.Protocol, want.Protocol)
		}
		if (c.State == Failed) != want.Failed {
			t.Errorf("call %s: state %v, failed %v", want.CallID, c.State, want.Failed)
		}
		ladder, err := x.LadderOf(st, n, newParser())
		if err != nil {
			t.Fatal(err)
		}
		if len(ladder) != len(want.SIP) {
			t.Errorf("call %s: %d SIP messages, want %d", want.CallID, len(ladder), len(want.SIP))
			continue
		}
		for i, m := range ladder {
			if string(m.Text) != want.SIP[i] || m.Missing != nil {
				t.Errorf("call %s: SIP message %d differs (missing %v):\n got %q\nwant %q", want.CallID, i, m.Missing, m.Text, want.SIP[i])
				break
			}
			if m.Fragments > 1 {
				fragmented++
			}
		}
		if len(c.Streams) != len(want.Streams) {
			t.Errorf("call %s: %d streams, want %d", want.CallID, len(c.Streams), len(want.Streams))
			continue
		}
		for i, d := range want.Streams {
			ws, _ := media.Parse([]byte(d))
			if c.Streams[i] != ws[0] {
				t.Errorf("call %s: stream %d = %+v, want %+v", want.CallID, i, c.Streams[i], ws[0])
			}
		}
	}
	if fragmented == 0 {
		t.Error("no fragmented SIP message was reassembled: the test proves little")
	}
}

// load indexes the file at path into st.
func load(tb testing.TB, st *store.Store, path string, opt split.Options) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	storetest.Load(tb, st, path, f, opt)
}

// indexFile indexes the file at path into a new store with a calls index.
func indexFile(tb testing.TB, path string, opt split.Options) (*store.Store, *Index) {
	tb.Helper()
	st := store.New()
	x := New(st, newParser)
	load(tb, st, path, opt)
	return st, x
}

func TestCallsFromAFile(t *testing.T) {
	path, data, truth := simulated(t, 60000)
	st, x := indexFile(t, path, split.Options{BlockSize: 64 << 10})
	checkAgainstTruth(t, st, x, data, truth)
}

// TestInstance lists the calls of each call's conference instance, found through their
// Conference-ID — or, in logs without one, through every call's summary — and expects
// the calls whose Instance is the same.
func TestInstance(t *testing.T) {
	t.Run("Conference-ID", func(t *testing.T) {
		path, _, _ := simulated(t, 20000)
		checkInstances(t, path)
	})
	t.Run("no Conference-ID", func(t *testing.T) {
		_, data, _ := simulated(t, 20000)
		data = regexp.MustCompile(` Conference-ID="[^"]*"`).ReplaceAll(data, nil)
		path := filepath.Join(t.TempDir(), "support.log")
		os.WriteFile(path, data, 0o600)
		checkInstances(t, path)
	})
}

// TestNames: the names a picker offers are every call's conference and participant,
// each once, in the order of the calls.
func TestNames(t *testing.T) {
	path, _, _ := simulated(t, 20000)
	_, x := indexFile(t, path, split.Options{})
	var conferences, participants []string
	for _, c := range x.Calls() {
		if c.Conference != "" && !slices.Contains(conferences, c.Conference) {
			conferences = append(conferences, c.Conference)
		}
		if c.Participant != "" && !slices.Contains(participants, c.Participant) {
			participants = append(participants, c.Participant)
		}
	}
	gotConferences, gotParticipants := x.Names()
	if !slices.Equal(gotConferences, conferences) || !slices.Equal(gotParticipants, participants) {
		t.Errorf("Names: %d conferences, %d participants; the calls have %d and %d",
			len(gotConferences), len(gotParticipants), len(conferences), len(participants))
	}
	if len(conferences) < 5 || len(participants) < 50 {
		t.Errorf("%d conferences and %d participants: the test proves little", len(conferences), len(participants))
	}
}

func checkInstances(t *testing.T, path string) {
	_, x := indexFile(t, path, split.Options{})
	byInstance := map[string][]int{}
	all := x.Calls()
	for _, c := range all {
		byInstance[c.Instance()] = append(byInstance[c.Instance()], c.Number)
	}
	shared := 0
	for _, c := range all {
		var got []int
		for _, o := range x.Instance(c.Number) {
			got = append(got, o.Number)
		}
		want := byInstance[c.Instance()]
		if c.Instance() == "" {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Fatalf("call %d (instance %q): the instance lists calls %v, want %v", c.Number, c.Instance(), got, want)
		}
		if len(got) > 1 {
			shared++
		}
	}
	if shared < 10 {
		t.Errorf("only %d calls share their conference instance: the test proves little", shared)
	}
}

// vanishing reads a text until it is made to fail, as a file truncated in place does.
type vanishing struct {
	r    io.ReaderAt
	gone atomic.Bool
}

func (v *vanishing) ReadAt(p []byte, off int64) (int, error) {
	if v.gone.Load() {
		return 0, errors.New("the text is gone")
	}
	return v.r.ReadAt(p, off)
}

// TestReadAheadOutlivesTheText indexes a log in two parts, reading the calls ahead after
// each (the second time only the calls that changed), then makes the text unreadable: the
// calls are still all there, exact.
func TestReadAheadOutlivesTheText(t *testing.T) {
	path, data, _ := simulated(t, 30000)
	f, _ := os.Open(path)
	defer f.Close()
	text := &vanishing{r: f}
	st := store.New()
	x := New(st, newParser)
	src := st.AddOrigin(store.Origin{Name: path, Text: text})
	half := bytes.LastIndexByte(data[:len(data)/2], '\n') + 1
	if err := st.Load(context.Background(), src, bytes.NewReader(data[:half]), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	x.ReadAhead()
	if err := st.Load(context.Background(), st.AddOrigin(store.Origin{Name: path, Text: offsetText{text, int64(half)}}),
		bytes.NewReader(data[half:]), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	x.ReadAhead()
	text.gone.Store(true)
	_, ref := indexFile(t, path, split.Options{}) // the same log, its text readable
	got, want := comparable(x.Calls()), comparable(ref.Calls())
	if len(want) < 100 || len(got) != len(want) {
		t.Fatalf("%d calls, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("a call read ahead differs from the same call read with its text:\n got %s\nwant %s", got[i], want[i])
		}
	}
}

// comparable writes each call out in full, without its number (calls numbered at
// different moments are numbered differently) and with its ids sorted, in sorted order.
func comparable(calls []Call) []string {
	var out []string
	for _, c := range calls {
		c.Number = 0
		for _, ids := range []*[]string{&c.CallIDs, &c.ConversationIDs, &c.ParticipantIDs, &c.UUIDs, &c.ConferenceIDs} {
			*ids = slices.Sorted(slices.Values(*ids)) // a copy: the index's slices are shared
		}
		out = append(out, fmt.Sprintf("%+v", c))
	}
	slices.Sort(out)
	return out
}

// offsetText reads a text from off on.
type offsetText struct {
	r   io.ReaderAt
	off int64
}

func (o offsetText) ReadAt(p []byte, off int64) (int, error) { return o.r.ReadAt(p, off+o.off) }

// TestCallsArrivingLive indexes a log as it arrives live: in pieces of random sizes, cut
// into entries as they come, appended in batches of random sizes; then checks the calls
// the same way.
func TestCallsArrivingLive(t *testing.T) {
	_, data, truth := simulated(t, 30000)
	st := store.New()
	x := New(st, newParser)
	arriveLive(st, x, data, rand.New(rand.NewPCG(1, 2)))
	checkAgainstTruth(t, st, x, data, truth)
}

// TestJoinsAcrossBatches joins a REST leg's Uuid with its participant's Participant-Id even
// when the store numbered other ids of the same batch first, and keeps the ids that the
// lines before a call's first telling line carried.
func TestJoinsAcrossBatches(t *testing.T) {
	st := store.New()
	x := New(st, newParser)
	const rest = `2026-05-14 10:00:0%d,000 Level="INFO" Name="support.rest" Message="Received REST API request" Path="/api/client/v2/conferences/meet/request_token" Remote-Address="10.0.0.%d" Uuid="%s"` + "\n"
	const attempt = `2026-05-14 10:00:0%d,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="%s" ConferenceAlias="meet" Protocol="WebRTC" Remote-Address="10.0.0.%d" Participant-id="%s"` + "\n"
	first := fmt.Sprintf(rest, 0, 2, "uuid-b")
	second := fmt.Sprintf(rest, 1, 1, "uuid-a") + fmt.Sprintf(attempt, 2, "bob", 2, "uuid-b") + fmt.Sprintf(attempt, 3, "alice", 1, "uuid-a") +
		`2026-05-14 10:00:04,000 Level="INFO" Name="support.participant" Message="Media offer" Call-Id="c1" Conversation-Id="conv-1"` + "\n" +
		`2026-05-14 10:00:05,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="carol" Protocol="SIP" Call-Id="c1" Participant-id="uuid-c"` + "\n"
	for i, text := range []string{first, second} {
		storetest.Load(t, st, fmt.Sprint("batch", i), strings.NewReader(text), split.Options{})
	}
	all := x.Calls()
	if len(all) != 3 {
		t.Fatalf("%d calls, want 3: %+v", len(all), all)
	}
	for _, c := range all {
		switch c.Participant {
		case "alice", "bob":
			want := "uuid-" + c.Participant[:1]
			if !slices.Equal(c.UUIDs, []string{want}) || !slices.Equal(c.ParticipantIDs, []string{want}) || c.Protocol != "WebRTC" {
				t.Errorf("%s: Uuids %v, Participant-Ids %v, protocol %s; want %s joined", c.Participant, c.UUIDs, c.ParticipantIDs, c.Protocol, want)
			}
		case "carol":
			if !slices.Equal(c.ConversationIDs, []string{"conv-1"}) || c.Entries != 2 {
				t.Errorf("carol: Conversation-Ids %v, %d entries; want conv-1 from the line before her call began, 2 entries", c.ConversationIDs, c.Entries)
			}
		}
	}
}

// TestWaitingListsForgetOldCalls lists more calls than a sweep allows, under keys never
// seen again, and expects those too old to be paired to be forgotten.
func TestWaitingListsForgetOldCalls(t *testing.T) {
	x := New(store.New(), newParser)
	hour := time.Hour.Microseconds()
	started := func(t int64) *call {
		return &call{pairing: &pairing{start: t}}
	}
	for i := range sweepEvery {
		x.wait(x.starts, uint64(i+1), started(int64(i)), int64(i))
	}
	for range sweepEvery {
		x.wait(x.attempts, 99999, started(hour), hour)
	}
	if len(x.starts) != 0 || len(x.attempts) != 1 {
		t.Errorf("after a sweep an hour later: %d start keys, %d attempt keys; want 0 and 1", len(x.starts), len(x.attempts))
	}
}

// TestForkedCallStaysAnswered: a proxy forks an INVITE; once one branch answers, the
// others are cancelled and answer 487: the call was answered all the same.
func TestForkedCallStaysAnswered(t *testing.T) {
	msg := func(t, start, cseq string) string {
		return "2024-12-17 18:17:" + t + " flexisip-debug- Agent::processResponse - Message:\n" + start +
			"\nVia: SIP/2.0/UDP 192.0.2.10:5060\nFrom: <sip:alice@example.org>;tag=1\nTo: <sip:bob@example.org>\nCall-ID: fork1\nCSeq: " + cseq + "\n\n"
	}
	text := []byte(msg("52:000", "INVITE sip:bob@example.org SIP/2.0", "20 INVITE") + msg("53:000", "SIP/2.0 200 OK", "20 INVITE") +
		msg("53:100", "SIP/2.0 487 Request Terminated", "20 INVITE"))
	parser := func() model.Parser { return &flexisip.Parser{} }
	st := store.New()
	x := New(st, parser)
	src := st.AddOrigin(store.Origin{Name: "fork.log", Text: bytes.NewReader(text)})
	if err := st.Load(context.Background(), src, bytes.NewReader(text), parser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	all := x.Calls()
	if len(all) != 1 || all[0].State != Connected || all[0].Reason != "" {
		t.Errorf("calls %+v: want one call, connected", all)
	}
}

// TestUnreadThenReadAheadBefore: after a first load, Unread leaves every call unread (a
// log opened costs no summaries); ReadAheadBefore then reads the calls that start before
// an entry, in order, and once all are read the text may go: the calls are all there, exact.
func TestUnreadThenReadAheadBefore(t *testing.T) {
	path, data, _ := simulated(t, 30000)
	f, _ := os.Open(path)
	defer f.Close()
	text := &vanishing{r: f}
	st := store.New()
	x := New(st, newParser)
	src := st.AddOrigin(store.Origin{Name: path, Text: text})
	if err := st.Load(context.Background(), src, bytes.NewReader(data), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	x.Unread()
	if read := x.summariesRead(); read != 0 {
		t.Fatalf("after Unread, %d summaries are read; want none", read)
	}
	x.ReadAheadBefore(uint32(st.Len() / 2))
	half := x.summariesRead()
	if half == 0 || half == x.calls.Len() {
		t.Fatalf("ReadAheadBefore the middle read %d of %d calls", half, x.calls.Len())
	}
	if x.summaries.read.Get(0) == nil {
		t.Errorf("the first call is not read")
	}
	x.ReadAheadBefore(uint32(st.Len()))
	text.gone.Store(true)
	_, ref := indexFile(t, path, split.Options{})
	got, want := comparable(x.Calls()), comparable(ref.Calls())
	if len(want) < 100 || len(got) != len(want) {
		t.Fatalf("%d calls, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("a call read ahead differs from the same call read with its text:\n got %s\nwant %s", got[i], want[i])
		}
	}
}

// summariesRead counts the calls whose summary is read.
func (x *Index) summariesRead() int {
	n := 0
	for _, r := range x.summaries.read.All() {
		if *r != nil {
			n++
		}
	}
	return n
}
