package sim

import "time"

// background writes one of the lines a deployment logs outside calls, and schedules the next.
func (s *Sim) background() {
	s.after(s.gap(500, 12000), s.background)
	mgmt := s.management()
	switch r := s.rng.IntN(100); {
	case r < 40:
		s.optionsPing()
	case r < 55:
		n := s.transcoder()
		s.log(n, "INFO", "support.dns", "Message", "DNS lookup", "Query", "_sips._tcp."+s.pick(domains), "Type", "SRV",
			"Result", "10 60 5061 sip."+s.pick(domains)+".")
	case r < 65:
		user := s.pick(adminUsers)
		s.log(mgmt, "INFO", "administrator.configuration", "Message", "User logged in", "User", user,
			"Remote-Address", "10.0.9."+itoa(2+s.rng.IntN(50)), "Remote-Port", itoa(40000+s.rng.IntN(20000)))
	case r < 68:
		s.loginAttack()
	case r < 70:
		s.breakIn()
	case r < 85:
		n := s.transcoder()
		alias := lowerASCII(s.pick(firstNames)) + "@" + s.pick(domains)
		if s.chance(0.5) {
			s.log(n, "INFO", "administrator.registration", "Message", "Registration added", "Alias", alias, "Protocol", "SIP",
				"Registration-Id", s.uuid(), "Natted", "False", "Location", n.location)
		} else {
			s.log(n, "INFO", "administrator.registration", "Message", "Registration deleted", "Alias", alias, "Protocol", "WebRTC",
				"Registration-Id", s.uuid(), "Location", n.location, "Reason", "Registration expired")
		}
	case r < 92:
		s.log(mgmt, "INFO", "administrator.configuration", "Message", "Configuration changed", "User", s.pick(adminUsers),
			"Type", "Virtual Meeting Room", "ID", s.pick(s.confNames()), "Fields", "Description, PIN",
			"Remote-Address", "10.0.9.7", "Remote-Port", itoa(40000+s.rng.IntN(20000)))
		s.log(mgmt, "INFO", "administrator.system.configuration", "Message", "Conferencing node configuration updated.",
			"Node", s.transcoder().name)
	case r < 93:
		s.connectivityBlip()
	case r < 95:
		n := s.transcoder()
		s.log(n, "ERROR", "support.sip", "Message", "TLS connection failed", "Src-address", s.remoteAddress(),
			"Src-port", itoa(1024+s.rng.IntN(60000)), "Dst-address", n.ip, "Dst-port", "5061", "Transport", "TLS",
			"Detail", "SSL routines:tls_early_post_process_client_hello:unsupported protocol")
	default:
		n := s.transcoder()
		s.log(n, "INFO", "support.conference", "Message", "Alias matched gateway rule", "Rule", "Route to Teams",
			"Description", "", "Service-Tag", "gw-teams", "Unparsed-alias", "sip:teams@example.com",
			"Parsed-alias", "teams@example.com", "Matched-alias-Type", "Parsed-alias")
	}
}

func (s *Sim) confNames() []string {
	names := make([]string, len(s.confs))
	for i, c := range s.confs {
		names[i] = c.name
	}
	return names
}

// optionsPing is a SIP OPTIONS keepalive from a proxy, logged in summary form.
func (s *Sim) optionsPing() {
	n := s.transcoder()
	proxy := "10.44.0." + itoa(2+s.rng.IntN(3))
	if s.opt.SBC != "" {
		proxy = s.opt.SBC
	}
	callID := s.hexID(20) + "@" + proxy
	c := &call{remote: proxy, remotePort: 5061, display: "proxy", user: "ping@" + proxy, callID: callID,
		fromTag: s.hexID(8), toTag: s.hexID(10), branch: s.hexID(12), headers: fullHeaders,
		conf: &conference{alias: n.ip}, media: n}
	s.log(n, "INFO", "support.sip", "Message", "Summarised received SIP request", "Method", "OPTIONS",
		"Src-address", proxy, "Src-port", "5061", "Dst-address", n.ip, "Dst-port", "5061", "Transport", "TLS",
		"Detail", s.request(c, "OPTIONS", 1))
	s.log(n, "INFO", "support.sip", "Message", "Summarised sending SIP response", "Method", "OPTIONS",
		"Src-address", n.ip, "Src-port", "5061", "Dst-address", proxy, "Dst-port", "5061", "Transport", "TLS",
		"Detail", s.response(c, 200, "OK", "OPTIONS", 1, false))
}

// loginAttack is a burst of failed administrator logins from one address.
func (s *Sim) loginAttack() {
	addr := s.remoteAddress()
	tries := 1 + s.rng.IntN(6)
	for i := range tries {
		s.after(s.ms(500, 3000)*timeScale(i), func() {
			s.log(s.management(), "WARNING", "administrator.configuration", "Message", "User login failed",
				"User", s.pick([]string{"admin", "admins", "root", "administrator"}), "Remote-Address", addr,
				"Remote-Port", itoa(1024+s.rng.IntN(60000)))
		})
	}
}

// breakIn is a VoIP scanner being quarantined, then its later attempts being rejected.
func (s *Sim) breakIn() {
	n := s.transcoder()
	addr := s.remoteAddress()
	caller := s.pick([]string{"Crooky McCrookface", "sipvicious", "friendly-scanner", "100"})
	s.log(n, "WARNING", "administrator.conference", "Message",
		"Participant has been quarantined by Break-in prevention policy due to excessive failed join attempts.",
		"Participant", caller, "Protocol", "SIP", "Direction", "in", n.key("Remote-Address"), addr,
		"Reason", "Too many attempts to join non-existent aliases", "remaining_block_duration_seconds", itoa(300+s.rng.IntN(300)))
	for i := range 1 + s.rng.IntN(4) {
		s.after(s.ms(1000, 20000)*timeScale(i), func() {
			s.log(n, "WARNING", "administrator.conference", "Message", "Break-in prevention policy rejecting call attempt from quarantined caller.",
				"Protocol", "SIP", "Direction", "in", "Local-alias", "[u'"+lowerASCII(s.pick(firstNames))+"']", n.key("Remote-Address"), addr,
				"Reason", "Suspicious join attempt rejected", "remaining_block_duration_seconds", itoa(200+s.rng.IntN(300)))
		})
	}
}

// connectivityBlip is a node that stops answering, raising an alarm, and comes back.
func (s *Sim) connectivityBlip() {
	mgmt, n := s.management(), s.transcoder()
	s.log(mgmt, "ERROR", "administrator.system.connectivity", "Message", "Unable to contact node.", "Src-Node", mgmt.ip, "Node", n.ip)
	s.log(mgmt, "WARNING", "administrator.alarm", "Message", "Alarm raised", "Node", n.ip, "Alarm", "connectivity_lost",
		"Instance", "Source="+mgmt.ip+", Destination="+n.ip)
	s.after(s.ms(5000, 60000), func() {
		s.log(mgmt, "INFO", "administrator.system.connectivity", "Message", "Connectivity re-established.", "Src-Node", mgmt.ip,
			"Node", n.ip, "Path", "Direct", "Last-Reported", s.Now().Format("Mon Jan _2 15:04:05 2006"))
		s.log(mgmt, "INFO", "administrator.alarm", "Message", "Alarm lowered", "Node", n.ip, "Alarm", "connectivity_lost",
			"Instance", "Source="+mgmt.ip+", Destination="+n.ip)
	})
}

// timeScale spreads the i-th of a burst of events further out.
func timeScale(i int) time.Duration { return time.Duration(i + 1) }
