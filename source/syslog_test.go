package source

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseSyslogURL(t *testing.T) {
	tests := []struct{ url, network, addr, err string }{
		{"udp://127.0.0.1:5514", "udp", "127.0.0.1:5514", ""},
		{"udp://:5514", "udp", "127.0.0.1:5514", ""},
		{"tcp://0.0.0.0:514", "tcp", "0.0.0.0:514", ""},
		{"udp://", "udp", "127.0.0.1:514", ""},
		{"tls://localhost", "tls", "localhost:6514", ""},
		{"tcp://[::1]:601", "tcp", "[::1]:601", ""},
		{"http://x:1", "", "", "the scheme must be udp, tcp or tls"},
		{"udp://x:99999", "", "", "is not a port"},
		{"udp://x:1/path", "", "", "give only a host and a port"},
		{"5514", "", "", "the scheme must be"},
	}
	for _, tt := range tests {
		network, addr, err := ParseSyslogURL(tt.url)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseSyslogURL(%q) = %v, want an error saying %q", tt.url, err, tt.err)
			}
			continue
		}
		if err != nil || network != tt.network || addr != tt.addr {
			t.Errorf("ParseSyslogURL(%q) = %q, %q, %v; want %q, %q", tt.url, network, addr, err, tt.network, tt.addr)
		}
	}
}

const (
	rfc3164 = `<134>Nov 20 08:00:01 conf01 2026-11-20 08:00:01,123 Level="INFO" Name="administrator.conference" Message="Conference has been created."`
	rfc5424 = `<132>1 2026-11-20T08:00:02.123Z conf02 pexip - - - 2026-11-20 08:00:02,120 Level="WARNING" Name="support.sip" Message="x"`
)

// TestSyslogTransports sends RFC 3164 and RFC 5424 messages over each transport and framing,
// and checks that each arrives whole, as one line of the spool.
func TestSyslogTransports(t *testing.T) {
	certs := newTestCerts(t)
	multi := "<134>1 2026-11-20T08:00:03.000Z conf01 app - - - first line\n  second line of the same message"
	cases := []struct {
		name, url string
		send      func(t *testing.T, addr string)
		want      []string
	}{
		{"udp", "udp://127.0.0.1:0", func(t *testing.T, addr string) {
			c := dial(t, "udp", addr)
			c.Write([]byte(rfc3164))
			c.Write([]byte(rfc5424 + "\n")) // a trailing line feed is not part of the message
		}, []string{rfc3164, rfc5424}},
		{"tcp LF-framed", "tcp://127.0.0.1:0", func(t *testing.T, addr string) {
			c := dial(t, "tcp", addr)
			c.Write([]byte(rfc3164 + "\n" + rfc5424 + "\r\n"))
		}, []string{rfc3164, rfc5424}},
		{"tcp octet-counted", "tcp://127.0.0.1:0", func(t *testing.T, addr string) {
			c := dial(t, "tcp", addr)
			fmt.Fprintf(c, "%d %s%d %s", len(rfc3164), rfc3164, len(multi), multi)
		}, []string{rfc3164, "<134>1 2026-11-20T08:00:03.000Z conf01 app - - - first line#012  second line of the same message"}},
		{"tcp mixed framing", "tcp://127.0.0.1:0", func(t *testing.T, addr string) {
			c := dial(t, "tcp", addr)
			fmt.Fprintf(c, "%d %s%s\n", len(rfc3164), rfc3164, rfc5424)
		}, []string{rfc3164, rfc5424}},
		{"tls", "tls://127.0.0.1:0", func(t *testing.T, addr string) {
			c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: certs.pool})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			fmt.Fprintf(c, "%d %s", len(rfc5424), rfc5424)
		}, []string{rfc5424}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSyslog(t, tc.url, SyslogOptions{TLS: certs.server})
			c := collect(t, s)
			c.waitFor("listening", func(_, st []string) bool { return len(st) > 0 })
			tc.send(t, s.Addrs()[0].String())
			c.waitLines(len(tc.want))
			time.Sleep(20 * time.Millisecond)
			c.stop()
			if strings.Join(c.lines, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got %q\nwant %q", c.lines, tc.want)
			}
			if got := s.Stats().Messages; got != int64(min(len(tc.want), 2)) {
				t.Errorf("Messages = %d", got)
			}
		})
	}
}

