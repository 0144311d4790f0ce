package sim

import (
	"strconv"
	"time"
)

// call is one participant leg, from its first line to its last.
type call struct {
	protocol, direction                   string
	conf                                  *conference
	inst                                  *instance
	sig, media                            *node // signalling and media Conferencing Nodes
	proxied                               bool  // arrived through the Proxying Edge Node
	display, user, remote, vendor         string
	remotePort                            int
	callID, convID, partID, uuid          string
	fromTag, toTag, branch                string
	headers                               sipHeaders
	video, presentation, encrypted, lossy bool
	bandwidth                             int // kbps
	joined                                int64
	quality                               string
	rec                                   *record
	fate                                  fate // how the call goes, when the options decide it
	lone, spam                            bool // a SIP dialog no administrator line describes; of a scanner
	showing, over                         bool // presenting now; disconnected
	window                                window
}

// newCall starts the next call and schedules the one after it.
func (s *Sim) newCall() {
	s.after(s.gap(300, 5000), s.newCall)
	c := s.makeCall()
	if s.opt.SBC != "" && c.protocol == "SIP" && !c.fate.refused() && s.chance(0.25) {
		c.fate = fateFail
		s.after(s.ms(200, 6000), func() { s.start(s.neighbour(c)) })
	}
	s.start(c)
}

// start logs the first lines of call c and schedules the others.
func (s *Sim) start(c *call) {
	s.owner = c.rec
	defer func() { s.owner = nil }()
	switch c.protocol {
	case "SIP":
		s.sipCall(c)
	case "WebRTC":
		s.webrtcCall(c)
	case "H323":
		s.h323Call(c)
	default:
		s.apiCall(c)
	}
}

// makeCall draws the next call and starts its record.
func (s *Sim) makeCall() *call {
	c := s.drawCall()
	s.shape(c)
	s.track(c)
	return c
}

// drawCall draws who calls, how and where.
func (s *Sim) drawCall() *call {
	display, user := s.personName()
	c := &call{
		conf: s.confs[s.rng.IntN(len(s.confs))], display: display, user: user + "@" + s.pick(domains),
		remote: s.remoteAddress(), remotePort: 1024 + s.rng.IntN(60000), direction: "in",
		partID: s.uuid(), convID: s.uuid(), uuid: s.uuid(),
		fromTag: s.hexID(8), toTag: s.hexID(10), branch: s.hexID(12), headers: fullHeaders,
		video: s.chance(0.85), encrypted: s.chance(0.9), lossy: s.chance(0.15), quality: "1_good",
		bandwidth: []int{768, 1024, 1536, 2048, 2560}[s.rng.IntN(5)],
	}
	c.presentation = c.video && s.chance(0.35)
	c.sig = s.transcoder()
	c.media = c.sig
	if s.chance(0.3) {
		c.media = s.transcoder()
	}
	c.proxied = s.chance(0.2)
	switch r := s.rng.Float64(); {
	case r < 0.5:
		c.protocol, c.vendor = "SIP", s.pick(sipVendors)
		c.callID = s.hexID(16) + "@" + c.remote
		if c.vendor[0] == 'Y' {
			c.headers = compactHeaders
		}
		if s.chance(0.1) {
			c.direction = "out"
		}
	case r < 0.8:
		c.protocol, c.vendor, c.callID = "WebRTC", s.pick(webrtcVendors), s.uuid()
	case r < 0.92:
		c.protocol, c.vendor, c.callID = "H323", s.pick(h323Vendors), s.uuid()
	default:
		c.protocol, c.vendor, c.callID, c.video, c.presentation = "API", s.pick(webrtcVendors), s.uuid(), false, false
	}
	return c
}

// schedule runs the steps of a call one after another, each d after the one before, their
// lines those of the call.
type schedule struct {
	s *Sim
	c *call
	t time.Duration
}

func (s *Sim) scheduleFor(c *call) *schedule { return &schedule{s: s, c: c} }

func (sc *schedule) then(d time.Duration, run func()) {
	sc.t += d
	sc.s.afterFor(sc.c, sc.t, run)
}

