package source

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SyslogOptions set the receiver's limits. The zero value gives the defaults.
type SyslogOptions struct {
	MaxMessage int // longer messages are cut and marked; default 64 KiB
	// MaxConns is how many TCP and TLS connections may be open at once, the two
	// together; default 256. When they are all taken, a newcomer takes the slot of an
	// idle connection (see Syslog), and is refused only when none is idle.
	MaxConns int
	// MaxConnsPerHost is how many of them one remote address may hold; default 32 (at most
	// MaxConns), so that one peer cannot take every slot.
	MaxConnsPerHost int
	// MaxConnsPerPrefix is how many of them one network may hold — a /24 for IPv4, a /64
	// for IPv6 — so that one network cannot take every slot either; default half of
	// MaxConns, at least MaxConnsPerHost.
	MaxConnsPerPrefix int
	// ReservedConns are slots kept for connections that have delivered a message:
	// connections that have not hold at most MaxConns-ReservedConns; default a quarter
	// of MaxConns.
	ReservedConns int
	// MaxHandshakes is how many TLS handshakes may be under way at once, apart from the
	// slots, which a TLS client takes only once its handshake has succeeded; default 64.
	MaxHandshakes int
	// HandshakeTimeout is how long a TLS client has to finish its handshake; default 10 s.
	HandshakeTimeout time.Duration
	IdleTimeout      time.Duration // a connection silent this long is closed; default 5 minutes
	RecvBuffer       int           // UDP receive buffer to ask the kernel for; default 32 MiB
	TLS              *tls.Config   // for tls:// listeners: the certificate, and client CAs for mutual TLS
}

func (o SyslogOptions) withDefaults() SyslogOptions {
	if o.MaxMessage <= 0 {
		o.MaxMessage = 64 << 10
	}
	if o.MaxConns <= 0 {
		o.MaxConns = 256
	}
	if o.MaxConnsPerHost <= 0 {
		o.MaxConnsPerHost = 32
	}
	o.MaxConnsPerHost = min(o.MaxConnsPerHost, o.MaxConns)
	if o.MaxConnsPerPrefix <= 0 {
		o.MaxConnsPerPrefix = max(o.MaxConns/2, o.MaxConnsPerHost)
	}
	o.MaxConnsPerPrefix = min(o.MaxConnsPerPrefix, o.MaxConns)
	if o.ReservedConns <= 0 {
		o.ReservedConns = o.MaxConns / 4
	}
	o.ReservedConns = min(o.ReservedConns, o.MaxConns-1)
	if o.MaxHandshakes <= 0 {
		o.MaxHandshakes = 64
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = 10 * time.Second
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 5 * time.Minute
	}
	if o.RecvBuffer <= 0 {
		o.RecvBuffer = 32 << 20
	}
	return o
}

// Syslog receives syslog messages — RFC 3164 or RFC 5424, over UDP, TCP (LF-framed or
// octet-counted, RFC 6587) or TLS (RFC 5425) — and appends each to a spool file as one
// line, as received (without trailing line ends; a line feed inside written as #012; a
// message over the size limit cut and marked), before anything parses it. The socket readers only copy
// messages into the spool's buffer: they never wait on the parser or the UI. When the disk
// falls behind, TCP readers wait (their senders slow down; nothing is lost) and datagrams
// are dropped. What is lost is counted: datagrams the kernel dropped when the receive
// buffer overflowed (SO_RXQ_OVFL, which comes with the next datagram, and the socket's
// own count, read once a burst is over), and datagrams dropped when the spool was full.
//
// TCP and TLS connections share MaxConns slots, handed out so that no crowd of idle or
// hostile peers can lock out a peer with messages to send. One address, and one network,
// holds only so many; a TLS client takes a slot only once its handshake has succeeded
// (handshakes under way are bounded apart, and must end within HandshakeTimeout);
// connections that have delivered nothing leave ReservedConns slots to those that have.
// A newcomer that finds a limit reached is given the slot of a connection counted against
// the same limit: of those that have delivered, the one silent longest, if it has been
// for a quarter of IdleTimeout (a second at most); else, or if the limit reached is the
// one on connections that have delivered nothing, one of those: the oldest of the address
// with the most of them in the network with the most, so that a crowd that renews itself
// takes room from itself, not from a newcomer from elsewhere. Too many handshakes under
// way make room the same way. A newcomer is refused only when no connection can give
// way. Refused connections, and connections closed to make room, count as rejected.
type Syslog struct {
	name      string // the listeners' URLs, with the addresses bound
	listeners []listener
	spool     *Spool
	opt       SyslogOptions
	slots     *slots // the TCP and TLS connections

	messages  atomic.Int64
	truncated atomic.Int64
	rejected  atomic.Int64
	notes     []string // what listening says: addresses and buffer sizes
}

