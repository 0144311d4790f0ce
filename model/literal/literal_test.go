package literal

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// lowerASCII folds ASCII letters only, as the Matcher does.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// reference is what Index must return.
func reference(haystack, needle string, fold bool) int {
	if fold {
		return strings.Index(lowerASCII(haystack), lowerASCII(needle))
	}
	return strings.Index(haystack, needle)
}

func TestIndex(t *testing.T) {
	tests := []struct {
		haystack, needle string
		fold             bool
		want             int
	}{
		{"", "", false, 0},
		{"", "", true, 0},
		{"abc", "", false, 0},
		{"abc", "", true, 0},
		{"", "a", false, -1},
		{"", "a", true, -1},
		{"abc", "abcd", false, -1}, // longer than the haystack
		{"abc", "ABCD", true, -1},
		{"abc", "abc", false, 0}, // the whole haystack
		{"ABC", "abc", true, 0},
		{"abc", "ABC", false, -1},
		{"xxabc", "ABC", true, 2},      // at the very end
		{"ABCxx", "abc", true, 0},      // at the very start
		{"aaaa", "aaa", true, 0},       // overlapping
		{"aAaAb", "AAB", true, 2},      // overlapping, mixed case
		{"abababac", "ABAC", true, 4},  // overlapping near misses
		{"abababac", "abac", false, 4}, // the same, exact
		{"Call-ID: 890b38520c27737c@10.44.5.9", "890B38520C27737C@", true, 9},
		{`Participant="sip:Alice@Example.com"`, "alice@example", true, 17},
		{`Participant="sip:Alice@Example.com"`, "alice@example", false, -1},
		{"meet.alice meet.ALICE", "ALICE", false, 16},
		{"@@@.", "@.", true, 2},     // anchor not a letter
		{"-.-.-@", ".-@", true, 3},  // anchor not a letter, at the end
		{"q Q q", "Q", true, 0},     // one-letter needle
		{"xyz", "Y", true, 1},       //
		{"Zoë zoË", "ZOË", true, 5}, // only ASCII letters fold: ë and Ë differ
		{"Zoë", "ZOË", true, -1},
		{"Zoë", "ZOë", true, 0},
		{"[{", "{", true, 1}, // [ and { differ only in bit 0x20 but are not letters
		{"@", "`", true, -1},
		{"^~", "~", true, 1},
		{"ERROR: ice failed", "ICE FAILED", true, 7},
		{"aaaaaaaaaaaaaaaaaaaaaaab", "AAAB", true, 20},
	}
	for _, tt := range tests {
		m := New(tt.needle, tt.fold)
		if got := m.Index([]byte(tt.haystack)); got != tt.want {
			t.Errorf("New(%q, %v).Index(%q) = %d, want %d", tt.needle, tt.fold, tt.haystack, got, tt.want)
		}
		if ref := reference(tt.haystack, tt.needle, tt.fold); ref != tt.want {
			t.Errorf("table entry %q in %q: reference says %d", tt.needle, tt.haystack, ref)
		}
		if got := m.Contains([]byte(tt.haystack)); got != (tt.want >= 0) {
			t.Errorf("New(%q, %v).Contains(%q) = %v", tt.needle, tt.fold, tt.haystack, got)
		}
	}
}

func TestEmptyNeedle(t *testing.T) {
	for _, fold := range []bool{false, true} {
		m := New("", fold) // must not panic
		if got := m.Index([]byte("anything")); got != 0 {
			t.Errorf("New(\"\", %v).Index = %d, want 0", fold, got)
		}
		if got := m.Index(nil); got != 0 {
			t.Errorf("New(\"\", %v).Index(nil) = %d, want 0", fold, got)
		}
		if !m.Contains(nil) {
			t.Errorf("New(\"\", %v).Contains(nil) = false", fold)
		}
	}
}

func TestAccessors(t *testing.T) {
	m := New("Call-ID", true)
	if m.Needle() != "Call-ID" || !m.fold {
		t.Errorf("Needle, fold = %q, %v", m.Needle(), m.fold)
	}
	m = New("x", false)
	if m.Needle() != "x" || m.fold {
		t.Errorf("Needle, fold = %q, %v", m.Needle(), m.fold)
	}
}

// alphabet is small so that random needles are found often and near misses are common:
// letters in both cases (common and rare in logs), digits, and punctuation.
const alphabet = "aAbBeEqQzZ09@.-"

func randomString(r *rand.Rand, maxLen int) string {
	n := r.IntN(maxLen + 1)
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// TestIndexRandom compares Index with the reference on many random haystacks and needles,
// including needles cut from the haystack (so at the start, the end and overlapping).
func TestIndexRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 300000
	if testing.Short() {
		n = 20000
	}
	for i := range n {
		h := randomString(r, 40)
		var needle string
		switch i % 4 {
		case 0:
			needle = randomString(r, 5)
		case 1:
			needle = randomString(r, 50) // often longer than the haystack
		default: // a piece of the haystack with its case changed at random
			if len(h) == 0 {
				continue
			}
			a := r.IntN(len(h))
			b := a + 1 + r.IntN(len(h)-a)
			nb := []byte(h[a:b])
			for k, c := range nb {
				if r.IntN(2) == 0 {
					switch {
					case 'a' <= c && c <= 'z':
						nb[k] = c - 32
					case 'A' <= c && c <= 'Z':
						nb[k] = c + 32
					}
				}
			}
			needle = string(nb)
		}
		for _, fold := range []bool{false, true} {
			got := New(needle, fold).Index([]byte(h))
			if want := reference(h, needle, fold); got != want {
				t.Fatalf("New(%q, %v).Index(%q) = %d, want %d", needle, fold, h, got, want)
			}
		}
	}
}