func TestSyslogCutsLongMessages(t *testing.T) {
	long := "<134>1 - conf01 app - - - " + strings.Repeat("x", 2000)
	for _, url := range []string{"udp://127.0.0.1:0", "tcp://127.0.0.1:0"} {
		for _, counted := range []bool{false, true} {
			if counted && strings.HasPrefix(url, "udp") {
				continue
			}
			t.Run(fmt.Sprintf("%s counted=%v", url, counted), func(t *testing.T) {
				s := newSyslog(t, url, SyslogOptions{MaxMessage: 1000})
				c := collect(t, s)
				c.waitFor("listening", func(_, st []string) bool { return len(st) > 0 })
				conn := dial(t, strings.SplitN(url, ":", 2)[0], s.Addrs()[0].String())
				if counted {
					fmt.Fprintf(conn, "%d %s%d %s", len(long), long, len(rfc5424), rfc5424)
				} else {
					conn.Write([]byte(long + "\n"))
					if url[:3] == "udp" {
						conn.Write([]byte(rfc5424))
					} else {
						conn.Write([]byte(rfc5424 + "\n"))
					}
				}
				c.waitLines(2)
				c.stop()
				want := long[:1000] + fmt.Sprintf(" [calltail: message cut at 1000 bytes, %d more dropped]", len(long)-1000)
				if c.lines[0] != want || c.lines[1] != rfc5424 {
					t.Errorf("got %q...", c.lines[0][900:])
				}
				if st := s.Stats(); st.Truncated != 1 || st.Messages != 2 {
					t.Errorf("stats %+v, want 1 truncated of 2", st)
				}
			})
		}
	}
}

// TestSyslogConnectionLimitsAndTimeouts: a newcomer that finds every slot held by
// connections that have just delivered is refused; once one has been silent a while (a
// quarter of the idle timeout) a newcomer takes its slot; idle connections are closed.
func TestSyslogConnectionLimitsAndTimeouts(t *testing.T) {
	s := newSyslog(t, "tcp://127.0.0.1:0", SyslogOptions{MaxConns: 2, IdleTimeout: time.Second})
	c := collect(t, s)
	c.waitFor("listening", func(_, st []string) bool { return len(st) > 0 })
	addr := s.Addrs()[0].String()
	a, b := dial(t, "tcp", addr), dial(t, "tcp", addr)
	a.Write([]byte("a\n"))
	b.Write([]byte("b\n"))
	c.waitLines(2)
	if third := dial(t, "tcp", addr); !closedByPeer(third, time.Second) {
		t.Error("a third connection was served; the limit is 2 and both have just delivered")
	}
	if got := s.Stats().Rejected; got != 1 {
		t.Errorf("Rejected = %d, want 1", got)
	}
	time.Sleep(400 * time.Millisecond) // a and b are idle now
	d := dial(t, "tcp", addr)
	d.Write([]byte("d\n"))
	c.waitLines(3)
	if closedByPeer(a, 200*time.Millisecond) == closedByPeer(b, 200*time.Millisecond) {
		t.Error("want one of the two idle connections closed to make room")
	}
	if got := s.Stats().Rejected; got != 2 {
		t.Errorf("Rejected = %d, want 2", got)
	}
	// Idle connections are closed, which frees their slots.
	time.Sleep(1200 * time.Millisecond)
	if !closedByPeer(d, time.Second) {
		t.Error("an idle connection stayed open")
	}
	e := dial(t, "tcp", addr)
	e.Write([]byte("e\n"))
	c.waitLines(4)
	if got := s.Stats().Rejected; got != 2 {
		t.Errorf("Rejected = %d, want still 2: idle connections are closed without counting", got)
	}
}

// closedByPeer reports whether the listener has closed c (or closes it within wait).
func closedByPeer(c net.Conn, wait time.Duration) bool {
	c.SetReadDeadline(time.Now().Add(wait))
	_, err := c.Read(make([]byte, 1))
	return err != nil && !isTimeout(err)
}

