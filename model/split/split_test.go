package split

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/calltail/calltail/model/pexip"
)

// startsWithDigit is a simple StartsEntry for tests: entries begin with a digit.
func startsWithDigit(line []byte) bool { return len(line) > 0 && line[0] >= '0' && line[0] <= '9' }

func entries(data string) []string {
	var out []string
	for _, raw := range Entries([]byte(data), startsWithDigit) {
		out = append(out, string(raw))
	}
	return out
}

func TestEntries(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string
	}{
		{"one per line", "1 a\n2 b\n3 c\n", []string{"1 a", "2 b", "3 c"}},
		{"no final newline", "1 a\n2 b", []string{"1 a", "2 b"}},
		{"continuation lines join the entry above", "1 a\n  more\n  and more\n2 b\n", []string{"1 a\n  more\n  and more", "2 b"}},
		{"lines before any entry are entries by themselves", "x\ny\n1 a\nz\n", []string{"x", "y", "1 a\nz"}},
		{"CRLF line ends are not part of the entry", "1 a\r\n  more\r\n2 b\r\n", []string{"1 a\r\n  more", "2 b"}},
		{"empty lines continue an entry", "1 a\n\n2 b\n", []string{"1 a\n", "2 b"}},
		{"empty input", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := entries(tt.data)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("Entries(%q) = %q, want %q", tt.data, got, tt.want)
			}
		})
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		force bool
		want  int
	}{
		{"before the last entry start", "1 a\n2 b\n3 partial", false, 4},
		{"the last complete line is not a start", "1 a\n2 b\n  more\n3 partial", false, 4},
		{"one long entry: wait for more", "1 a\n  more\n  more\npartial", false, -1},
		{"one long entry, forced", "1 a\n  more\n  more\npartial", true, 18},
		{"lines with no entry starts are cut after the last line", "x\ny\nz", false, 4},
		{"no complete line", "1 abc", false, -1},
		{"no line end at all, forced", "1 abc", true, 5},
	}
	for _, tt := range tests {
		if got := Cut([]byte(tt.data), 0, startsWithDigit, tt.force); got != tt.want {
			t.Errorf("%s: Cut(%q) = %d, want %d", tt.name, tt.data, got, tt.want)
		}
	}
}

func TestEntryAround(t *testing.T) {
	data := []byte("x\n1 a\n  more\n  hit\n2 b\ny hit\n")
	starts := startsWithDigit
	i := bytes.Index(data, []byte("hit"))
	start, end := EntryAround(data, 0, i, starts)
	if got := string(data[start:end]); got != "1 a\n  more\n  hit\n" {
		t.Errorf("entry around first hit = %q", got)
	}
	j := bytes.LastIndex(data, []byte("hit"))
	start, end = EntryAround(data, 0, j, starts)
	if got := string(data[start:end]); got != "2 b\ny hit\n" {
		t.Errorf("entry around second hit = %q", got)
	}
	// Lines with no entry start above them are entries by themselves.
	plain := []byte("a\nb hit\nc\n")
	start, end = EntryAround(plain, 0, bytes.Index(plain, []byte("hit")), starts)
	if got := string(plain[start:end]); got != "b hit\n" {
		t.Errorf("entry around plain hit = %q", got)
	}
}

