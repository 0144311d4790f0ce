package sim

// fate is how a call goes, when the options decide it rather than the default draws.
type fate uint8

const (
	fateDefault     fate = iota // as the default simulation draws it
	fateJoin                    // joins, after its PIN if any
	fateFail                    // "Participant failed to join conference."
	fatePINRetries              // "Participant exceeded PIN entry retries. Call will be disconnected."
	fatePINTimeout              // "PIN entry timed out."
	fateHostTimeout             // "Guest participant waiting.", then "Conference host timeout."
)

// refused tells whether the call is refused during its PIN or host dialogue.
func (f fate) refused() bool { return f >= fatePINRetries }

// shape applies the options to a call just drawn: its SIP through the SBC, and its fate.
// With the options off it draws nothing, so that the default output stays as it was.
func (s *Sim) shape(c *call) {
	if s.opt.SBC != "" && c.protocol == "SIP" {
		c.remote, c.remotePort = s.opt.SBC, 5061
		c.callID = s.hexID(16) + "@" + c.remote
	}
	if !s.opt.Refusals {
		return
	}
	pinned := c.conf.pin && (c.protocol == "SIP" || c.protocol == "H323")
	switch r := s.rng.Float64(); {
	case pinned && r < 0.12:
		c.fate = fatePINRetries
	case pinned && r < 0.2:
		c.fate = fatePINTimeout
	case pinned && r < 0.28:
		c.fate = fateHostTimeout
	case r >= 0.95:
		c.fate = fateFail
	}
}

// neighbour is the SIP call that comes through the SBC seconds after a call that failed to
// join, to the same alias: someone else's, or the same person's dialling again. Pairing
// the two calls' attempt lines and signalling by address, protocol and alias within 10 s
// would cross or merge them.
func (s *Sim) neighbour(first *call) *call {
	c := s.drawCall()
	c.protocol, c.direction, c.conf, c.vendor = "SIP", "in", first.conf, s.pick(sipVendors)
	if s.chance(0.4) {
		c.display, c.user, c.vendor = first.display, first.user, first.vendor
	}
	c.headers = fullHeaders
	if c.vendor[0] == 'Y' {
		c.headers = compactHeaders
	}
	c.remote, c.remotePort = s.opt.SBC, 5061
	c.callID = s.hexID(16) + "@" + c.remote
	c.fate = fateJoin
	if s.chance(0.5) {
		c.fate = fateFail
	}
	s.track(c)
	return c
}
