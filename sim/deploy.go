package sim

// node is one system that logs: the Management Node or a Conferencing Node.
type node struct {
	name, ip, location string
	old                bool // runs an older release: lower-case key suffixes, stats under support.participant
	microSyslog        bool // its syslog daemon writes microsecond time stamps
	edge               bool // a Proxying Edge Node
}

// key spells a detail key as the node's release does ("Call-Id" or "Call-id").
func (n *node) key(k string) string {
	if !n.old {
		return k
	}
	if old, ok := oldKeys[k]; ok {
		return old
	}
	return k
}

var oldKeys = map[string]string{
	"Call-Id": "Call-id", "Conversation-Id": "Conversation-id", "Participant-Id": "Participant-id",
	"Service-Tag": "Service-tag", "Service-Type": "Service-type", "Signaling-Node": "Signaling-node",
	"Signaling-Location": "Signaling-location", "Media-Node": "Media-node", "Remote-Address": "Remote-address",
}

// mediaModule is where the node logs media statistics.
func (n *node) mediaModule() string {
	if n.old {
		return "support.participant"
	}
	return "support.media"
}

func deployment() []*node {
	return []*node{
		{name: "mgmt01", ip: "10.0.1.10", location: "London"},
		{name: "conf01", ip: "10.0.1.11", location: "London"},
		{name: "conf02", ip: "10.0.1.12", location: "London", microSyslog: true},
		{name: "conf03", ip: "10.0.2.21", location: "Oslo", old: true},
		{name: "10.0.3.31", ip: "10.0.3.31", location: "London Proxy", edge: true},
	}
}

func (s *Sim) management() *node { return s.nodes[0] }

// transcoder picks a Conferencing Node that can host media.
func (s *Sim) transcoder() *node { return s.nodes[1+s.rng.IntN(3)] }

func (s *Sim) edgeNode() *node { return s.nodes[4] }

// conference is a service: a Virtual Meeting Room, Virtual Auditorium or gateway rule.
type conference struct {
	name, alias, tag, serviceType string
	pin                           bool
	instances                     map[*node]*instance // running instances per node
}

// instance is a conference running on one node.
type instance struct {
	id           string
	start        int64
	participants int
}

func conferences() []*conference {
	mk := func(name, alias, tag, typ string, pin bool) *conference {
		return &conference{name: name, alias: alias, tag: tag, serviceType: typ, pin: pin, instances: map[*node]*instance{}}
	}
	return []*conference{
		mk("Meet Alice", "meet.alice@example.com", "", "conference", false),
		mk("Sales weekly", "sales@example.com", "sales", "conference", true),
		mk("All hands", "allhands@example.com", "corp-ah", "lecture", false),
		mk("Support bridge", "support@example.com", "", "conference", true),
		mk("Reception", "reception@example.com", "", "two_stage_dialing", false),
		mk("Route to Teams", "teams@example.com", "gw-teams", "gateway", false),
		mk("Board room", "board@example.com", "board", "conference", true),
		mk("Oslo standup", "oslo.standup@example.com", "", "conference", false),
	}
}

var (
	firstNames = []string{"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil", "Trent", "Victor", "Walter", "Zoë", "Åsa", "Björn"}
	lastNames  = []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Hansen", "Johansen", "Olsen", "Nguyen", "O'Brien", "Müller", "García"}
	domains    = []string{"example.com", "example.org", "partner.example.net"}
	sipVendors = []string{
		"TANDBERG/257 (TE4.1.1.273710)", "Cisco/CE 9.15.3.17", "Polycom/6.2.2 RealPresence Group 500",
		"LifeSize Icon_600/LS_RM3_3.11.7", "Yealink VC800 63.345.0.10", "Pexip Infinity Gateway/35.0",
	}
	webrtcVendors = []string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
		"Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
		"Pexip Infinity Connect/2.9.0 (Electron)",
	}
	h323Vendors      = []string{"Polycom HDX 8000 3.1.14", "Sony PCS-XG80 2.42", "AVer EVC350 1.0"}
	disconnectDetail = []string{"Remote disconnect", "Remote disconnect", "Remote disconnect", "Call disconnected by API", "Conference terminated by host", "Timer expired awaiting token refresh", "Media timeout"}
	failReasons      = []string{"Neither conference nor gateway found", "Conference not found", "No direct route between Edge and Transcoding", "Call rejected"}
	adminUsers       = []string{"admin", "admin", "ops", "schedulingservice", "helpdesk"}
)

func (s *Sim) personName() (display, user string) {
	first, last := s.pick(firstNames), s.pick(lastNames)
	return first + " " + last, lowerASCII(first) + "." + lowerASCII(last)
}

func lowerASCII(x string) string {
	b := []byte(x)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// remoteAddress returns a caller's public or partner address.
func (s *Sim) remoteAddress() string {
	switch s.rng.IntN(3) {
	case 0:
		return "10.44." + itoa(s.rng.IntN(250)) + "." + itoa(1+s.rng.IntN(250))
	case 1:
		return "203.0.113." + itoa(1+s.rng.IntN(250))
	default:
		return "198.51.100." + itoa(1+s.rng.IntN(250))
	}
}
