package tui

import (
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/calltail/calltail/source"
)

// TestStatusCountsWhatSyslogRefused receives syslog over TCP from a peer that opens more
// connections than one host may and sends a message over the size limit: the status line
// says how many connections were refused and how many messages were cut.
func TestStatusCountsWhatSyslogRefused(t *testing.T) {
	spool, err := source.CreateSpool(filepath.Join(t.TempDir(), "spool.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { spool.Close() })
	s, err := source.NewSyslog([]string{"tcp://127.0.0.1:0"}, spool, source.SyslogOptions{MaxConnsPerHost: 1, MaxMessage: 100})
	if err != nil {
		t.Fatal(err)
	}
	h := harnessOf(t, []source.Live{s}, "default")
	addr := s.Addrs()[0].String()
	first, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	fmt.Fprintf(first, "<14>%s\n", strings.Repeat("x", 300))
	h.waitFor("the cut message", func(s string) bool { return strings.Contains(s, "1 entry") })
	for range 2 { // the host has its one connection: these are refused
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Read(make([]byte, 1))
			c.Close()
		}
	}
	h.waitFor("the counts", func(s string) bool { return strings.Contains(s, "1 cut") && strings.Contains(s, "2 refused") })
}
