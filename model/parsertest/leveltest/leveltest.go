// Package leveltest checks a parser's cheap level test (the query skips the entries below
// a filter's level with it) against its full parse.
package leveltest

import (
	"bytes"
	"testing"

	"github.com/calltail/calltail/model"
)

// Leveller is a parser that tells an entry's level cheaply from its first line.
type Leveller interface {
	model.Parser
	Level(line []byte) (model.Level, bool)
}

// CheckLevel fails t if p's Level answers for line with what Parse does not give, alone
// or with next after it; and, if p can decline lines (Declines), if it declines one that
// Parse reads.
func Check(t testing.TB, p Leveller, line, next []byte) {
	t.Helper()
	var r model.Record
	l, ok := p.Level(line)
	decliner, _ := p.(interface{ Declines([]byte) bool })
	for _, raw := range [][]byte{line, append(append(bytes.Clone(line), '\n'), next...)} {
		p.Parse(raw, &r)
		if ok && (r.Level != l || r.Plain || !p.StartsEntry(line)) {
			t.Errorf("%q: Level %v, Parse %v (plain %v)", raw, l, r.Level, r.Plain)
		}
		if decliner != nil && decliner.Declines(line) && !r.Plain {
			t.Errorf("%q: declined, but Parse reads it", raw)
		}
	}
}
