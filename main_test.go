package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// calltail runs the command with args and returns its exit status, stdout and stderr.
func calltail(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, got)
	}
}

func TestHeadlessGolden(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"quirks.txt", []string{"-n", "testdata/quirks.log"}},
		{"quirks.json", []string{"-n", "--json", "testdata/quirks.log"}},
		{"plain.json", []string{"-n", "--json", "testdata/plain.log"}},
		{"warnings.txt", []string{"-n", "--query", "level >= warning", "testdata/quirks.log", "testdata/plain.log"}},
		{"call.txt", []string{"--query", `call-id == "890b38520c27737c@10.44.5.9"`, "testdata/quirks.log", "-n"}},
		// The other formats, each detected from its lines.
		{"flexisip.json", []string{"-n", "--json", "testdata/flexisip/flexisip-proxy.log"}},
		{"flexisip-events.json", []string{"-n", "--json", "testdata/flexisip/users/example.org/alice/2024-12-17.log"}},
		{"flexisip-calls.txt", []string{"--calls", "testdata/flexisip/flexisip-proxy.log"}},
		{"flexisip-call.txt", []string{"--call", "a84b4c76e66710", "testdata/flexisip/flexisip-proxy.log"}},
		{"privateserver-sessions.json", []string{"-n", "--json", "testdata/privateserver/sessions.tsv"}},
		{"privateserver-accounts.json", []string{"-n", "--json", "testdata/privateserver/accounts.tsv"}},
		{"privateserver-webauth.json", []string{"-n", "--json", "testdata/privateserver/webauth.tsv"}},
		{"privateserver-cdr.json", []string{"-n", "--json", "testdata/privateserver/cdr.tsv"}},
		{"privateserver-calls.txt", []string{"--calls", "testdata/privateserver/cdr.tsv"}},
		{"sipsyslog.json", []string{"-n", "--json", "--year", "2024", "testdata/sipsyslog/sip-servers.log"}},
		{"sipsyslog-warnings.txt", []string{"-n", "--query", "level >= warning", "testdata/sipsyslog/sip-servers.log"}},
		{"security.txt", []string{"--security", "--year", "2024", "testdata/quirks.log", "testdata/privateserver/webauth.tsv",
			"testdata/flexisip/users/example.org/alice/2024-12-17.log", "testdata/sipsyslog/sip-servers.log"}},
		{"security.json", []string{"--security", "--json", "--year", "2024", "testdata/privateserver/webauth.tsv"}},
		// The SIP servers' own logs, as real servers wrote them (testdata/servers/SOURCES.md,
		// model/*/testdata/SOURCES.md): entries, calls and attacks, for a reviewer to check.
		{"asterisk.json", []string{"-n", "--json", "--year", "2024", "model/asterisk/testdata/full.log", "model/asterisk/testdata/pjsip-console.log"}},
		{"asterisk-calls.json", []string{"--calls", "--json", "--year", "2024", "model/asterisk/testdata/full.log", "model/asterisk/testdata/pjsip-console.log"}},
		{"freeswitch.json", []string{"-n", "--json", "--year", "2024", "model/freeswitch/testdata/issue1559-proxy-media.log", "model/freeswitch/testdata/issue1144-trying.log"}},
		{"freeswitch-calls.json", []string{"--calls", "--json", "--year", "2024", "model/freeswitch/testdata/issue1559-proxy-media.log", "testdata/servers/freeswitch/uuid-cpu-new-channel.log"}},
		{"kamailio.json", []string{"-n", "--json", "--year", "2024", "testdata/servers/kamailio/syslog-log-prefix.log", "testdata/servers/kamailio/stderr-process-rank.log",
			"testdata/servers/kamailio/message-012-escape.log", "testdata/servers/opensips/syslog-stderr-shape-clid.log", "testdata/servers/rtpengine/syslog-offer-null-address.log"}},
		{"kamailio-calls.json", []string{"--calls", "--json", "--year", "2024", "testdata/sipsyslog/sip-servers.log", "testdata/servers/opensips/syslog-stderr-shape-clid.log",
			"testdata/servers/rtpengine/syslog-offer-null-address.log", "model/sipsyslog/testdata/kamailio-xlog-dump.log"}},
		// fail2ban's annotated test logs (testdata/servers/SOURCES.md), dated in 2005 as fail2ban's
		// tests are: the hosts fail2ban's asterisk and freeswitch (mode normal) filters find.
		{"asterisk-security.json", []string{"--security", "--json", "--year", "2005", "testdata/servers/asterisk/fail2ban-asterisk.log"}},
		{"freeswitch-security.json", []string{"--security", "--json", "--year", "2005", "testdata/servers/freeswitch/fail2ban-freeswitch.log"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := calltail(t, "", tt.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			golden(t, tt.name, out)
		})
	}
}

