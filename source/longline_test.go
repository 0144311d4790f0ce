package source

import (
	"context"
	"io"
	"path/filepath"
	"testing"
	"time"
)

// zeros reads n bytes 64 KiB at a time, as a pipe does: zeros with no line end among them
// (one endless line), or lines of lineLen bytes.
type zeros struct{ n, lineLen int }

func (r *zeros) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n, 64<<10)
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

// TestPipedLongLineTakesLinearTime reads 32 MiB from a pipe, spooled or not, as lines of
// 200 bytes and as one line: the one line takes about as long, not tens of times as long
// (the held part of the line was copied and searched again after every read).
func TestPipedLongLineTakesLinearTime(t *testing.T) {
	const n = 32 << 20
	for _, spooled := range []bool{false, true} {
		took := func(lineLen int) time.Duration {
			var spool *Spool
			if spooled {
				var err error
				spool, err = CreateSpool(filepath.Join(t.TempDir(), "spool.log"))
				must(t, err)
				defer spool.Close()
			}
			start := time.Now()
			out := make(chan Chunk, 16)
			go func() { NewReader("-", &zeros{n, lineLen}, spool).Run(context.Background(), out); close(out) }()
			got := 0
			for c := range out {
				got += len(c.Data)
			}
			if got != n {
				t.Fatalf("spooled %v: %d of %d bytes delivered", spooled, got, n)
			}
			return time.Since(start)
		}
		lines, line := took(200), took(0)
		if line > 10*lines {
			t.Errorf("spooled %v: 32 MiB of lines took %v, 32 MiB of one line %v: more than 10 times as long", spooled, lines, line)
		}
	}
}
