// Package crash keeps a crash from leaving the terminal broken or unexplained. calltail's
// UI runs itself again as a child process whose crash output (debug.SetCrashOutput) comes
// back to the parent through a pipe; when the child dies of a panic or a fatal runtime
// error — on any goroutine, which recover could not catch — the parent restores the
// terminal first, then writes an incident report to the state directory and prints its
// path. Like the vendor's own incident reports, the report holds no log content: the
// time, the version, the OS and Go version, and the goroutine stacks.
package crash

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/charmbracelet/x/term"
)

// childEnv marks the supervised child.
const childEnv = "CALLTAIL_SUPERVISED"

// crashFD is the child's descriptor for its crash output: the first of exec's ExtraFiles.
const crashFD = 3

// maxCrashOutput bounds what the parent keeps of the crash output.
const maxCrashOutput = 8 << 20

// Child reports whether this process is a supervised child; if it is, its crash output
// goes to the parent from now on.
func Child() bool {
	if os.Getenv(childEnv) == "" {
		return false
	}
	debug.SetTraceback("all") // every goroutine's stack, not only the one that panicked
	if f := os.NewFile(crashFD, "crash output"); f != nil {
		debug.SetCrashOutput(f, debug.CrashOptions{})
		f.Close() // SetCrashOutput keeps its own descriptor
	}
	return true
}

// stopWithin is how long the child has to end after a signal passed on before it is
// killed: no signal may leave calltail running, whatever state it is in.
const stopWithin = 1500 * time.Millisecond

// NotifyContext returns a context cancelled at the first SIGINT, SIGTERM or SIGHUP: the
// child's one handler of signals, on which every mode ends. Its SIGTERM may be the
// kernel's, sent as the parent died (childAttr); the shell has then taken the terminal
// back, and the child, alone in the background, is let restore it.
func NotifyContext() (context.Context, context.CancelFunc) {
	parent := os.Getppid()
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		select {
		case <-signals:
			if os.Getppid() != parent {
				orphaned()
			}
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(signals); cancel() }
}

// Supervise runs this program again, with the same arguments and standard streams, and
// waits for it. If it crashed, Supervise restores the terminal, writes an incident report
// to dir and says so on stderr; if a signal ended it (the OOM killer's SIGKILL, say), it
// restores the terminal and says which. Then cleanup, if not nil, is given the child's
// pid, to remove what it may have left behind. Supervise returns the exit status to leave
// with.
func Supervise(dir string, stderr io.Writer, cleanup func(child int)) int {
	// The child is started from this thread, and on Linux it is stopped when the thread
	// that started it ends: keep the thread for as long as the child runs.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "calltail: cannot find its own program to run: %v\n", err)
		return 2
	}
	crashR, crashW, err := os.Pipe()
	if err != nil {
		fmt.Fprintf(stderr, "calltail: %v\n", err)
		return 2
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.ExtraFiles = []*os.File{crashW}
	cmd.SysProcAttr = childAttr()
	saved := saveTerminal()

	// Signals sent to the parent are passed on. (A ^C typed in a terminal reaches both;
	// the child stops at the first, whichever it is.) A child that has not ended
	// stopWithin after the first is killed.
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)

	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "calltail: %v\n", err)
		return 2
	}
	crashW.Close()
	output := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(crashR, maxCrashOutput))
		io.Copy(io.Discard, crashR)
		output <- b
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var given os.Signal // the first signal passed on
	var deadline <-chan time.Time
	forced := false // the child was killed for not ending on it
	for waiting := true; waiting; {
		select {
		case s := <-signals:
			cmd.Process.Signal(s)
			if given == nil {
				given, deadline = s, time.After(stopWithin)
			}
		case <-deadline:
			forced = cmd.Process.Kill() == nil
		case <-done:
			waiting = false
		}
	}
	crashed := <-output
	status := exitStatus(cmd.ProcessState)
	if cleanup != nil {
		defer cleanup(cmd.Process.Pid)
	}
	if len(crashed) == 0 {
		// (SIGPIPE ends a child writing to a reader that stopped, | head: as quietly.)
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() != syscall.SIGPIPE {
			saved.restore()
			fmt.Fprintln(stderr, endedBy(ws.Signal(), given, forced))
		}
		return status
	}
	saved.restore()
	path, err := writeReport(dir, time.Now(), status, crashed)
	if err != nil {
		fmt.Fprintf(stderr, "calltail crashed, and its incident report could not be written: %v\n", err)
		return status
	}
	fmt.Fprintf(stderr, "calltail crashed. The incident report (no log content) is in %s\n"+
		"Please send it to the calltail developers.\n", path)
	return status
}

