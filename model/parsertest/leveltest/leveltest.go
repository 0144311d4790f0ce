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

// Check fails t if p's Level answers for line with what Parse does not give, alone or
// with next after it (after a line feed, or a carriage return and a line feed: the entry
// keeps the line's terminator, Level sees the line without it).
func Check(t testing.TB, p Leveller, line, next []byte) {
	t.Helper()
	var r model.Record
	l, ok := p.Level(line)
	lf := append(append(bytes.Clone(line), '\n'), next...)
	crlf := append(append(bytes.Clone(line), '\r', '\n'), next...)
	for _, raw := range [][]byte{line, lf, crlf} {
		p.Parse(raw, &r)
		if ok && (r.Level != l || r.Plain || !p.StartsEntry(line)) {
			t.Errorf("%q: Level %v, Parse %v (plain %v)", raw, l, r.Level, r.Plain)
		}
	}
}

// CheckLines runs Check on every line of lines (without a carriage return at its end, as
// a query hands Level a line) with a fresh parser from newParser, each line followed by
// the line after it and by each of nexts; it returns how many lines Level answered for,
// so that a test can tell it answers at all.
func CheckLines(t testing.TB, newParser func() Leveller, lines [][]byte, nexts ...string) int {
	t.Helper()
	answered := 0
	for i, line := range lines {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if i+1 < len(lines) {
			Check(t, newParser(), line, lines[i+1])
		}
		for _, next := range nexts {
			Check(t, newParser(), line, []byte(next))
		}
		if _, ok := newParser().Level(line); ok {
			answered++
		}
	}
	return answered
}

// Fuzz runs Check on lines and lines after them that the fuzzer makes, seeded with the
// shorter of lines; a line holds no line feed, nor a carriage return at its end.
func Fuzz(f *testing.F, newParser func() Leveller, lines [][]byte) {
	for _, line := range lines {
		if len(line) < 300 {
			f.Add(line, []byte("x"))
		}
	}
	f.Fuzz(func(t *testing.T, line, next []byte) {
		if bytes.IndexByte(line, '\n') < 0 && !bytes.HasSuffix(line, []byte("\r")) {
			Check(t, newParser(), line, next)
		}
	})
}
