package sim

import (
	"strings"
	"time"
)

// crlf is how a line break inside a logged SIP message is written.
const crlf = "^M"

// sipMessage joins a start line, headers and an optional SDP body into one Detail value,
// with a Content-Length that counts the body's real CRLF line breaks.
func sipMessage(start string, headers []string, body []string) string {
	var b strings.Builder
	b.WriteString(start)
	for _, h := range headers {
		b.WriteString(crlf)
		b.WriteString(h)
	}
	length := 0
	for _, l := range body {
		length += len(l) + 2
	}
	if len(body) > 0 {
		b.WriteString(crlf + "Content-Type: application/sdp")
	}
	b.WriteString(crlf + "Content-Length: " + itoa(length) + crlf)
	for _, l := range body {
		b.WriteString(crlf)
		b.WriteString(l)
	}
	return b.String()
}

// sdp returns an SDP offer or answer from addr: audio, video when the call has it, and a
// BFCP line for presentation.
func (s *Sim) sdp(c *call, addr string, answer bool) []string {
	sess := itoa(100000 + s.rng.IntN(900000))
	lines := []string{"v=0", "o=- " + sess + " 1 IN IP4 " + addr, "s=-", "c=IN IP4 " + addr, "b=AS:" + itoa(c.bandwidth), "t=0 0"}
	port := 40000 + 2*s.rng.IntN(5000)
	proto := "RTP/AVP"
	if c.encrypted {
		proto = "RTP/SAVP"
	}
	lines = append(lines, "m=audio "+itoa(port)+" "+proto+" 96 0 8 101", "a=rtpmap:96 opus/48000/2", "a=rtpmap:0 PCMU/8000",
		"a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000")
	if c.encrypted {
		lines = append(lines, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"+s.key())
	}
	lines = append(lines, "a=sendrecv")
	if c.video {
		lines = append(lines, "m=video "+itoa(port+2)+" "+proto+" 97 98", "b=TIAS:"+itoa(c.bandwidth*1000-64000),
			"a=rtpmap:97 H264/90000", "a=fmtp:97 profile-level-id=42e01f;packetization-mode=1;max-fs=8160",
			"a=rtpmap:98 VP8/90000", "a=rtcp-fb:* nack pli", "a=content:main")
		if c.encrypted {
			lines = append(lines, "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"+s.key())
		}
		lines = append(lines, "a=sendrecv")
	}
	if c.presentation {
		setup := "actpass"
		if answer {
			setup = "passive"
		}
		lines = append(lines, "m=application "+itoa(port+4)+" TCP/TLS/BFCP *", "a=floorctrl:c-s", "a=setup:"+setup,
			"a=connection:new", "a=confid:1", "a=userid:2", "a=floorid:2 mstrm:3",
			"m=video "+itoa(port+6)+" "+proto+" 97", "b=TIAS:1500000", "a=rtpmap:97 H264/90000",
			"a=fmtp:97 profile-level-id=42e01f;packetization-mode=1", "a=content:slides", "a=label:3", "a=sendrecv")
	}
	return lines
}

func (s *Sim) key() string {
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	k := make([]byte, 40)
	for i := range k {
		k[i] = b64[s.rng.IntN(64)]
	}
	return string(k)
}

// invite is the caller's INVITE with its SDP offer.
func (s *Sim) invite(c *call) string {
	h := c.headers
	headers := []string{
		h.via + ": SIP/2.0/TLS " + c.remote + ":" + itoa(c.remotePort) + ";branch=z9hG4bK" + c.branch + ";rport",
		"Max-Forwards: 70",
		h.from + ": \"" + c.display + "\" <sip:" + c.user + ">;tag=" + c.fromTag,
		h.to + ": <sip:" + c.conf.alias + ">",
		h.callID + ": " + c.callID,
		"CSeq: 1 INVITE",
		h.contact + ": <sip:" + c.user + ";transport=tls>",
		"User-Agent: " + c.vendor,
		"Allow: INVITE, ACK, CANCEL, BYE, UPDATE, INFO, OPTIONS, REFER, NOTIFY",
		"Supported: replaces,timer,100rel",
		"Session-Expires: 1800",
	}
	return sipMessage("INVITE sip:"+c.conf.alias+" SIP/2.0", headers, s.sdp(c, c.remote, false))
}

// response is the node's reply to the caller's request method with CSeq cseq.
func (s *Sim) response(c *call, code int, reason, method string, cseq int, withSDP bool) string {
	headers := responseHeaders(c, code, method, cseq)
	var body []string
	if withSDP {
		headers = append(headers, "Contact: <sip:"+c.conf.alias+";transport=tls>")
		body = s.sdp(c, c.media.ip, true)
	}
	return sipMessage("SIP/2.0 "+itoa(code)+" "+reason, headers, body)
}

// responseHeaders are the headers of the node's reply to the caller's request.
func responseHeaders(c *call, code int, method string, cseq int) []string {
	h := c.headers
	to := h.to + ": <sip:" + c.conf.alias + ">"
	if code > 100 {
		to += ";tag=" + c.toTag
	}
	headers := []string{
		h.via + ": SIP/2.0/TLS " + c.remote + ":" + itoa(c.remotePort) + ";branch=z9hG4bK" + c.branch + ";rport=" + itoa(c.remotePort),
		h.from + ": \"" + c.display + "\" <sip:" + c.user + ">;tag=" + c.fromTag,
		to,
		h.callID + ": " + c.callID,
		"CSeq: " + itoa(cseq) + " " + method,
		"Server: " + pexipProduct,
	}
	return headers
}

// pexipProduct is what the nodes write in their Server and User-Agent headers.
const pexipProduct = "Pexip Infinity Conferencing Platform/35.1 (84510.0.0)"

// request is an in-dialog request (ACK, BYE) from the caller.
func (s *Sim) request(c *call, method string, cseq int) string {
	h := c.headers
	headers := []string{
		h.via + ": SIP/2.0/TLS " + c.remote + ":" + itoa(c.remotePort) + ";branch=z9hG4bK" + s.hexID(10) + ";rport",
		"Max-Forwards: 70",
		h.from + ": \"" + c.display + "\" <sip:" + c.user + ">;tag=" + c.fromTag,
		h.to + ": <sip:" + c.conf.alias + ">;tag=" + c.toTag,
		h.callID + ": " + c.callID,
		"CSeq: " + itoa(cseq) + " " + method,
		"User-Agent: " + c.vendor,
	}
	return sipMessage(method+" sip:"+c.conf.alias+";transport=tls SIP/2.0", headers, nil)
}

// sipHeaders are the header names a SIP stack writes: full or compact (RFC 3261 §7.3.3).
type sipHeaders struct{ via, from, to, callID, contact string }

var (
	fullHeaders    = sipHeaders{"Via", "From", "To", "Call-ID", "Contact"}
	compactHeaders = sipHeaders{"v", "f", "t", "i", "m"}
)

// sipLine logs a SIP message of call c sent or received by n. A long message is logged as
// fragments with Fragment-id, Fragment-number and Fragment-total; the later fragments follow
// a little later, so other lines can fall between them.
func (s *Sim) sipLine(c *call, n *node, message, src string, srcPort int, dst string, dstPort int, detail string) {
	parts := s.fragments(detail)
	if len(parts) == 1 {
		s.log(n, "INFO", "support.sip", "Message", message, "Src-address", src, "Src-port", itoa(srcPort),
			"Dst-address", dst, "Dst-port", itoa(dstPort), "Transport", "TLS", "Detail", detail)
	} else {
		id := s.hexID(16)
		var delay time.Duration
		for i, part := range parts {
			emit := func() {
				s.log(n, "INFO", "support.sip", "Message", message, "Src-address", src, "Src-port", itoa(srcPort),
					"Dst-address", dst, "Dst-port", itoa(dstPort), "Transport", "TLS",
					"Fragment-id", id, "Fragment-number", itoa(i), "Fragment-total", itoa(len(parts)), "Detail", part)
			}
			if i == 0 {
				emit()
			} else {
				delay += s.ms(0, 3)
				s.afterFor(c, delay, emit)
			}
		}
	}
	// Noted on the line just written: the message's, or its first fragment's.
	s.noteSIP(c, detail)
}
