package flexisip

import (
	"testing"

	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/parsertest/leveltest"
)

// flexisipLines returns the lines of the Flexisip samples and some that break Level's paths.
func flexisipLines(t testing.TB) [][]byte {
	return parsertest.Lines([]string{"../../testdata/flexisip/*", "../../testdata/servers/*/*"},
		"2024-12-17 18:17:52:656 -error- x", "2024-12-17 18:17:52:656 a-fatal-b-debug- x",
		"2024-12-17 18:17:52:656  a-error- x", "2024-12-17 18:17:52:656 x", "Tue Dec 17 18:17:52 2024: Registered  <sip:a@b> (sip:a@c) UA")
}

// TestLevelIsParsedLevel: over every sample, Level answers with the level Parse gives, and
// does for the general log's lines.
func TestLevelIsParsedLevel(t *testing.T) {
	answered := leveltest.CheckLines(t, newParser, flexisipLines(t), "REGISTER sip:a SIP/2.0")
	if answered < 20 {
		t.Errorf("Level answered for %d lines only", answered)
	}
}

// FuzzLevel: Level never disagrees with Parse.
func FuzzLevel(f *testing.F) { leveltest.Fuzz(f, newParser, flexisipLines(f)) }

func newParser() leveltest.Leveller { return &Parser{} }