func (s *Sim) sipCall(c *call) {
	sc := s.scheduleFor(c)
	l := s.sipLeg(c)
	received := func(detail string) { l.in("Received SIP request", detail) }
	sent := func(detail string) { l.out("Sending SIP response", detail) }
	if c.direction == "out" {
		s.unowned(func() {
			s.log(s.management(), "INFO", "administrator.participantdialer", "Message", "Placing outbound call",
				"ConferenceAlias", c.conf.alias, "DisplayName", c.conf.name, "Participant-alias", "sip:"+c.user, "Protocol", "SIP", "Role", "guest")
		})
	}
	received(s.invite(c))
	sc.then(s.ms(1, 3), func() { sent(s.response(c, 100, "Trying", "INVITE", 1, false)) })
	sc.then(s.ms(3, 15), func() { s.attempt(c) })
	if c.fate.refused() {
		s.sipRefused(c, sc, l)
		return
	}
	if s.failOrJoinLater(c, sc) {
		sc.then(s.ms(2, 10), func() {
			sent(s.response(c, 404, "Not Found", "INVITE", 1, false))
			s.fact(c, func(t *CallTruth) { t.Status = 404 })
		})
		sc.then(s.ms(20, 80), func() { received(s.request(c, "ACK", 1)) })
		return
	}
	sc.then(s.ms(80, 400), func() { sent(s.response(c, 200, "OK", "INVITE", 1, true)) })
	sc.then(s.ms(20, 120), func() { received(s.request(c, "ACK", 1)) })
	s.connected(c, sc)
	if s.opt.ByeAfterDisconnect && s.chance(0.5) {
		s.ended(c, sc, s.pick(nodeHangUps))
		s.nodeBye(c, sc, l)
		return
	}
	sc.then(0, func() { received(s.request(c, "BYE", 2)) })
	sc.then(s.ms(1, 5), func() { sent(s.response(c, 200, "OK", "BYE", 2, false)) })
	s.ended(c, sc, "Remote disconnect")
}

// failOrJoinLater schedules the PIN dialogue, if any, and the refusal of calls that fail.
// It reports whether the call fails.
func (s *Sim) failOrJoinLater(c *call, sc *schedule) bool {
	if c.conf.pin {
		sc.then(s.ms(2000, 9000), func() {
			if s.chance(0.2) {
				s.log(c.sig, "WARNING", "administrator.conference", "Message", "Participant entered incorrect conference PIN",
					"RetriesRemaining", "2", "Participant", "sip:"+c.user, "ConferenceAlias", c.conf.alias, c.sig.key("Call-Id"), c.callID)
			}
		})
		sc.then(s.ms(1500, 6000), func() {
			s.log(c.sig, "INFO", "administrator.conference", "Message", "PIN entry correct.", "Participant", "sip:"+c.user,
				"ConferenceAlias", c.conf.alias, c.sig.key("Call-Id"), c.callID, "Role", "guest",
				"Detail", "Participant entered correct conference PIN and will be placed into the conference.")
		})
	}
	fails := s.chance(0.06)
	switch c.fate {
	case fateFail:
		fails = true
	case fateJoin:
		fails = false
	}
	if fails {
		reason := s.pick(failReasons)
		sc.then(s.ms(2, 20), func() {
			s.log(c.sig, "WARNING", "administrator.conference", "Message", "Participant failed to join conference.",
				"ConferenceAlias", c.conf.alias, "Participant", "sip:"+c.user, "Protocol", c.protocol, "Direction", c.direction,
				c.sig.key("Remote-Address"), c.remote, c.sig.key("Participant-Id"), c.partID, "Reason", reason)
			s.state(c, StateFailed, reason)
		})
	}
	return fails
}

// attempt logs "Participant attempting to join conference."
func (s *Sim) attempt(c *call) {
	n := c.sig
	s.log(n, "INFO", "administrator.conference", "Message", "Participant attempting to join conference.",
		"ConferenceAlias", c.conf.alias, "Participant", "sip:"+c.user, "Protocol", c.protocol, "Direction", c.direction,
		n.key("Remote-Address"), c.remote, n.key("Participant-Id"), c.partID, "Registered", "False", "Location", n.location)
}

// identity appends the fields that "has joined" and "has disconnected" share.
func (s *Sim) identity(c *call) {
	n := c.sig
	s.kvs("Conference", c.conf.name, n.key("Service-Tag"), c.conf.tag, n.key("Service-Type"), c.conf.serviceType,
		"ConferenceAlias", c.conf.alias, "Participant", "sip:"+c.user, "DisplayName", c.display, "Protocol", c.protocol,
		"Direction", c.direction, "Vendor", c.vendor, n.key("Call-Id"), c.callID, n.key("Conversation-Id"), c.convID,
		n.key("Participant-Id"), c.partID, n.key("Remote-Address"), c.remote, "Location", c.media.location, "Licenses", "1",
		n.key("Signaling-Node"), c.sig.ip, n.key("Signaling-Location"), c.sig.location, n.key("Media-Node"), c.media.ip)
	if !n.old {
		s.kv("Conference-ID", c.inst.id)
	}
	if c.proxied {
		edge := s.edgeNode()
		s.kvs("Proxy-Node", edge.ip, "Proxy-Location", edge.location)
	}
}

