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
// (which tries the formats in order) gives that level; and it answers for Flexisip's
// general log, Asterisk's prefixed lines, FreeSWITCH's debug lines and the SIP servers'
// syslog lines, read after Pexip's and the others' declines.
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
		"2013-12-31 17:39:54.767815 [DEBUG] sofia.c:1 x",
		"766fe459-d040-441b-91e5-07052eb23ad5 2022-12-01 13:46:29.994188 90.53% [DEBUG] mod_sofia.c:5121 x",
		"recv 352 bytes from udp/[192.0.2.2]:5064 at 17:28:11.113313:",
		"Dec 17 18:17:52 sbc1 /usr/sbin/kamailio[8813]:  7(8813) ERROR: tm [t_lookup.c:1356]: x",
		"<131>1 2024-12-17T18:17:52Z sbc1 opensips 3001 - - ERROR:core:parse_msg: x",
		" 0(19) WARNING: <core> [core/socket_info.c:1314]: fix_hostname(): x",
		"Jul  6 10:47:23 [1462] ERROR:core:pv_get_callid: x",
	} {
		if _, ok := p.Level([]byte(s)); !ok {
			t.Errorf("%q: Level does not answer", s)
		}
	}
	for _, s := range []string{
		`2024-12-17 18:17:52:656 Name="x-error-" y`, // Pexip's: Name=
		"2024-12-17 18:17:52:656 ERROR flexisip-error- x",
		"[Jan 18 17:39:50]\tNOTICE[566]: x",
		"2013-12-31 17:39:54.767815 [WARNING] sofia.c:1 x", // FreeSWITCH's Level: debug only
		"Dec 17 18:17:52 sbc1 kamailio[8813]: no mark",     // guessed from every line
		"<--- SIP read from UDP:1.2.3.4:5060 --->",         // Asterisk reads it as a header
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
