package formats_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/query"
)

// counted is a parser that counts the entries it parses, and tells no level.
type counted struct {
	model.Parser
	parsed *atomic.Int64
}

func (c counted) Parse(raw []byte, r *model.Record) {
	c.parsed.Add(1)
	c.Parser.Parse(raw, r)
}

// leveled is a counted parser that tells levels with the parser's own Level.
type leveled struct{ counted }

func (l leveled) Level(line []byte) (model.Level, bool) {
	if lv, ok := l.Parser.(formats.Leveller); ok {
		return lv.Level(line)
	}
	return 0, false
}

// runCounted runs a query of expr over text with the parsers of format, the query
// skipping levels with Level or not (every entry parsed), and returns what it printed as
// JSON (times included) and how many entries it parsed.
func runCounted(t *testing.T, format, expr string, text []byte, skip bool) (string, int64) {
	t.Helper()
	var out bytes.Buffer
	parsed := runQuery(t, format, expr, text, skip, export.JSON, &out)
	return out.String(), parsed
}

// runQuery runs a query of expr over text with the parsers of format, skipping levels
// with Level or not, writes what it selects to w and returns how many entries it parsed.
func runQuery(tb testing.TB, format, expr string, text []byte, skip bool, as export.Format, w io.Writer) int64 {
	f, err := filter.Compile(expr)
	if err != nil {
		tb.Fatal(err)
	}
	newParser, err := formats.New(format, 2024)
	if err != nil {
		tb.Fatal(err)
	}
	var parsed atomic.Int64
	opt := query.Options{Filter: f, Format: as, NewParser: func() model.Parser {
		c := counted{newParser(), &parsed}
		if skip {
			return leveled{c}
		}
		return c
	}}
	if _, err := query.Run(context.Background(), []query.Input{{Name: "x", R: bytes.NewReader(text)}}, opt, w); err != nil {
		tb.Fatal(err)
	}
	return parsed.Load()
}

// readAll returns the files that the patterns match, one after the other.
func readAll(t testing.TB, patterns ...string) []byte {
	var text []byte
	for _, pattern := range patterns {
		paths, _ := filepath.Glob(pattern)
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			text = append(append(text, data...), '\n')
		}
	}
	return text
}

// siptraceAfterInfo is a siptrace entry that takes its date from the [INFO] line before
// it: a query that left that line out unparsed would print the entry without a date.
const siptraceAfterInfo = `2024-03-10 23:59:59.000001 [INFO] mod_sofia.c:1 x
recv 352 bytes from udp/[192.0.2.2]:5064 at 00:00:01.000000:
------------------------------------------------------------------------
SIP/2.0 100 Trying
Call-ID: 1@x

------------------------------------------------------------------------
`

// serverLogs returns the FreeSWITCH samples (and siptraceAfterInfo) and the syslog SIP
// servers' samples, each as one log.
func serverLogs(tb testing.TB) (freeswitch, syslog []byte) {
	freeswitch = append(readAll(tb, "../freeswitch/testdata/*.log", "../../testdata/servers/freeswitch/*"), siptraceAfterInfo...)
	syslog = readAll(tb, "../sipsyslog/testdata/*.log", "../../testdata/sipsyslog/*", "../../testdata/servers/kamailio/*",
		"../../testdata/servers/opensips/*", "../../testdata/servers/rtpengine/*")
	return freeswitch, syslog
}

// TestLevelQuerySkipsUnparsed: a level query over FreeSWITCH's and the SIP servers' logs
// leaves entries out unparsed through their own parser (auto parses them: see
// Parser.Level), and prints what parsing every entry prints, byte for byte (as JSON, with
// every entry's time).
func TestLevelQuerySkipsUnparsed(t *testing.T) {
	freeswitch, syslog := serverLogs(t)
	for _, c := range []struct {
		format, expr string
		text         []byte
		skips        bool // whether most entries are left out unparsed
	}{
		{"freeswitch", "level >= warning", freeswitch, true}, {"auto", "level >= warning", freeswitch, false},
		{"freeswitch", "level >= info", freeswitch, true}, {"freeswitch", "level == debug", freeswitch, false},
		{"auto", "level <= debug", freeswitch, false}, {"freeswitch", "level != info", freeswitch, false},
		{"syslog", "level >= warning", syslog, true}, {"auto", "level >= warning", syslog, false},
		{"syslog", "level == debug", syslog, true}, {"auto", "level < info", syslog, false},
	} {
		want, all := runCounted(t, c.format, c.expr, c.text, false)
		got, parsed := runCounted(t, c.format, c.expr, c.text, true)
		if got != want {
			t.Errorf("%s, %s: skipping by level prints\n%s\nparsing every entry\n%s", c.format, c.expr, got, want)
		}
		if len(want) == 0 {
			t.Errorf("%s, %s: prints nothing", c.format, c.expr)
		}
		if c.skips && parsed > all*2/3 {
			t.Errorf("%s, %s: %d entries parsed of %d", c.format, c.expr, parsed, all)
		}
	}
}

// BenchmarkLevelQuery runs "level >= warning" over the FreeSWITCH and syslog samples
// repeated to 4 MB, with each format's parser and auto's, skipping by level or parsing
// every entry (as before Level).
func BenchmarkLevelQuery(b *testing.B) {
	freeswitch, syslog := serverLogs(b)
	for _, c := range []struct {
		name, format string
		text         []byte
	}{{"freeswitch", "freeswitch", freeswitch}, {"freeswitch-auto", "auto", freeswitch}, {"syslog", "syslog", syslog}, {"syslog-auto", "auto", syslog}} {
		text := bytes.Repeat(c.text, 4<<20/len(c.text))
		for _, skip := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/skip=%v", c.name, skip), func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					runQuery(b, c.format, "level >= warning", text, skip, export.Plain, io.Discard)
				}
			})
		}
	}
}
