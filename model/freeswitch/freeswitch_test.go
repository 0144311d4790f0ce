package freeswitch

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/split"
)

// samples are the sample logs, by file name.
func samples(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("testdata/*.log")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = data
	}
	return out
}

// entry is one parsed entry of a sample.
type entry struct {
	raw string
	r   model.Record
}

// parseAll cuts data into entries and parses each, in order, with one parser.
func parseAll(data []byte, year int) []entry {
	p := &Parser{Year: year}
	var out []entry
	for _, raw := range split.Entries(data, p.StartsEntry) {
		var e entry
		p.Parse(raw, &e.r)
		e.raw = string(raw)
		out = append(out, e)
	}
	return out
}

func field(r *model.Record, name string) string {
	v, _ := r.Field(name)
	return string(v)
}

// ids returns the ids an entry carries, as "kind:id".
func ids(r *model.Record) []string {
	var out []string
	r.IDs(func(k model.IDKind, id []byte) { out = append(out, k.String()+":"+string(id)) })
	return out
}

// levelWords are FreeSWITCH's level names and what they are.
var levelWords = map[string]model.Level{
	"DEBUG": model.LevelDebug, "INFO": model.LevelInfo, "NOTICE": model.LevelNotice, "WARNING": model.LevelWarning,
	"WARN": model.LevelWarning, "ERR": model.LevelError, "CRIT": model.LevelCritical, "ALERT": model.LevelCritical,
}

// dated matches a dated line as the samples show it: the UUID, the time, the CPU column,
// the level, an optional subsystem, and the source.
var dated = regexp.MustCompile(`^(?:([0-9a-f-]{36}) )?((?:\d{4}-)?\d\d-\d\d \d\d:\d\d:\d\d\.(\d{6}))(?: [\d.]+%)? \[([A-Z]+)\](?: \[[A-Z]+\])? \[?([a-z_]+\.c(?:pp)?):(\d+)\]? (.*)$`)

// TestFail2banLog reads fail2ban's test log for FreeSWITCH: each FreeSWITCH line is an
// entry with the time fail2ban's annotation says (with its microseconds), the year taken
// from Year where the line has none, its level and its source file as module; the lines
// that came through syslog are not FreeSWITCH's own shape.
func TestFail2banLog(t *testing.T) {
	data := samples(t)["fail2ban-freeswitch.log"]
	var want struct{ Time string }
	checked, wrapped := 0, 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if j, ok := strings.CutPrefix(line, "# failJSON: "); ok {
			if err := json.Unmarshal([]byte(j), &want); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := &Parser{Year: 2005} // the year fail2ban's tests read year-less lines in
		var r model.Record
		p.Parse([]byte(line), &r)
		m := dated.FindStringSubmatch(line)
		if m == nil {
			if !strings.Contains(line, " freeswitch[") {
				t.Fatalf("a line of no known shape in the sample: %q", line)
			}
			if wrapped++; !r.Plain || p.StartsEntry([]byte(line)) {
				t.Errorf("%q, logged through syslog, read as FreeSWITCH's own line", line)
			}
			continue
		}
		checked++
		wantTime, err := time.Parse("2006-01-02T15:04:05.000000", want.Time+"."+m[3])
		if err != nil {
			t.Fatal(err)
		}
		if r.Plain || r.Format() != Format || !p.StartsEntry([]byte(line)) {
			t.Errorf("%q: plain %v, format %q", line, r.Plain, r.Format())
		}
		if r.Time != wantTime.UnixMicro() {
			t.Errorf("%q: time %s, fail2ban says %s", line, model.TimeOf(r.Time), wantTime)
		}
		if r.Level != levelWords[m[4]] || string(r.Module) != m[5] || field(&r, "Line") != m[6] || string(r.Message()) != m[7] {
			t.Errorf("%q: level %v module %q line %q message %q", line, r.Level, r.Module, field(&r, "Line"), r.Message())
		}
	}
	if checked != 8 || wrapped != 3 {
		t.Errorf("%d FreeSWITCH lines and %d syslog lines checked, want 8 and 3", checked, wrapped)
	}
}

