package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tmux drives the built binary in a real terminal: a tmux session of a fixed size.
type tmux struct {
	t       *testing.T
	session string
}

// tmuxSessions numbers the sessions, for tests that run several.
var tmuxSessions atomic.Int64

func newTmux(t *testing.T) *tmux {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CALLTAIL_CI") != "" {
			t.Fatal("tmux is not installed; .ci/run installs it")
		}
		t.Skip("tmux is not installed")
	}
	x := &tmux{t: t, session: fmt.Sprintf("calltail-test-%d-%d", os.Getpid(), tmuxSessions.Add(1))}
	for try := 0; ; try++ { // a server that the last session's end is stopping refuses it
		out, err := exec.Command("tmux", "new-session", "-d", "-s", x.session, "-x", "160", "-y", "40", "env", "PS1=$ ", "TERM=xterm-256color", "sh").CombinedOutput()
		if err == nil {
			break
		}
		if try == 10 || !strings.Contains(string(out), "server exited unexpectedly") {
			t.Fatalf("tmux new-session: %v\n%s", err, out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Cleanup(func() { exec.Command("tmux", "kill-session", "-t", x.session).Run() })
	return x
}

func (x *tmux) run(args ...string) string {
	x.t.Helper()
	out, err := exec.Command("tmux", args...).CombinedOutput()
	if err != nil {
		x.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// keys sends keys as tmux names them ("Enter", "Escape") or as literal text.
func (x *tmux) keys(keys ...string) {
	for _, k := range keys {
		switch k {
		case "Enter", "Escape", "Tab", "BTab", "Up", "Down", "End":
			x.run("send-keys", "-t", x.session, k)
		default:
			x.run("send-keys", "-t", x.session, "-l", k)
		}
		time.Sleep(80 * time.Millisecond) // a lone Escape must not merge with the next key
	}
}

// screen returns what the pane shows; styled keeps the escape sequences.
func (x *tmux) screen(styled bool) string {
	args := []string{"capture-pane", "-p", "-t", x.session}
	if styled {
		args = append(args, "-e")
	}
	return x.run(args...)
}

func (x *tmux) waitFor(what string, cond func(string) bool) string {
	x.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s := x.screen(false)
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			x.t.Fatalf("timed out waiting for %s; screen:\n%s", what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lineStyle returns the escape sequences that start the first screen line holding text.
func lineStyle(styled, text string) string {
	for _, l := range strings.Split(styled, "\n") {
		if strings.Contains(l, text) {
			return regexp.MustCompile(`^(\x1b\[[0-9;]*m)*`).FindString(l)
		}
	}
	return ""
}

// startUI runs the built binary in tmux on 2 000 simulated lines, with flags, and waits
// for the support log; the shell prints EXITED=status when calltail ends.
func startUI(t *testing.T, flags ...string) (x *tmux, path string) {
	t.Helper()
	bin := binary(t)
	path = filepath.Join(t.TempDir(), "support.log")
	f, _ := os.Create(path)
	code := run(t.Context(), []string{"--generate", "2000", "--seed", "3"}, nil, f, os.Stderr)
	f.Close()
	if code != 0 {
		t.Fatal("generate failed")
	}
	x = newTmux(t)
	x.keys(strings.Join(append(append([]string{bin}, flags...), path), " ")+"; echo EXITED=$?", "Enter")
	x.waitFor("the support log", func(s string) bool { return strings.Contains(s, "Support log (2,000)") })
	return x, path
}

// TestUIInTmux runs calltail as a user does, in a terminal, and checks what the screen shows.
func TestUIInTmux(t *testing.T) {
	x, path := startUI(t)

	// Both tabs, switched with tab.
	s := x.screen(false)
	if !strings.Contains(s, "Admin log (") || !strings.Contains(s, " following") {
		t.Errorf("no admin tab or not following:\n%s", s)
	}
	x.keys("Tab")
	x.waitFor("the admin pane", func(s string) bool { return !strings.Contains(s, "support.sip") })
	x.keys("BTab")

	// WARNING and ERROR rows look different from INFO rows.
	info := lineStyle(x.screen(true), " INFO ")
	x.keys("3")
	x.waitFor("warnings and errors", func(s string) bool { return strings.Contains(s, " WARN ") && strings.Contains(s, " ERROR ") })
	styled := x.screen(true)
	warn, errStyle := lineStyle(styled, " WARN "), lineStyle(styled, " ERROR ")
	if info == warn || info == errStyle || warn == errStyle || warn == "" || errStyle == "" {
		t.Errorf("row styles: INFO %q, WARNING %q, ERROR %q: want three different", info, warn, errStyle)
	}
	x.keys("1")

	// Search: matches highlighted, n moves to the next one.
	x.keys("/", "alice", "Enter")
	x.waitFor("matches", func(s string) bool {
		return regexp.MustCompile(`/alice (match [0-9,]+ of [0-9,]+|[0-9,]+ matches)`).MatchString(s)
	})
	styled = x.screen(true)
	if !regexp.MustCompile(`\x1b\[[0-9;]*m(?i:alice)`).MatchString(styled) {
		t.Errorf("alice is not highlighted:\n%s", styled)
	}
	first := selectedLine(x)
	x.keys("n")
	if second := selectedLine(x); second == first || first == "" {
		t.Errorf("n did not move to the next match: from %q to %q", first, second)
	}
	x.keys("Escape")

	// A filter expression.
	x.keys("&", `module ^= "administrator."`, "Enter")
	s = x.waitFor("the filter", func(s string) bool { return strings.Contains(s, `filter: module ^= "administrator."`) })
	for _, l := range strings.Split(s, "\n")[1:30] {
		if l != "" && !strings.Contains(l, " administrator.") {
			t.Errorf("a row outside the filter: %q", l)
		}
	}
	x.keys("Escape")

	// Follow mode picks up appended lines.
	x.keys("End")
	af, _ := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	af.WriteString("2026-05-14 23:59:59,000 Level=\"ERROR\" Name=\"support.sip\" Message=\"appended while following\"\n")
	af.Close()
	x.waitFor("the appended line", func(s string) bool { return strings.Contains(s, "appended while following") })

	// The calls list, a call, its ladder.
	x.keys("c")
	x.waitFor("the calls list", func(s string) bool {
		return strings.Contains(s, "PARTICIPANT") && strings.Contains(s, "CONFERENCE") && !strings.Contains(s, "reading the calls")
	})
	x.keys("/", "SIP", "Enter")
	x.keys("Enter")
	x.waitFor("a call", func(s string) bool { return strings.Contains(s, "Timeline") && strings.Contains(s, "Call-ID") })
	x.keys("Tab")
	x.waitFor("its ladder", func(s string) bool { return strings.Contains(s, "INVITE") && strings.Contains(s, "(remote)") })
	x.keys("Escape")
	x.waitFor("the calls list again", func(s string) bool { return strings.Contains(s, "PARTICIPANT") })
	x.keys("Escape")

	// Help.
	x.keys("?")
	x.waitFor("the help", func(s string) bool { return strings.Contains(s, "calltail — keys") })
	x.keys("x")

	// q quits and leaves the terminal as it was: the shell, not the UI.
	x.keys("q")
	s = x.waitFor("the exit", func(s string) bool { return strings.Contains(s, "EXITED=0") })
	if strings.Contains(s, "Support log") {
		t.Errorf("the UI is still on the screen after quitting:\n%s", s)
	}
}

// selectedLine returns the line drawn with the selection's background.
func selectedLine(x *tmux) string {
	time.Sleep(150 * time.Millisecond)
	for _, l := range strings.Split(x.screen(true), "\n") {
		if strings.Contains(l, "48;5;237m") || strings.Contains(l, "48;2;58;58;58m") {
			return regexp.MustCompile(`\x1b\[[0-9;]*m`).ReplaceAllString(l, "")
		}
	}
	return ""
}

// TestCrashRestoresTheTerminal runs a build whose background goroutine panics once the UI
// is up (crashtest.go), and expects the terminal back as it was, the exit status 2, and an
// incident report in the state directory that leaves the log's text out.
func TestCrashRestoresTheTerminal(t *testing.T) {
	bin := crashTestBinary.get(t, "crashtest")
	dir := t.TempDir()
	path := filepath.Join(dir, "support.log")
	const secret = "hunter2-in-a-log-line"
	os.WriteFile(path, []byte(`2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Participant="`+secret+`"`+"\n"), 0o600)
	state := filepath.Join(dir, "state")
	x := newTmux(t)
	x.keys("XDG_STATE_HOME="+state+" "+bin+" "+path+"; echo EXITED=$?", "Enter")
	x.waitFor("the UI", func(s string) bool { return strings.Contains(s, "Admin log") })
	exited := regexp.MustCompile(`EXITED=[0-9]`) // not the command line's "EXITED=$?"
	s := x.waitFor("the crash", exited.MatchString)
	if !strings.Contains(s, "EXITED=2") || !strings.Contains(s, "calltail crashed") || strings.Contains(s, "Admin log") {
		t.Fatalf("after the crash the screen shows:\n%s", s)
	}
	x.keys("stty -a | tr ' ' '\\n' | grep -x -e -icanon -e -echo -e icanon -e echo", "Enter")
	s = x.waitFor("stty", func(s string) bool { return strings.Contains(s, "\nicanon") || strings.Contains(s, "-icanon") })
	if !strings.Contains(s, "\nicanon") || !strings.Contains(s, "\necho") {
		t.Errorf("the terminal was left without line editing or echo:\n%s", s)
	}
	reports, _ := filepath.Glob(filepath.Join(state, "calltail", "incident-*.txt"))
	if len(reports) != 1 {
		t.Fatalf("incident reports: %v", reports)
	}
	if !strings.Contains(s, reports[0]) && !strings.Contains(strings.ReplaceAll(s, "\n", ""), reports[0]) {
		t.Errorf("the report's path %s is not on the screen:\n%s", reports[0], s)
	}
	report, _ := os.ReadFile(reports[0])
	for _, want := range []string{"calltail incident report", "go:      go1.", "goroutine ", "main.init"} {
		if !strings.Contains(string(report), want) {
			t.Errorf("the report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(string(report), secret) || strings.Contains(string(report), "Participant") {
		t.Errorf("the report holds log content:\n%s", report)
	}
}

// TestCallViewRoundTrip goes from a call to one of its entries, from there to the entry's
// call, moves to another tab and goes back: each esc returns to the view below — the
// first call, then the calls list, then the logs — and calltail keeps running. (The UI
// used to crash here, going back to a call view it had already closed.)
func TestCallViewRoundTrip(t *testing.T) {
	x, _ := startUI(t, "--no-follow")
	x.keys("c")
	x.waitFor("the calls list", func(s string) bool {
		return strings.Contains(s, "PARTICIPANT") && !strings.Contains(s, "reading the calls")
	})
	x.keys("Enter")
	first := x.waitFor("a call", func(s string) bool { return strings.Contains(s, "Timeline") && strings.Contains(s, "Call-ID") })
	title := regexp.MustCompile(`Call [0-9]+ — [^\n]*`).FindString(first)
	x.keys("Enter")
	x.waitFor("an entry of the call", func(s string) bool { return strings.Contains(s, "entry details") })
	x.keys("o")
	x.waitFor("the entry's call", func(s string) bool { return strings.Contains(s, "call — ") && strings.Contains(s, "Timeline") })
	x.keys("Tab", "Escape")
	back := x.waitFor("the first call again", func(s string) bool { return strings.Contains(s, title) || strings.Contains(s, "EXITED") })
	if strings.Contains(back, "EXITED") || !strings.Contains(back, "call — ") {
		t.Fatalf("esc from the entry's call did not return to the first call (%s):\n%s", title, back)
	}
	x.keys("Escape")
	x.waitFor("the calls list again", func(s string) bool { return strings.Contains(s, "calls — ") || strings.Contains(s, "EXITED") })
	x.keys("Escape")
	x.waitFor("the logs again", func(s string) bool {
		return strings.Contains(s, "Support log (2,000)") && !strings.Contains(s, "calls — ")
	})
	x.keys("q")
	if s := x.waitFor("the exit", func(s string) bool { return regexp.MustCompile(`EXITED=[0-9]`).MatchString(s) }); !strings.Contains(s, "EXITED=0") {
		t.Errorf("calltail did not quit cleanly:\n%s", s)
	}
}
