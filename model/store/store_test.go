package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/sim"
)

func newParser() model.Parser { return &pexip.Parser{} }

// simFile writes n simulated lines to a file and returns its path and contents.
func simFile(t testing.TB, n int) (string, []byte) {
	var buf bytes.Buffer
	if err := sim.New(7).WriteLines(&buf, n); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "support.log")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, buf.Bytes()
}

func load(t testing.TB, path string, opt split.Options) *Store {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	s := New()
	src := s.AddOrigin(Origin{Name: path, Text: f})
	if err := s.Load(context.Background(), src, f, newParser, opt); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestIndexesAgreeWithAScan loads simulated logs and checks every index against a plain
// scan of the parsed entries, and that raw text read back equals the file's.
func TestIndexesAgreeWithAScan(t *testing.T) {
	path, data := simFile(t, 20000)
	s := load(t, path, split.Options{BlockSize: 64 << 10})
	checkAgainstScan(t, s, data, 5)
}

// TestLettingGoKeepsTheRest loads more entries than the store may hold: the oldest blocks
// are let go, with what every index held of them, and what is held agrees with a split.
func TestLettingGoKeepsTheRest(t *testing.T) {
	path, data := simFile(t, 200000)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := New()
	s.SetMaxEntries(70000)
	half := bytes.LastIndexByte(data[:len(data)/2], '\n') + 1
	first := s.AddOrigin(Origin{Name: path, Text: f})
	if err := s.Load(context.Background(), first, bytes.NewReader(data[:half]), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	before := s.View()
	second := s.AddOrigin(Origin{Name: path + " (second half)", Text: io.NewSectionReader(f, int64(half), 1<<40)})
	if err := s.Load(context.Background(), second, bytes.NewReader(data[half:]), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	v := s.View()
	if v.First() == 0 || v.Len()-v.First() < 70000 || v.Len()-v.First() > 70000+blockSize {
		t.Fatalf("store holds entries %d to %d, want 70 000 to 70 000 + a block", v.First(), v.Len())
	}
	// A view taken before the entries were let go still reads them.
	for _, i := range []int{before.First(), v.First() - 1} {
		if raw, err := before.Raw(nil, i); err != nil || len(raw) == 0 {
			t.Errorf("the earlier view reads entry %d as %q, %v", i, raw, err)
		}
	}
	checkAgainstScan(t, s, data, 5)
	all := map[string]bool{}
	p := newParser()
	for _, raw := range split.Entries(data, p.StartsEntry) {
		var r model.Record
		p.Parse(raw, &r)
		r.IDs(func(k model.IDKind, id []byte) {
			if k == model.CallID {
				all[string(id)] = true
			}
		})
	}
	if held := len(s.IDs(model.CallID)); held >= len(all) {
		t.Errorf("the id index holds %d of the log's %d Call-Ids: it let none go", held, len(all))
	}
}

func checkAgainstScan(t *testing.T, s *Store, data []byte, wantNodes int) {
	t.Helper()
	var recs []model.Record
	p := newParser()
	for _, raw := range split.Entries(data, p.StartsEntry) {
		var r model.Record
		p.Parse(raw, &r)
		recs = append(recs, r)
	}
	v := s.View()
	if v.Len() != len(recs) {
		t.Fatalf("store has %d entries, want %d", v.Len(), len(recs))
	}
	floor := v.First()
	levels := map[model.Level][]uint32{}
	nodes := map[string][]uint32{}
	modules := map[string][]uint32{}
	calls := map[string][]uint32{}
	var admin []uint32
	var buf []byte
	for i, r := range recs {
		if i < floor {
			if _, err := v.Raw(nil, i); !errors.Is(err, ErrLetGo) {
				t.Fatalf("Raw(%d), let go: error %v, want ErrLetGo", i, err)
			}
			continue
		}
		id := uint32(i)
		levels[r.Level] = append(levels[r.Level], id)
		nodes[string(r.Node)] = append(nodes[string(r.Node)], id)
		modules[string(r.Module)] = append(modules[string(r.Module)], id)
		if r.IsAdmin() {
			admin = append(admin, id)
		}
		r.IDs(func(k model.IDKind, cid []byte) {
			if k == model.CallID {
				if c := calls[string(cid)]; len(c) == 0 || c[len(c)-1] != id {
					calls[string(cid)] = append(c, id)
				}
			}
		})
		e := v.Entry(i)
		if e.Time != r.Time || e.Level != r.Level || s.Name(e.Node) != string(r.Node) || s.Name(e.Module) != string(r.Module) {
			t.Fatalf("entry %d = %+v, want time %d level %v node %q module %q", i, e, r.Time, r.Level, r.Node, r.Module)
		}
		var err error
		if buf, err = v.Raw(buf[:0], i); err != nil || !bytes.Equal(buf, r.Raw) {
			t.Fatalf("Raw(%d) = %q, %v; want %q", i, buf, err, r.Raw)
		}
	}
	// Postings are let go a skip-chunk at a time: those held may begin before the floor.
	held := func(p Postings) []uint32 {
		return slices.DeleteFunc(p.Slice(), func(id uint32) bool { return int(id) < floor })
	}
	for l, want := range levels {
		if got := held(s.AtLevel(l)); !slices.Equal(got, want) {
			t.Errorf("AtLevel(%v): %d entries, want %d", l, len(got), len(want))
		}
	}
	if got := held(s.Admin()); !slices.Equal(got, admin) {
		t.Errorf("Admin: %d entries, want %d", len(got), len(admin))
	}
	for n, want := range nodes {
		if got := held(s.ByNode(n)); n != "" && !slices.Equal(got, want) {
			t.Errorf("ByNode(%q): %d entries, want %d", n, len(got), len(want))
		}
	}
	for m, want := range modules {
		if got := held(s.ByModule(m)); m != "" && !slices.Equal(got, want) {
			t.Errorf("ByModule(%q): %d entries, want %d", m, len(got), len(want))
		}
	}
	if len(calls) < 50 {
		t.Fatalf("only %d call ids in the simulation", len(calls))
	}
	for id, want := range calls {
		got := slices.DeleteFunc(s.ByID(model.CallID, id), func(id uint32) bool { return int(id) < floor })
		if !slices.Equal(got, want) {
			t.Errorf("ByID(Call-Id, %q) = %v, want %v", id, got, want)
		}
	}
	if got := len(s.IDs(model.CallID)); got < len(calls) || floor == 0 && got != len(calls) {
		t.Errorf("IDs(Call-Id) has %d ids, want %d", got, len(calls))
	}
	if got := len(s.Nodes()); got != wantNodes {
		t.Errorf("Nodes() = %v, want the %d simulated nodes", s.Nodes(), wantNodes)
	}
}

// TestConcurrentReaders appends from one writer while readers take views, read entries
// and raw text, and look ids up. Run with -race.
func TestConcurrentReaders(t *testing.T) {
	path, data := simFile(t, 5000)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := New()
	src := s.AddOrigin(Origin{Name: path, Text: f})

	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			var buf []byte
			for {
				select {
				case <-done:
					return
				default:
				}
				v := s.View()
				for i := max(0, v.Len()-50); i < v.Len(); i++ {
					var err error
					if buf, err = v.Raw(buf[:0], i); err != nil {
						t.Error(err)
						return
					}
					if n := v.RawLen(i); len(buf) != n {
						t.Errorf("entry %d: read %d bytes, want %d", i, len(buf), n)
						return
					}
				}
				for _, id := range s.IDs(model.CallID) {
					for _, i := range s.ByID(model.CallID, id) {
						if int(i) >= s.Len() {
							t.Errorf("posting %d beyond the store's %d entries", i, s.Len())
						}
					}
					break
				}
				_ = s.AtLevel(model.LevelWarning)
				_ = s.Nodes()
			}
		})
	}
	if err := s.Load(context.Background(), src, bytes.NewReader(data), newParser, split.Options{BlockSize: 4096}); err != nil {
		t.Fatal(err)
	}
	close(done)
	wg.Wait()
}

