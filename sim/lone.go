package sim

import "time"

// scanners are the User-Agents of SIP scanners.
var scanners = []string{"friendly-scanner", "sipvicious", "sipcli/v1.8", "pplsip"}

// unknownAliases are aliases that no conference or rule answers.
var unknownAliases = []string{"meet.alcie@example.com", "sales2@example.com", "boardroom@example.com", "4711@example.com"}

// loneDialog logs a SIP dialog that no administrator line describes, and schedules the
// next: an INVITE refused at once, a scanner's INVITE, an INVITE the caller cancels, or one
// that fails after 100 Trying.
func (s *Sim) loneDialog() {
	s.after(s.gap(4000, 40000), s.loneDialog)
	c := s.drawLone()
	kind := s.rng.IntN(8)
	if kind < 2 { // a scanner trying numbers on the node's address
		number := itoa(100 + s.rng.IntN(900))
		c.spam, c.display, c.user, c.vendor = true, number, number+"@"+c.remote, s.pick(scanners)
		c.conf.alias = number + "@" + c.sig.ip
	}
	switch kind {
	case 2:
		c.conf.alias = s.pick(unknownAliases)
	case 4:
		c.conf.alias = "teams@example.com"
	}
	s.track(c)
	s.owner = c.rec
	defer func() { s.owner = nil }()
	sc := s.scheduleFor(c)
	l := s.sipLeg(c)
	invite := s.invite(c)
	if c.spam {
		invite = scannerInvite(c)
	}
	l.in("Received SIP request", invite)
	refuse := func(d time.Duration, code int, phrase, reason, warning string) {
		sc.then(d, func() { s.finalResponse(c, l, code, phrase, reason, warning) })
		sc.then(s.ms(20, 80), func() { l.in("Received SIP request", s.request(c, "ACK", 1)) })
	}
	trying := func() {
		sc.then(s.ms(1, 3), func() { l.out("Sending SIP response", s.response(c, 100, "Trying", "INVITE", 1, false)) })
	}
	switch kind {
	case 0, 1, 2:
		refuse(s.ms(1, 8), 404, "Not Found", "", "")
	case 3:
		refuse(s.ms(1, 8), 403, "Forbidden", `Q.850;cause=21;text="Call rejected"`, "")
	case 4:
		refuse(s.ms(1, 8), 486, "Busy Here", "", "")
	case 5:
		refuse(s.ms(1, 8), 488, "Not Acceptable Here", `SIP;cause=488;text="Incompatible media"`,
			`305 `+c.sig.ip+` "Incompatible media format"`)
	case 6: // the caller gives up
		trying()
		sc.then(s.ms(500, 8000), func() { l.in("Received SIP request", cancel(c)) })
		sc.then(s.ms(1, 3), func() { l.out("Sending SIP response", s.response(c, 200, "OK", "CANCEL", 1, false)) })
		refuse(s.ms(1, 3), 487, "Request Terminated", "", "")
	default:
		trying()
		refuse(s.ms(50, 500), 503, "Service Unavailable", "", `399 `+c.sig.ip+` "Call capacity limit reached"`)
	}
}

// drawLone draws the caller of a lone dialog and the node it reaches.
func (s *Sim) drawLone() *call {
	n := s.transcoder()
	display, user := s.personName()
	c := &call{protocol: "SIP", direction: "in", lone: true, sig: n, media: n, display: display, user: user + "@" + s.pick(domains),
		remote: s.remoteAddress(), remotePort: 1024 + s.rng.IntN(60000), vendor: s.pick(sipVendors), headers: fullHeaders,
		fromTag: s.hexID(8), toTag: s.hexID(10), branch: s.hexID(12), video: s.chance(0.8), encrypted: s.chance(0.9),
		bandwidth: 1024, quality: "1_good", conf: &conference{alias: s.confs[s.rng.IntN(len(s.confs))].alias}}
	if s.opt.SBC != "" {
		c.remote, c.remotePort = s.opt.SBC, 5061
	}
	if c.vendor[0] == 'Y' {
		c.headers = compactHeaders
	}
	c.callID = s.hexID(16) + "@" + c.remote
	return c
}

// finalResponse logs the node's final 4xx–6xx response to a lone dialog's INVITE, with
// a Reason and a Warning header when they are not empty.
func (s *Sim) finalResponse(c *call, l leg, code int, phrase, reason, warning string) {
	headers := responseHeaders(c, code, "INVITE", 1)
	if reason != "" {
		headers = append(headers, "Reason: "+reason)
	}
	if warning != "" {
		headers = append(headers, "Warning: "+warning)
	}
	l.out("Sending SIP response", sipMessage("SIP/2.0 "+itoa(code)+" "+phrase, headers, nil))
	s.fact(c, func(t *CallTruth) {
		t.State, t.Reason, t.Status, t.ReasonHeader, t.Warning = StateFailed, itoa(code)+" "+phrase, code, reason, warning
	})
}

// scannerInvite is a SIP scanner's INVITE: no SDP, a number for a name.
func scannerInvite(c *call) string {
	h := c.headers
	return sipMessage("INVITE sip:"+c.conf.alias+" SIP/2.0", []string{
		h.via + ": SIP/2.0/TLS " + c.remote + ":" + itoa(c.remotePort) + ";branch=z9hG4bK" + c.branch + ";rport",
		"Max-Forwards: 70",
		h.from + ": \"" + c.display + "\" <sip:" + c.user + ">;tag=" + c.fromTag,
		h.to + ": \"" + c.display + "\" <sip:" + c.conf.alias + ">",
		h.callID + ": " + c.callID,
		"CSeq: 1 INVITE",
		h.contact + ": <sip:" + c.user + ">",
		"User-Agent: " + c.vendor,
		"Accept: application/sdp",
	}, nil)
}

// cancel is the caller's CANCEL of its INVITE.
func cancel(c *call) string {
	h := c.headers
	return sipMessage("CANCEL sip:"+c.conf.alias+" SIP/2.0", []string{
		h.via + ": SIP/2.0/TLS " + c.remote + ":" + itoa(c.remotePort) + ";branch=z9hG4bK" + c.branch + ";rport",
		"Max-Forwards: 70",
		h.from + ": \"" + c.display + "\" <sip:" + c.user + ">;tag=" + c.fromTag,
		h.to + ": <sip:" + c.conf.alias + ">",
		h.callID + ": " + c.callID,
		"CSeq: 1 CANCEL",
		"User-Agent: " + c.vendor,
	}, nil)
}
