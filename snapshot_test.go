//go:build linux

package main

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// manyLogsSnapshot writes a snapshot archive of 100 nodes with 100 generations of their
// support log each: 10 000 small files, 50 000 lines, every line's time its own, later
// generations (lower numbers) later. It returns the archive's path.
func manyLogsSnapshot(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "snapshot.tgz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for node := range 100 {
		for gen := range 100 {
			var b strings.Builder
			for i := range 5 {
				at := time.Date(2026, 5, 14, 0, 0, (99-gen)*1000+node*10+i, 0, time.UTC)
				fmt.Fprintf(&b, "%s Level=\"INFO\" Name=\"administrator.conference\" Message=\"Participant has joined.\" Participant=\"u%d\" Call-Id=\"c%d-%d-%d\"\n",
					at.Format("2006-01-02 15:04:05,000"), i, node, gen, i)
			}
			name := fmt.Sprintf("conf%03d/var/log/support.log", node)
			if gen > 0 {
				name += "." + strconv.Itoa(gen)
			}
			tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(b.Len()), Typeflag: tar.TypeReg})
			tw.Write([]byte(b.String()))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestManyLogsSnapshot reads a snapshot of 10 000 files headless, with 256 file
// descriptors: every line once, merged by time, labelled by its node folder, in less than
// 100 MB — printed (-n), and indexed to be read back (--security loads the logs as --calls
// does; --calls then holds its 50 000 calls, which cost what they cost in one file).
func TestManyLogsSnapshot(t *testing.T) {
	bin, snap := binary(t), manyLogsSnapshot(t)
	for _, tc := range []struct {
		args  string
		lines int
	}{{"-n --query 'node == conf007'", 500}, {"--security", 1}, {"-n", 50000}} {
		cmd := exec.Command("sh", "-c", "ulimit -n 256 && exec "+bin+" "+tc.args+" "+snap)
		var stdout strings.Builder
		cmd.Stdout = &stdout
		rss, err := peakRSS(cmd)
		if err != nil {
			t.Fatalf("%s: %v", tc.args, err)
		}
		out := stdout.String()
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(lines) != tc.lines {
			t.Fatalf("%s: %d lines, want %d", tc.args, len(lines), tc.lines)
		}
		if tc.args == "-n" && !isSorted(lines) {
			t.Errorf("%s: the lines are not in time order", tc.args)
		}
		t.Logf("%s: peak RSS %d MB", tc.args, rss>>10)
		if rss > 100<<10 {
			t.Errorf("%s: peak RSS %d MB, want under 100", tc.args, rss>>10)
		}
	}
}

// peakRSS runs cmd and returns the highest peak resident set (VmHWM, in KB) of it and the
// processes it starts, read from /proc as they run. (The rusage that wait returns counts the
// memory of the process that started cmd too: a fork and exec records its parent's peak.)
func peakRSS(cmd *exec.Cmd) (int, error) {
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	peak := 0
	for {
		pids := []int{cmd.Process.Pid}
		for i := 0; i < len(pids); i++ {
			pids = append(pids, childrenOf(pids[i])...)
		}
		for _, pid := range pids {
			status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
			for _, l := range strings.Split(string(status), "\n") {
				if f := strings.Fields(l); len(f) > 1 && f[0] == "VmHWM:" {
					n, _ := strconv.Atoi(f[1])
					peak = max(peak, n)
				}
			}
		}
		select {
		case err := <-done:
			return peak, err
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// isSorted reports whether lines that start with a time are in the order of their times.
func isSorted(lines []string) bool {
	for i := 1; i < len(lines); i++ {
		if lines[i][:23] < lines[i-1][:23] {
			return false
		}
	}
	return true
}

// TestManyLogsSnapshotInTheUI opens the snapshot of 10 000 files in the UI with 256 file
// descriptors: every line is there, each labelled with its node, the earliest first, in
// less than 100 MB and a few descriptors.
func TestManyLogsSnapshotInTheUI(t *testing.T) {
	bin, snap := binary(t), manyLogsSnapshot(t)
	x := newTmux(t)
	x.keys("ulimit -n 256; "+bin+" "+snap+"; echo EXITED=$?", "Enter")
	s := x.waitFor("the whole snapshot", func(s string) bool {
		return strings.Contains(s, "Support log (50,000)") || regexp.MustCompile(`EXITED=[0-9]`).MatchString(s)
	})
	if !strings.Contains(s, "Support log (50,000)") {
		t.Fatalf("calltail ended:\n%s", s)
	}
	_, child := x.calltailPIDs()
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", child))
	var hwm int
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			hwm, _ = strconv.Atoi(strings.Fields(l)[1])
		}
	}
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", child))
	if hwm == 0 || hwm > 100<<10 || len(fds) > 64 {
		t.Errorf("peak RSS %d MB and %d descriptors, want under 100 MB and 64", hwm>>10, len(fds))
	}
	x.keys("g")
	s = x.waitFor("the first lines", func(s string) bool { return strings.Contains(s, "conf000") })
	if first := strings.Split(s, "\n")[1]; !strings.Contains(first, "00:00:00.000 conf000") {
		t.Errorf("the first line is not the earliest, labelled with its node:\n%s", s)
	}
	x.keys("q")
}

// TestCompressedLogLeavesNothing opens a compressed log in the UI: its lines are shown,
// and once calltail ends no copy of its text is left, in the state directory or anywhere
// else it wrote.
func TestCompressedLogLeavesNothing(t *testing.T) {
	bin, dir := binary(t), t.TempDir()
	path := filepath.Join(dir, "support.log.1.gz")
	var text strings.Builder
	zw := gzip.NewWriter(&text)
	fmt.Fprintf(zw, "2026-05-14 10:00:00,000 Level=\"INFO\" Name=\"support.sip\" Message=\"a compressed line\"\n")
	zw.Close()
	if err := os.WriteFile(path, []byte(text.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	state, tmp := filepath.Join(dir, "state"), filepath.Join(dir, "tmp")
	os.MkdirAll(tmp, 0o755)
	x := newTmux(t)
	x.keys("XDG_STATE_HOME="+state+" TMPDIR="+tmp+" "+bin+" "+path+"; echo EXITED=$?", "Enter")
	x.waitFor("the line", func(s string) bool { return strings.Contains(s, "a compressed line") })
	x.keys("q")
	x.waitFor("the exit", regexp.MustCompile(`EXITED=[0-9]`).MatchString)
	var left []string
	for _, d := range []string{state, tmp} {
		filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				left = append(left, p)
			}
			return nil
		})
	}
	if left != nil {
		t.Errorf("files left behind: %v", left)
	}
}
