package literal

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestIndexEdgesFindsCutNeedles cuts a needle into two or three quoted values at every
// pair of offsets: the piece that holds its anchor is reported, whichever it is, and the
// index is Index's.
func TestIndexEdgesFindsCutNeedles(t *testing.T) {
	const needle = "c56a80d01eae2cd5@10.44.161.165"
	for _, fold := range []bool{false, true} {
		m := New(needle, fold)
		for i := 1; i < len(needle); i++ {
			for j := i; j < len(needle); j++ {
				pieces := []string{needle[:i], needle[i:j], needle[j:]}
				if i == j {
					pieces = []string{needle[:i], needle[i:]}
				}
				text := `x="` + strings.Join(pieces, "\"\ny=\"") + `" id@10.44.161.16 "`
				if fold {
					text = strings.ToUpper(text)
				}
				var got []string
				idx := m.IndexEdges([]byte(text), '"', func(lo, hi int) { got = append(got, text[lo:hi]) })
				if idx != -1 || m.Index([]byte(text)) != -1 {
					t.Fatalf("%q: index %d, Index %d, want -1", text, idx, m.Index([]byte(text)))
				}
				anchored := ""
				for _, p := range pieces {
					if strings.Contains(p, "@") {
						anchored = p
					}
				}
				if len(got) != 1 || !strings.EqualFold(got[0], anchored) {
					t.Errorf("%q: edges %q, want the piece %q", text, got, anchored)
				}
			}
		}
	}
}

// TestIndexEdgesIsIndex: on random text the index is Index's, and every edge reported
// agrees with the needle and touches a quote.
func TestIndexEdgesIsIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		needle := randText(r, 1+r.IntN(6))
		text := randText(r, r.IntN(60))
		for _, fold := range []bool{false, true} {
			m := New(needle, fold)
			got := m.IndexEdges([]byte(text), '"', func(lo, hi int) {
				if lo >= hi || (hi == len(text) || text[hi] != '"') && (lo == 0 || text[lo-1] != '"') {
					t.Fatalf("needle %q in %q: edge %d:%d touches no quote", needle, text, lo, hi)
				}
			})
			if want := m.Index([]byte(text)); got != want {
				t.Fatalf("needle %q (fold %v) in %q: %d, Index %d", needle, fold, text, got, want)
			}
		}
	}
}

func randText(r *rand.Rand, n int) string {
	const alphabet = `aAb"@`
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}