// generate returns text of entries, some with continuation lines, some plain lines first.
func generate(rng *rand.Rand, n int) []byte {
	var b bytes.Buffer
	b.WriteString("header line\nanother\n")
	for i := range n {
		b.WriteString("2026 entry ")
		b.WriteString(strings.Repeat("x", rng.IntN(200)))
		b.WriteByte(byte('a' + i%26))
		b.WriteByte('\n')
		for range rng.IntN(4) {
			b.WriteString("   continued ")
			b.WriteString(strings.Repeat("y", rng.IntN(100)))
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// TestRunMatchesWholeSplit reads the same text with many chunk sizes and readers that return
// a few bytes at a time, and checks that the entries and their offsets are those of
// splitting the whole text at once: chunking loses, splits and duplicates nothing.
func TestRunMatchesWholeSplit(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := generate(rng, 3000)
	type entry struct {
		off int64
		raw string
	}
	var want []entry
	for off, raw := range Entries(data, startsWithDigit) {
		want = append(want, entry{int64(off), string(raw)})
	}
	for _, size := range []int{64, 100, 1000, 4096, 1 << 20} {
		for _, half := range []bool{false, true} {
			var r io.Reader = bytes.NewReader(data)
			if half {
				r = iotest.HalfReader(r)
			}
			var got []entry
			err := Run(context.Background(), r, startsWithDigit, Options{BlockSize: size, Workers: 3},
				func(c Block) []entry {
					var es []entry
					for off, raw := range Entries(c.Data, startsWithDigit) {
						es = append(es, entry{c.Offset + int64(off), string(raw)})
					}
					return es
				}, func(es []entry) error {
					got = append(got, es...)
					return nil
				})
			if err != nil {
				t.Fatalf("size %d: %v", size, err)
			}
			if len(got) != len(want) {
				t.Fatalf("size %d half %v: %d entries, want %d", size, half, len(got), len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("size %d half %v: entry %d = %+v, want %+v", size, half, i, got[i], want[i])
				}
			}
		}
	}
}

func TestRunForcesCutOfHugeEntry(t *testing.T) {
	// One entry whose continuation lines outgrow MaxBlock is cut at a line end, and the rest
	// is kept as entries by themselves: nothing is lost.
	data := "1 start\n" + strings.Repeat("  continuation\n", 1000) + "2 next\n"
	var total int
	var n int
	err := Run(context.Background(), strings.NewReader(data), startsWithDigit, Options{BlockSize: 256, MaxBlock: 1024, Workers: 2},
		func(c Block) int { return len(c.Data) }, func(k int) error { total += k; n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if total != len(data) {
		t.Errorf("chunks hold %d bytes, want %d", total, len(data))
	}
	if n < 2 {
		t.Errorf("got %d chunks, want the huge entry cut", n)
	}
}

func TestRunReportsReadAndEmitErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader(strings.Repeat("1 line\n", 1000)), iotest.ErrReader(boom))
	err := Run(context.Background(), r, startsWithDigit, Options{BlockSize: 64}, func(Block) int { return 0 }, func(int) error { return nil })
	if !errors.Is(err, boom) {
		t.Errorf("read error: got %v, want %v", err, boom)
	}
	stop := errors.New("stop")
	calls := 0
	err = Run(context.Background(), strings.NewReader(strings.Repeat("1 line\n", 10000)), startsWithDigit, Options{BlockSize: 64},
		func(Block) int { return 0 }, func(int) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("emit error: got %v after %d calls, want %v after 1", err, calls, stop)
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	go func() {
		for {
			if _, err := pw.Write([]byte(strings.Repeat("1 line\n", 100))); err != nil {
				return
			}
		}
	}()
	n := 0
	err := Run(ctx, pr, startsWithDigit, Options{BlockSize: 256}, func(Block) int { return 1 }, func(int) error {
		if n++; n == 10 {
			cancel()
		}
		return nil
	})
	pr.Close()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

func TestQuirksFileEntries(t *testing.T) {
	data, err := os.ReadFile("../../testdata/quirks.log")
	if err != nil {
		t.Fatal(err)
	}
	// Physical lines that do not start with a time stamp belong to the entry above.
	joined := 0
	for _, raw := range Entries(data, (&pexip.Parser{}).StartsEntry) {
		if bytes.IndexByte(raw, '\n') >= 0 {
			joined++
		}
	}
	if joined != 3 {
		t.Errorf("%d entries span several lines, want 3 (media stats, kernel + traceback line, stack trace)", joined)
	}
}

// TestLongEntryFromAPipe reads entries of a million continuation lines 64 KiB at a time:
// each read must not look at all the lines read before it again.
func TestLongEntryFromAPipe(t *testing.T) {
	var b strings.Builder
	for i := range 4 {
		b.WriteString(fmt.Sprintf("%d start\n", i))
		b.WriteString(strings.Repeat("  continuation\n", 200000))
	}
	data := b.String()
	calls := 0
	starts := func(l []byte) bool { calls++; return startsWithDigit(l) }
	var got int
	err := Run(context.Background(), &chunkedReader{data: data, size: 64 << 10}, starts, Options{BlockSize: 1 << 20, MaxBlock: 64 << 20},
		func(c Block) int { return len(c.Data) }, func(n int) error { got += n; return nil })
	if err != nil || got != len(data) {
		t.Fatalf("read %d of %d bytes: %v", got, len(data), err)
	}
	if lines := 4 * 200001; calls > 3*lines {
		t.Errorf("StartsEntry called %d times for %d lines: reads look at old lines again", calls, lines)
	}
}

// chunkedReader returns at most size bytes per Read, like a pipe.
type chunkedReader struct {
	data string
	size int
}

func (r *chunkedReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.size)], r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestNoReadAfterEOF: a reader that returned io.EOF is not read again.
func TestNoReadAfterEOF(t *testing.T) {
	r := &eofOnce{data: "1 a\n2 b\n3 c"}
	err := Run(context.Background(), r, startsWithDigit, Options{BlockSize: 4}, func(Block) int { return 0 }, func(int) error { return nil })
	if err != nil || r.reads != 1 {
		t.Errorf("reads = %d, err %v; want one read that returned the data with io.EOF", r.reads, err)
	}
}

type eofOnce struct {
	data  string
	reads int
}

func (r *eofOnce) Read(p []byte) (int, error) {
	r.reads++
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, io.EOF
}

// smallReads reads n bytes 32 KiB at a time, as a gzip stream does: zeros with no line
// end among them (one endless line), or lines of lineLen bytes.
type smallReads struct{ n, lineLen int }

func (r *smallReads) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n, 32<<10)
	clear(p[:k])
	if r.lineLen > 0 {
		for i := range p[:k] {
			if (r.n-i)%r.lineLen == 0 {
				p[i] = '\n'
			}
		}
	}
	r.n -= k
	return k, nil
}

// TestLongLineTakesLinearTime reads 32 MiB of lines of 200 bytes, and 32 MiB of one line,
// both arriving in small reads: the one line takes about as long, not a hundred times as
// long (the line end was looked for in the whole block of up to 16 MiB after every read).
func TestLongLineTakesLinearTime(t *testing.T) {
	const n = 32 << 20
	took := func(lineLen int) time.Duration {
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			total := 0
			err := Run(context.Background(), &smallReads{n, lineLen}, func([]byte) bool { return true }, Options{},
				func(b Block) int { return len(b.Data) }, func(k int) error { total += k; return nil })
			if err != nil || total != n {
				t.Fatalf("read %d of %d bytes: %v", total, n, err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	lines, line := took(200), took(0)
	if line > 10*lines {
		t.Errorf("32 MiB of lines took %v, 32 MiB of one line %v: more than 10 times as long", lines, line)
	}
}
