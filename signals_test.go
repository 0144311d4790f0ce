//go:build linux

package main

// How calltail ends on signals: the built binary in a real terminal (tmux), reading a file
// that grows at about 20 000 lines a second, signalled as a user, a service manager, a
// dropped SSH session or the OOM killer would signal it (issues 15 and 17). Linux only:
// the processes are found in /proc.

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// exitWithin is how soon both of calltail's processes must be gone after a signal.
const exitWithin = 2 * time.Second

// growRate is the ingest rate of the hang: lines a second.
const growRate = 20_000

// signalRuns is how many times each signal is sent to each process: the hang showed in
// 5 runs of 9. CALLTAIL_SIGNAL_RUNS asks for more.
func signalRuns() int {
	if n, err := strconv.Atoi(os.Getenv("CALLTAIL_SIGNAL_RUNS")); err == nil && n > 0 {
		return n
	}
	return 3
}

// TestSignalsEndEveryRun sends SIGINT, SIGTERM, SIGHUP and SIGKILL to the supervisor and
// to the child while the UI ingests a growing file: every run must end within exitWithin
// and leave the terminal as it was — restored by the child, or by the supervisor when the
// child is killed outright, or by the child alone when the supervisor is.
func TestSignalsEndEveryRun(t *testing.T) {
	bin := binary(t)
	lines := simulatedLines(t, growRate)
	var table []string
	for _, target := range []string{"supervisor", "child"} {
		for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGKILL} {
			name := unix.SignalName(sig) + " to the " + target
			t.Run(name, func(t *testing.T) {
				var slowest time.Duration
				saneRuns := 0
				for i := range signalRuns() {
					took, fault := signalRun(t, bin, lines, target, sig)
					t.Logf("run %d: ended after %v; terminal: %s", i+1, took.Round(time.Millisecond), orSane(fault))
					if took > exitWithin {
						t.Errorf("run %d: calltail took %v to end after %s", i+1, took.Round(time.Millisecond), name)
					}
					switch {
					case fault == "":
						saneRuns++
					case raceWithTheShell(target, sig):
						t.Logf("run %d: after %s the terminal is left with %s (the known race with the shell)", i+1, name, fault)
					default:
						t.Errorf("run %d: after %s the terminal is left with %s", i+1, name, fault)
					}
					slowest = max(slowest, took)
				}
				if raceWithTheShell(target, sig) && saneRuns < signalRuns()-1 {
					t.Errorf("after %s the terminal is sane in %d runs of %d", name, saneRuns, signalRuns())
				}
				table = append(table, fmt.Sprintf("%-26s slowest exit %6v  terminal sane %d/%d",
					name, slowest.Round(time.Millisecond), saneRuns, signalRuns()))
			})
		}
	}
	t.Log("\n" + strings.Join(table, "\n"))
}

// raceWithTheShell reports whether a run races the shell for the terminal: when the
// supervisor is killed outright, the shell takes the terminal back at once while the child,
// told by the kernel, restores it from the background a moment later. About one run in
// ten (one in eight measured here, also before the session that noted it) is left in raw
// mode; the test allows one such run in its three, and says so (the session notes have it).
func raceWithTheShell(target string, sig syscall.Signal) bool {
	return target == "supervisor" && sig == syscall.SIGKILL
}

func orSane(fault string) string {
	if fault == "" {
		return "sane"
	}
	return fault
}