// endedBy says in a line what ended the child: sig, which it died of, after the signal
// given to it, if any, and killed by Supervise if forced.
func endedBy(sig syscall.Signal, given os.Signal, forced bool) string {
	switch {
	case forced:
		return fmt.Sprintf("calltail did not end within %v of %s, and was killed", stopWithin, signalName(given))
	case sig == syscall.SIGKILL:
		return "calltail was killed (SIGKILL) — out of memory? (see dmesg)"
	}
	return "calltail was ended by " + signalName(sig)
}

// signalNames are the names of the signals that end a process from outside.
var signalNames = map[os.Signal]string{syscall.SIGHUP: "SIGHUP", syscall.SIGINT: "SIGINT",
	syscall.SIGQUIT: "SIGQUIT", syscall.SIGABRT: "SIGABRT", syscall.SIGKILL: "SIGKILL",
	syscall.SIGSEGV: "SIGSEGV", syscall.SIGBUS: "SIGBUS", syscall.SIGTERM: "SIGTERM"}

func signalName(sig os.Signal) string {
	if name, ok := signalNames[sig]; ok {
		return name
	}
	return fmt.Sprintf("signal %v", sig)
}

// exitStatus is the status the child left with, as a shell would report it.
func exitStatus(ps *os.ProcessState) int {
	if ps == nil {
		return 2
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ps.ExitCode()
}

// terminalState is the terminal as it was before the child started.
type terminalState struct {
	state *term.State
}

func saveTerminal() terminalState {
	fd := os.Stdin.Fd()
	if !term.IsTerminal(fd) {
		return terminalState{}
	}
	state, err := term.GetState(fd)
	if err != nil {
		return terminalState{}
	}
	return terminalState{state}
}

// resetModes leaves the alternate screen and turns off what a full-screen program turns
// on: hidden cursor, mouse reporting, bracketed paste, focus events, the kitty keyboard
// protocol, colours.
const resetModes = "\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l" +
	"\x1b[?2004l\x1b[?1004l\x1b[<u\x1b[0m\r\n"

// restore puts the terminal back as it was.
func (t terminalState) restore() {
	if t.state == nil {
		return
	}
	term.Restore(os.Stdin.Fd(), t.state)
	if term.IsTerminal(os.Stdout.Fd()) {
		os.Stdout.WriteString(resetModes)
	}
}

// writeReport writes an incident report of the crash output to dir and returns its path.
func writeReport(dir string, now time.Time, status int, crashOutput []byte) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "incident-"+now.UTC().Format("20060102-150405")+".txt")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "calltail incident report\n\ntime:    %s\nversion: %s\nos:      %s/%s\ngo:      %s\nexit:    %d\n\n",
		now.UTC().Format(time.RFC3339), Version(), runtime.GOOS, runtime.GOARCH, runtime.Version(), status)
	b.Write(Scrub(crashOutput))
	if _, err := f.Write(b.Bytes()); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// Version names the build: the module version and, when built from a checkout, its
// revision.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v += " " + s.Value
		case "vcs.modified":
			if s.Value == "true" {
				v += " (modified)"
			}
		}
	}
	return v
}

// Scrub keeps of a crash output what can hold no log content: the goroutine stacks
// (function names, files, lines and argument words) and the runtime's own messages. The
// value a panic carries may quote a log line, so only the runtime's errors are kept.
func Scrub(crashOutput []byte) []byte {
	var out bytes.Buffer
	inStacks := false
	for line := range strings.Lines(string(crashOutput)) {
		bare := strings.TrimLeft(line, "\t")
		switch {
		case strings.HasPrefix(bare, "panic: ") || strings.HasPrefix(bare, "fatal error: "):
			inStacks = false
			out.WriteString(line[:len(line)-len(bare)] + scrubMessage(bare))
		case strings.HasPrefix(line, "[signal "), line == "\n":
			out.WriteString(line)
		case strings.HasPrefix(line, "goroutine "):
			inStacks = true
			out.WriteString(line)
		case inStacks && isFrameLine(line):
			out.WriteString(line)
		}
	}
	return out.Bytes()
}

// scrubMessage keeps a panic or fatal error line if the runtime wrote its message.
func scrubMessage(line string) string {
	kind, msg, _ := strings.Cut(strings.TrimSuffix(line, "\n"), ": ")
	if kind == "fatal error" || strings.HasPrefix(msg, "runtime error: ") {
		return line
	}
	recovered := ""
	if strings.HasSuffix(msg, " [recovered]") {
		recovered = " [recovered]"
	}
	return kind + ": (a value of calltail's own, left out: it may quote a log line)" + recovered + "\n"
}

// isFrameLine reports whether a line has the shape of a stack frame's lines: a function
// with its argument words, its file and line, or the goroutine that created it.
func isFrameLine(line string) bool {
	if strings.Contains(line, "\"") {
		return false
	}
	switch {
	case strings.HasPrefix(line, "\t"), strings.HasPrefix(line, "created by "), strings.HasPrefix(line, "...additional frames elided..."):
		return true
	}
	return strings.HasSuffix(strings.TrimSuffix(line, "\n"), ")")
}