func TestJSONShape(t *testing.T) {
	_, out, _ := calltail(t, "", "-n", "--json", "testdata/quirks.log")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	raw, _ := os.ReadFile("testdata/quirks.log")
	var raws []string
	for _, l := range lines {
		var e struct {
			Time    *string           `json:"time"`
			Node    string            `json:"node"`
			Level   string            `json:"level"`
			Module  string            `json:"module"`
			Message string            `json:"message"`
			Fields  map[string]string `json:"fields"`
			Raw     string            `json:"raw"`
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("not JSON: %v: %s", err, l)
		}
		if e.Time != nil && !strings.HasSuffix(*e.Time, "Z") {
			t.Errorf("time %q is not RFC 3339 UTC", *e.Time)
		}
		raws = append(raws, e.Raw)
	}
	// Every byte of the file is in some entry's raw text (the hostile line's controls and
	// invalid byte are shown as text and its CRLF ending is not part of the entry).
	joined := strings.Join(raws, "\n")
	if !strings.HasPrefix(string(raw), joined[:strings.Index(joined, "Hostile")]) {
		t.Error("raw texts do not add up to the file")
	}
	var first struct{ Fields map[string]string }
	json.Unmarshal([]byte(lines[0]), &first)
	if first.Fields["Participant-Id"] != "44be63a0-7c1d-4b52-9c52-0d3f5a1c2c52" || first.Fields["Protocol"] != "SIP" {
		t.Errorf("fields of the first entry = %v", first.Fields)
	}
}

func TestStdinAndGzip(t *testing.T) {
	data, _ := os.ReadFile("testdata/quirks.log")
	_, want, _ := calltail(t, "", "-n", "testdata/quirks.log")

	code, got, errOut := calltail(t, string(data), "-n", "-")
	if code != 0 || got != want {
		t.Errorf("stdin: exit %d, stderr %q, output differs", code, errOut)
	}
	gz := filepath.Join(t.TempDir(), "support.log.2.gz")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	os.WriteFile(gz, buf.Bytes(), 0o600)
	code, got, errOut = calltail(t, "", "-n", gz)
	if code != 0 || got != want {
		t.Errorf("gzip: exit %d, stderr %q, output differs", code, errOut)
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	unreadable := filepath.Join(dir, "secret.log")
	os.WriteFile(unreadable, []byte("x\n"), 0o000)
	corrupt := filepath.Join(dir, "corrupt.gz")
	os.WriteFile(corrupt, []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'x', 'y', 'z'}, 0o600)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-n", "--colour", "x.log"}, "calltail: flag provided but not defined: -colour (see calltail --help)\n"},
		{"missing flag value", []string{"-n", "x.log", "--query"}, "calltail: flag needs an argument: -query (see calltail --help)\n"},
		{"bad number", []string{"--generate", "lots"}, `calltail: invalid value "lots" for flag -generate: parse error (see calltail --help)` + "\n"},
		{"missing file", []string{"-n", "nosuch.log"}, "calltail: nosuch.log: no such file (check the path)\n"},
		{"directory that is no snapshot", []string{"-n", dir}, "calltail: " + dir + " holds no support, administrator or developer log: is it a Pexip diagnostic snapshot?\n"},
		{"bad query", []string{"-n", "--query", "level >= loud", "testdata/quirks.log"}, `calltail: bad --query "level >= loud": column 10: unknown level "loud": expected debug, info, notice, warning, error or critical` + "\n"},
		{"corrupt gzip", []string{"-n", corrupt}, "calltail: " + corrupt + ": corrupt gzip data: unexpected EOF\n"},
		{"stdin twice", []string{"-n", "-", "-"}, "calltail: - (standard input) is given twice: it can be read only once\n"},
		{"generate with input", []string{"--generate", "5", "x.log"}, "calltail: --generate writes a simulated log to stdout and reads no input: pipe it into calltail -n instead\n"},
	}
	if os.Geteuid() != 0 { // root reads anything
		tests = append(tests, struct {
			name string
			args []string
			want string
		}{"unreadable", []string{"-n", unreadable}, "calltail: " + unreadable + ": permission denied (run as a user who can read it, e.g. with sudo)\n"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := calltail(t, "", tt.args...)
			if code != 2 || errOut != tt.want || out != "" {
				t.Errorf("exit %d, stdout %q\nstderr %q\nwant   %q", code, out, errOut, tt.want)
			}
			if strings.Count(errOut, "\n") != 1 {
				t.Errorf("stderr is not one line: %q", errOut)
			}
		})
	}
}

