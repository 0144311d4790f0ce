package formats

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/calltail/calltail/model"
)

// sampleLines returns every line of every sample in testdata (testdata/servers included).
func sampleLines(t testing.TB) [][]byte {
	var lines [][]byte
	err := filepath.WalkDir("../../testdata", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		lines = append(lines, bytes.Split(data, []byte("\n"))...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// checkAutoLevel fails the test if the auto parser's Level answers for line with a level
// that its Parse does not give the entry, alone or with the line after it.
func checkAutoLevel(t *testing.T, line, next []byte) {
	newParser, _ := New("auto", 2026)
	p := newParser().(*Parser)
	l, ok := p.Level(line)
	if !ok {
		return
	}
	if !p.StartsEntry(line) {
		t.Errorf("%q: Level %v, but the line starts no entry", line, l)
	}
	var r model.Record
	for _, raw := range [][]byte{line, append(append(bytes.Clone(line), '\n'), next...)} {
		if p.Parse(raw, &r); r.Level != l || r.Plain {
			t.Errorf("%q: Level %v, Parse %v (plain %v, %s)", raw, l, r.Level, r.Plain, r.Format())
		}
	}
}

// TestLevelIsAutoLevel: over every sample, wherever the auto parser's Level answers, Parse
// (which tries the formats in order) gives that level; and it answers for Flexisip's
// general log and Asterisk's prefixed lines, read after Pexip's and the others' declines.
func TestLevelIsAutoLevel(t *testing.T) {
	lines := sampleLines(t)
	for i, line := range lines {
		for _, next := range []string{"  continued ERROR", "\tx\ty\tz\tw\tv\tu", `Name="x" Level="ERROR"`} {
			checkAutoLevel(t, line, []byte(next))
		}
		if i+1 < len(lines) {
			checkAutoLevel(t, line, lines[i+1])
		}
	}
	newParser, _ := New("auto", 2026)
	p := newParser().(*Parser)
	for _, s := range []string{
		"2024-12-17 18:17:52:656 flexisip-error- Agent::processRequest - x",
		"[Jan 18 17:39:50] NOTICE[566]: chan_sip.c: Registration from x failed",
	} {
		if _, ok := p.Level([]byte(s)); !ok {
			t.Errorf("%q: Level does not answer", s)
		}
	}
	for _, s := range []string{
		`2024-12-17 18:17:52:656 Name="x-error-" y`, // Pexip's: Name=
		"2024-12-17 18:17:52:656 ERROR flexisip-error- x",
		"[Jan 18 17:39:50]\tNOTICE[566]: x",
	} {
		if l, ok := p.Level([]byte(s)); ok {
			t.Errorf("%q: Level %v, want no answer", s, l)
		}
	}
}

// FuzzLevel: the auto parser's Level never answers with a level Parse does not give.
func FuzzLevel(f *testing.F) {
	for _, line := range sampleLines(f) {
		if len(line) < 300 {
			f.Add(line, []byte("  more"))
		}
	}
	f.Fuzz(func(t *testing.T, line, next []byte) {
		if bytes.IndexByte(line, '\n') < 0 && bytes.IndexByte(line, '\r') < 0 {
			checkAutoLevel(t, line, next)
		}
	})
}
