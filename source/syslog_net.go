package source

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// dropsQuiet is how long the UDP reader waits after a datagram before it reads the
// kernel's count of drops itself: SO_RXQ_OVFL reports the count only with a datagram, so
// drops at the end of a burst, with none after them, would not be counted.
const dropsQuiet = 100 * time.Millisecond

// serveUDP receives datagrams until the socket is closed. Each datagram is one message.
func (s *Syslog) serveUDP(l listener) {
	conn := l.udp
	buf := make([]byte, 1<<16)
	oob := make([]byte, 128)
	// A read deadline is set after a datagram, at most once per dropsQuiet. When it
	// passes, the drop count is read; if datagrams came meanwhile the deadline is set
	// again, otherwise lifted until the next one. An idle socket costs no wake-ups.
	armed, more := true, false
	conn.SetReadDeadline(time.Now().Add(dropsQuiet))
	for {
		n, oobn, flags, _, err := conn.ReadMsgUDP(buf, oob)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if isTimeout(err) {
				l.countDrops()
				if more {
					conn.SetReadDeadline(time.Now().Add(dropsQuiet))
				} else {
					conn.SetReadDeadline(time.Time{})
					armed = false
				}
				more = false
			}
			continue
		}
		if !armed {
			conn.SetReadDeadline(time.Now().Add(dropsQuiet))
			armed = true
		} else {
			more = true
		}
		if dropped, ok := kernelDrops(oob[:oobn]); ok {
			storeMax(l.kernelDrops, int64(dropped))
		}
		msg := trimEnd(buf[:n])
		total := len(msg)
		if flags&msgTrunc != 0 {
			total++ // longer than the buffer; how much longer is unknown
		}
		s.receive(msg[:min(len(msg), s.opt.MaxMessage)], total, false)
	}
}

// countDrops reads the kernel's count of datagrams dropped on a UDP listener's socket.
func (l listener) countDrops() {
	if n, ok := socketDrops(l.udp); ok {
		storeMax(l.kernelDrops, int64(n))
	}
}

// storeMax raises v to n; the drop counts read from datagrams and from the socket are
// the same counter read at different times, and the count only grows.
func storeMax(v *atomic.Int64, n int64) {
	for {
		old := v.Load()
		if n <= old || v.CompareAndSwap(old, n) {
			return
		}
	}
}

// serveStream accepts TCP (or TLS) connections until the listener is closed.
func (s *Syslog) serveStream(ctx context.Context, l listener) {
	var conns connSet
	defer conns.closeAll()
	for {
		c, err := l.stream.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // e.g. out of file descriptors: do not spin
			continue
		}
		select {
		case s.conns <- struct{}{}:
		default: // too many connections: refuse this one
			s.rejected.Add(1)
			c.Close()
			continue
		}
		if !conns.add(c, s.opt.MaxConnsPerHost) { // one host may not take every slot
			<-s.conns
			s.rejected.Add(1)
			c.Close()
			continue
		}
		conns.wg.Go(func() {
			defer func() { <-s.conns }()
			defer conns.remove(c)
			if l.network == "tls" {
				tc := tls.Server(c, s.opt.TLS)
				hctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				err := tc.HandshakeContext(hctx)
				cancel()
				if err != nil {
					s.rejected.Add(1) // no certificate, a bad one, or not TLS at all
					c.Close()
					return
				}
				c = tc
			}
			s.serveConn(c)
		})
	}
}

// serveConn reads frames from one connection until it closes or stays idle too long.
// Each frame is framed by octet counting ("LEN <PRI>...", RFC 6587 3.4.1) or ends at a
// line feed (3.4.2); the sender may mix the two.
func (s *Syslog) serveConn(c net.Conn) {
	defer c.Close()
	r := bufio.NewReaderSize(c, 64<<10)
	msg := make([]byte, 0, 4096)
	for {
		c.SetReadDeadline(time.Now().Add(s.opt.IdleTimeout))
		var err error
		var total int
		msg, total, err = nextFrame(r, msg[:0], s.opt.MaxMessage)
		if total > 0 {
			s.receive(msg, total, true)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) && !isTimeout(err) {
				s.rejected.Add(1) // a framing error or a reset; idle connections are just closed
			}
			return
		}
	}
}