// signalRun runs calltail in a new terminal on a file growing at growRate, sends sig to
// the target process a moment after the UI shows, and returns how long calltail took to
// end — both processes — and what it left wrong in the terminal ("" for nothing). A run
// that does not end within 5 s is killed, and returns the time it had run.
func signalRun(t *testing.T, bin string, lines [][]byte, target string, sig syscall.Signal) (time.Duration, string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "support.log")
	stop := grow(path, lines, growRate)
	defer stop()
	x := newTmux(t)
	defer x.close()
	x.keys(fmt.Sprintf("TMPDIR=%s XDG_STATE_HOME=%s %s %s; echo EXITED=$?", dir, dir, bin, path), "Enter")
	x.waitFor("the UI", func(s string) bool { return strings.Contains(s, "Support log (") })
	time.Sleep(700 * time.Millisecond) // ingesting
	supervisor, child := x.calltailPIDs()
	pid := supervisor
	if target == "child" {
		pid = child
	}
	start := time.Now()
	if err := syscall.Kill(pid, sig); err != nil {
		t.Fatalf("kill %d: %v", pid, err)
	}
	took := waitGone(5*time.Second, supervisor, child)
	if took < 0 {
		took = time.Since(start)
		for _, p := range []int{supervisor, child} {
			syscall.Kill(p, syscall.SIGKILL)
		}
		waitGone(5*time.Second, supervisor, child)
	}
	time.Sleep(100 * time.Millisecond) // the shell's prompt
	return took, x.terminalFault()
}

// simulatedLines returns n lines of a simulated deployment's support log.
func simulatedLines(t *testing.T, n int) [][]byte {
	t.Helper()
	var b strings.Builder
	if code := run(t.Context(), []string{"--generate", strconv.Itoa(n), "--seed", "5"}, nil, &b, os.Stderr); code != 0 {
		t.Fatal("generate failed")
	}
	var lines [][]byte
	for l := range strings.Lines(b.String()) {
		lines = append(lines, []byte(l))
	}
	return lines
}

// grow appends lines to path, over and over, at rate lines a second (a batch every 10 ms),
// until stop is called.
func grow(path string, lines [][]byte, rate int) (stop func()) {
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		defer f.Close()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		next := 0
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			var batch []byte
			for range rate / 100 {
				batch = append(batch, lines[next]...)
				next = (next + 1) % len(lines)
			}
			f.Write(batch)
		}
	})
	return func() { cancel(); wg.Wait() }
}

// close ends the session (its cleanup would too, at the end of the test).
func (x *tmux) close() { exec.Command("tmux", "kill-session", "-t", x.session).Run() }

// pane returns a tmux format expanded for the pane, e.g. #{pane_pid}.
func (x *tmux) pane(format string) string {
	return strings.TrimSpace(x.run("display-message", "-p", "-t", x.session, format))
}

// calltailPIDs returns the processes of the calltail started from the pane's shell: the
// supervisor and its child.
func (x *tmux) calltailPIDs() (supervisor, child int) {
	x.t.Helper()
	shell, _ := strconv.Atoi(x.pane("#{pane_pid}"))
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if s := childrenOf(shell); len(s) == 1 {
			if c := childrenOf(s[0]); len(c) == 1 {
				return s[0], c[0]
			}
		}
	}
	x.t.Fatalf("no supervisor and child under the shell %d", shell)
	return 0, 0
}

// childrenOf returns the children of a process: those of any of its threads.
func childrenOf(pid int) []int {
	var children []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, task := range tasks {
		b, _ := os.ReadFile(task)
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				children = append(children, n)
			}
		}
	}
	return children
}

// gone reports whether a process has ended (a zombie has).
func gone(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	return err != nil || strings.Contains(string(b), ") Z ")
}

