package callsearch

import (
	"bytes"
	"context"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/sim"
)

var newParser = func() model.NewParserFunc { p, _ := formats.New("pexip", 0); return p }()

// simulated returns n lines of a simulated deployment.
func simulated(t testing.TB, n int) []byte {
	var buf bytes.Buffer
	if err := sim.New(7).WriteLines(&buf, n); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestAnyOfFindsEveryNeedle finds several needles in random text at once: every place
// where one of them starts, as many searches for each would.
func TestAnyOfFindsEveryNeedle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "ab-@0f"
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = letters[rng.IntN(len(letters))]
		}
		return string(b)
	}
	for range 200 {
		text := []byte(word(300))
		needles := []string{word(1 + rng.IntN(4)), word(1 + rng.IntN(4)), word(2)}
		var want []int
		for i := range text {
			if slices.ContainsFunc(needles, func(n string) bool { return bytes.HasPrefix(text[i:], []byte(n)) }) {
				want = append(want, i)
			}
		}
		got := newAnyOf(needles).hits(text)
		if !slices.Equal(got, want) {
			t.Fatalf("%q in %q: found at %v, want %v", needles, text, got, want)
		}
	}
}

// TestAtTimeBisects finds where the entries of a simulated log logged from a time on
// start, for times before, within and after it: where a look at every entry finds them.
func TestAtTimeBisects(t *testing.T) {
	text := simulated(t, 20000)
	p := newParser()
	var starts []int64
	var times []int64
	var rec model.Record
	for off := 0; off < len(text); {
		end := bytes.IndexByte(text[off:], '\n') + off
		if line := text[off:end]; p.StartsEntry(line) {
			if p.Parse(line, &rec); rec.Time != 0 {
				starts, times = append(starts, int64(off)), append(times, rec.Time)
			}
		}
		off = end + 1
	}
	for _, i := range []int{0, 1, len(times) / 3, len(times) / 2, len(times) - 1} {
		for _, dt := range []int64{-1, 0, 1} {
			at := times[i] + dt
			want := int64(len(text))
			for k, tm := range times {
				if tm >= at {
					want = starts[k]
					break
				}
			}
			got, err := atTime(bytes.NewReader(text), int64(len(text)), at, p)
			if err != nil || got != want {
				t.Errorf("atTime(%d): %d, %v; want %d", at, got, err, want)
			}
		}
	}
}

// TestSearchJoinsTheCallsIDs searches a simulated log for a call's Call-Id: the lines
// found carry its Participant-Id too, and every line that holds either is found.
func TestSearchJoinsTheCallsIDs(t *testing.T) {
	text := simulated(t, 20000)
	m := regexp.MustCompile(`Call-Id="([^"]+)"[^\n]*Participant-Id="([^"]+)"`).FindSubmatch(text[len(text)/2:])
	callID, participant := string(m[1]), string(m[2])
	f, err := Search(context.Background(), []Input{{Name: "x", R: bytes.NewReader(text), Text: bytes.NewReader(text)}}, callID, Options{NewParser: newParser})
	if err != nil || !f.Found() || !f.call[participant] {
		t.Fatalf("Search %s: %v, found %v, ids %v; want its Participant-Id %s", callID, err, f.Found(), f.call, participant)
	}
	var want int
	for _, l := range strings.Split(string(text), "\n") {
		if strings.Contains(l, callID) || strings.Contains(l, participant) {
			want++
		}
	}
	var got int
	for i := range f.hits {
		if f.ofCall(&f.hits[i]) {
			got++
		}
	}
	if got != want || f.Sizes[0] != int64(len(text)) {
		t.Errorf("%d lines of the call found, want %d; size %d, want %d", got, want, f.Sizes[0], len(text))
	}
}

// BenchmarkSearch searches a simulated log for a call from its middle, and finds the part
// of the log to index: the needle passes over the whole text.
func BenchmarkSearch(b *testing.B) {
	text := simulated(b, 200000)
	callID := regexp.MustCompile(`Call-Id="([^"]+)"`).FindSubmatch(text[len(text)/2:])[1]
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		in := []Input{{Name: "x", R: bytes.NewReader(text), Text: bytes.NewReader(text)}}
		f, err := Search(context.Background(), in, string(callID), Options{NewParser: newParser})
		if err != nil || !f.Found() {
			b.Fatal(err)
		}
		if _, err := f.Window(in, Options{NewParser: newParser}); err != nil {
			b.Fatal(err)
		}
	}
}
