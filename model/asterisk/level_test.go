package asterisk

import (
	"bytes"
	"testing"

	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/parsertest/leveltest"
)

// asteriskLines returns the lines of the server samples and some that break Level's paths.
func asteriskLines(t testing.TB) [][]byte {
	return parsertest.Lines([]string{"../../testdata/servers/asterisk/*", "../../testdata/servers/*/*"},
		"[Feb 29 10:00:00] ERROR[1]: x.c: y", "[2024-02-30 10:00:00] ERROR[1]: x.c: y",
		`[Jan 18 17:39:50] SECURITY[1] res_security_log.c: SecurityEvent="X",Severity="Error"`,
		"<--- SIP read from UDP:1.2.3.4:5060 --->", "<--- Received SIP request (924 bytes) from UDP:1.2.3.4:5 --->")
}

// TestLevelIsParsedLevel: over every sample, Level answers with the level Parse gives, and
// does for Asterisk's lines.
func TestLevelIsParsedLevel(t *testing.T) {
	answered := 0
	for _, line := range asteriskLines(t) {
		leveltest.Check(t, &Parser{Year: 2025}, line, []byte("REGISTER sip:a SIP/2.0"))
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
			leveltest.Check(t, &Parser{Year: 2025}, line, next)
		}
	})
}