// waitGone waits for the processes to end and returns how long that took, or -1 if they
// had not within limit.
func waitGone(limit time.Duration, pids ...int) time.Duration {
	start := time.Now()
	for time.Since(start) < limit {
		if !slices.ContainsFunc(pids, func(p int) bool { return !gone(p) }) {
			return time.Since(start)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return -1
}

// terminalFault says what a full-screen program left behind in the pane's terminal: modes
// of the line discipline turned off, the alternate screen, a hidden cursor, mouse
// reporting. It returns "" when the terminal is as a shell expects it.
func (x *tmux) terminalFault() string {
	x.t.Helper()
	var faults []string
	out, err := exec.Command("stty", "-F", x.pane("#{pane_tty}"), "-a").CombinedOutput()
	if err != nil {
		x.t.Fatalf("stty: %v\n%s", err, out)
	}
	fields := strings.Fields(string(out))
	for _, mode := range []string{"icanon", "echo", "isig", "icrnl", "opost"} {
		if !slices.Contains(fields, mode) {
			faults = append(faults, "-"+mode)
		}
	}
	flags := strings.Fields(x.pane("#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_button_flag} #{mouse_standard_flag}"))
	for i, want := range []string{"0", "1", "0", "0", "0"} {
		if flags[i] != want {
			faults = append(faults, []string{"alternate screen on", "cursor hidden", "mouse reporting", "mouse reporting", "mouse reporting"}[i])
		}
	}
	return strings.Join(slices.Compact(faults), ", ")
}

// TestKilledChildRestoresTheTerminal kills the child outright, as the OOM killer does,
// while it shows a snapshot: the supervisor must restore the terminal, say what happened,
// and leave nothing of the unpacked snapshot behind.
func TestKilledChildRestoresTheTerminal(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o700)
	snapshot := filepath.Join(dir, "snapshot.tar.gz")
	writeSnapshot(t, snapshot, map[string][]byte{"conf01/var/log/support.log": joined(simulatedLines(t, 2000))})
	x := newTmux(t)
	x.keys(fmt.Sprintf("TMPDIR=%s XDG_STATE_HOME=%s %s %s; echo EXITED=$?", tmp, dir, bin, snapshot), "Enter")
	x.waitFor("the UI", func(s string) bool { return strings.Contains(s, "Support log (") })
	if unpacked, _ := filepath.Glob(filepath.Join(tmp, "calltail-snapshot-*")); len(unpacked) != 1 {
		t.Fatalf("the snapshot is not unpacked in TMPDIR: %v", unpacked)
	}
	_, child := x.calltailPIDs()
	syscall.Kill(child, syscall.SIGKILL)
	s := x.waitFor("the exit", regexp.MustCompile(`EXITED=[0-9]`).MatchString)
	if !strings.Contains(s, "calltail was killed (SIGKILL)") || !strings.Contains(s, "EXITED=137") || strings.Contains(s, "Support log") {
		t.Errorf("after SIGKILL of the child the screen shows:\n%s", s)
	}
	x.keys("stty -a | tr ' ' '\\n' | grep -x -e -icanon -e -echo -e icanon -e echo", "Enter")
	s = x.waitFor("stty", func(s string) bool { return strings.Contains(s, "\nicanon") || strings.Contains(s, "-icanon") })
	if !strings.Contains(s, "\nicanon") || !strings.Contains(s, "\necho") {
		t.Errorf("the terminal was left without line editing or echo:\n%s", s)
	}
	if on := x.pane("#{alternate_on}"); on != "0" {
		t.Errorf("the terminal was left on the alternate screen")
	}
	if fault := x.terminalFault(); fault != "" {
		t.Errorf("the terminal was left with %s", fault)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("left in TMPDIR: %v", left)
	}
}

// TestHangupRemovesTempDirs ends the demo, and a snapshot's UI, with SIGHUP sent to the
// supervisor as when an SSH session drops, and by closing their terminal (the tmux session
// killed): the demo's and the unpacked snapshot's temporary directories must go, and in
// the first case the terminal be as it was.
func TestHangupRemovesTempDirs(t *testing.T) {
	bin := binary(t)
	snapshot := filepath.Join(t.TempDir(), "snapshot.tar.gz")
	writeSnapshot(t, snapshot, map[string][]byte{"conf01/var/log/support.log": joined(simulatedLines(t, 2000))})
	for _, input := range []string{"--demo", snapshot} {
		for _, how := range []string{"SIGHUP to the supervisor", "the terminal closed"} {
			t.Run(strings.TrimPrefix(filepath.Base(input), "--")+", "+how, func(t *testing.T) {
				tmp := t.TempDir()
				x := newTmux(t)
				x.keys(fmt.Sprintf("TMPDIR=%s XDG_STATE_HOME=%s %s %s; echo EXITED=$?", tmp, tmp, bin, input), "Enter")
				x.waitFor("the UI", func(s string) bool { return strings.Contains(s, "Support log (") })
				if made, _ := filepath.Glob(filepath.Join(tmp, "calltail-*")); len(made) != 1 {
					t.Fatalf("no temporary directory in TMPDIR: %v", made)
				}
				supervisor, child := x.calltailPIDs()
				if how == "the terminal closed" {
					x.close()
				} else {
					syscall.Kill(supervisor, syscall.SIGHUP)
				}
				took := waitGone(5*time.Second, supervisor, child)
				if took < 0 || took > exitWithin {
					t.Errorf("calltail took %v to end (-1: more than 5 s)", took)
				}
				if how != "the terminal closed" {
					time.Sleep(100 * time.Millisecond)
					if fault := x.terminalFault(); fault != "" {
						t.Errorf("the terminal was left with %s", fault)
					}
				}
				if left, _ := filepath.Glob(filepath.Join(tmp, "calltail-*")); len(left) > 0 {
					t.Errorf("left in TMPDIR: %v", left)
				}
			})
		}
	}
}

// TestStartSweepsTempDirs starts calltail with temporary directories left by runs that
// ended without removing them (both processes killed outright) and one of a run still
// going: the first are removed, the last kept.
func TestStartSweepsTempDirs(t *testing.T) {
	bin := binary(t)
	tmp := t.TempDir()
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	dead, alive := ended.Process.Pid, os.Getpid()
	leftovers := []string{fmt.Sprintf("calltail-demo-%d-123", dead), fmt.Sprintf("calltail-snapshot-%d-456", dead)}
	kept := []string{fmt.Sprintf("calltail-snapshot-%d-789", alive), "calltail-bin-1", "other-12"}
	for _, d := range append(leftovers, kept...) {
		os.MkdirAll(filepath.Join(tmp, d, "conf01"), 0o700)
		os.WriteFile(filepath.Join(tmp, d, "conf01", "support.log"), []byte("a log line\n"), 0o600)
	}
	cmd := exec.Command(bin, "--generate", "1")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "XDG_STATE_HOME="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, d := range leftovers {
		if _, err := os.Stat(filepath.Join(tmp, d)); err == nil {
			t.Errorf("%s, of a run that ended, is still there", d)
		}
	}
	for _, d := range kept {
		if _, err := os.Stat(filepath.Join(tmp, d)); err != nil {
			t.Errorf("%s was removed", d)
		}
	}
}

// writeSnapshot writes a .tar.gz diagnostic snapshot holding files.
func writeSnapshot(t *testing.T, path string, files map[string][]byte) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for name, b := range files {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(b)), Typeflag: tar.TypeReg})
		tw.Write(b)
	}
	tw.Close()
	zw.Close()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func joined(lines [][]byte) []byte { return slices.Concat(lines...) }

