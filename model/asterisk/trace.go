package asterisk

import (
	"bytes"

	"github.com/calltail/calltail/model/sip"
)

// The directions of a SIP trace.
const (
	unknown  = 0
	received = 'i'
	sent     = 'o'
)

// The shapes of a trace, by how its message ends.
const (
	pjsip      = iota // "<--- Received SIP request (N bytes) from T:addr --->": the message runs to the entry's end
	chanSIP           // "<--- SIP read from T:addr --->": the message ends before "<------------->"
	oldChanSIP        // "Reliably Transmitting (NAT) to addr:": the message ends before "---"
)

// header is what a SIP trace's header line tells.
type header struct {
	line      []byte // the header line, as written
	direction byte   // received, sent or unknown
	transport []byte // "UDP", "WSS", or nil when not logged
	host      []byte // the peer's address
	port      []byte
	size      []byte // the message's size in bytes, when logged
	style     int
	follows   bool // chan_sip writes it after a line break: it continues the prefix's entry
}

// readHeader reads a SIP trace's header line: pjsip's logger ("<--- Received SIP request
// (924 bytes) from UDP:203.0.113.4:5060 --->", "<--- Transmitting SIP response ... to
// ..."), chan_sip's debug ("<--- SIP read from UDP:203.0.113.4:5060 --->", "<--- Reliably
// Transmitting (NAT) to 203.0.113.4:5060 --->", older releases' "Reliably Transmitting
// (NAT) to 203.0.113.4:5060:"), and any other "<--- ... --->" line.
func readHeader(line []byte) (header, bool) {
	line = bytes.TrimRight(line, " \r")
	h := header{line: line}
	var peer []byte
	switch inner, ok := arrows(line); {
	case ok && bytes.HasPrefix(inner, []byte("SIP read from ")):
		h.direction, h.style, h.follows, peer = received, chanSIP, true, inner[len("SIP read from "):]
	case ok && transmitting(inner):
		h.direction, h.style, h.follows = sent, chanSIP, true
		_, peer, _ = bytes.Cut(inner, []byte(") to "))
	case ok && bytes.HasPrefix(inner, []byte("Received SIP ")):
		h.direction, h.style = received, pjsip
		_, peer, _ = bytes.Cut(inner, []byte(" from "))
		h.size = size(inner)
	case ok && bytes.HasPrefix(inner, []byte("Transmitting SIP ")):
		h.direction, h.style = sent, pjsip
		_, peer, _ = bytes.Cut(inner, []byte(" to "))
		h.size = size(inner)
	case ok:
		h.style, h.size = pjsip, size(inner)
	case transmitting(line) && bytes.HasSuffix(line, []byte(":")):
		h.direction, h.style = sent, oldChanSIP
		_, peer, _ = bytes.Cut(line[:len(line)-1], []byte(") to "))
	default:
		return header{}, false
	}
	h.transport, h.host, h.port = splitAddress(peer)
	return h, true
}

// arrows returns what "<--- ... --->" holds, if line is that and holds something.
func arrows(line []byte) ([]byte, bool) {
	const open, closing = "<--- ", " --->"
	if len(line) <= len(open)+len(closing) || !bytes.HasPrefix(line, []byte(open)) || !bytes.HasSuffix(line, []byte(closing)) {
		return nil, false
	}
	inner := bytes.TrimSpace(line[len(open) : len(line)-len(closing)])
	return inner, len(inner) > 0
}

// transmitting reports whether b starts as chan_sip's "Transmitting (NAT) to" or
// "Reliably Transmitting (no NAT) to".
func transmitting(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("Reliably "))
	return bytes.HasPrefix(b, []byte("Transmitting (")) && bytes.Contains(b, []byte(") to "))
}

// size reads the "(924 bytes)" of a header.
func size(inner []byte) []byte {
	_, rest, ok := bytes.Cut(inner, []byte("("))
	if !ok {
		return nil
	}
	n, _, ok := bytes.Cut(rest, []byte(" bytes)"))
	if !ok || !isDigits(n) {
		return nil
	}
	return n
}

// transports are the transports a header may name before the address.
var transports = [...]string{"UDP", "TCP", "TLS", "WS", "WSS", "SCTP"}

// splitAddress reads "UDP:203.0.113.4:5060", "WSS:[2001:db8::1]:8089" or "203.0.113.4:5060".
func splitAddress(a []byte) (transport, host, port []byte) {
	a = bytes.TrimSpace(a)
	if colon := bytes.IndexByte(a, ':'); colon > 0 {
		for _, t := range transports {
			if bytes.EqualFold(a[:colon], []byte(t)) {
				transport, a = a[:colon], a[colon+1:]
				break
			}
		}
	}
	if len(a) > 0 && a[0] == '[' {
		end := bytes.IndexByte(a, ']')
		if end < 0 {
			return transport, a, nil
		}
		host, a = a[1:end], a[end+1:]
		if len(a) > 1 && a[0] == ':' && isDigits(a[1:]) {
			port = a[1:]
		}
		return transport, host, port
	}
	if colon := bytes.LastIndexByte(a, ':'); colon > 0 && isDigits(a[colon+1:]) && bytes.IndexByte(a[:colon], ':') < 0 {
		return transport, a[:colon], a[colon+1:]
	}
	return transport, a, nil
}

// trace finds the SIP trace an entry's text holds: its header on the first line, or on
// the second after a prefix that stands alone (chan_sip's), and the message that
// follows, without chan_sip's end marker and the blank lines after it.
func trace(text []byte) (header, []byte, bool) {
	first, rest := cutLine(text)
	h, ok := readHeader(first)
	if !ok && len(bytes.TrimSpace(first)) == 0 {
		first, rest = cutLine(rest)
		if h, ok = readHeader(first); ok && !h.follows {
			ok = false
		}
	}
	if !ok {
		return header{}, nil, false
	}
	msg := rest
	if h.style != pjsip {
		for off := 0; off < len(rest); {
			line, _ := cutLine(rest[off:])
			if endMarker(bytes.TrimRight(line, " \r"), h.style) {
				msg = rest[:off]
				break
			}
			off += len(line) + 1
		}
	}
	return h, bytes.TrimRight(msg, "\r\n"), true
}

// endMarker reports whether line ends a chan_sip trace: "<------------->" (or as many
// dashes as a release writes), or older releases' "---".
func endMarker(line []byte, style int) bool {
	if style == oldChanSIP {
		return string(line) == "---"
	}
	if len(line) < 3 || line[0] != '<' || line[len(line)-1] != '>' {
		return false
	}
	for _, c := range line[1 : len(line)-1] {
		if c != '-' {
			return false
		}
	}
	return true
}

// cutLine returns the first line of b (its line break not included) and what follows it.
func cutLine(b []byte) (line, rest []byte) {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		return b[:nl], b[nl+1:]
	}
	return b, nil
}

// sipHeaders are the SIP headers a trace shows as its fields, with their compact forms.
var sipHeaders = [...][2]string{{"Call-ID", "i"}, {"CSeq", ""}, {"From", "f"}, {"To", "t"}, {"User-Agent", ""}}

// messageHeader returns a header of the traced message called name, if it is one of
// sipHeaders.
func messageHeader(msg []byte, name string) ([]byte, bool) {
	for _, h := range sipHeaders {
		if equalFold(name, h[0]) {
			return sip.Header(msg, h[0], h[1])
		}
	}
	return nil, false
}
