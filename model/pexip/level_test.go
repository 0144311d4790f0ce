package pexip

import (
	"bytes"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/sim"
)

// levelSamples returns every line of every sample in testdata, of the simulator's plain
// and hard logs, and the lines that take the paths of Level one by one with what breaks
// each.
func levelSamples(t testing.TB) [][]byte {
	var lines [][]byte
	for _, text := range parsertest.Texts(t, "../../testdata") {
		lines = append(lines, bytes.Split(text, []byte("\n"))...)
	}
	for _, opt := range []sim.Options{{}, sim.Hard()} {
		var buf bytes.Buffer
		if err := sim.NewWith(7, opt).WriteLines(&buf, 5000); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, bytes.Split(buf.Bytes(), []byte("\n"))...)
	}
	for _, s := range []string{
		`2026-05-14 08:00:00,000 Level="WARNING" Name="x"`,
		`2026-05-14 08:00:00,000  level="error"`,
		`2026-05-14 08:00:00,000 Level="SHOUT" Name="x"`,
		`2026-05-14 08:00:00,000Level="ERROR"`,
		`2026-05-14 08:00:00,000 Level="ERROR`,
		`2026-02-30 08:00:00,000 Level="ERROR"`,
		`2026-05-14T08:00:00.1+00:00 conf01 2026-05-14 08:00:00,000 Level="ERROR" Name="x"`,
		`2026-05-14T08:00:00.1+00:00  conf01 2026-05-14 08:00:00,000 Level="ERROR"`,
		`2026-05-14T08:00:00.1+00:00 conf01  2026-05-14 08:00:00,000 Level="ERROR"`,
		`2026-05-14T08:00:00.1+00:00 conf01: 2026-05-14 08:00:00,000 Level="ERROR"`,
		`2026-05-14T08:00:00.1+00:00 2026-05-14 08:00:00,000 Level="ERROR"`,
		`2026-05-14T08:00:00.1+00:00 10.0.0.1 2026-05-14T08:00:00Z Level="ERROR"`,
		`2026-05-14T08:00:00.1+00:00 a="b" 2026-05-14 08:00:00,000 Level="ERROR"`,
		`2026-05-14T08:00:00 conf01 2026-05-14 08:00:00+00: Level="ERROR"`,
		`2026-05-14 08:00:00+00:00 Level="ERROR"`,
		`conf01 2026-05-14 08:00:00,000 Level="CRITICAL" Name="x"`,
		`Nov 2026-05-14 08:00:00,000 Level="ERROR"`,
		`Nov 20 08:00:01 conf01 2026-05-14 08:00:00,000 Level="ERROR"`,
		`ERROR 2026-05-14 08:00:00,000 Level="INFO"`,
		`<131>2026-05-14T08:00:00Z conf01 2026-05-14 08:00:00,000 Level="INFO"`,
		`2026-05-14 08:00:00,000 WARNING support.participant Level="ERROR"`,
		`2026-05-14 08:00:00,000 WARNING `, `2026-05-14 08:00:00,000 Name="x`, `Nov 20 08:00:01 conf01`, `conf01 2026-05-14 08:00:00,000`,
	} {
		lines = append(lines, []byte(s))
	}
	return lines
}

// TestLevelIsParsedLevel: wherever Level answers, the line starts an entry and Parse gives
// it that level, alone or with a continuation line; and it answers for most of the
// simulated log's lines, or it would skip nothing.
func TestLevelIsParsedLevel(t *testing.T) {
	p := &Parser{Year: 2026}
	answered, simulated := 0, 0
	for _, line := range levelSamples(t) {
		checkLevel(t, p, line)
		if _, ok := p.Level(line); ok {
			answered++
		}
		if bytes.Contains(line, []byte(` Level="`)) {
			simulated++
		}
	}
	if answered < simulated*9/10 {
		t.Errorf("Level answered for %d lines, of %d with a Level", answered, simulated)
	}
}

// checkLevel fails the test if Level answers for line with a level that Parse does not give.
func checkLevel(t *testing.T, p *Parser, line []byte) {
	l, ok := p.Level(line)
	if !ok {
		return
	}
	if !p.StartsEntry(line) {
		t.Errorf("%q: Level %v, but the line starts no entry", line, l)
	}
	var r model.Record
	for _, raw := range [][]byte{line, append(append(bytes.Clone(line), '\n'), "  continued ERROR"...)} {
		if p.Parse(raw, &r); r.Level != l || r.Plain {
			t.Errorf("%q: Level %v, Parse %v (plain %v)", raw, l, r.Level, r.Plain)
		}
	}
}

// FuzzLevel: Level never answers with a level Parse does not give.
func FuzzLevel(f *testing.F) {
	for _, line := range levelSamples(f) {
		if len(line) < 400 && (bytes.Contains(line, []byte("Level")) || strings.HasPrefix(string(line), "<")) {
			f.Add(line)
		}
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if bytes.IndexByte(line, '\n') < 0 {
			checkLevel(t, &Parser{Year: 2026}, line)
		}
	})
}
