package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/sim"
)

// simulatedLog writes n lines of simulation seed to a file and returns its path and text.
func simulatedLog(t *testing.T, n, seed string) (string, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "support.log")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	run(t.Context(), []string{"--generate", n, "--seed", seed}, nil, f, os.Stderr)
	f.Close()
	text, _ := os.ReadFile(path)
	return path, string(text)
}

// TestCallRaw prints every line of a call whose SIP messages were logged in fragments:
// the lines that carry one of its ids (as a field or as its SIP messages' Call-ID), and
// every fragment of those messages, in time order, as -n prints them — found here by
// reading the file, not through the calls index.
func TestCallRaw(t *testing.T) {
	path, text := simulatedLog(t, "3000", "4")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	fragment := regexp.MustCompile(`Fragment-id="([^"]+)"`)
	var id string
	for _, l := range lines {
		if strings.Contains(l, `Fragment-number="1"`) {
			for _, l0 := range lines {
				if m := fragment.FindStringSubmatch(l); strings.Contains(l0, m[0]) && strings.Contains(l0, `Fragment-number="0"`) {
					if c := regexp.MustCompile(`Call-ID: ([^^]+)\^M`).FindStringSubmatch(l0); c != nil {
						id = c[1]
					}
				}
			}
			break
		}
	}
	if id == "" {
		t.Fatal("no fragmented SIP message with its Call-ID in the simulated log")
	}
	code, js, errOut := calltail(t, "", "--call", id, "--json", path)
	var ids struct {
		CallIDs        []string `json:"call_ids"`
		ParticipantIDs []string `json:"participant_ids"`
		UUIDs          []string `json:"uuids"`
	}
	if code != 0 || json.Unmarshal([]byte(js), &ids) != nil {
		t.Fatalf("--call %s --json: exit %d, %s %s", id, code, errOut, js)
	}
	carries := func(l string) bool {
		for _, x := range slices.Concat(ids.CallIDs, ids.ParticipantIDs, ids.UUIDs) {
			if strings.Contains(l, `="`+x+`"`) || strings.Contains(l, "Call-ID: "+x+"^M") || strings.Contains(l, "^Mi: "+x+"^M") {
				return true
			}
		}
		return false
	}
	frags := map[string]bool{}
	for _, l := range lines {
		if m := fragment.FindStringSubmatch(l); m != nil && carries(l) {
			frags[m[1]] = true
		}
	}
	var want []string
	for _, l := range lines {
		if m := fragment.FindStringSubmatch(l); carries(l) || m != nil && frags[m[1]] {
			want = append(want, l)
		}
	}
	originating := func(l string) string { return strings.SplitN(l, " ", 4)[2] + strings.SplitN(l, " ", 4)[3][:12] }
	sort.SliceStable(want, func(i, j int) bool { return originating(want[i]) < originating(want[j]) })

	code, raw, errOut := calltail(t, "", "--call", id, "--raw", path)
	got := strings.Split(strings.TrimSuffix(raw, "\n"), "\n")
	if code != 0 || errOut != "" || !slices.Equal(got, want) {
		t.Errorf("--call %s --raw: exit %d, stderr %q, %d lines, want %d:\n%s\nwant:\n%s", id, code, errOut, len(got), len(want),
			raw, strings.Join(want, "\n"))
	}
	if len(frags) == 0 {
		t.Error("the call's lines hold no fragment: the test proves little")
	}
}

// TestCallRawIsSanitised prints the lines of a call that carry escape sequences and
// invisible characters as -n prints them: made visible, line breaks and tabs kept.
func TestCallRawIsSanitised(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	log := `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="alice` + "\x1b]52;c;eA==\x07\u202e" + `" Protocol="WebRTC" Participant-Id="p1"` + "\n" +
		`2026-05-14 10:00:01,000 Level="INFO" Name="support.participant" Message="Unhandled exception" Participant-Id="p1" Detail="Traceback` + "\n\tline 2\x1b[2J" + `"` + "\n"
	os.WriteFile(path, []byte(log), 0o600)
	_, want, _ := calltail(t, "", "-n", path)
	code, got, errOut := calltail(t, "", "--call", "p1", "--raw", path)
	if code != 0 || errOut != "" || got != want || !strings.Contains(got, "^[]52") || !strings.Contains(got, "\n\tline 2^[[2J") {
		t.Errorf("--call p1 --raw: exit %d, stderr %q:\n%q\nwant what -n prints:\n%q", code, errOut, got, want)
	}
}