// listener is one --syslog URL, bound.
type listener struct {
	url         string
	network     string // udp, tcp or tls
	udp         *net.UDPConn
	stream      net.Listener
	kernelDrops *atomic.Int64 // datagrams the kernel dropped on this socket (SO_RXQ_OVFL)
}

// ParseSyslogURL reads udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT. HOST
// defaults to 127.0.0.1 (0.0.0.0 listens on every interface, only when asked); PORT
// defaults to 514, or 6514 for TLS.
func ParseSyslogURL(s string) (network, addr string, err error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" && u.Opaque != "" {
		return "", "", fmt.Errorf("bad syslog URL %q: want udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT", s)
	}
	switch u.Scheme {
	case "udp", "tcp", "tls":
	default:
		return "", "", fmt.Errorf("bad syslog URL %q: the scheme must be udp, tcp or tls", s)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.User != nil {
		return "", "", fmt.Errorf("bad syslog URL %q: give only a host and a port", s)
	}
	host, port := u.Hostname(), u.Port()
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "514"
		if u.Scheme == "tls" {
			port = "6514"
		}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", "", fmt.Errorf("bad syslog URL %q: %q is not a port", s, port)
	}
	return u.Scheme, net.JoinHostPort(host, port), nil
}

// NewSyslog binds a listener for each URL and returns the receiver. Binding now reports
// errors such as a port in use, or one below 1024 without privileges, before anything runs.
func NewSyslog(urls []string, spool *Spool, opt SyslogOptions) (*Syslog, error) {
	opt = opt.withDefaults()
	s := &Syslog{spool: spool, opt: opt}
	s.slots = newSlots(opt, &s.rejected)
	var names []string
	for _, u := range urls {
		l, err := s.bind(u)
		if err != nil {
			s.closeListeners()
			return nil, err
		}
		s.listeners = append(s.listeners, l)
		names = append(names, l.network+"://"+s.Addrs()[len(s.listeners)-1].String())
	}
	s.name = strings.Join(names, ", ")
	return s, nil
}

func (s *Syslog) bind(u string) (listener, error) {
	network, addr, err := ParseSyslogURL(u)
	if err != nil {
		return listener{}, err
	}
	l := listener{url: u, network: network, kernelDrops: new(atomic.Int64)}
	switch network {
	case "udp":
		ua, err := net.ResolveUDPAddr("udp", addr)
		if err != nil {
			return l, fmt.Errorf("syslog %s: %v", u, err)
		}
		if l.udp, err = net.ListenUDP("udp", ua); err != nil {
			return l, fmt.Errorf("syslog %s: %v", u, unwrapOpError(err))
		}
		asked, granted, err := setRecvBuffer(l.udp, s.opt.RecvBuffer)
		note := fmt.Sprintf("listening on udp://%s (receive buffer: asked %s, granted %s", l.udp.LocalAddr(), size(asked), size(granted))
		if err != nil || granted < asked {
			note += "; raise net.core.rmem_max or run as root for more"
		}
		s.notes = append(s.notes, note+")")
	case "tcp", "tls":
		if network == "tls" && s.opt.TLS == nil {
			return l, fmt.Errorf("syslog %s: TLS needs a certificate: give --tls-cert and --tls-key", u)
		}
		if l.stream, err = net.Listen("tcp", addr); err != nil {
			return l, fmt.Errorf("syslog %s: %v", u, unwrapOpError(err))
		}
		s.notes = append(s.notes, fmt.Sprintf("listening on %s://%s", network, l.stream.Addr()))
	}
	return l, nil
}