func TestEntryIsCompact(t *testing.T) {
	if size := unsafe.Sizeof(Entry{}); size > 24 {
		t.Errorf("Entry is %d bytes, want at most 24", size)
	}
}

func TestSameIDUnderTwoKinds(t *testing.T) {
	// Pexip often gives a call the same value as Call-Id and Conversation-Id.
	data := "2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"administrator.conference\" Message=\"Participant has joined.\" Call-Id=\"fe71\" Conversation-Id=\"fe71\"\n" +
		"2026-05-14 10:00:02,000 Level=\"INFO\" Name=\"administrator.conference\" Message=\"x\" Conversation-Id=\"fe71\"\n"
	path := filepath.Join(t.TempDir(), "s.log")
	os.WriteFile(path, []byte(data), 0o600)
	s := load(t, path, split.Options{})
	if got := s.ByID(model.CallID, "fe71"); !slices.Equal(got, []uint32{0}) {
		t.Errorf("Call-Id fe71 in entries %v, want [0]", got)
	}
	if got := s.ByID(model.ConversationID, "fe71"); !slices.Equal(got, []uint32{0, 1}) {
		t.Errorf("Conversation-Id fe71 in entries %v, want [0 1]", got)
	}
	if got := s.ByID(model.ParticipantID, "fe71"); got != nil {
		t.Errorf("Participant-Id fe71 in entries %v, want none", got)
	}
}