// TestCallTimelineHeadless prints a call that entered a PIN and presented: --call shows
// its timeline, with the PIN and presentation lines, and its BFCP floor control in the
// ladder; --call --json holds the same timeline, line for line.
func TestCallTimelineHeadless(t *testing.T) {
	path, text := simulatedLog(t, "4000", "3")
	var id string
	for _, l := range strings.Split(text, "\n") {
		if m := regexp.MustCompile(`Participant is presenting\..*Call-I[dD]="([^"]+@[^"]+)"`).FindStringSubmatch(l); m != nil {
			id = m[1] // a SIP call's: with BFCP
			break
		}
	}
	code, out, _ := calltail(t, "", "--call", id, path)
	_, timeline, _ := strings.Cut(out, "\nTimeline (")
	timeline, _, _ = strings.Cut(timeline, "\n\n")
	for _, want := range []string{"Participant attempting to join conference.", "Participant is presenting.", "Received BFCP message",
		"Participant has stopped presenting."} {
		if code != 0 || !strings.Contains(timeline, want) {
			t.Errorf("--call %s: exit %d, no %q in its timeline:\n%s", id, code, want, out)
		}
	}
	if !strings.Contains(out, "BFCP FloorRequest") {
		t.Errorf("--call %s: no BFCP in its ladder:\n%s", id, out)
	}
	_, js, _ := calltail(t, "", "--call", id, "--json", path)
	var call struct {
		Timeline []struct{ Message string }
	}
	json.Unmarshal([]byte(js), &call)
	if n := strings.Count(timeline, "\n"); len(call.Timeline) != n || n < 5 {
		t.Errorf("--call --json: %d timeline entries, the text has %d lines", len(call.Timeline), n)
	}
}

// TestNoSpam lists the calls of a log where two scanners called: --no-spam leaves them out
// of the table and the JSON and says how many on stderr; without it they are listed.
func TestNoSpam(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	log := `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="sip:100@1.1.1.1" ConferenceAlias="100" Protocol="SIP" Vendor="friendly-scanner" Participant-Id="p1"
2026-05-14 10:00:01,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="sip:100@1.1.1.1" ConferenceAlias="101" Protocol="SIP" Vendor="pplsip" Participant-Id="p2"
2026-05-14 10:00:02,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="alice" ConferenceAlias="meet" Protocol="SIP" Vendor="TANDBERG/257 (TE4.1.1.273710)" Participant-Id="p3"
`
	os.WriteFile(path, []byte(log), 0o600)
	_, all, _ := calltail(t, "", "--calls", path)
	code, table, errOut := calltail(t, "", "--calls", "--no-spam", path)
	if !strings.Contains(all, "pplsip") || code != 0 || strings.Contains(table, "pplsip") || strings.Contains(table, "friendly-scanner") ||
		!strings.Contains(table, "TANDBERG") || errOut != "calltail: 2 scanner calls hidden (--no-spam)\n" {
		t.Errorf("--calls --no-spam: exit %d, stderr %q:\n%s\nwithout --no-spam:\n%s", code, errOut, table, all)
	}
	code, js, errOut := calltail(t, "", "--calls", "--no-spam", "--json", path)
	if code != 0 || strings.Count(js, "\n") != 1 || !strings.Contains(js, "TANDBERG") || !strings.Contains(errOut, "2 scanner calls hidden") {
		t.Errorf("--calls --no-spam --json: exit %d, stderr %q:\n%s", code, errOut, js)
	}
	for _, args := range [][]string{{"--no-spam", "-n", path}, {"--raw", "--calls", path}, {"--call", "p3", "--raw", "--json", path}} {
		if code, _, errOut := calltail(t, "", args...); code != 2 || errOut == "" {
			t.Errorf("%q: exit %d, stderr %q; want a usage error", args, code, errOut)
		}
	}
}

