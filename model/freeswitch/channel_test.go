package freeswitch

import (
	"regexp"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
)

// TestWhatLinesTellOfTheirChannel: the channel a line names, who called whom as the
// dialplan routes it, and the hangup cause, on every sample line that tells them.
func TestWhatLinesTellOfTheirChannel(t *testing.T) {
	for _, tc := range []struct {
		what string
		re   *regexp.Regexp
		// fields are the fields each submatch is, in order.
		fields []string
	}{
		{"new channel", regexp.MustCompile(`New Channel (\S+) \[`), []string{"Channel"}},
		{"hangup", regexp.MustCompile(`\.c:\d+ Hangup (\S+) \[CS_[A-Z_]+\] \[([A-Z_]+)\]$`), []string{"Channel", "Hangup-Cause"}},
		{"hanging up", regexp.MustCompile(`\.c:\d+ Channel (\S+) hanging up, cause: ([A-Z_]+)$`), []string{"Channel", "Hangup-Cause"}},
		{"state change", regexp.MustCompile(`\.c:\d+ \(([^)]+)\) (?:Running )?State`), []string{"Channel"}},
		{"dialplan", regexp.MustCompile(`\.c:\d+ Processing (.+) <([^>]*)>->(\S+) in context (\S+)$`), []string{"From-Name", "From", "To", "Context"}},
		{"receiving invite", regexp.MustCompile(`\.c:\d+ (\S+) receiving invite from \S+ .* call-id: (\S+)$`), []string{"Channel", "Call-ID"}},
	} {
		n := 0
		for name, data := range samples(t) {
			for _, e := range parseAll(data, 0) {
				m := tc.re.FindStringSubmatch(firstLineOf(e.raw))
				if m == nil {
					continue
				}
				n++
				for i, f := range tc.fields {
					if got := field(&e.r, f); got != m[i+1] {
						t.Errorf("%s: %q: %s = %q, want %q", name, e.raw, f, got, m[i+1])
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("no %s line in the samples", tc.what)
		}
	}
}

// TestNoCauseWithoutHangup: a cause that is no channel's hangup (an originate failure), a
// bridge's other leg, a Call-ID FreeSWITCH did not know yet: none is a field.
func TestNoCauseWithoutHangup(t *testing.T) {
	for _, tc := range []struct{ file, message, absent string }{
		{"dispatcher2-hangup.log", "Cannot create outgoing channel of type [user] cause: [MANDATORY_IE_MISSING]", "Hangup-Cause"},
		{"issue1559-proxy-media.log", "BRIDGE THREAD DONE [sofia/external/1009]", "Channel"},
		{"issue1509-session.log", "sofia/external/********** sending invite call-id: (null)", "Call-ID"},
		{"issue1754-resample.log", "detaching session 095faf46-116f-11ed-9624-a79ea9c0433f", "Uuid"},
	} {
		found := false
		for _, e := range parseAll(samples(t)[tc.file], 0) {
			if string(e.r.Message()) != tc.message {
				continue
			}
			found = true
			if v, ok := e.r.Field(tc.absent); ok {
				t.Errorf("%s: %q has %s %q", tc.file, tc.message, tc.absent, v)
			}
		}
		if !found {
			t.Errorf("%s: no entry %q", tc.file, tc.message)
		}
	}
}

// TestChannelAndCallIDJoin: in a log with UUID prefixes, the line that names a channel's
// SIP Call-ID carries its UUID too, so the channel's lines and its SIP messages join.
func TestChannelAndCallIDJoin(t *testing.T) {
	for _, file := range []string{"issue1559-proxy-media.log", "issue1754-resample.log"} {
		byUUID := map[string]bool{}
		joined := 0
		for _, e := range parseAll(samples(t)[file], 0) {
			got := ids(&e.r)
			for _, id := range got {
				if uuid, ok := strings.CutPrefix(id, "Uuid:"); ok {
					byUUID[uuid] = true
				}
			}
			if len(got) == 2 && strings.HasPrefix(got[0], "Uuid:") && strings.HasPrefix(got[1], "Call-Id:") &&
				strings.HasPrefix(e.raw, strings.TrimPrefix(got[0], "Uuid:")+" ") {
				joined++
			}
		}
		if joined == 0 || len(byUUID) == 0 {
			t.Errorf("%s: %d lines join a UUID and a Call-ID, %d UUIDs", file, joined, len(byUUID))
		}
	}
}

// TestYearlessTimes: a time without a year takes Year's, any day of the month a leap year has.
func TestYearlessTimes(t *testing.T) {
	line := []byte("08-03 07:56:53.026292 [WARN] [SOFIA] [sofia_reg.c:4130] Can't find user [101@148.251.134.154] from 192.0.2.3")
	for _, year := range []int{2005, 2023, 2024} {
		var r model.Record
		(&Parser{Year: year}).Parse(line, &r)
		if got := model.TimeOf(r.Time); got.Year() != year || got.Format("01-02 15:04:05.000000") != "08-03 07:56:53.026292" {
			t.Errorf("Year %d: %s", year, got)
		}
	}
	var r model.Record
	(&Parser{Year: 2024}).Parse([]byte("02-29"+string(line[5:])), &r)
	if model.TimeOf(r.Time).Format("2006-01-02") != "2024-02-29" {
		t.Errorf("02-29 in 2024: %s", model.TimeOf(r.Time))
	}
	for _, bad := range []string{"13-03", "02-30", "00-10"} {
		if new(Parser).StartsEntry([]byte(bad + string(line[5:]))) {
			t.Errorf("%s starts an entry", bad)
		}
	}
}

// TestIndexingAllocatesNothing: parsing and reading the ids, as indexing does for every
// entry, allocate nothing.
func TestIndexingAllocatesNothing(t *testing.T) {
	var lines [][]byte
	for _, name := range []string{"issue1559-proxy-media.log", "issue323-hold.log", "issue1144-trying.log"} {
		for _, e := range parseAll(samples(t)[name], 0) {
			lines = append(lines, []byte(e.raw))
		}
	}
	p := new(Parser)
	var r model.Record
	if n := testing.AllocsPerRun(20, func() {
		for _, l := range lines {
			p.Parse(l, &r)
			r.IDs(func(model.IDKind, []byte) {})
			r.Field("Detail")
		}
	}); n > 0 {
		t.Errorf("%.1f allocations per %d entries", n, len(lines))
	}
}
