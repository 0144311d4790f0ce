package query

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/calltail/calltail/model/filter"
)

// BenchmarkQuery runs headless queries over 100k simulated lines held in memory: with a
// needle (search, then parse around hits), without (parse every entry), and selecting
// most entries (write nearly everything out).
func BenchmarkQuery(b *testing.B) {
	data := simLog(b, 1, 100000)
	callID := findCallID(b, data)
	for _, expr := range []string{`call-id == "` + callID + `"`, `level >= warning`, `"login failed"`, `level == info`} {
		f, err := filter.Compile(expr)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(expr, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				_, err := Run(context.Background(), []Input{{Name: "bench", R: bytes.NewReader(data)}},
					Options{Filter: f, NewParser: newParser}, io.Discard)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
