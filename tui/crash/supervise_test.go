//go:build unix

package crash

import (
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain is also the child that the tests of Supervise run: the test binary run again,
// which does what CRASH_TEST_CHILD says instead of running the tests.
func TestMain(m *testing.M) {
	if !Child() {
		os.Exit(m.Run())
	}
	switch os.Getenv("CRASH_TEST_CHILD") {
	case "deaf": // deaf to the signals passed on, as a child stuck in its shutdown is
		signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
		os.WriteFile(os.Getenv("CRASH_TEST_READY"), nil, 0o600)
		time.Sleep(time.Minute)
	case "oom": // killed outright, as by the OOM killer
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute)
	}
	os.Exit(0)
}

// supervise runs Supervise on a child that behaves as CRASH_TEST_CHILD=child says, calls
// then, if not nil, once the child is ready, and returns the exit status, what Supervise
// said and the pid its cleanup was given.
func supervise(t *testing.T, child string, then func()) (status int, said string, cleaned int) {
	ready := filepath.Join(t.TempDir(), "ready")
	t.Setenv("CRASH_TEST_CHILD", child)
	t.Setenv("CRASH_TEST_READY", ready)
	var stderr strings.Builder
	done := make(chan int)
	go func() { done <- Supervise(t.TempDir(), &stderr, func(pid int) { cleaned = pid }) }()
	if then != nil {
		for _, err := os.Stat(ready); err != nil; _, err = os.Stat(ready) {
			time.Sleep(10 * time.Millisecond)
		}
		then()
	}
	select {
	case status = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Supervise did not return")
	}
	return status, stderr.String(), cleaned
}

func TestSuperviseKillsAChildThatDoesNotStop(t *testing.T) {
	var sent time.Time
	status, said, cleaned := supervise(t, "deaf", func() {
		sent = time.Now()
		syscall.Kill(os.Getpid(), syscall.SIGTERM) // to the supervisor: this process
	})
	if took := time.Since(sent); took > 2*time.Second || took < stopWithin {
		t.Errorf("Supervise returned %v after SIGTERM, want %v", took, stopWithin)
	}
	if status != 128+9 || said != "calltail did not end within 1.5s of SIGTERM, and was killed\n" || cleaned == 0 {
		t.Errorf("status %d, said %q, cleanup of %d", status, said, cleaned)
	}
}

func TestSuperviseSaysTheChildWasKilled(t *testing.T) {
	status, said, cleaned := supervise(t, "oom", nil)
	if status != 128+9 || said != "calltail was killed (SIGKILL) — out of memory? (see dmesg)\n" || cleaned == 0 {
		t.Errorf("status %d, said %q, cleanup of %d", status, said, cleaned)
	}
}