func TestSyslogMutualTLS(t *testing.T) {
	certs := newTestCerts(t)
	server := certs.server.Clone()
	server.ClientCAs, server.ClientAuth = certs.pool, tls.RequireAndVerifyClientCert
	s := newSyslog(t, "tls://127.0.0.1:0", SyslogOptions{TLS: server})
	c := collect(t, s)
	c.waitFor("listening", func(_, st []string) bool { return len(st) > 0 })
	addr := s.Addrs()[0].String()

	anon, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: certs.pool})
	if err == nil {
		anon.Write([]byte("anonymous\n"))
		anon.SetReadDeadline(time.Now().Add(2 * time.Second))
		anon.Read(make([]byte, 1)) // the server's refusal arrives here with TLS 1.3
		anon.Close()
	}
	good, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: certs.pool, Certificates: []tls.Certificate{certs.client}})
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	good.Write([]byte("authenticated\n"))
	c.waitLines(1)
	c.waitFor("the anonymous client counted as rejected", func(_, _ []string) bool { return s.Stats().Rejected == 1 })
	c.stop()
	if len(c.lines) != 1 || c.lines[0] != "authenticated" {
		t.Errorf("lines %q, want only the authenticated client's", c.lines)
	}
}

func TestSyslogRefusesTLSWithoutCertificate(t *testing.T) {
	_, err := NewSyslog([]string{"tls://127.0.0.1:0"}, newSpool(t), SyslogOptions{})
	if err == nil || !strings.Contains(err.Error(), "--tls-cert") {
		t.Errorf("got %v, want an error asking for --tls-cert and --tls-key", err)
	}
	busy := newSyslog(t, "tcp://127.0.0.1:0", SyslogOptions{})
	_, err = NewSyslog([]string{"tcp://" + busy.Addrs()[0].String()}, newSpool(t), SyslogOptions{})
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Errorf("got %v, want address already in use", err)
	}
}