func TestHelpAndGenerate(t *testing.T) {
	code, out, _ := calltail(t, "", "--help")
	if code != 0 || !strings.Contains(out, "calltail -n [--query EXPR]") {
		t.Errorf("--help: exit %d, output %q", code, out)
	}
	_, a, _ := calltail(t, "", "--generate", "300", "--seed", "9")
	_, b, _ := calltail(t, "", "--generate", "300", "--seed", "9")
	_, c, _ := calltail(t, "", "--generate", "300", "--seed", "10")
	if strings.Count(a, "\n") != 300 || a != b || a == c {
		t.Errorf("--generate: %d lines; same seed same output: %v; other seed differs: %v", strings.Count(a, "\n"), a == b, a != c)
	}
}

// built is a calltail binary, built once per test run.
type built struct {
	once sync.Once
	path string
	err  error
}

var plainBinary, crashTestBinary built

// binary builds calltail once for the tests that run it as users do.
func binary(t *testing.T) string { return plainBinary.get(t) }

// get builds the binary with the build tags, once, and returns its path.
func (b *built) get(t *testing.T, tags ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "calltail-bin-")
		if err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(dir, "calltail")
		args := []string{"build", "-o", b.path}
		if len(tags) > 0 {
			args = append(args, "-tags", strings.Join(tags, ","))
		}
		if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// TestBinary runs the built calltail as users do: a pipe in, exit statuses out.
func TestBinary(t *testing.T) {
	bin := binary(t)
	gen := exec.Command(bin, "--generate", "2000", "--seed", "3")
	filter := exec.Command(bin, "-n", "--query", "level >= warning")
	pipe, _ := gen.StdoutPipe()
	filter.Stdin = pipe
	var out bytes.Buffer
	filter.Stdout = &out
	if err := filter.Start(); err != nil {
		t.Fatal(err)
	}
	if err := gen.Run(); err != nil {
		t.Fatal(err)
	}
	if err := filter.Wait(); err != nil {
		t.Fatalf("calltail -n from a pipe: %v", err)
	}
	if n := strings.Count(out.String(), "\n"); n == 0 || strings.Contains(out.String(), `Level="INFO"`) {
		t.Errorf("level >= warning printed %d lines, some INFO", n)
	}

	cmd := exec.Command(bin, "-n", "--query", "(", "testdata/quirks.log")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.HasPrefix(stderr.String(), "calltail: bad --query") {
		t.Errorf("bad query: %v, stderr %q; want exit status 2 and a message", err, stderr.String())
	}
}

func TestSnapshotMergedAndLabelled(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"conf01/var/log/support.log":   "2026-05-14 10:00:03,000 Level=\"INFO\" Name=\"support.sip\" Message=\"third\"\n",
		"conf01/var/log/support.log.1": "2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"support.sip\" Message=\"first\"\n",
		"conf02/var/log/support.log":   "2026-05-14 10:00:02,000 Level=\"INFO\" Name=\"support.sip\" Message=\"second\"\n",
	} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	code, out, errOut := calltail(t, "", "-n", "--json", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var e struct{ Node, Message string }
		json.Unmarshal([]byte(l), &e)
		got = append(got, e.Node+":"+e.Message)
	}
	if strings.Join(got, " ") != "conf01:first conf02:second conf01:third" {
		t.Errorf("got %v, want the three logs merged by time and labelled by node folder", got)
	}
}

