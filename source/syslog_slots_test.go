package source

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// hostilePeer holds connections to addr from the loopback address from until ctx is
// done: it sends nothing (or, with a partial frame, a message it never ends; on TLS
// listeners it never says hello), or, every trickle, one whole line — the kind of peer
// that resets the idle timeout now and then. When the listener closes its connection it
// comes back a little later.
func hostilePeer(ctx context.Context, from, addr string, partial bool, trickle time.Duration, dials *atomic.Int64) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 2 * time.Second}
	buf := make([]byte, 512)
	for ctx.Err() == nil {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			dials.Add(1)
			stop := context.AfterFunc(ctx, func() { conn.Close() })
			if partial {
				conn.Write([]byte("<13>this message never ends"))
			}
			for {
				if trickle > 0 {
					conn.SetReadDeadline(time.Now().Add(trickle/2 + rand.N(trickle)))
				}
				_, err := conn.Read(buf)
				if trickle > 0 && isTimeout(err) {
					if _, err := conn.Write([]byte("<13>trickle\n")); err == nil {
						continue
					}
				}
				break // closed by the listener, or by the end of the test
			}
			stop()
			conn.Close()
		}
		select {
		case <-ctx.Done():
		case <-time.After(100*time.Millisecond + rand.N(200*time.Millisecond)):
		}
	}
}

