package source

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/netip"
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
	var wg sync.WaitGroup
	defer func() {
		s.slots.closeAll()
		wg.Wait()
	}()
	for {
		c, err := l.stream.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // e.g. out of file descriptors: do not spin
			continue
		}
		p := s.slots.newPeer(c)
		if l.network == "tls" {
			if !s.slots.beginHandshake(p) {
				c.Close()
				continue
			}
			wg.Go(func() { s.serveTLS(ctx, p) })
			continue
		}
		if !s.slots.admit(p) {
			s.rejected.Add(1)
			c.Close()
			continue
		}
		wg.Go(func() {
			defer s.slots.release(p)
			s.serveConn(p, c)
		})
	}
}

// serveTLS serves a TLS connection once its handshake has succeeded, if there is a slot.
func (s *Syslog) serveTLS(ctx context.Context, p *peer) {
	tc := tls.Server(p.conn, s.opt.TLS)
	hctx, cancel := context.WithTimeout(ctx, s.opt.HandshakeTimeout)
	err := tc.HandshakeContext(hctx)
	cancel()
	if !s.slots.endHandshake(p) {
		return // given up to make room for a newer handshake: closed and counted
	}
	if err != nil || !s.slots.admit(p) {
		s.rejected.Add(1) // no certificate, a bad one, not TLS at all, too slow; or no slot
		p.conn.Close()
		return
	}
	defer s.slots.release(p)
	s.serveConn(p, tc)
}