// TestFollowBinary follows a file with the built binary, appends to it, interrupts it,
// and checks the exit status and the summary.
func TestFollowBinary(t *testing.T) {
	bin := binary(t)
	path := filepath.Join(t.TempDir(), "support.log")
	os.WriteFile(path, []byte("2026-05-14 10:00:01,000 Level=\"INFO\" Name=\"support.sip\" Message=\"one\"\n"), 0o644)
	cmd := exec.Command(bin, "-n", "-f", path)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	lines.Scan()
	f, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString("2026-05-14 10:00:02,000 Level=\"WARNING\" Name=\"support.sip\" Message=\"two\"\n")
	f.Close()
	if !lines.Scan() || !strings.Contains(lines.Text(), `Message="two"`) {
		t.Fatalf("the appended line was not printed: %q", lines.Text())
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if err != nil {
		t.Errorf("exit: %v, want status 0 after SIGINT; stderr %s", err, stderr.String())
	}
	if want := "calltail: 2 entries: 2 from " + path + "\n"; stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}

// TestSyslogBinary receives syslog with the built binary, then reopens its spool file.
func TestSyslogBinary(t *testing.T) {
	bin := binary(t)
	probe, _ := net.ListenPacket("udp", "127.0.0.1:0")
	addr := probe.LocalAddr().String()
	probe.Close()
	spool := filepath.Join(t.TempDir(), "state", "spool.log")
	cmd := exec.Command(bin, "-n", "--syslog", "udp://"+addr, "--spool", spool, "--query", "level >= warning")
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	errLines := bufio.NewScanner(stderr)
	if !errLines.Scan() || !strings.HasPrefix(errLines.Text(), "calltail: listening on udp://"+addr) {
		t.Fatalf("stderr: %q", errLines.Text())
	}
	c, _ := net.Dial("udp", addr)
	c.Write([]byte(`<134>1 2026-11-20T08:00:01.000Z conf01 pexip - - - 2026-11-20 08:00:01,000 Level="INFO" Name="support.sip" Message="info"`))
	c.Write([]byte(`<132>1 2026-11-20T08:00:02.000Z conf01 pexip - - - 2026-11-20 08:00:02,000 Level="WARNING" Name="support.sip" Message="warned"`))
	c.Close()
	out := bufio.NewScanner(stdout)
	if !out.Scan() || !strings.Contains(out.Text(), `Message="warned"`) {
		t.Fatalf("stdout: %q", out.Text())
	}
	cmd.Process.Signal(syscall.SIGTERM)
	errLines.Scan()
	if want := "calltail: 2 entries: 2 from udp://" + addr; errLines.Text() != want {
		t.Errorf("summary %q, want %q", errLines.Text(), want)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v, want status 0 after SIGTERM", err)
	}
	code, reopened, _ := calltail(t, "", "-n", "--json", spool)
	if code != 0 || strings.Count(reopened, "\n") != 2 || !strings.Contains(reopened, `"node":"conf01"`) {
		t.Errorf("reopening the spool: exit %d, %q", code, reopened)
	}
}

// TestCallsHeadless lists the calls of a simulated log and prints one, as text and JSON.
func TestCallsHeadless(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	f, _ := os.Create(path)
	run(t.Context(), []string{"--generate", "3000", "--seed", "4"}, nil, f, os.Stderr)
	f.Close()
	code, table, errOut := calltail(t, "", "--calls", path)
	if code != 0 || errOut != "" || !strings.HasPrefix(table, "#  ") || strings.Count(table, "\n") < 100 {
		t.Fatalf("--calls: exit %d, stderr %q, %d lines", code, errOut, strings.Count(table, "\n"))
	}
	_, js, _ := calltail(t, "", "--calls", "--json", path)
	var sipCall struct {
		CallIDs  []string `json:"call_ids"`
		Protocol string
		State    string
		Streams  []struct{ Kind string }
	}
	for _, l := range strings.Split(strings.TrimSpace(js), "\n") {
		json.Unmarshal([]byte(l), &sipCall)
		if sipCall.Protocol == "SIP" && sipCall.State == "ended" && len(sipCall.Streams) > 0 {
			break
		}
	}
	if len(sipCall.CallIDs) == 0 {
		t.Fatal("no ended SIP call with streams in the JSON")
	}
	code, one, _ := calltail(t, "", "--call", sipCall.CallIDs[0], path)
	for _, want := range []string{"Call-ID:", "Signalling (", "INVITE + SDP", "200 OK (1 INVITE)", "BYE", "Media", sipCall.Streams[0].Kind} {
		if code != 0 || !strings.Contains(one, want) {
			t.Errorf("--call %s: exit %d, no %q in:\n%s", sipCall.CallIDs[0], code, want, one)
		}
	}
	code, _, errOut = calltail(t, "", "--call", "no-such-call@nowhere", path)
	if code != 1 || !strings.Contains(errOut, `no call carries "no-such-call@nowhere"`) {
		t.Errorf("unknown call: exit %d, stderr %q; want status 1 and a message", code, errOut)
	}
}

// TestHeadlessYearFromTheFilesTime: -n dates a year-less syslog time stamp by when its
// file was last written, as the UI and the reports do (session.TestYearFromTheFilesTime).
func TestHeadlessYearFromTheFilesTime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "syslog")
	os.WriteFile(path, []byte("Dec 31 23:59:58 proxy1 kamailio[58605]: NOTICE: <script>: the old year\n"+
		"Feb 28 10:00:00 proxy1 kamailio[58605]: NOTICE: <script>: the file's year\n"), 0o644)
	written := time.Date(2021, 3, 1, 12, 0, 0, 0, time.UTC)
	os.Chtimes(path, written, written)
	code, out, errOut := calltail(t, "", "-n", "--json", path)
	for _, want := range []string{`"time":"2020-12-31T23:59:58.000Z"`, `"time":"2021-02-28T10:00:00.000Z"`} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("exit %d (%s), no %s in:\n%s", code, errOut, want, out)
		}
	}
}