// connected schedules the middle of a call: the conference instance, "has joined", media
// mode, quality changes, presentation, and how long the call lasts.
func (s *Sim) connected(c *call, sc *schedule) {
	sc.then(s.ms(5, 40), func() {
		inst := c.conf.instances[c.media]
		if inst == nil {
			inst = &instance{id: s.uuid(), start: s.now}
			c.conf.instances[c.media] = inst
			n := c.media
			s.unowned(func() {
				s.begin(n, "INFO", "administrator.conference")
				s.kvs("Message", "Conference has been created.", "Conference", c.conf.name, n.key("Service-Tag"), c.conf.tag,
					n.key("Service-Type"), c.conf.serviceType)
				if !n.old {
					s.kv("Conference-ID", inst.id)
				}
				s.end()
			})
		}
		inst.participants++
		c.inst = inst
		c.joined = s.now
		s.begin(c.sig, "INFO", "administrator.conference")
		s.kv("Message", "Participant has joined.")
		s.identity(c)
		s.end()
		s.state(c, StateConnected, "")
		if s.opt.MediaWindows && c.protocol != "API" {
			s.afterFor(c, windowEvery+s.ms(0, 10000), func() { s.mediaWindow(c) })
		}
	})
	if c.protocol == "API" {
		sc.then(s.callLength(), func() {})
		return
	}
	sc.then(s.ms(300, 2000), func() {
		mode := "audio"
		if c.video {
			mode = "video 1280x720@30 H264"
		}
		s.log(c.media, "INFO", c.media.mediaModule(), "Message", "New mode activated", "Participant", "sip:"+c.user,
			c.media.key("Call-Id"), c.callID, "Mode", mode)
	})
	length := s.callLength()
	if c.lossy {
		sc.then(length/3, func() { s.qualityChange(c, "3_bad") })
		if c.video && s.chance(0.5) {
			sc.then(s.ms(100, 3000), func() {
				s.log(c.media, "WARNING", "support.participant", "Message", "Lost incoming video", "Participant", "sip:"+c.user,
					c.media.key("Call-Id"), c.callID)
			})
		}
		sc.then(length/3, func() { s.qualityChange(c, "2_ok") })
		length /= 3
	}
	if c.presentation {
		sc.then(length/4, func() { s.presenting(c, true) })
		sc.then(length/2, func() { s.presenting(c, false) })
		length /= 4
	}
	sc.then(length, func() {})
}

// callLength draws how long a call stays: mostly minutes, sometimes under one, sometimes an hour.
func (s *Sim) callLength() time.Duration {
	switch r := s.rng.Float64(); {
	case r < 0.15:
		return s.ms(5000, 60000)
	case r < 0.9:
		return s.ms(60000, 1800000)
	default:
		return s.ms(1800000, 4000000)
	}
}

func (s *Sim) qualityChange(c *call, now string) {
	level := "INFO"
	if now == "3_bad" || now == "4_terrible" {
		level = "WARNING"
	}
	s.log(c.media, level, c.media.mediaModule(), "Message", "Stable call quality changed", "Participant", "sip:"+c.user,
		c.media.key("Call-Id"), c.callID, "Was", c.quality, "Now", now)
	change := QualityChange{Time: loggedTime(s.now), Was: c.quality, Now: now}
	s.fact(c, func(t *CallTruth) { t.Quality = append(t.Quality, change) })
	c.quality = now
}

