package flexisip

import (
	"bytes"
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
	answered := 0
	for _, line := range flexisipLines(t) {
		leveltest.Check(t, &Parser{}, line, []byte("REGISTER sip:a SIP/2.0"))
		if _, ok := (&Parser{}).Level(line); ok {
			answered++
		}
	}
	if answered < 20 {
		t.Errorf("Level answered for %d lines only", answered)
	}
}

// FuzzLevel: Level and Declines never disagree with Parse.
func FuzzLevel(f *testing.F) {
	for _, line := range flexisipLines(f) {
		if len(line) < 300 {
			f.Add(line, []byte("x"))
		}
	}
	f.Fuzz(func(t *testing.T, line, next []byte) {
		if bytes.IndexByte(line, '\n') < 0 {
			leveltest.Check(t, &Parser{}, line, next)
		}
	})
}