// serveConn reads frames from one connection until it closes or stays idle too long.
// Each frame is framed by octet counting ("LEN <PRI>...", RFC 6587 3.4.1) or ends at a
// line feed (3.4.2); the sender may mix the two.
func (s *Syslog) serveConn(p *peer, c net.Conn) {
	defer c.Close()
	r := bufio.NewReaderSize(c, 64<<10)
	msg := make([]byte, 0, 4096)
	for {
		c.SetReadDeadline(time.Now().Add(s.opt.IdleTimeout))
		var err error
		var total int
		msg, total, err = nextFrame(r, msg[:0], s.opt.MaxMessage)
		if total > 0 {
			p.busy.Store(true) // while the spool holds it back, a connection is not idle
			if s.receive(msg, total, true) {
				s.slots.delivered(p)
			}
			p.busy.Store(false)
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

// slots hands out the TCP and TLS listeners' connection slots (see Syslog and
// SyslogOptions for the rules), and closes every connection when the receiver stops.
type slots struct {
	opt      SyslogOptions
	grace    time.Duration // how long a connection that delivered must be silent to be idle
	epoch    time.Time
	rejected *atomic.Int64 // counts the connections closed to make room

	mu       sync.Mutex
	closed   bool
	open     map[*peer]struct{}
	hosts    map[netip.Addr]int
	prefixes map[netip.Prefix]int
	silent   int                // open connections that have delivered nothing
	pending  map[*peer]struct{} // TLS handshakes under way
}

// peer is one TCP or TLS connection.
type peer struct {
	conn     net.Conn // the TCP connection (under TLS if any): closing it never waits
	host     netip.Addr
	prefix   netip.Prefix
	start    int64        // when it was accepted, then admitted, in ns since the epoch
	last     atomic.Int64 // when it last delivered a message
	messages atomic.Int64
	busy     atomic.Bool // a message in hand, waiting for the spool
	spoke    bool        // it has delivered a message (under mu)
	gone     bool        // closed to make room, or released (under mu)
}

func newSlots(opt SyslogOptions, rejected *atomic.Int64) *slots {
	return &slots{
		opt: opt, grace: min(time.Second, opt.IdleTimeout/4), epoch: time.Now(), rejected: rejected,
		open: map[*peer]struct{}{}, hosts: map[netip.Addr]int{}, prefixes: map[netip.Prefix]int{},
		pending: map[*peer]struct{}{},
	}
}

func (s *slots) now() int64 { return int64(time.Since(s.epoch)) }

// newPeer reads c's remote address and network: a /24 for IPv4, a /64 for IPv6.
func (s *slots) newPeer(c net.Conn) *peer {
	p := &peer{conn: c, start: s.now()}
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		p.host = a.AddrPort().Addr().Unmap()
	}
	bits := 64
	if p.host.Is4() {
		bits = 24
	}
	p.prefix, _ = p.host.Prefix(bits)
	return p
}

// admit gives p a slot, if need be the slot of an idle connection; it reports false if
// there is none to give.
func (s *slots) admit(p *peer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	full := len(s.open) >= s.opt.MaxConns
	hostFull := s.hosts[p.host] >= s.opt.MaxConnsPerHost
	prefixFull := s.prefixes[p.prefix] >= s.opt.MaxConnsPerPrefix
	silentFull := s.silent >= s.opt.MaxConns-s.opt.ReservedConns
	if full || hostFull || prefixFull || silentFull {
		// One connection counted against every limit reached makes room under all of
		// them: one that has been silent a while since its last message or else, or when
		// the limit on those that have delivered nothing is reached, one of those.
		var in []*peer
		for q := range s.open {
			if (!hostFull || q.host == p.host) && (!prefixFull || q.prefix == p.prefix) && !q.busy.Load() {
				in = append(in, q)
			}
		}
		var v *peer
		if !silentFull {
			v = s.idlest(in)
		}
		if v == nil {
			v = crowded(in, func(q *peer) bool { return !q.spoke })
		}
		if v == nil {
			return false
		}
		s.evict(v)
	}
	p.start = s.now()
	s.open[p] = struct{}{}
	s.hosts[p.host]++
	s.prefixes[p.prefix]++
	s.silent++
	return true
}

// idlest returns, of the connections in that have delivered, the one silent longest if
// it has been for grace or more (of two, the one that delivered less). Under mu.
func (s *slots) idlest(in []*peer) *peer {
	now := s.now()
	var best *peer
	for _, q := range in {
		if !q.spoke || now-q.last.Load() < int64(s.grace) {
			continue
		}
		if best == nil || q.last.Load() < best.last.Load() ||
			q.last.Load() == best.last.Load() && q.messages.Load() < best.messages.Load() {
			best = q
		}
	}
	return best
}

// crowded returns, of the peers in that are eligible, the oldest of the address with the
// most of them in the network with the most: newcomers take room from the crowd, so that
// a crowd renewing itself as fast as it likes takes room from itself, not from a peer
// that has just arrived from elsewhere.
func crowded(in []*peer, eligible func(*peer) bool) *peer {
	hosts, prefixes := map[netip.Addr]int{}, map[netip.Prefix]int{}
	for _, q := range in {
		if eligible(q) {
			hosts[q.host]++
			prefixes[q.prefix]++
		}
	}
	var best *peer
	for _, q := range in {
		if !eligible(q) {
			continue
		}
		if best == nil {
			best = q
			continue
		}
		if dp := prefixes[q.prefix] - prefixes[best.prefix]; dp != 0 {
			if dp > 0 {
				best = q
			}
			continue
		}
		if dh := hosts[q.host] - hosts[best.host]; dh > 0 || dh == 0 && q.start < best.start {
			best = q
		}
	}
	return best
}

// evict closes an open connection to make room. Under mu.
func (s *slots) evict(p *peer) {
	s.remove(p)
	s.rejected.Add(1)
	p.conn.Close()
}

// remove takes p's slot back. Under mu.
func (s *slots) remove(p *peer) {
	if p.gone {
		return
	}
	p.gone = true
	delete(s.open, p)
	if s.hosts[p.host]--; s.hosts[p.host] <= 0 {
		delete(s.hosts, p.host)
	}
	if s.prefixes[p.prefix]--; s.prefixes[p.prefix] <= 0 {
		delete(s.prefixes, p.prefix)
	}
	if !p.spoke {
		s.silent--
	}
}

// release takes back the slot of a connection that has ended.
func (s *slots) release(p *peer) {
	s.mu.Lock()
	s.remove(p)
	s.mu.Unlock()
}

// delivered notes that p delivered a message.
func (s *slots) delivered(p *peer) {
	p.last.Store(s.now())
	if p.messages.Add(1) > 1 {
		return
	}
	s.mu.Lock()
	if !p.gone {
		s.silent--
	}
	p.spoke = true
	s.mu.Unlock()
}

// beginHandshake counts p among the TLS handshakes under way. When there are too many,
// the oldest of the crowd gives way (see crowded).
func (s *slots) beginHandshake(p *peer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	if len(s.pending) >= s.opt.MaxHandshakes {
		in := make([]*peer, 0, len(s.pending))
		for q := range s.pending {
			in = append(in, q)
		}
		v := crowded(in, func(*peer) bool { return true })
		delete(s.pending, v)
		v.gone = true
		s.rejected.Add(1)
		v.conn.Close()
	}
	s.pending[p] = struct{}{}
	return true
}

// endHandshake takes p from the handshakes under way; it reports false if p was given up.
func (s *slots) endHandshake(p *peer) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.gone {
		return false
	}
	delete(s.pending, p)
	return true
}

// closeAll closes every connection and handshake, and admits no more.
func (s *slots) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for p := range s.open {
		p.conn.Close()
	}
	for p := range s.pending {
		delete(s.pending, p)
		p.gone = true
		p.conn.Close()
	}
}