// nextFrame reads the next message of a stream, octet-counted (RFC 6587 "LEN <PRI>...")
// or ended by a line feed, into dst, keeping at most limit bytes of it. It returns the
// message's announced or read length as total.
func nextFrame(r *bufio.Reader, dst []byte, limit int) (msg []byte, total int, err error) {
	if n, ok := octetCount(r); ok {
		return readCounted(r, dst, n, limit)
	}
	return readLine(r, dst, limit)
}

// octetCount reads "LEN " at the start of a frame if one is there: digits, a space, and
// the '<' that starts the message. Otherwise it consumes nothing.
func octetCount(r *bufio.Reader) (int, bool) {
	n := 0
	for i := 0; i < 11; i++ {
		b, err := r.Peek(i + 1)
		if err != nil {
			return 0, false
		}
		c := b[i]
		switch {
		case c >= '0' && c <= '9' && i < 10:
			n = n*10 + int(c-'0')
		case c == ' ' && i > 0:
			if next, err := r.Peek(i + 2); err != nil || next[i+1] != '<' {
				return 0, false
			}
			r.Discard(i + 1)
			return n, true
		default:
			return 0, false
		}
	}
	return 0, false
}

// readCounted reads an octet-counted message of n bytes, keeping at most limit of them.
func readCounted(r *bufio.Reader, dst []byte, n, limit int) ([]byte, int, error) {
	keep := min(n, limit)
	dst = append(dst, make([]byte, keep)...)
	got, err := io.ReadFull(r, dst[len(dst)-keep:])
	if err != nil {
		return dst[:len(dst)-keep+got], n, err // cut off: marked as cut, for n were announced
	}
	if n > keep {
		skipped, err := r.Discard(n - keep)
		return dst, keep + skipped, err
	}
	return dst, n, nil
}

// readLine reads a message that ends at a line feed, keeping at most limit bytes.
func readLine(r *bufio.Reader, dst []byte, limit int) ([]byte, int, error) {
	total := 0
	for {
		part, err := r.ReadSlice('\n')
		total += len(part)
		if room := limit - len(dst); room > 0 {
			dst = append(dst, part[:min(len(part), room)]...)
		}
		if err != bufio.ErrBufferFull {
			if len(part) > 0 && part[len(part)-1] == '\n' {
				total-- // the line feed frames the message; it is not part of it
				dst = dst[:min(len(dst), total)]
			}
			return dst, total, err
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// connSet tracks open connections so that they can be closed when the receiver stops.
type connSet struct {
	mu    sync.Mutex
	conns map[net.Conn]string // the connections open, and their remote hosts
	hosts map[string]int      // how many are open from each host
	wg    sync.WaitGroup
}

// add counts c in, unless its host has perHost connections open already.
func (cs *connSet) add(c net.Conn, perHost int) bool {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.conns == nil {
		cs.conns, cs.hosts = map[net.Conn]string{}, map[string]int{}
	}
	host := c.RemoteAddr().String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if cs.hosts[host] >= perHost {
		return false
	}
	cs.hosts[host]++
	cs.conns[c] = host
	return true
}

func (cs *connSet) remove(c net.Conn) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	host := cs.conns[c]
	if cs.hosts[host]--; cs.hosts[host] <= 0 {
		delete(cs.hosts, host)
	}
	delete(cs.conns, c)
}

func (cs *connSet) closeAll() {
	cs.mu.Lock()
	for c := range cs.conns {
		c.Close()
	}
	cs.mu.Unlock()
	cs.wg.Wait()
}
