package source

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestConformance runs every kind of live source through the same checks, the way
// testing/slogtest checks every slog handler: the lines written arrive in order, none lost
// or duplicated, and cancelling the context stops the source promptly, leaving no
// goroutine behind.
func TestConformance(t *testing.T) {
	const n = 3000
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf("line %d %s", i, strings.Repeat("x", i%50))
	}
	// tcpSyslog sends each line, framed, over one TCP connection to a syslog receiver.
	tcpSyslog := func(t *testing.T, frame func(line string) string) (Live, func(int)) {
		s := newSyslog(t, "tcp://127.0.0.1:0", SyslogOptions{})
		var c net.Conn
		return s, func(i int) {
			if c == nil {
				c, _ = net.Dial("tcp", s.Addrs()[0].String())
				t.Cleanup(func() { c.Close() })
			}
			c.Write([]byte(frame(lines[i])))
		}
	}
	kinds := map[string]func(t *testing.T) (Live, func(i int)){
		"file": func(t *testing.T) (Live, func(int)) {
			path := filepath.Join(t.TempDir(), "support.log")
			w := newWriter(t, path)
			return NewFile(path, fast), func(i int) { w.f.WriteString(lines[i] + "\n") }
		},
		"file polled": func(t *testing.T) (Live, func(int)) {
			path := filepath.Join(t.TempDir(), "support.log")
			w := newWriter(t, path)
			opt := fast
			opt.Poll = true
			return NewFile(path, opt), func(i int) { w.f.WriteString(lines[i] + "\n") }
		},
		"pipe": func(t *testing.T) (Live, func(int)) {
			r, w, _ := os.Pipe()
			t.Cleanup(func() { r.Close(); w.Close() })
			return NewReader("-", r, nil), func(i int) { w.WriteString(lines[i] + "\n") }
		},
		"pipe spooled": func(t *testing.T) (Live, func(int)) {
			r, w, _ := os.Pipe()
			t.Cleanup(func() { r.Close(); w.Close() })
			return NewReader("-", r, newSpool(t)), func(i int) { w.WriteString(lines[i] + "\n") }
		},
		"syslog udp": func(t *testing.T) (Live, func(int)) {
			s := newSyslog(t, "udp://127.0.0.1:0", SyslogOptions{})
			c, _ := net.Dial("udp", s.Addrs()[0].String())
			t.Cleanup(func() { c.Close() })
			return s, func(i int) {
				c.Write([]byte(lines[i]))
				if i%100 == 0 {
					time.Sleep(time.Millisecond) // loopback UDP is lossless below the buffer size
				}
			}
		},
		"syslog tcp octet-counted": func(t *testing.T) (Live, func(int)) {
			return tcpSyslog(t, func(line string) string { return fmt.Sprintf("%d <%s", len(line)+1, line) })
		},
		"syslog tls": func(t *testing.T) (Live, func(int)) {
			certs := newTestCerts(t)
			s := newSyslog(t, "tls://127.0.0.1:0", SyslogOptions{TLS: certs.server})
			var c net.Conn
			return s, func(i int) {
				if c == nil {
					var err error
					if c, err = tls.Dial("tcp", s.Addrs()[0].String(), &tls.Config{RootCAs: certs.pool}); err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { c.Close() })
				}
				c.Write([]byte(lines[i] + "\n"))
			}
		},
		"syslog tcp": func(t *testing.T) (Live, func(int)) {
			return tcpSyslog(t, func(line string) string { return line + "\n" })
		},
	}
	for name, make := range kinds {
		t.Run(name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			src, write := make(t)
			c := collect(t, src)
			time.Sleep(50 * time.Millisecond) // listening and watching
			for i := range n {
				write(i)
			}
			c.waitLines(n)
			start := time.Now()
			c.stop()
			if d := time.Since(start); d > time.Second {
				t.Errorf("Run took %v to return after cancel", d)
			}
			c.mu.Lock()
			got := append([]string(nil), c.lines...)
			c.mu.Unlock()
			if len(got) != n {
				t.Fatalf("%d lines, want %d", len(got), n)
			}
			for i := range got {
				if got[i] != lines[i] && got[i] != "<"+lines[i] { // octet counting needs a PRI's '<'
					t.Fatalf("line %d = %q, want %q", i, got[i], lines[i])
				}
			}
			checkGoroutines(t, before)
		})
	}
}

// checkGoroutines waits for the goroutines a source started to end.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func newSpool(t *testing.T) *Spool {
	t.Helper()
	s, err := CreateSpool(filepath.Join(t.TempDir(), "state", "spool.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newSyslog(t *testing.T, url string, opt SyslogOptions) *Syslog {
	t.Helper()
	s, err := NewSyslog([]string{url}, newSpool(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
