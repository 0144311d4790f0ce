package query

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/sim"
)

func newParser() model.Parser { return &pexip.Parser{} }

func simLog(t testing.TB, seed uint64, n int) []byte {
	var buf bytes.Buffer
	if err := sim.New(seed).WriteLines(&buf, n); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func run(t testing.TB, expr string, opt split.Options, inputs ...[]byte) (string, int) {
	t.Helper()
	f, err := filter.Compile(expr)
	if err != nil {
		t.Fatal(err)
	}
	var ins []Input
	for i, data := range inputs {
		ins = append(ins, Input{Name: string(rune('a' + i)), R: bytes.NewReader(data)})
	}
	var out bytes.Buffer
	n, err := Run(context.Background(), ins, Options{Filter: f, NewParser: newParser, Scan: opt}, &out)
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), n
}

// bruteForce parses every entry and prints those the filter matches, with the fragments
// of the SIP messages it selects that follow them: the reference.
func bruteForce(t testing.TB, expr string, data []byte) string {
	f, _ := filter.Compile(expr)
	p := newParser()
	var out []byte
	var r model.Record
	selected := map[string]bool{}
	for _, raw := range split.Entries(data, p.StartsEntry) {
		p.Parse(raw, &r)
		frag, _ := r.Field("Fragment-id")
		if f.Match(&r) {
			selected[string(frag)] = true
		} else if !selected[string(frag)] || len(frag) == 0 {
			continue
		}
		out = export.Append(out, &r, export.Plain)
	}
	return string(out)
}

// TestNeedleSearchFindsWhatAFullScanFinds checks the fast path (search the needles, parse
// only around hits) against parsing every entry, with small chunks so that hits fall
// near chunk edges.
func TestNeedleSearchFindsWhatAFullScanFinds(t *testing.T) {
	data := simLog(t, 3, 30000)
	callID := findCallID(t, data)
	exprs := []string{
		`call-id == "` + callID + `"`,
		`"` + callID + `" || "login failed"`,
		`level >= warning`,
		`media stream destroyed && loss`,
		`module ^= "support.h323"`,
		`participant contains ALICE && level == info`,
		`detail contains "m=application"`,
		`Fragment-total == 2`,
		`!(level == info) && conf02`,
	}
	for _, expr := range exprs {
		want := bruteForce(t, expr, data)
		if want == "" {
			t.Errorf("%s: the simulation has no match; the test proves nothing", expr)
		}
		for _, size := range []int{4096, 1 << 20} {
			got, n := run(t, expr, split.Options{BlockSize: size}, data)
			if got != want {
				t.Errorf("%s (chunks of %d): %d entries differ from a full scan's %d", expr, size, n, strings.Count(want, "\n"))
			}
		}
	}
}

// TestFragmentsFollowTheirMessage selects fragmented INVITEs by their Call-ID, which only
// their first fragment carries, and expects every fragment of each, in order, whether the
// log is read in chunks, merged with another, or followed live.
func TestFragmentsFollowTheirMessage(t *testing.T) {
	data := simLog(t, 3, 30000)
	p := newParser()
	var r model.Record
	var callID, fragID string
	total := 0
	for _, raw := range split.Entries(data, p.StartsEntry) {
		p.Parse(raw, &r)
		id, _ := r.Field("Fragment-id")
		number, _ := r.Field("Fragment-number")
		if len(id) > 0 && string(number) == "0" && bytes.Contains(raw, []byte("Call-ID: ")) && callID == "" {
			fragID = string(id)
			rest := raw[bytes.Index(raw, []byte("Call-ID: "))+len("Call-ID: "):]
			callID = string(rest[:bytes.Index(rest, []byte("^M"))])
			n, _ := r.Field("Fragment-total")
			total = int(n[0] - '0')
		}
	}
	if callID == "" || total < 2 {
		t.Fatal("the simulation logged no fragmented message with a Call-ID")
	}
	count := func(out string) int { return strings.Count(out, `Fragment-id="`+fragID+`"`) }
	expr := `call-id == "` + callID + `"`
	for _, size := range []int{2048, 1 << 20} {
		if got, _ := run(t, expr, split.Options{BlockSize: size}, data); count(got) != total {
			t.Errorf("chunks of %d: %d of the %d fragments of %s", size, count(got), total, fragID)
		}
	}
	if got, _ := run(t, expr, split.Options{BlockSize: 4096}, data, simLog(t, 4, 1000)); count(got) != total {
		t.Errorf("merged: %d of the %d fragments of %s", count(got), total, fragID)
	}
	f, _ := filter.Compile(expr)
	stream := NewStream(Options{Filter: f, NewParser: newParser})
	var out bytes.Buffer
	for _, raw := range split.Entries(data, p.StartsEntry) {
		out.Write(stream.Add(raw))
	}
	if count(out.String()) != total {
		t.Errorf("followed: %d of the %d fragments of %s", count(out.String()), total, fragID)
	}
}

