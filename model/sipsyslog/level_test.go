package sipsyslog

import (
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/parsertest/leveltest"
)

// levelLines returns the lines of the syslog samples, of the other servers' samples, and
// some that break Level's paths: prefixes that end at the line's end, marks past the sixth
// word, envelopes without a PRI.
func levelLines() [][]byte {
	return parsertest.Lines([]string{"testdata/*", "../../testdata/sipsyslog/*", "../../testdata/servers/*/*"},
		"Dec 17 18:17:52 sbc1 kamailio[8813]:", "Dec 17 18:17:52 sbc1 kamailio[8813]: ", "<134>Dec 17 18:17:52 sbc1",
		"<134>Dec 17 18:17:52 sbc1 kamailio:", "<134>Dec 17 18:17:52 sbc1 kamailio: text", "<134>text: more",
		`<134>1 2024-12-17T18:17:52Z sbc1 opensips 3001 - [x a="b c`, `<134>1 2024-12-17T18:17:52Z sbc1 opensips 3001 - [x a="b"] x`,
		"<134>1 2024-12-17T18:17:52Z sbc1 opensips", "kamailio[1]:", "kamailio[1]: ", "kamailio[1]: a b c d e f ERROR: x",
		"16(41) ERROR:", "16(41) ", "[1581334363.918166] INFO:", "Jul  6 10:47:23 [1462] ERROR:core:x",
		"2024-04-09T17:33:12.238986028Z ERROR", "2024-04-09T17:33:12.238986028Z WARN ERROR:",
		"Feb 29 10:00:00 h kamailio[1]: WARNING: x", "Dec 17 18:17:52 h asterisk[1]: [Dec 17 18:17:52] WARNING[1]: x",
		"  INVITE sip:b@h SIP/2.0", "INVITE sip:b@h SIP/2.0", "\tSIP/2.0 200 OK")
}

func newParser() leveltest.Leveller { return &Parser{Year: 2025} }

// TestLevelIsParsedLevel: over every sample, Level agrees with Parse, whatever line
// follows, and answers for most of the servers' lines.
func TestLevelIsParsedLevel(t *testing.T) {
	answered := leveltest.CheckLines(t, newParser, levelLines(),
		"ERROR: on the next line", "x] ERROR: y", `b"] ERROR: x`, "a: b ERROR: c", " INVITE sip:b@h SIP/2.0", "kamailio[2]: CRITICAL: x")
	if answered < 200 {
		t.Errorf("Level answered for %d lines only", answered)
	}
}

// TestLevelAnswers: Level reads the mark, else the PRI's severity; it leaves to Parse a
// line whose level Parse guesses from all the entry's lines, and one whose prefix ends
// at the line's end.
func TestLevelAnswers(t *testing.T) {
	for s, want := range map[string]model.Level{
		"Dec 17 18:17:52 sbc1 /usr/sbin/kamailio[8813]:  7(8813) ERROR: tm [t_lookup.c:1356]: x": model.LevelError,
		"<131>Dec 17 18:17:52 sbc1 kamailio[1]: WARNING: <core> x":                               model.LevelWarning,
		"<131>Dec 17 18:17:52 sbc1 kamailio[1]: some text":                                       model.LevelError,
		"Jul  6 10:47:23 [1462] ERROR:core:pv_get_callid: x":                                     model.LevelError,
		"Nov 4 18:30:40 h kamailio[1]: NOTICE: x":                                                model.LevelNotice,
		"kamailio[1]: CRITICAL: x":                                                               model.LevelCritical,
		"2024-04-09T17:33:12.238986028Z DEBUG DEBUG: <core> x":                                   model.LevelDebug,
		" INVITE sip:edi-2001@time-reversal.com SIP/2.0":                                         model.LevelInfo,
	} {
		if l, ok := newParser().Level([]byte(s)); !ok || l != want {
			t.Errorf("%q: Level %v %v, want %v", s, l, ok, want)
		}
	}
	for _, s := range []string{
		"Dec 17 18:17:52 sbc1 kamailio[8813]: some text", // no mark, no PRI: guessed from all lines
		"<131>Dec 17 18:17:52 sbc1 kamailio:",            // the tag could go on
		"INVITE sip:b@h SIP/2.0",                         // not indented: continues the entry above
	} {
		if l, ok := newParser().Level([]byte(s)); ok {
			t.Errorf("%q: Level %v, want no answer", s, l)
		}
	}
}

// FuzzLevel: Level never disagrees with Parse.
func FuzzLevel(f *testing.F) { leveltest.Fuzz(f, newParser, levelLines()) }