// callsAllAtOnce is --calls as it was before it streamed: every call's summary read at
// once (Index.Calls), then written (report.WriteCalls, WriteCallsJSON).
func callsAllAtOnce(t *testing.T, args ...string) string {
	t.Helper()
	opt, err := parseFlags(args)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New()
	index := calls.New(st, opt.newParser)
	in, err := load(t.Context(), opt, nil, st)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	all := index.Calls()
	if opt.noSpam {
		all, _ = calls.WithoutScanners(all)
	}
	var out bytes.Buffer
	if opt.json {
		err = report.WriteCallsJSON(&out, all)
	} else {
		err = report.WriteCalls(&out, all)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// splitByNode writes the lines of a simulated log to two files, by the node that logged
// them (the second field), as two nodes' logs are collected, and returns their paths.
func splitByNode(t *testing.T, text string) []string {
	t.Helper()
	var files [2]strings.Builder
	nodes := map[string]int{}
	for _, l := range strings.SplitAfter(text, "\n") {
		fields := strings.Fields(l)
		if len(fields) < 2 {
			continue
		}
		if _, ok := nodes[fields[1]]; !ok {
			nodes[fields[1]] = len(nodes) % 2
		}
		files[nodes[fields[1]]].WriteString(l)
	}
	paths := make([]string, 2)
	for i := range files {
		paths[i] = filepath.Join(t.TempDir(), fmt.Sprintf("node%d.log", i))
		if err := os.WriteFile(paths[i], []byte(files[i].String()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

// TestCallsStreamExact checks that --calls, which reads and writes the calls a chunk at a
// time, prints byte for byte what reading every call at once prints: as a table and as
// JSON, with and without --no-spam, on simulated logs (plain and hard cases, one file
// and two nodes' files merged) and on the samples of every format that has calls.
func TestCallsStreamExact(t *testing.T) {
	defer func(n int) { callsChunk = n }(callsChunk)
	callsChunk = 7 // many chunks, one of them short
	plain, plainText := simulatedLog(t, "6000", "3")
	hard := filepath.Join(t.TempDir(), "hard.log")
	f, err := os.Create(hard)
	if err != nil {
		t.Fatal(err)
	}
	run(t.Context(), []string{"--generate", "6000", "--seed", "31", "--hard"}, nil, f, os.Stderr)
	f.Close()
	hardText, _ := os.ReadFile(hard)
	nodes, hardNodes := splitByNode(t, plainText), splitByNode(t, string(hardText))
	if len(nodes) != 2 {
		t.Fatal("no two nodes' logs")
	}
	inputs := [][]string{
		{plain}, {hard}, nodes, hardNodes,
		{"testdata/quirks.log", "testdata/plain.log"},
		{"testdata/flexisip/flexisip-proxy.log"},
		{"testdata/privateserver/cdr.tsv"},
		{"--year", "2024", "model/asterisk/testdata/full.log", "model/asterisk/testdata/pjsip-console.log", "model/asterisk/testdata/chansip-full.log"},
		{"--year", "2024", "model/freeswitch/testdata/issue1559-proxy-media.log", "testdata/servers/freeswitch/uuid-cpu-new-channel.log"},
		{"--year", "2024", "testdata/sipsyslog/sip-servers.log", "testdata/servers/opensips/syslog-stderr-shape-clid.log",
			"testdata/servers/rtpengine/syslog-offer-null-address.log", "model/sipsyslog/testdata/kamailio-xlog-dump.log"},
	}
	for _, in := range inputs {
		for _, mode := range [][]string{{"--calls"}, {"--calls", "--json"}, {"--calls", "--no-spam"}} {
			args := slices.Concat(mode, in)
			code, got, _ := calltail(t, "", args...)
			want := callsAllAtOnce(t, args...)
			if code != 0 || got != want {
				t.Errorf("%q: exit %d, streamed output differs from all at once (%d vs %d bytes)", args, code, len(got), len(want))
			}
			if strings.Count(want, "\n") < 2 {
				t.Errorf("%q: no calls", args)
			}
		}
	}
}

// TestCallNeedleIsTheWholeIndex prints calls of a simulated log of the hard cases (SIP
// messages fragmented through their Call-IDs, all SIP through one SBC, refused PINs,
// dialogs no administrator line describes, BYEs after the disconnect, media windows) with
// --call and --call --json, each asked for by one of its ids in turn, from one file and
// from two node files (a third of the calls each, for time): the needle search prints
// what the whole index does, the call numbers left out — unless it indexed the logs
// whole (an id no line holds whole), then with them.
func TestCallNeedleIsTheWholeIndex(t *testing.T) {
	var log bytes.Buffer
	hard := sim.Hard()
	hard.Busy = 0.1 // calls far apart: the logs span two hours, each window part of them
	if err := sim.NewWith(31, hard).WriteLines(&log, 8000); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	one, a, b := filepath.Join(dir, "support.log"), filepath.Join(dir, "conf01.log"), filepath.Join(dir, "others.log")
	var conf01, others bytes.Buffer
	for _, l := range bytes.SplitAfter(log.Bytes(), []byte("\n")) {
		if bytes.Contains(l, []byte(" conf01 ")) {
			conf01.Write(l)
		} else {
			others.Write(l)
		}
	}
	for path, text := range map[string][]byte{one: log.Bytes(), a: conf01.Bytes(), b: others.Bytes()} {
		if err := os.WriteFile(path, text, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, files := range [][]string{{one}, {a, b}} {
		opt, err := parseFlags(append([]string{"--call", "x"}, files...))
		if err != nil {
			t.Fatal(err)
		}
		st := store.New()
		index := calls.New(st, opt.newParser)
		in, err := load(t.Context(), opt, nil, st)
		if err != nil {
			t.Fatal(err)
		}
		all := index.Calls()
		checked, whole, failed := 0, 0, 0
		for i, c := range all {
			ids := slices.Concat(c.CallIDs, c.ParticipantIDs, c.UUIDs)
			if len(ids) == 0 || i%3 != len(files) {
				continue // a third of the calls with each set of files, for time
			}
			id := ids[i%len(ids)]
			d, _, err := index.Detail(st, c.Number, opt.newParser())
			if err != nil {
				t.Fatal(err)
			}
			var js, text bytes.Buffer
			report.WriteCallJSON(&js, &d)
			report.WriteCall(&text, &d, 120)
			_, gotJS, _ := calltail(t, "", append([]string{"--call", id, "--json"}, files...)...)
			_, gotText, _ := calltail(t, "", append([]string{"--call", id}, files...)...)
			wantJS, wantText := js.String(), text.String()
			if !strings.HasPrefix(gotJS, `{"number":`) {
				wantJS, wantText = withoutNumbers(wantJS, wantText)
			} else {
				whole++
			}
			if gotJS != wantJS || gotText != wantText {
				t.Errorf("%d files, call %d, --call %s: the text differs from the whole index's at %q, the JSON at %q",
					len(files), c.Number, id, firstDifference(gotText, wantText), firstDifference(gotJS, wantJS))
				if failed++; failed == 5 {
					break
				}
			}
			checked++
		}
		in.Close()
		if checked < 80 || whole > checked/10 {
			t.Errorf("%d files: %d calls checked, %d of them indexed whole: the test proves little", len(files), checked, whole)
		}
		t.Logf("%d files: %d calls checked, %d of them indexed whole", len(files), checked, whole)
	}
}

// withoutNumbers leaves the call numbers out of a call's report as JSON and as text.
func withoutNumbers(js, text string) (string, string) {
	js = regexp.MustCompile(`\{"number":\d+,`).ReplaceAllString(js, "{")
	text = regexp.MustCompile(`^Call \d+\n`).ReplaceAllString(text, "Call\n")
	head, related, ok := strings.Cut(text, "\nIn the conference at the same time\n")
	if !ok {
		head, related, ok = strings.Cut(text, "\nOther legs of its conversation\n")
		if !ok {
			return js, text
		}
		related = "\nOther legs of its conversation\n" + related
	} else {
		related = "\nIn the conference at the same time\n" + related
	}
	return js, head + regexp.MustCompile(`(?m)^  \d+ +`).ReplaceAllString(related, "  ")
}

// firstDifference returns the line of got where it first differs from want, or "".
func firstDifference(got, want string) string {
	g, w := strings.SplitAfter(got, "\n"), strings.SplitAfter(want, "\n")
	for i := range g {
		if i >= len(w) || g[i] != w[i] {
			return fmt.Sprintf("line %d: %s (want %s)", i+1, g[i], w[min(i, len(w)-1)])
		}
	}
	if len(w) > len(g) {
		return fmt.Sprintf("line %d: (none) (want %s)", len(g)+1, w[len(g)])
	}
	return ""
}