// TestIndexAnchors places every byte of the needle as the anchor in turn by using bytes the
// ranking has never seen, and checks the result against the reference.
func TestIndexAnchors(t *testing.T) {
	hay := "xx#AbC#aBc#abc!ABC!"
	for _, needle := range []string{"#abc", "a#bc", "ab#c", "abc#", "abc!", "!abc", "c!a"} {
		got := New(needle, true).Index([]byte(hay))
		if want := reference(hay, needle, true); got != want {
			t.Errorf("Index(%q) = %d, want %d", needle, got, want)
		}
	}
}

func TestRarest(t *testing.T) {
	tests := []struct {
		needle string
		want   int
	}{
		{"a", 0},
		{"alice", 3},                           // c is rarer than a, l, i, e
		{"ALICE", 3},                           // case does not matter
		{"890b38520c27737c@10.44.5.9", 16},     // @
		{"meet.alice", 0},                      // m
		{"xyz", 2},                             // z
		{"quarantined", 0},                     // q is the rarest listed byte
		{"ab#c#", 2},                           // bytes not listed are rarest; the first wins
		{"Zoë", 2},                             // the first byte of ë is not listed
		{"  ", 0},                              // ties: the first
		{"Participant attempting to join", 26}, // j
	}
	for _, tt := range tests {
		if got := rarest([]byte(tt.needle)); got != tt.want {
			t.Errorf("rarest(%q) = %d (%q), want %d (%q)", tt.needle, got, tt.needle[got], tt.want, tt.needle[tt.want])
		}
	}
}

func TestIndexDoesNotAllocate(t *testing.T) {
	hay := []byte(strings.Repeat(`Level="INFO" Name="support.sip" Message="x" `, 20) + "CALL-ID: abc")
	ms := []*Matcher{New("call-id", true), New("CALL-ID", false), New("@.", true), New("", true)}
	n := testing.AllocsPerRun(100, func() {
		for _, m := range ms {
			m.Index(hay)
		}
	})
	if n != 0 {
		t.Errorf("Index allocates %v times", n)
	}
}

// TestConcurrent runs one Matcher from several goroutines; run with -race.
func TestConcurrent(t *testing.T) {
	m := New("Alice@Example", true)
	hay := []byte(`Participant="sip:alice@example.com"`)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 1000 {
				if m.Index(hay) != 17 {
					t.Error("wrong index")
					return
				}
			}
		})
	}
	wg.Wait()
}

func FuzzIndex(f *testing.F) {
	f.Add([]byte("Call-ID: 890b38520c27737c@10.44.5.9"), "890B38520C27737C@", true)
	f.Add([]byte("aaaa"), "aaa", false)
	f.Add([]byte("abc"), "", true)
	f.Add([]byte("xxabc"), "ABC", true)
	f.Add([]byte("Zoë zoË"), "ZOË", true)
	f.Add([]byte("@@@."), "@.", true)
	f.Fuzz(func(t *testing.T, hay []byte, needle string, fold bool) {
		m := New(needle, fold)
		got := m.Index(hay)
		if want := reference(string(hay), needle, fold); got != want {
			t.Fatalf("New(%q, %v).Index(%q) = %d, want %d", needle, fold, hay, got, want)
		}
		if got >= 0 && !bytes.EqualFold([]byte(lowerASCII(string(hay[got:got+len(needle)]))), []byte(lowerASCII(needle))) {
			t.Fatalf("Index(%q) = %d points at %q", hay, got, hay[got:got+len(needle)])
		}
	})
}

// logText is a piece of support log for the benchmarks.
var logText = []byte(strings.Repeat(
	`2026-05-14T23:38:44.061+00:00 conf01 2026-05-14 23:38:44,061 Level="INFO" Name="administrator.conference" `+
		`Message="Participant attempting to join conference." ConferenceAlias="meet.bob" Participant="sip:bob@example.com" `+
		`Protocol="SIP" Direction="in" Participant-Id="44be63a0-7c1d-4b52-9c52-0d3f5a1c2c52"`+"\n", 2000) +
	`Participant="sip:Alice@example.com"`)

func BenchmarkIndexFold(b *testing.B) {
	for _, needle := range []string{"alice", "890b38520c27737c@", "Stable call quality"} {
		m := New(needle, true)
		b.Run(needle, func(b *testing.B) {
			b.SetBytes(int64(len(logText)))
			for b.Loop() {
				m.Index(logText)
			}
		})
	}
}
