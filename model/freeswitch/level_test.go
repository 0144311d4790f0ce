package freeswitch

import (
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/parsertest"
	"github.com/calltail/calltail/model/parsertest/leveltest"
)

// levelLines returns the lines of the FreeSWITCH samples, of the other servers' samples,
// and some that break Level's paths.
func levelLines() [][]byte {
	return parsertest.Lines([]string{"testdata/*.log", "../../testdata/servers/*/*"},
		"2013-12-31 17:39:54.767815 [DEBUG] x.c:1 y", "2013-12-31 17:39:54.767815 [DEBUG] x:1 y",
		"02-30 07:56:53.026292 [DEBUG] [SOFIA] [sofia_reg.c:4130] x", "08-03 07:56:53 [DEBUG] [SOFIA] [sofia_reg.c:4130]",
		"8b952f41-bb60-4332-9599-186d4a6d5c8a 2022-02-21 16:53:28.516605 86.53% [DEBUG] switch_channel.c:1123 x",
		"8b952f41-bb60-4332-9599-186d4a6d5c8a Dialplan: sofia/internal/1000@x Action set(a=b)",
		"2013-12-31 17:39:54.767815 [debug] x.c:1 y", "2013-12-31T17:39:54.767815Z [DEBUG] x.c:1 y",
		"recv 352 bytes from udp/[192.0.2.2]:5064 at 17:28:11.113313:", "send 1 bytes to tcp/[::1]:5 at 24:00:00.000000:",
		"tport.c:3273 tport_tsend() x", "tport.cpp:3273 tport_tsend() x", "a/tport.c:3273 tport_tsend() x")
}

func newParser() leveltest.Leveller { return &Parser{Year: 2024} }

// TestLevelIsParsedLevel: over every sample, Level agrees with Parse, whatever
// line follows; and Level answers for the lines of level debug.
func TestLevelIsParsedLevel(t *testing.T) {
	answered := leveltest.CheckLines(t, newParser, levelLines(), "  continued [WARNING]", "------------------------------------------------------------------------")
	if answered < 120 {
		t.Errorf("Level answered for %d lines only", answered)
	}
}

// TestLevelDebugOnly: Level answers for the entries of level debug (a dated line, a
// siptrace stamp, a sofia-sip line) and for no other, although Parse reads every dated
// line's level from it (see Level: a dated line dates the siptrace entries after it).
func TestLevelDebugOnly(t *testing.T) {
	p := &Parser{}
	for _, s := range []string{
		"2013-12-31 17:39:54.767815 [DEBUG] sofia.c:1 x",
		"08-03 07:56:53.026292 [DEBUG] [SOFIA] [sofia_reg.c:4130] x",
		"recv 352 bytes from udp/[192.0.2.2]:5064 at 17:28:11.113313:",
		"tport.c:3273 tport_tsend() x",
	} {
		if l, ok := p.Level([]byte(s)); !ok || l != model.LevelDebug {
			t.Errorf("%q: Level %v %v, want debug", s, l, ok)
		}
	}
	for _, s := range []string{
		"2013-12-31 17:39:54.767815 [WARNING] sofia_reg.c:1533 x",
		"2013-12-31 17:39:54.767815 [INFO] sofia.c:1 x",
		"8b952f41-bb60-4332-9599-186d4a6d5c8a Dialplan: x",
		"------------------------------------------------------------------------",
	} {
		if l, ok := p.Level([]byte(s)); ok {
			t.Errorf("%q: Level %v, want no answer", s, l)
		}
	}
}

// FuzzLevel: Level never disagrees with Parse.
func FuzzLevel(f *testing.F) { leveltest.Fuzz(f, newParser, levelLines()) }