// LoadTLS reads a server certificate and key (PEM files) and, if clientCA is not empty,
// the CA certificates that clients must present a certificate from (mutual TLS).
func LoadTLS(certFile, keyFile, clientCA string) (*tls.Config, error) {
	if certFile == "" || keyFile == "" {
		return nil, errors.New("TLS needs both --tls-cert and --tls-key")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("cannot load the TLS certificate: %v", err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCA != "" {
		pem, err := os.ReadFile(clientCA)
		if err != nil {
			return nil, fmt.Errorf("cannot read --tls-client-ca: %v", unwrapPathError(err))
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--tls-client-ca %s holds no PEM certificate", clientCA)
		}
		cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// Addrs returns the bound addresses, in the order of the URLs (useful with port 0).
func (s *Syslog) Addrs() []net.Addr {
	var out []net.Addr
	for _, l := range s.listeners {
		if l.udp != nil {
			out = append(out, l.udp.LocalAddr())
		} else {
			out = append(out, l.stream.Addr())
		}
	}
	return out
}

// Name returns the listeners' URLs with the addresses they are bound to: a port given as
// 0 shows as the one the system chose.
func (s *Syslog) Name() string { return s.name }

// Stats returns the receiver's counters.
func (s *Syslog) Stats() Stats {
	var kernel int64
	for _, l := range s.listeners {
		kernel += l.kernelDrops.Load()
	}
	return Stats{
		Bytes:     s.spool.Size(),
		Messages:  s.messages.Load(),
		Dropped:   kernel + s.spool.Dropped(),
		Truncated: s.truncated.Load(),
		Rejected:  s.rejected.Load(),
	}
}

// Run receives until ctx is done, sending what the spool receives as whole lines.
func (s *Syslog) Run(ctx context.Context, out chan<- Chunk) error {
	send := func(c Chunk) error {
		c.Source = s.Name()
		select {
		case out <- c:
			return nil
		case <-ctx.Done():
			return errStopped
		}
	}
	from := s.spool.Size() // before anything is received: all of it is delivered
	s.spool.giveUpWaiting(false)
	stopWriter := make(chan struct{})
	writerDone := make(chan struct{})
	go func() { s.spool.writeLoop(stopWriter); close(writerDone) }()

	var receivers sync.WaitGroup
	for _, l := range s.listeners {
		if l.udp != nil {
			receivers.Go(func() { s.serveUDP(l) })
		} else {
			receivers.Go(func() { s.serveStream(ctx, l) })
		}
	}
	for _, n := range s.notes {
		if send(Chunk{State: Listening, Note: n}) != nil {
			break
		}
	}
	stopFollow := make(chan struct{})
	followDone := make(chan error, 1)
	go func() { followDone <- s.spool.follow(from, stopFollow, send) }()

	s.reportSpool(ctx, send)
	s.closeListeners()
	s.spool.giveUpWaiting(true) // TCP readers waiting for a spool that cannot be written
	receivers.Wait()
	close(stopWriter)
	<-writerDone
	close(stopFollow)
	<-followDone
	return s.spool.Err()
}

// reportSpool says, until ctx is done, when the spool cannot be written — and so what
// happens to messages meanwhile — and when it can again.
func (s *Syslog) reportSpool(ctx context.Context, send func(Chunk) error) {
	failing := false
	var dropped int64 // before the spool failed
	for {
		changed, err := s.spool.watch()
		if (err != nil) != failing {
			failing = err != nil
			if failing {
				dropped = s.spool.Dropped()
				send(Chunk{State: Failed, Note: fmt.Sprintf("%v: retrying; TCP and TLS senders are held back, datagrams are dropped", err)})
			} else {
				send(Chunk{State: Listening, Note: fmt.Sprintf("the spool %s is written again (%d messages dropped while it could not be)", s.spool.Path(), s.spool.Dropped()-dropped)})
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}

func (s *Syslog) closeListeners() {
	for _, l := range s.listeners {
		if l.udp != nil {
			l.countDrops() // the last drops, which no datagram may report
			l.udp.Close()
		} else if l.stream != nil {
			l.stream.Close()
		}
	}
}

// receive spools one message, without its trailing line ends and NULs. total is the
// message's length as sent: a message longer than the size limit arrives cut to the limit,
// and is marked as cut. A datagram that finds the spool full is dropped and counted; a
// stream (wait) waits for room, which slows its sender down through TCP flow control.
// It reports whether there was a message (not only line ends).
func (s *Syslog) receive(msg []byte, total int, wait bool) bool {
	n := len(msg)
	msg = trimEnd(msg)
	if len(msg) == 0 && total <= n {
		return false
	}
	s.messages.Add(1)
	if bytes.IndexByte(msg, '\n') >= 0 {
		// One message, one line of the spool: a line feed inside is written as #012, the
		// way rsyslog does, so that it cannot pass for the start of another message.
		msg = bytes.ReplaceAll(msg, []byte("\n"), []byte("#012"))
	}
	if dropped := total - n; dropped > 0 {
		s.truncated.Add(1)
		marker := fmt.Sprintf(" [calltail: message cut at %d bytes, %d more dropped]", n, dropped)
		msg = append(append(make([]byte, 0, len(msg)+len(marker)), msg...), marker...)
	}
	if wait {
		s.spool.AppendWait(msg)
	} else {
		s.spool.Append(msg)
	}
	return true
}

// trimEnd removes the line ends and NULs that end a message.
func trimEnd(msg []byte) []byte {
	for len(msg) > 0 && (msg[len(msg)-1] == '\n' || msg[len(msg)-1] == '\r' || msg[len(msg)-1] == 0) {
		msg = msg[:len(msg)-1]
	}
	return msg
}

func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	default:
		return fmt.Sprintf("%d KiB", n>>10)
	}
}

// unwrapOpError drops the "listen udp 127.0.0.1:514:" prefix that the message already says.
func unwrapOpError(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}
