//go:build linux

package source

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// smallDisk mounts a tmpfs of size bytes on a new directory and returns it: a real
// file system that a test can fill. It skips the test where mounting is not allowed.
func smallDisk(t *testing.T, size int) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, fmt.Sprintf("size=%d", size)); err != nil {
		t.Skipf("cannot mount a small tmpfs to fill: %v (needs root, or CAP_SYS_ADMIN)", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// fillDisk writes to path until the file system is full, then frees free bytes of it
// (tmpfs frees whole pages only).
func fillDisk(t *testing.T, path string, free int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	info, _ := f.Stat()
	must(t, f.Truncate(max(0, info.Size()-free)))
}

// TestSyslogSpoolFullDiskRecovers fills the spool's file system (a real tmpfs), so that
// a write stops part-way through a line, and then sends messages over UDP and TCP; then
// frees the space and sends more. While the disk is full the TCP sender is held back by
// TCP flow control and the datagrams are dropped and counted; the status says so, and
// says when the spool is written again. In the end no TCP message is lost, every UDP
// message is delivered or counted as dropped, and the spool holds whole lines only, each
// once.
func TestSyslogSpoolFullDiskRecovers(t *testing.T) {
	dir := smallDisk(t, 4<<20)
	spool, err := CreateSpool(filepath.Join(dir, "spool.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { spool.Close() })
	s, err := NewSyslog([]string{"udp://127.0.0.1:0", "tcp://127.0.0.1:0"}, spool, SyslogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	col := collect(t, s)
	col.waitFor("listening", func(_, st []string) bool { return len(st) >= 2 })
	udpAddr, tcpAddr := s.Addrs()[0].String(), s.Addrs()[1].String()
	udp := dial(t, "udp", udpAddr)
	pad := strings.Repeat("x", 40)
	udpSent := 0
	sendUDP := func(n int) {
		for range n {
			fmt.Fprintf(udp, "udp %d %s", udpSent, pad)
			udpSent++
		}
	}

	// Room at first.
	first := dial(t, "tcp", tcpAddr)
	for i := range 100 {
		fmt.Fprintf(first, "first %d %s\n", i, pad)
	}
	sendUDP(100)
	col.waitLines(200)

	// Full, but for what is left in the spool file's last page: the write that fills it
	// stops within a line.
	fillDisk(t, filepath.Join(dir, "filler"), 0)
	for i := 0; countPrefix(col.snapshotStates(), "failed:") == 0; i++ {
		if i == 500 {
			t.Fatalf("the spool did not fail; states %q", col.snapshotStates())
		}
		sendUDP(20)
		time.Sleep(20 * time.Millisecond)
	}

	// TCP waits: its sender is held back once the socket buffers are full.
	const tcpN = 30000
	var tcpSent atomic.Int64
	tcpDone := make(chan error, 1)
	tcp := dial(t, "tcp", tcpAddr)
	tcp.(*net.TCPConn).SetWriteBuffer(16 << 10) // so that being held back shows soon
	go func() {
		for i := range tcpN {
			if _, err := fmt.Fprintf(tcp, "tcp %d %s\n", i, pad); err != nil {
				tcpDone <- err
				return
			}
			tcpSent.Add(1)
		}
		tcpDone <- nil
	}()
	sendUDP(500) // datagrams cannot wait: dropped and counted
	var stalled bool
	for range 100 {
		before := tcpSent.Load()
		time.Sleep(100 * time.Millisecond)
		if tcpSent.Load() == before && before < tcpN {
			stalled = true
			break
		}
	}
	if !stalled {
		t.Errorf("the TCP sender was not held back while the disk was full: %d of %d sent", tcpSent.Load(), tcpN)
	}
	col.mu.Lock()
	held := len(col.lines)
	col.mu.Unlock()
	droppedWhileFull := s.Stats().Dropped
	t.Logf("disk full: TCP sender held back after %d of %d messages; %d lines delivered, %d dropped", tcpSent.Load(), tcpN, held, droppedWhileFull)
	if droppedWhileFull < 500 {
		t.Errorf("%d dropped while the disk was full, want the 500 datagrams sent then", droppedWhileFull)
	}

	// Space returns: the spool recovers by itself.
	must(t, os.Remove(filepath.Join(dir, "filler")))
	col.waitFor("the recovery", func(_, st []string) bool {
		return len(st) > 0 && !strings.HasPrefix(st[len(st)-1], "failed:")
	})
	sendUDP(200)
	select {
	case err := <-tcpDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("the TCP sender is still held back: %d of %d sent", tcpSent.Load(), tcpN)
	}
	tcp.Close()
	col.waitFor("every TCP message", func(lines, _ []string) bool { return countPrefix(lines, "tcp ") == tcpN })
	col.waitFor("every UDP message delivered or counted", func(lines, _ []string) bool {
		return int64(countPrefix(lines, "udp ")) == int64(udpSent)-s.Stats().Dropped
	})
	time.Sleep(200 * time.Millisecond)
	col.stop()

	col.mu.Lock()
	lines := append([]string(nil), col.lines...)
	states := append([]string(nil), col.states...)
	col.mu.Unlock()
	st := s.Stats()
	t.Logf("states %q", states)
	t.Logf("TCP %d of %d delivered; UDP %d of %d delivered, %d counted as dropped", countPrefix(lines, "tcp "), tcpN, countPrefix(lines, "udp "), udpSent, st.Dropped)
	if got := int64(countPrefix(lines, "udp ")); got+st.Dropped != int64(udpSent) {
		t.Errorf("UDP: %d delivered + %d dropped != %d sent", got, st.Dropped, udpSent)
	}
	next := 0
	for _, l := range lines {
		if !strings.HasPrefix(l, "tcp ") {
			continue
		}
		if want := fmt.Sprintf("tcp %d %s", next, pad); l != want {
			t.Fatalf("TCP message %d is %q, want %q (lost, torn or duplicated)", next, l, want)
		}
		next++
	}

	// The spool holds whole lines, each once, and what was delivered is what it holds.
	data, err := os.ReadFile(spool.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Errorf("the spool ends within a line: %q", data[max(0, len(data)-80):])
	}
	seen := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var kind string
		var i int
		if _, err := fmt.Sscanf(l, "%s %d", &kind, &i); err != nil || l != fmt.Sprintf("%s %d %s", kind, i, pad) {
			t.Errorf("the spool holds a torn line %q", l)
			continue
		}
		if seen[l] {
			t.Errorf("the spool holds %q twice", l)
		}
		seen[l] = true
	}
	if got := bytes.Count(data, []byte("\n")); got != len(lines) {
		t.Errorf("the spool holds %d lines, %d were delivered", got, len(lines))
	}
	if recovered := strings.Join(states, "|"); !strings.Contains(recovered, "no space left on device") {
		t.Errorf("states %q do not say why the spool failed", states)
	}
}

func (c *collector) snapshotStates() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.states...)
}

// TestSyslogStopsWhileSpoolFull: TCP readers held back by a spool that cannot be written
// (/dev/full) do not keep the receiver from stopping; what they held is counted as
// dropped, and Run says why.
func TestSyslogStopsWhileSpoolFull(t *testing.T) {
	spool, err := CreateSpool("/dev/full")
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { spool.Close() })
	s, err := NewSyslog([]string{"tcp://127.0.0.1:0"}, spool, SyslogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	col := collect(t, s)
	col.failOK = true
	col.waitFor("listening", func(_, st []string) bool { return len(st) >= 1 })
	conn := dial(t, "tcp", s.Addrs()[0].String())
	for i := range 10 {
		fmt.Fprintf(conn, "<14>held %d\n", i)
	}
	col.waitFor("the failure", func(_, st []string) bool { return countPrefix(st, "failed:") == 1 })
	time.Sleep(50 * time.Millisecond) // the reader waits with a message in hand
	start := time.Now()
	col.stop()
	if d := time.Since(start); d > time.Second {
		t.Errorf("Run took %v to return", d)
	}
	if col.runErr == nil || !strings.Contains(col.runErr.Error(), "no space left on device") {
		t.Errorf("Run returned %v, want the spool's error", col.runErr)
	}
	if st := s.Stats(); st.Messages == 0 || st.Dropped != st.Messages {
		t.Errorf("stats %+v, want every message received (those not left unread in the socket) dropped", st)
	}
}
