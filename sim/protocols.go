package sim

// REST API paths of the Pexip client API.
const clientAPI = "/api/client/v2/conferences/"

// rest logs a client API request and its response, both carrying the participant as Uuid.
func (s *Sim) rest(c *call, method, path string, status int, response string) {
	n := c.sig
	s.log(n, "INFO", "support.rest", "Message", "Received REST API request", "Method", method, "Path", path,
		n.key("Remote-Address"), c.remote, "Uuid", c.partID)
	level := "INFO"
	if status >= 400 {
		level = "WARNING"
	}
	s.log(n, level, "support.rest", "Message", "Sending REST API response", "Method", method, "Path", path,
		"Status", itoa(status), "Uuid", c.partID, "Detail", response)
}

func (s *Sim) webrtcCall(c *call) {
	sc := s.scheduleFor(c)
	base := clientAPI + c.conf.alias
	s.rest(c, "POST", base+"/request_token", 200,
		`{"status": "success", "result": {"token": "`+s.key()+`", "participant_uuid": "`+c.partID+`", "display_name": "`+c.display+`", "role": "GUEST", "expires": "120"}}`)
	sc.then(s.ms(2, 10), func() { s.attempt(c) })
	if s.failOrJoinLater(c, sc) {
		return
	}
	sc.then(s.ms(200, 900), func() {
		s.rest(c, "POST", base+"/participants/"+c.partID+"/calls", 200,
			`{"status": "success", "result": {"call_uuid": "`+c.callID+`", "sdp": "v=0 ..."}}`)
	})
	iceFails := s.chance(0.04)
	sc.then(s.ms(100, 1500), func() {
		n := c.media
		if iceFails {
			s.log(n, "ERROR", "support.ice", "Message", "ICE failed", "Participant", "sip:"+c.user, n.key("Call-Id"), c.callID,
				"Detail", "No valid candidate pair after 10s; remote candidates: 2 host, 1 srflx")
			return
		}
		s.log(n, "INFO", "support.ice", "Message", "ICE new-selected-pair event", "Participant", "sip:"+c.user, n.key("Call-Id"), c.callID,
			"Local", n.ip+":"+itoa(40000+s.rng.IntN(9999))+" host", "Remote", c.remote+":"+itoa(c.remotePort)+" srflx")
	})
	s.connected(c, sc)
	reason := "Remote disconnect"
	if iceFails {
		reason = "ICE failure"
	}
	sc.then(0, func() {
		s.rest(c, "POST", base+"/participants/"+c.partID+"/calls/"+c.callID+"/disconnect", 200, `{"status": "success", "result": true}`)
	})
	s.ended(c, sc, reason)
}

func (s *Sim) h323Call(c *call) {
	sc := s.scheduleFor(c)
	n := c.sig
	h323 := func(module, msg, src, dst, detail string) {
		s.log(n, "INFO", module, "Message", msg, "Src-address", src, "Dst-address", dst, "Uuid", c.uuid, "Detail", detail)
	}
	setup := func(module, msg, src, dst, detail string) { // Q.931 lines name the call too
		s.log(n, "INFO", module, "Message", msg, "Src-address", src, "Dst-address", dst, "Uuid", c.uuid,
			n.key("Call-Id"), c.callID, "Detail", detail)
	}
	h323("support.h323.ras", "Received H.225 message", c.remote, n.ip, "admissionRequest: requestSeqNum 12, callType pointToPoint, bandWidth "+itoa(c.bandwidth*10))
	sc.then(s.ms(1, 5), func() {
		h323("support.h323.ras", "Sending H.225 message", n.ip, c.remote, "admissionConfirm: requestSeqNum 12, bandWidth "+itoa(c.bandwidth*10))
	})
	sc.then(s.ms(10, 60), func() {
		setup("support.h323.q931", "Received H.225 message", c.remote, n.ip, "setup: callIdentifier "+c.callID+", sourceAddress h323-ID "+c.display+", destinationAddress "+c.conf.alias)
	})
	sc.then(s.ms(2, 10), func() { s.attempt(c) })
	if c.fate.refused() {
		sc.then(s.ms(50, 300), func() {
			h323("support.h323.q931", "Sending H.225 message", n.ip, c.remote, "connect: callIdentifier "+c.callID)
		})
		s.refusal(c, sc)
		sc.then(s.ms(5, 40), func() {
			h323("support.h323.q931", "Sending H.225 message", n.ip, c.remote, "releaseComplete: reason undefinedReason")
		})
		return
	}
	if s.failOrJoinLater(c, sc) {
		sc.then(s.ms(1, 5), func() {
			h323("support.h323.q931", "Sending H.225 message", n.ip, c.remote, "releaseComplete: reason unreachableDestination")
		})
		return
	}
	sc.then(s.ms(50, 300), func() {
		h323("support.h323.q931", "Sending H.225 message", n.ip, c.remote, "connect: callIdentifier "+c.callID)
	})
	sc.then(s.ms(20, 100), func() {
		h323("support.h323.h245", "Received H.245 message", c.remote, n.ip, "terminalCapabilitySet: sequenceNumber 1, capabilities H.264, G.722.1, H.239")
		h323("support.h323.h245", "Sending H.245 message", n.ip, c.remote, "masterSlaveDetermination: terminalType 190")
	})
	s.connected(c, sc)
	sc.then(0, func() {
		h323("support.h323.q931", "Received H.225 message", c.remote, n.ip, "releaseComplete: reason undefinedReason")
	})
	s.ended(c, sc, "Remote disconnect")
}

func (s *Sim) apiCall(c *call) {
	sc := s.scheduleFor(c)
	base := clientAPI + c.conf.alias
	s.rest(c, "POST", base+"/request_token", 200,
		`{"status": "success", "result": {"token": "`+s.key()+`", "participant_uuid": "`+c.partID+`", "role": "HOST"}}`)
	sc.then(s.ms(2, 10), func() { s.attempt(c) })
	if s.failOrJoinLater(c, sc) {
		return
	}
	s.connected(c, sc)
	sc.then(0, func() { s.rest(c, "POST", base+"/release_token", 200, `{"status": "success", "result": true}`) })
	s.ended(c, sc, "API disconnect")
}
