package asterisk

import (
	"bytes"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
)

// asteriskLines returns the lines of the server samples and some that break Level's paths.
func asteriskLines(t testing.TB) [][]byte {
	return parsertest.Lines([]string{"../../testdata/servers/asterisk/*", "../../testdata/servers/*/*"},
		"[Feb 29 10:00:00] ERROR[1]: x.c: y", "[2024-02-30 10:00:00] ERROR[1]: x.c: y",
		`[Jan 18 17:39:50] SECURITY[1] res_security_log.c: SecurityEvent="X",Severity="Error"`,
		"<--- SIP read from UDP:1.2.3.4:5060 --->", "<--- Received SIP request (924 bytes) from UDP:1.2.3.4:5 --->")
}

// checkAsteriskLevel fails the test if Level says what Parse does not do.
func checkAsteriskLevel(t *testing.T, line, next []byte) {
	p := &Parser{Year: 2025}
	var r model.Record
	l, ok := p.Level(line)
	for _, raw := range [][]byte{line, append(append(bytes.Clone(line), '\n'), next...)} {
		p.Parse(raw, &r)
		if ok && (r.Level != l || r.Plain || !p.StartsEntry(line)) {
			t.Errorf("%q: Level %v, Parse %v (plain %v)", raw, l, r.Level, r.Plain)
		}
	}
}

// TestLevelIsParsedLevel: over every sample, Level answers with the level Parse gives, and
// does for Asterisk's lines.
func TestLevelIsParsedLevel(t *testing.T) {
	answered := 0
	for _, line := range asteriskLines(t) {
		checkAsteriskLevel(t, line, []byte("REGISTER sip:a SIP/2.0"))
		if _, ok := (&Parser{Year: 2025}).Level(line); ok {
			answered++
		}
	}
	if answered < 20 {
		t.Errorf("Level answered for %d lines only", answered)
	}
}

// FuzzLevel: Level never disagrees with Parse.
func FuzzLevel(f *testing.F) {
	for _, line := range asteriskLines(f) {
		if len(line) < 300 {
			f.Add(line, []byte("x"))
		}
	}
	f.Fuzz(func(t *testing.T, line, next []byte) {
		if bytes.IndexByte(line, '\n') < 0 {
			checkAsteriskLevel(t, line, next)
		}
	})
}