func dial(t *testing.T, network, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testCerts is a CA with a server and a client certificate, made for one test.
type testCerts struct {
	pool   *x509.CertPool
	server *tls.Config
	client tls.Certificate
}

func newTestCerts(t *testing.T) testCerts {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "calltail test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	leaf := func(serial int64, usage x509.ExtKeyUsage) tls.Certificate {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "127.0.0.1"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			KeyUsage: x509.KeyUsageDigitalSignature,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	}
	return testCerts{
		pool:   pool,
		server: &tls.Config{Certificates: []tls.Certificate{leaf(2, x509.ExtKeyUsageServerAuth)}},
		client: leaf(3, x509.ExtKeyUsageClientAuth),
	}
}

// TestSyslogDeliversWhatArrivedBeforeRun: datagrams that reach the bound socket before the
// receiver runs are spooled and delivered too.
func TestSyslogDeliversWhatArrivedBeforeRun(t *testing.T) {
	s := newSyslog(t, "udp://127.0.0.1:0", SyslogOptions{})
	c := dial(t, "udp", s.Addrs()[0].String())
	for i := range 50 {
		fmt.Fprintf(c, "early %d", i)
	}
	col := collect(t, s)
	col.waitLines(50)
}

// TestSyslogSpoolFailure: a spool that cannot be written says so, and counts what it lost.
func TestSyslogSpoolFailure(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	spool, err := CreateSpool("/dev/full")
	if err != nil {
		t.Skip(err)
	}
	defer spool.Close()
	s, err := NewSyslog([]string{"udp://127.0.0.1:0"}, spool, SyslogOptions{})
	if err != nil {
		t.Fatal(err)
	}
	col := collect(t, s)
	col.failOK = true
	conn := dial(t, "udp", s.Addrs()[0].String())
	conn.Write([]byte("one"))
	col.waitFor("the failure", func(_, st []string) bool { return countPrefix(st, "failed:") == 1 })
	for range 3 {
		conn.Write([]byte("more"))
	}
	col.waitFor("the drops counted", func(_, _ []string) bool { return s.Stats().Dropped >= 3 })
	if !strings.Contains(strings.Join(col.states, "|"), "no space left on device") {
		t.Errorf("states %q do not say why", col.states)
	}
	col.stop()
	if col.runErr == nil {
		t.Error("Run did not return the spool's error")
	}
}

// FuzzFraming reads any bytes as a TCP syslog stream, frame after frame, as a connection
// does: no frame may keep more than the limit, and the reading must end.
func FuzzFraming(f *testing.F) {
	for _, s := range []string{
		"<13>1 2026-05-14T10:00:00Z host app - - - hello\n<14>second\n",
		"11 <13>counted27 <14>counted and then a line\n",
		"99999999999 <13>too long a count",
		"5 <13>", "0 <", "12345678901 <", "\n\n\n", "<13>no line feed at the end",
		"3 x", " 5 <13>abcde",
	} {
		f.Add([]byte(s), 16)
	}
	f.Fuzz(func(t *testing.T, in []byte, limit int) {
		limit = 1 + abs(limit)%64
		r := bufio.NewReaderSize(bytes.NewReader(in), 16)
		var msg []byte
		for frames := 0; ; frames++ {
			if frames > len(in)+1 {
				t.Fatalf("more frames than bytes in %q", in)
			}
			var err error
			msg, _, err = nextFrame(r, msg[:0], limit)
			if len(msg) > limit {
				t.Fatalf("a frame kept %d bytes, over the limit %d", len(msg), limit)
			}
			if err != nil {
				return
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// dialFrom connects to addr over TCP from the loopback address from (127.0.0.x): peers
// on separate hosts, as far as the listener can tell.
func dialFrom(t *testing.T, from, addr string) (net.Conn, error) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 2 * time.Second}
	return d.Dial("tcp", addr)
}

// TestSyslogSurvivesHostilePeers runs a TCP listener among peers that hold connections
// open without finishing a frame, announce frames over the size limit and never send
// them, send invalid PRIs and binary, and connect 10 000 times in a row, while a
// well-behaved peer sends a thousand messages. The listener keeps serving it, loses
// none of its messages, and counts what it refused.
func TestSyslogSurvivesHostilePeers(t *testing.T) {
	s := newSyslog(t, "tcp://127.0.0.1:0", SyslogOptions{MaxConns: 64, MaxConnsPerHost: 8, MaxMessage: 1000, IdleTimeout: time.Second})
	c := collect(t, s)
	c.waitFor("listening", func(_, st []string) bool { return len(st) > 0 })
	addr := s.Addrs()[0].String()

	// Slow loris: more connections from one host than the listener has slots, each with a
	// frame begun and never ended.
	var loris []net.Conn
	for range 80 {
		if conn, err := dialFrom(t, "127.0.0.2", addr); err == nil {
			conn.Write([]byte("<13>never ends"))
			loris = append(loris, conn)
		}
	}
	// A frame announced far over the limit, cut short.
	if conn, err := dialFrom(t, "127.0.0.3", addr); err == nil {
		conn.Write([]byte("99999999 <13>" + strings.Repeat("x", 5000)))
		conn.Close()
	}
	// An invalid PRI and binary: shown as they are, not refused.
	if conn, err := dialFrom(t, "127.0.0.4", addr); err == nil {
		conn.Write([]byte("<999>not a priority\n\x00\xff\xfe binary\n"))
		conn.Close()
	}
	// 10 000 connection attempts, closed at once.
	for range 10000 {
		if conn, err := dialFrom(t, "127.0.0.5", addr); err == nil {
			conn.Close()
		}
	}
	good, err := dialFrom(t, "127.0.0.9", addr)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		fmt.Fprintf(good, "<14>good %d\n", i)
	}
	good.Close()
	c.waitFor("the good peer's messages", func(lines, _ []string) bool {
		n := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "<14>good ") {
				n++
			}
		}
		return n == 1000
	})
	c.waitFor("the invalid PRI and the binary", func(lines, _ []string) bool {
		return slices.Contains(lines, "<999>not a priority") && slices.ContainsFunc(lines, func(l string) bool { return strings.HasSuffix(l, " binary") })
	})
	for _, conn := range loris {
		conn.Close()
	}
	if st := s.Stats(); st.Rejected < 72 || st.Truncated < 1 {
		t.Errorf("stats %+v: want at least the 72 connections over the per-host limit refused and the long frame cut", st)
	}
	again, err := dialFrom(t, "127.0.0.9", addr)
	if err != nil {
		t.Fatal(err)
	}
	again.Write([]byte("<14>still served\n"))
	again.Close()
	c.waitFor("a message after it all", func(lines, _ []string) bool { return slices.Contains(lines, "<14>still served") })
}

// TestSyslogNamesTheBoundPort: a listener asked for port 0 is named with the port the
// system chose, as the status line and the summary show it (the demo's said :0).
func TestSyslogNamesTheBoundPort(t *testing.T) {
	spool, err := CreateSpool(filepath.Join(t.TempDir(), "spool.log"))
	must(t, err)
	defer spool.Close()
	s, err := NewSyslog([]string{"udp://127.0.0.1:0", "tcp://127.0.0.1:0"}, spool, SyslogOptions{})
	must(t, err)
	defer s.closeListeners()
	want := "udp://" + s.Addrs()[0].String() + ", tcp://" + s.Addrs()[1].String()
	if s.Name() != want || strings.Contains(s.Name(), ":0,") {
		t.Errorf("named %q, want %q", s.Name(), want)
	}
}