// TestBrokenPipeIsQuiet reads one line of calltail -n and stops reading, as head does:
// calltail ends on SIGPIPE, and says nothing.
func TestBrokenPipeIsQuiet(t *testing.T) {
	bin := binary(t)
	path := filepath.Join(t.TempDir(), "support.log")
	os.WriteFile(path, joined(simulatedLines(t, 20000)), 0o600)
	cmd := exec.Command(bin, "-n", path)
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdout.Read(make([]byte, 100))
	stdout.Close()
	cmd.Wait()
	if code := shellStatus(cmd.ProcessState); code != 128+int(syscall.SIGPIPE) || stderr.Len() > 0 {
		t.Errorf("exit status %d, stderr %q: want 141 and nothing said", code, stderr.String())
	}
}

// shellStatus is a process's exit status as a shell reports it: 128+N for signal N.
func shellStatus(ps *os.ProcessState) int {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// TestHeadlessIsOneProcess: only the UI, which changes the terminal's modes, runs under a
// supervisor; a headless run is one process (half the start-up), and still ends on SIGTERM.
func TestHeadlessIsOneProcess(t *testing.T) {
	bin := binary(t)
	path := filepath.Join(t.TempDir(), "support.log")
	os.WriteFile(path, joined(simulatedLines(t, 10)), 0o600)
	cmd := exec.Command(bin, "-n", "-f", path)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	if _, err := stdout.Read(make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	if children := childrenOf(cmd.Process.Pid); len(children) > 0 {
		t.Errorf("calltail -n -f runs %d more processes: %v", len(children), children)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	go io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM, following ends with %v; want exit status 0", err)
	}
}
