//go:build linux

package source

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSyslogCountsDropsAtTheEndOfABurst: the kernel's count of datagrams dropped comes
// with the next datagram read (SO_RXQ_OVFL), so drops at the end of a burst, with no
// datagram after them, were never counted. With a small receive buffer, a burst is sent
// while the receiver is not reading yet (it is bound but not run), and then another
// while it reads: every datagram is delivered or counted as dropped, soon after the
// burst ends.
func TestSyslogCountsDropsAtTheEndOfABurst(t *testing.T) {
	s := newSyslog(t, "udp://127.0.0.1:0", SyslogOptions{RecvBuffer: 16 << 10})
	conn := dial(t, "udp", s.Addrs()[0].String())
	pad := strings.Repeat("x", 200)
	sent := 0
	burst := func(n int) {
		for range n {
			if _, err := fmt.Fprintf(conn, "burst %d %s", sent, pad); err != nil {
				t.Fatal(err)
			}
			sent++
		}
	}
	burst(3000) // the reader is paused: nothing reads the socket yet
	col := collect(t, s)
	col.waitFor("the datagrams that were queued", func(lines, _ []string) bool { return len(lines) > 0 })
	time.Sleep(50 * time.Millisecond)
	burst(5000) // while it reads

	balanced := func() (delivered int, dropped int64, ok bool) {
		col.mu.Lock()
		delivered = len(col.lines)
		col.mu.Unlock()
		dropped = s.Stats().Dropped
		return delivered, dropped, int64(delivered)+dropped == int64(sent)
	}
	start := time.Now()
	var delivered int
	var dropped int64
	var ok bool
	for time.Since(start) < 5*time.Second {
		if delivered, dropped, ok = balanced(); ok {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("%d sent, %d delivered, %d lost, %d reported dropped (balanced after %v)", sent, delivered, sent-delivered, dropped, time.Since(start).Round(time.Millisecond))
	if !ok {
		t.Fatalf("%d datagrams lost (%d sent, %d delivered), %d reported dropped", sent-delivered, sent, delivered, dropped)
	}
	if dropped == 0 {
		t.Fatal("nothing was dropped: the receive buffer is too large for this test")
	}
	// The count stays right: nothing counted twice.
	time.Sleep(300 * time.Millisecond)
	if delivered, dropped, ok = balanced(); !ok {
		t.Errorf("later: %d sent, %d delivered, %d reported dropped", sent, delivered, dropped)
	}
	col.stop()
	if delivered, dropped, ok = balanced(); !ok {
		t.Errorf("after the end: %d sent, %d delivered, %d reported dropped", sent, delivered, dropped)
	}
}