// TestDatedLines reads every dated line of the samples: its time, its level as FreeSWITCH
// names it (NOTICE is NOTICE; an error word in a DEBUG line does not make it an error),
// its source file as module and the line as a field, the channel's UUID as the channel's
// id — never the node — and the text.
func TestDatedLines(t *testing.T) {
	guessedOtherwise := 0
	for name, data := range samples(t) {
		for _, e := range parseAll(data, 2005) {
			m := dated.FindStringSubmatch(firstLineOf(e.raw))
			if m == nil {
				continue
			}
			r := &e.r
			if r.Plain || len(r.Node) != 0 {
				t.Errorf("%s: %q: plain %v, node %q", name, e.raw, r.Plain, r.Node)
			}
			if r.Level != levelWords[m[4]] {
				t.Errorf("%s: %q: level %v, want %s's", name, e.raw, r.Level, m[4])
			}
			if model.GuessLevel([]byte(e.raw)) != r.Level {
				guessedOtherwise++
			}
			if string(r.Module) != m[5] || field(r, "Line") != m[6] || string(r.Message()) != m[7] {
				t.Errorf("%s: %q: module %q line %q message %q", name, e.raw, r.Module, field(r, "Line"), r.Message())
			}
			if wantTime, err := time.Parse("2006-01-02 15:04:05.000000", m[2]); err == nil && r.Time != wantTime.UnixMicro() {
				t.Errorf("%s: %q: time %s", name, e.raw, model.TimeOf(r.Time))
			}
			uuid := m[1]
			if uuid == "" && strings.HasPrefix(m[7], "New Channel ") {
				uuid = strings.TrimSuffix(m[7][strings.LastIndex(m[7], "[")+1:], "]")
			}
			var want []string
			if uuid != "" {
				want = append(want, "Uuid:"+uuid)
			}
			if id, ok := strings.CutPrefix(regexp.MustCompile(`call-id: \S+`).FindString(m[7]), "call-id: "); ok && id != "(null)" {
				want = append(want, "Call-Id:"+id)
			}
			if got := ids(r); strings.Join(got, " ") != strings.Join(want, " ") || field(r, "Uuid") != uuid {
				t.Errorf("%s: %q: ids %v, Uuid %q; want %v", name, e.raw, got, field(r, "Uuid"), want)
			}
		}
	}
	if guessedOtherwise == 0 {
		t.Error("no line's level differs from one guessed from its words: the test cannot tell them apart")
	}
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// TestMessagesOfSeveralLines: the lines after a dated line that start with no time — its
// UUID-prefixed SDP, a failed statement, fail2ban's explanation — are its own.
func TestMessagesOfSeveralLines(t *testing.T) {
	for _, tc := range []struct {
		file, first string
		lines       int
	}{
		{"issue1559-proxy-media.log", "Remote SDP:", 4},
		{"issue1509-session.log", "sofia/external/********** sending invite version: 1.10.7-release git 883d2cb 2021-10-24 16:39:33Z 64bit", 3},
		{"issue2283-sqlerr.log", `[db="/dev/shm/core.db",type="core_db"] NATIVE SQL ERR [file is not a database]`, 2},
		{"fail2ban2161-cantfind.log", "Can't find user [1111111@172.31.30.163] from 37.49.231.10", 3},
		{"issue1144-invite.log", "sofia/external/%2B3366821XXXX@XX.XX.XX.X1:5060 sending invite version: 1.10.3 -release-15-129de34d84 64bit", 14},
	} {
		found := false
		for _, e := range parseAll(samples(t)[tc.file], 0) {
			if string(e.r.Message()) != tc.first {
				continue
			}
			found = true
			if n := strings.Count(e.raw, "\n") + 1; n != tc.lines {
				t.Errorf("%s: %q is %d lines, want %d", tc.file, tc.first, n, tc.lines)
			}
		}
		if !found {
			t.Errorf("%s: no entry %q", tc.file, tc.first)
		}
	}
}

// stampLine matches the stamp of a siptrace.
var stampLine = regexp.MustCompile(`(?m)^(recv|send) (\d+) bytes (?:from|to) (\w+)/\[([^\]]*)\]:(\d+) at (\d\d:\d\d:\d\d\.\d{6}):$`)

// TestEverySIPMessageIsAnEntry: each siptrace stamp starts an entry of its own, whose
// message (Detail) is the SIP message below its dashes, whose time is the stamp's on the
// date of the dated line before it, and whose fields say where it went or came from.
func TestEverySIPMessageIsAnEntry(t *testing.T) {
	stamps, entries, messages := 0, 0, 0
	for name, data := range samples(t) {
		stamps += len(stampLine.FindAll(data, -1))
		date := ""
		for _, e := range parseAll(data, 0) {
			if m := dated.FindStringSubmatch(firstLineOf(e.raw)); m != nil {
				date = m[2][:10]
			}
			s := stampLine.FindStringSubmatch(firstLineOf(e.raw))
			if s == nil {
				if stampLine.MatchString(e.raw) {
					t.Errorf("%s: a siptrace stamp inside an entry: %q", name, e.raw)
				}
				continue
			}
			entries++
			r := &e.r
			addr, port := "Dst-address", "Dst-port"
			if s[1] == "recv" {
				addr, port = "Src-address", "Src-port"
			}
			if r.Plain || r.Format() != Format || field(r, "Direction") != s[1] || field(r, "Bytes") != s[2] ||
				field(r, "Transport") != s[3] || field(r, addr) != s[4] || field(r, port) != s[5] {
				t.Errorf("%s: %q: fields %v", name, s[0], fieldsOf(r))
			}
			var want int64
			if date != "" {
				tm, err := time.Parse("2006-01-02 15:04:05.000000", date+" "+s[6])
				if err != nil {
					t.Fatal(err)
				}
				want = tm.UnixMicro()
			}
			if r.Time != want {
				t.Errorf("%s: %q: time %d (%s), want the stamp's on %q", name, s[0], r.Time, model.TimeOf(r.Time), date)
			}
			detail, ok := r.Field("Detail")
			body := strings.SplitN(e.raw, "\n", 3)
			if len(body) < 3 || !strings.HasPrefix(body[2], "SIP/2.0 ") && !strings.Contains(firstLineOf(body[2]), " SIP/2.0") {
				if ok {
					t.Errorf("%s: %q: a Detail %q without a message", name, s[0], detail)
				}
				continue
			}
			messages++
			callID := regexp.MustCompile(`(?m)^Call-ID: (.*)$`).FindStringSubmatch(body[2])
			if !ok || !strings.HasPrefix(body[2], string(detail)) || !bytes.HasSuffix(detail, []byte("Content-Length: 0\n")) ||
				callID == nil || strings.Join(ids(r), " ") != "Call-Id:"+callID[1] {
				t.Errorf("%s: %q: Detail %q, ids %v", name, s[0], detail, ids(r))
			}
		}
	}
	if stamps != 5 || entries != stamps || messages != 3 {
		t.Errorf("%d stamps, %d entries of them, %d with their message; want 5, 5 and 3", stamps, entries, messages)
	}
}

func fieldsOf(r *model.Record) map[string]string {
	out := map[string]string{}
	for k, v := range r.Fields() {
		out[string(k)] = string(v)
	}
	return out
}

// TestTraceWithoutDate: a siptrace read before any dated line has no date to take: no time.
func TestTraceWithoutDate(t *testing.T) {
	data := samples(t)["issue1144-trying.log"]
	var last []byte
	for _, raw := range split.Entries(data, new(Parser).StartsEntry) {
		last = raw
	}
	var r model.Record
	new(Parser).Parse(last, &r)
	if !bytes.HasPrefix(last, []byte("recv 411 bytes")) || r.Plain || r.Time != 0 {
		t.Errorf("%q: plain %v, time %d; want a siptrace entry without a time", last, r.Plain, r.Time)
	}
}

// TestSofiaDebugLines: sofia-sip's own debug lines are entries of their own, at debug
// level, their source file the module and the function a field; none is glued to a SIP
// message.
func TestSofiaDebugLines(t *testing.T) {
	debug := regexp.MustCompile(`^([a-z_]+\.c):(\d+) ([a-z_]+)\(\) (.*)$`)
	n := 0
	for _, e := range parseAll(samples(t)["issue323-hold.log"], 0) {
		m := debug.FindStringSubmatch(e.raw)
		if m == nil {
			if strings.Contains(e.raw, "() ") && !strings.HasPrefix(e.raw, "20") {
				t.Errorf("a debug line inside an entry: %q", e.raw)
			}
			continue
		}
		n++
		r := &e.r
		if r.Plain || r.Level != model.LevelDebug || string(r.Module) != m[1] || field(r, "Line") != m[2] ||
			field(r, "Function") != m[3] || string(r.Message()) != m[4] || len(ids(r)) != 0 {
			t.Errorf("%q: level %v module %q fields %v message %q", e.raw, r.Level, r.Module, fieldsOf(r), r.Message())
		}
	}
	if n != 21 {
		t.Errorf("%d debug lines, want 21", n)
	}
}
