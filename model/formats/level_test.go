package formats

import (
	"bytes"
	"testing"

	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/parsertest/leveltest"
)

// sampleLines returns every line of every sample in testdata (testdata/servers included).
func sampleLines(t testing.TB) [][]byte {
	var lines [][]byte
	for _, text := range parsertest.Texts(t, "../../testdata") {
		lines = append(lines, bytes.Split(text, []byte("\n"))...)
	}
	return lines
}

// checkAutoLevel fails the test if the auto parser's Level answers for line with a level
// that its Parse does not give the entry, alone or with the line after it.
func checkAutoLevel(t *testing.T, line, next []byte) {
	newParser, _ := New("auto", 2026)
	leveltest.Check(t, newParser().(*Parser), line, next)
}

// TestLevelIsAutoLevel: over every sample, wherever the auto parser's Level answers, Parse
// (which tries the formats in order) gives that level; it answers for Pexip's lines, and
// for no other format's (see Level: declining them costs what parsing does).
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
		`2026-05-14 23:38:44,061 Level="WARNING" Name="support.sip" Message="x"`,
		`2026-05-14T23:38:44.061+00:00 conf01 2026-05-14 23:38:44,061 Level="INFO" Name="administrator.conference" Message="x"`,
	} {
		if _, ok := p.Level([]byte(s)); !ok {
			t.Errorf("%q: Level does not answer", s)
		}
	}
	for _, s := range []string{
		"2024-12-17 18:17:52:656 flexisip-error- Agent::processRequest - x",
		"[Jan 18 17:39:50] NOTICE[566]: chan_sip.c: Registration from x failed",
		"2013-12-31 17:39:54.767815 [DEBUG] sofia.c:1 x",
		"Dec 17 18:17:52 sbc1 /usr/sbin/kamailio[8813]:  7(8813) ERROR: tm [t_lookup.c:1356]: x",
		"<--- SIP read from UDP:1.2.3.4:5060 --->",
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
