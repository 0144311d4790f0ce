package split

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"time"
)

// TestLiveMatchesEntries feeds text in random line-aligned pieces, on two interleaved
// streams, and checks that the entries are those of splitting each text at once.
func TestLiveMatchesEntries(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	texts := map[string][]byte{"a": generate(rng, 500), "b": generate(rng, 500)}
	type entry struct {
		off int64
		raw string
	}
	want := map[string][]entry{}
	for name, data := range texts {
		for off, raw := range Entries(data, startsWithDigit) {
			want[name] = append(want[name], entry{int64(off), string(raw)})
		}
	}
	for trial := range 20 {
		got := map[string][]entry{}
		emit := func(stream any, off int64, raw []byte) {
			got[stream.(string)] = append(got[stream.(string)], entry{off, string(raw)})
		}
		l := NewJoiner(startsWithDigit)
		pos := map[string]int{}
		for pos["a"] < len(texts["a"]) || pos["b"] < len(texts["b"]) {
			name := []string{"a", "b"}[rng.IntN(2)]
			data, p := texts[name], pos[name]
			if p >= len(data) {
				continue
			}
			end := p
			for range 1 + rng.IntN(8) { // a few whole lines
				if i := bytes.IndexByte(data[end:], '\n'); i >= 0 {
					end += i + 1
				} else {
					end = len(data)
				}
			}
			l.Feed(name, int64(p), data[p:end], emit)
			pos[name] = end
		}
		l.Flush(emit)
		for name, w := range want {
			g := got[name]
			if len(g) != len(w) {
				t.Fatalf("trial %d, stream %s: %d entries, want %d", trial, name, len(g), len(w))
			}
			for i := range w {
				if g[i] != w[i] {
					t.Fatalf("trial %d, stream %s: entry %d = %+v, want %+v", trial, name, i, g[i], w[i])
				}
			}
		}
	}
}

func TestLiveHoldsTheLastEntryUntilFlush(t *testing.T) {
	var got []string
	emit := func(_ any, _ int64, raw []byte) { got = append(got, string(raw)) }
	l := NewJoiner(startsWithDigit)
	l.Feed("s", 0, []byte("1 a\n"), emit)
	if len(got) != 0 || !l.Held() {
		t.Fatalf("emitted %q before knowing the entry is complete", got)
	}
	l.Feed("s", 4, []byte("  more\n"), emit)
	l.Feed("s", 11, []byte("2 b\nplain? no: continues 2\n"), emit)
	if len(got) != 1 || got[0] != "1 a\n  more" {
		t.Fatalf("got %q, want the first entry with its continuation", got)
	}
	l.Flush(emit)
	if len(got) != 2 || got[1] != "2 b\nplain? no: continues 2" || l.Held() {
		t.Fatalf("after Flush: %q", got)
	}
	// After a flush, a continuation line has no entry to join: it stands alone.
	l.Feed("s", 40, []byte("  late\n"), emit)
	if len(got) != 3 || got[2] != "  late" || l.Held() {
		t.Fatalf("late continuation: %q", got)
	}
}

// TestLiveBusyStreamDoesNotHoldBackAQuietOne: only streams idle for long enough are flushed.
func TestLiveBusyStreamDoesNotHoldBackAQuietOne(t *testing.T) {
	var got []string
	emit := func(s any, _ int64, raw []byte) { got = append(got, s.(string)+":"+string(raw)) }
	l := NewJoiner(startsWithDigit)
	l.Feed("quiet", 0, []byte("1 quiet\n"), emit)
	time.Sleep(20 * time.Millisecond)
	l.Feed("busy", 0, []byte("1 busy\n"), emit)
	next := l.FlushIdle(time.Now(), 10*time.Millisecond, emit)
	if len(got) != 1 || got[0] != "quiet:1 quiet" || next <= 0 || next > 10*time.Millisecond {
		t.Errorf("flushed %q, next %v: want only the quiet stream, and the busy one soon", got, next)
	}
}