func (s *Sim) presenting(c *call, start bool) {
	n := c.sig
	c.showing = start
	msg := "Participant is presenting."
	if !start {
		msg = "Participant has stopped presenting."
	}
	s.log(n, "INFO", "administrator.conference", "Message", msg, "Conference", c.conf.name, n.key("Service-Tag"), c.conf.tag,
		"Participant", "sip:"+c.user, n.key("Call-Id"), c.callID, n.key("Conversation-Id"), c.convID)
	if c.protocol != "SIP" {
		return
	}
	prim := "FloorRequest"
	if !start {
		prim = "FloorRelease"
	}
	s.log(n, "INFO", "support.bfcp", "Message", "Received BFCP message", "Src-address", c.remote, "Src-port", itoa(c.remotePort+4),
		"Dst-address", n.ip, "Dst-port", "5070", "Transport", "TLS", n.key("Call-Id"), c.callID, "Detail", "Primitive: "+prim+"^MConference ID: 1^MUser ID: 2^MFloor ID: 2")
	s.log(n, "INFO", "support.bfcp", "Message", "Sending BFCP message", "Src-address", n.ip, "Src-port", "5070",
		"Dst-address", c.remote, "Dst-port", itoa(c.remotePort+4), "Transport", "TLS", n.key("Call-Id"), c.callID,
		"Detail", "Primitive: FloorRequestStatus^MConference ID: 1^MUser ID: 2^MRequest Status: Granted")
}

// ended schedules the end of a call: media statistics, "has disconnected", and the end of
// the conference instance when it was the last participant.
func (s *Sim) ended(c *call, sc *schedule, reason string) {
	sc.then(s.ms(5, 30), func() {
		if c.protocol != "API" {
			s.mediaStats(c)
		}
	})
	sc.then(s.ms(1, 10), func() {
		n := c.sig
		s.begin(n, "INFO", "administrator.conference")
		s.kv("Message", "Participant has disconnected.")
		s.identity(c)
		duration := seconds(s.now - c.joined)
		s.kvs("License-Type", "port", "Duration", duration, "Detail", reason)
		s.end()
		s.fact(c, func(t *CallTruth) { t.State, t.Reason, t.Duration = StateEnded, reason, duration })
		c.over = true
		c.inst.participants--
		s.owner = nil // the instance's lines are none of the call's
		if c.inst.participants == 0 {
			m := c.media
			s.begin(m, "INFO", "administrator.conference")
			s.kvs("Message", "Conference has been stopped.", "Conference", c.conf.name, m.key("Service-Tag"), c.conf.tag,
				m.key("Service-Type"), c.conf.serviceType, "Duration", seconds(s.now-c.inst.start))
			if !m.old {
				s.kv("Conference-ID", c.inst.id)
			}
			s.end()
			delete(c.conf.instances, m)
		}
	})
}

// mediaStats logs one "Media Stream destroyed" line per stream, under the module the media
// node's release uses.
func (s *Sim) mediaStats(c *call) {
	kinds := []string{"audio"}
	if c.video {
		kinds = append(kinds, "video")
	}
	if c.presentation {
		kinds = append(kinds, "presentation")
	}
	for i, kind := range kinds {
		detail := "Stream " + itoa(i) + " (" + kind + ")" + crlf + "  RX: " + s.direction(c, kind) + crlf + "  TX: " + s.direction(c, kind) + crlf + "    " + s.codec(c, kind)
		s.log(c.media, "INFO", c.media.mediaModule(), "Message", "Media Stream destroyed", "Participant", "sip:"+c.user,
			c.media.key("Call-Id"), c.callID, c.media.key("Conversation-Id"), c.convID, "Detail", detail)
		s.noteStream(c, detail)
	}
}

// direction is one "rate ... loss ... jitter ..." statistics line.
func (s *Sim) direction(c *call, kind string) string {
	rate := 40 + s.rng.IntN(30)
	if kind != "audio" {
		rate = c.bandwidth/2 + s.rng.IntN(c.bandwidth/2)
	}
	loss, jitter := float64(s.rng.IntN(30))/100, 1+s.rng.IntN(12)
	if c.lossy {
		loss, jitter = 0.5+s.rng.Float64()*9, 20+s.rng.IntN(70)
	}
	return "rate " + itoa(rate) + "kbps loss " + strconv.FormatFloat(loss, 'f', 2, 64) + "% jitter " + itoa(jitter) + "ms"
}

func (s *Sim) codec(c *call, kind string) string {
	switch kind {
	case "audio":
		return "codec " + s.pick([]string{"opus", "MP4A-LATM", "G.722", "PCMU"}) + " rate 64kbps"
	case "video":
		res := s.pick([]string{"1280x720", "768x448", "1920x1080", "640x360"})
		return "codec " + s.pick([]string{"H264", "VP8", "VP9"}) + " rate " + itoa(c.bandwidth-64) + "kbps resolution " + res + " fps " + s.pick([]string{"30", "25", "15"})
	default:
		return "codec H264 rate 1500kbps resolution 1920x1080 fps 5"
	}
}