func TestEntryOf16MiBOrMore(t *testing.T) {
	long := "2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"support.sip\" Message=\"" + strings.Repeat("x", 17<<20) + "\""
	data := "2026-05-14 10:00:00,000 Level=\"INFO\" Name=\"support.sip\" Message=\"short\"\n" + long + "\nplain after\n"
	path := filepath.Join(t.TempDir(), "s.log")
	os.WriteFile(path, []byte(data), 0o600)
	s := load(t, path, split.Options{})
	v := s.View()
	if v.Len() != 2 {
		t.Fatalf("%d entries, want 2 (the plain line continues the long entry)", v.Len())
	}
	raw, err := v.Raw(nil, 1)
	if err != nil || v.RawLen(1) != len(long)+len("\nplain after") || string(raw[:30]) != long[:30] {
		t.Errorf("long entry: RawLen %d, read %d bytes, %v", v.RawLen(1), len(raw), err)
	}
}

// releasable is a source's text that records being released.
type releasable struct {
	io.ReaderAt
	released bool
}

func (r *releasable) Release() { r.released = true }

// TestLettingGoReleasesRotatedSources: once every entry of a generation that a newer one
// of the same name followed is let go, its text is released (its file can be closed);
// the newest generation's is not.
func TestLettingGoReleasesRotatedSources(t *testing.T) {
	_, data := simFile(t, 100000)
	s := New()
	s.SetMaxEntries(70000)
	var texts []*releasable
	for range 4 {
		text := &releasable{ReaderAt: bytes.NewReader(data)}
		texts = append(texts, text)
		src := s.AddOrigin(Origin{Name: "support.log", Text: text})
		if err := s.Load(context.Background(), src, bytes.NewReader(data), newParser, split.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	// 400 000 entries, 70 000 held: from 327 680 on, in the last generation only.
	if !texts[0].released || !texts[1].released || !texts[2].released || texts[3].released {
		t.Errorf("released: %v %v %v %v; want the first three generations (the store holds entries from %d of %d)",
			texts[0].released, texts[1].released, texts[2].released, texts[3].released, s.First(), s.Len())
	}
}

// TestAddIDLater: an id learnt after its entry was appended (the Call-ID of a SIP message
// put together from its fragments) is found by its text, its postings stay in order
// across chunks, an entry is posted once, and an entry the store does not hold gets none.
func TestAddIDLater(t *testing.T) {
	var data strings.Builder
	for i := range 20 {
		fmt.Fprintf(&data, "2026-05-14 10:00:%02d,000 Level=\"INFO\" Name=\"support.sip\" Message=\"x\" Call-Id=\"c%d\"\n", i, i%2)
	}
	path := filepath.Join(t.TempDir(), "s.log")
	os.WriteFile(path, []byte(data.String()), 0o600)
	s := load(t, path, split.Options{})
	odd := s.ByID(model.CallID, "c1")
	for _, e := range []uint32{4, 0, 18, 4} { // even entries, out of order, one twice
		if _, ok := s.AddID(e, model.CallID, []byte("c1")); !ok {
			t.Fatalf("AddID(%d) refused", e)
		}
	}
	want := slices.Sorted(slices.Values(append(odd, 0, 4, 18)))
	if got := s.ByID(model.CallID, "c1"); !slices.Equal(got, want) {
		t.Errorf("c1 in entries %v, want %v", got, want)
	}
	n, ok := s.AddID(7, model.CallID, []byte("whole@x"))
	if k, text := s.IDText(n); !ok || k != model.CallID || text != "whole@x" || !slices.Equal(s.ByID(model.CallID, "whole@x"), []uint32{7}) {
		t.Errorf("a new id: %v %v %q, entries %v", ok, k, text, s.ByID(model.CallID, "whole@x"))
	}
	if _, ok := s.AddID(20, model.CallID, []byte("c1")); ok {
		t.Error("AddID took an entry not appended yet")
	}
}
