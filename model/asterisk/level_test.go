package asterisk

import (
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
	answered := leveltest.CheckLines(t, newParser, asteriskLines(t), "REGISTER sip:a SIP/2.0")
	if answered < 20 {
		t.Errorf("Level answered for %d lines only", answered)
	}
}

// FuzzLevel: Level never disagrees with Parse.
func FuzzLevel(f *testing.F) { leveltest.Fuzz(f, newParser, asteriskLines(f)) }

func newParser() leveltest.Leveller { return &Parser{Year: 2025} }