func findCallID(t testing.TB, data []byte) string {
	i := bytes.Index(data[len(data)/2:], []byte("Call-ID: "))
	if i < 0 {
		t.Fatal("no Call-ID in the simulation")
	}
	rest := data[len(data)/2+i+len("Call-ID: "):]
	return string(rest[:bytes.Index(rest, []byte("^M"))])
}

func TestMergeByOriginatingTime(t *testing.T) {
	a := "2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"x.a\" Message=\"a1\"\n" +
		"2026-05-14 10:00:03,000 Level=\"INFO\" Name=\"x.a\" Message=\"a3\"\n" +
		"  a continuation line: part of a3\n" +
		"2026-05-14 10:00:05,000 Level=\"INFO\" Name=\"x.a\" Message=\"a5\"\n"
	b := "2026-05-14 10:00:02,000 Level=\"INFO\" Name=\"x.b\" Message=\"b2\"\n" +
		"2026-05-14 10:00:03,000 Level=\"INFO\" Name=\"x.b\" Message=\"b3 (tie: after a3)\"\n" +
		"2026-05-14 10:00:04,000 Level=\"INFO\" Name=\"x.b\" Message=\"b4\"\n"
	got, n := run(t, "", split.Options{}, []byte(a), []byte(b))
	var order []string
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		i := strings.Index(line, `Message="`)
		if i < 0 {
			order = append(order, line)
			continue
		}
		order = append(order, strings.Fields(line[i+9:])[0])
	}
	want := `a1 b2 a3 a b3 b4 a5`
	var short []string
	for _, o := range order {
		short = append(short, strings.Fields(strings.Trim(o, `"`))[0])
	}
	if strings.Join(short, " ") != want || n != 6 {
		t.Errorf("merged order = %v (%d entries), want %s", short, n, want)
	}
}

func TestMergeKeepsEveryEntry(t *testing.T) {
	a, b := simLog(t, 1, 5000), simLog(t, 2, 5000)
	got, n := run(t, "", split.Options{BlockSize: 8192}, a, b)
	want := bruteForce(t, "", a) + bruteForce(t, "", b)
	entries := 0
	for range split.Entries(append(a, b...), newParser().StartsEntry) {
		entries++
	}
	if n != entries || len(got) != len(want) {
		t.Errorf("merged %d entries / %d bytes, want %d / %d", n, len(got), entries, len(want))
	}
}

func TestControlCharactersAreMadeHarmless(t *testing.T) {
	data := []byte("2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"x\" Message=\"\x1b]52;c;aGk=\x07 \x1b[2J \xc2\x9b \xe2\x80\xae\"\n")
	got, _ := run(t, "", split.Options{}, data)
	want := "2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"x\" Message=\"^[]52;c;aGk=^G ^[[2J <U+009B> <U+202E>\"\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