// TestSyslogServesGoodPeersUnderStarvation is issue 17's lock-out: with the default
// limits (256 slots, 32 per host), 20 addresses in four /24 networks hold 25 connections
// each to a TCP and to a mutual-TLS listener without sending anything (1 000 peers, the
// TLS ones never saying hello), 5 more addresses hold 25 connections each that send a
// line now and then, and every peer comes back when it is closed. A good TCP peer (in
// the same /24 as some of them) and a good mutual-TLS peer then connect once each and
// send 2 000 messages: every one of them is delivered, within a bounded time.
func TestSyslogServesGoodPeersUnderStarvation(t *testing.T) {
	certs := newTestCerts(t)
	server := certs.server.Clone()
	server.ClientCAs, server.ClientAuth = certs.pool, tls.RequireAndVerifyClientCert
	s, err := NewSyslog([]string{"tcp://127.0.0.1:0", "tls://127.0.0.1:0"}, newSpool(t), SyslogOptions{TLS: server})
	if err != nil {
		t.Fatal(err)
	}
	c := collect(t, s)
	c.waitFor("listening", func(_, st []string) bool { return len(st) >= 2 })
	tcpAddr, tlsAddr := s.Addrs()[0].String(), s.Addrs()[1].String()

	ctx, stop := context.WithCancel(context.Background())
	var hostile sync.WaitGroup
	defer func() { stop(); hostile.Wait() }()
	var dials atomic.Int64
	for a := range 20 {
		from := fmt.Sprintf("127.10.%d.%d", a%4, 1+a/4)
		for i := range 25 {
			hostile.Go(func() { hostilePeer(ctx, from, tcpAddr, i%2 == 0, 0, &dials) })
			hostile.Go(func() { hostilePeer(ctx, from, tlsAddr, false, 0, &dials) })
		}
	}
	for a := range 5 {
		from := fmt.Sprintf("127.11.0.%d", 1+a)
		for range 25 {
			hostile.Go(func() { hostilePeer(ctx, from, tcpAddr, false, 2*time.Second, &dials) })
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for dials.Load() < 1125 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // every slot taken, the trickling peers have sent a line or two
	t.Logf("%d hostile connections made; rejected so far %d", dials.Load(), s.Stats().Rejected)

	const n = 2000
	start := time.Now()
	var senders sync.WaitGroup
	errs := make(chan error, 2)
	send := func(name string, conn net.Conn) {
		defer conn.Close()
		for i := range n {
			if _, err := fmt.Fprintf(conn, "<14>%s %d\n", name, i); err != nil {
				errs <- fmt.Errorf("%s: message %d: %v", name, i, err)
				return
			}
		}
		// Stay connected until the test has counted: a closed connection proves nothing.
		conn.SetReadDeadline(time.Now().Add(15 * time.Second))
		conn.Read(make([]byte, 1))
	}
	goodTCP, err := dialFrom(t, "127.10.0.200", tcpAddr)
	if err != nil {
		t.Fatal(err)
	}
	senders.Go(func() { send("good-tcp", goodTCP) })
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.12.0.1")}, Timeout: 5 * time.Second}
	goodTLS, err := tls.DialWithDialer(&d, "tcp", tlsAddr, &tls.Config{RootCAs: certs.pool, Certificates: []tls.Certificate{certs.client}})
	if err != nil {
		t.Errorf("the good mutual-TLS peer: %v", err)
	} else {
		senders.Go(func() { send("good-tls", goodTLS) })
		defer goodTLS.Close()
	}

	count := func(lines []string, prefix string) int {
		k := 0
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				k++
			}
		}
		return k
	}
	var tcpGot, tlsGot int
	for time.Since(start) < 10*time.Second {
		c.mu.Lock()
		tcpGot, tlsGot = count(c.lines, "<14>good-tcp "), count(c.lines, "<14>good-tls ")
		c.mu.Unlock()
		if tcpGot == n && tlsGot == n {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	elapsed := time.Since(start)
	goodTCP.Close()
	if goodTLS != nil {
		goodTLS.Close()
	}
	senders.Wait()
	close(errs)
	for err := range errs {
		if !errors.Is(err, net.ErrClosed) {
			t.Error(err)
		}
	}
	t.Logf("good peers: TCP %d of %d, mutual TLS %d of %d delivered in %v; rejected or evicted %d", tcpGot, n, tlsGot, n, elapsed.Round(time.Millisecond), s.Stats().Rejected)
	if tcpGot != n || tlsGot != n {
		t.Errorf("good TCP peer: %d of %d messages delivered, good mutual-TLS peer: %d of %d", tcpGot, n, tlsGot, n)
	}
}

// TestSyslogNetworkLimit: one network (a /24) holds at most MaxConnsPerPrefix
// connections; a newcomer from it takes the slot of the oldest silent one of the address
// with the most, and a peer from another network is let in without closing anything.
func TestSyslogNetworkLimit(t *testing.T) {
	s := newSyslog(t, "tcp://127.0.0.1:0", SyslogOptions{MaxConns: 10, MaxConnsPerHost: 3, MaxConnsPerPrefix: 4})
	c := collect(t, s)
	c.waitFor("listening", func(_, st []string) bool { return len(st) > 0 })
	addr := s.Addrs()[0].String()
	var conns []net.Conn
	for _, from := range []string{"127.20.0.1", "127.20.0.1", "127.20.0.1", "127.20.0.2"} {
		conn, err := dialFrom(t, from, addr)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		time.Sleep(20 * time.Millisecond) // accepted in this order
	}
	newcomer, err := dialFrom(t, "127.20.0.3", addr)
	if err != nil {
		t.Fatal(err)
	}
	newcomer.Write([]byte("<14>from the same network\n"))
	c.waitLines(1)
	for i, conn := range conns {
		if closed := closedByPeer(conn, 100*time.Millisecond); closed != (i == 0) {
			t.Errorf("connection %d closed: %v; want only the first (the oldest of 127.20.0.1, which holds the most)", i, closed)
		}
	}
	other, err := dialFrom(t, "127.21.0.1", addr)
	if err != nil {
		t.Fatal(err)
	}
	other.Write([]byte("<14>from another network\n"))
	c.waitLines(2)
	if got := s.Stats().Rejected; got != 1 {
		t.Errorf("Rejected = %d, want 1 (the connection closed to make room)", got)
	}
}

// TestSyslogReservedSlots: connections that have delivered nothing hold at most
// MaxConns-ReservedConns slots; the rest are kept for those that have.
func TestSyslogReservedSlots(t *testing.T) {
	s := newSyslog(t, "tcp://127.0.0.1:0", SyslogOptions{MaxConns: 4, ReservedConns: 2})
	c := collect(t, s)
	c.waitFor("listening", func(_, st []string) bool { return len(st) > 0 })
	addr := s.Addrs()[0].String()
	talkers := []net.Conn{dial(t, "tcp", addr), dial(t, "tcp", addr)}
	for i, conn := range talkers {
		fmt.Fprintf(conn, "<14>talker %d\n", i)
	}
	c.waitLines(2)
	var silent []net.Conn
	for range 4 {
		silent = append(silent, dial(t, "tcp", addr))
		time.Sleep(20 * time.Millisecond)
	}
	for i, conn := range silent {
		if closed := closedByPeer(conn, 100*time.Millisecond); closed != (i < 2) {
			t.Errorf("silent connection %d closed: %v; want the two oldest closed, two kept", i, closed)
		}
	}
	for i, conn := range talkers {
		if closedByPeer(conn, 50*time.Millisecond) {
			t.Errorf("talker %d was closed for silent newcomers", i)
		}
	}
}
