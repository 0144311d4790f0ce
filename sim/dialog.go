package sim

// leg is the path of a SIP call's messages between the caller (or the SBC) and the
// signalling node: through the Proxying Edge Node when the call came that way, which logs
// each message it relays too.
type leg struct {
	s        *Sim
	c        *call
	node     *node
	peer     string // whom the node talks with: the caller, or the edge
	peerPort int
}

func (s *Sim) sipLeg(c *call) leg {
	l := leg{s: s, c: c, node: c.sig, peer: c.remote, peerPort: c.remotePort}
	if c.proxied {
		l.peer, l.peerPort = s.edgeNode().ip, 5061
	}
	return l
}

// in logs a message from the caller: the edge logs it first, then the node.
func (l leg) in(message, detail string) {
	if l.c.proxied {
		l.s.sipLine(l.c, l.s.edgeNode(), message, l.c.remote, l.c.remotePort, l.peer, 5061, detail)
	}
	l.s.sipLine(l.c, l.node, message, l.peer, l.peerPort, l.node.ip, 5061, detail)
}

// out logs a message to the caller: the node logs it first, then the edge.
func (l leg) out(message, detail string) {
	l.s.sipLine(l.c, l.node, message, l.node.ip, 5061, l.peer, l.peerPort, detail)
	if l.c.proxied {
		l.s.sipLine(l.c, l.s.edgeNode(), message, l.peer, 5061, l.c.remote, l.c.remotePort, detail)
	}
}

// nodeHangUps are the Details of calls that the node hangs up.
var nodeHangUps = []string{"Conference terminated by host", "Call disconnected by API", "Media timeout"}

// nodeBye schedules the node's BYE to the caller and the caller's 200 OK.
func (s *Sim) nodeBye(c *call, sc *schedule, l leg) {
	h := c.headers
	var via string
	sc.then(s.ms(5, 40), func() {
		via = h.via + ": SIP/2.0/TLS " + c.sig.ip + ":5061;branch=z9hG4bK" + s.hexID(12)
		l.out("Sending SIP request", sipMessage("BYE sip:"+c.user+";transport=tls SIP/2.0", []string{
			via, "Max-Forwards: 70", nodeFrom(c), nodeTo(c), h.callID + ": " + c.callID, "CSeq: 1 BYE",
			"User-Agent: " + pexipProduct,
		}, nil))
	})
	sc.then(s.ms(10, 80), func() {
		l.in("Received SIP response", sipMessage("SIP/2.0 200 OK", []string{
			via, nodeFrom(c), nodeTo(c), h.callID + ": " + c.callID, "CSeq: 1 BYE", "User-Agent: " + c.vendor,
		}, nil))
	})
}

// nodeFrom and nodeTo are the From and To headers of a request from the node to the caller.
func nodeFrom(c *call) string {
	return c.headers.from + ": <sip:" + c.conf.alias + ">;tag=" + c.toTag
}

func nodeTo(c *call) string {
	return c.headers.to + ": \"" + c.display + "\" <sip:" + c.user + ">;tag=" + c.fromTag
}

// sipRefused schedules the rest of a SIP call refused in its PIN or host dialogue: the
// node answers it (its voice prompts need media), refuses it, and hangs up.
func (s *Sim) sipRefused(c *call, sc *schedule, l leg) {
	sc.then(s.ms(80, 400), func() { l.out("Sending SIP response", s.response(c, 200, "OK", "INVITE", 1, true)) })
	sc.then(s.ms(20, 120), func() { l.in("Received SIP request", s.request(c, "ACK", 1)) })
	s.refusal(c, sc)
	s.nodeBye(c, sc, l)
}

// refusal schedules the PIN or host dialogue of a refused call, up to its refusal.
func (s *Sim) refusal(c *call, sc *schedule) {
	n := c.sig
	// pin logs an administrator line of the dialogue: the message, the fields before the
	// participant's, the participant's, and the fields after them.
	pin := func(level, message string, before []string, after ...string) {
		pairs := append([]string{"Message", message}, before...)
		pairs = append(pairs, "Participant", "sip:"+c.user, "ConferenceAlias", c.conf.alias, n.key("Call-Id"), c.callID)
		s.log(n, level, "administrator.conference", append(pairs, after...)...)
	}
	wrong := func(left string) {
		sc.then(s.ms(3000, 9000), func() {
			pin("WARNING", "Participant entered incorrect conference PIN", []string{"RetriesRemaining", left})
		})
	}
	switch c.fate {
	case fatePINRetries:
		wrong("2")
		wrong("1")
		sc.then(s.ms(3000, 9000), func() {
			pin("WARNING", "Participant exceeded PIN entry retries. Call will be disconnected.", nil)
			s.state(c, StateFailed, ReasonPINRetries)
		})
	case fatePINTimeout:
		if s.chance(0.5) {
			wrong("2")
		}
		sc.then(s.ms(20000, 60000), func() {
			pin("WARNING", "PIN entry timed out.", nil, "Detail", "The correct PIN has not been received. Call will be disconnected.")
			s.state(c, StateFailed, ReasonPINTimeout)
		})
	case fateHostTimeout:
		sc.then(s.ms(2000, 9000), func() {
			pin("INFO", "PIN entry correct.", nil, "Role", "guest",
				"Detail", "Participant entered correct conference PIN and will be placed into the conference.")
		})
		sc.then(s.ms(5, 50), func() {
			pin("INFO", "Guest participant waiting.", nil, "Role", "guest",
				"Detail", "Waiting until participant is allowed to join the conference.")
		})
		sc.then(s.ms(30000, 120000), func() {
			pin("WARNING", "Conference host timeout.", nil, "Detail", "The conference host has not joined. Call will be disconnected.")
			s.state(c, StateFailed, ReasonHostTimeout)
		})
	}
}
