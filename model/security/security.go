// Package security finds the entries that tell of attacks and misuse, in every format
// calltail reads, and groups them by the remote address they came from:
//
//   - Pexip Infinity: failed administrator logins, wrong conference PINs and break-in
//     prevention (PIN brute-force blocks, quarantined callers and the attempts it rejects);
//   - PrivateServer: failed web logins (FAIL_BAD_CREDENTIALS and the like);
//   - Flexisip: refused authentications (a 403; a 401 challenge is not a failure);
//   - Asterisk: chan_sip's failed registrations ("Registration from '…' failed for '…' -
//     Wrong password", and the other reasons fail2ban counts), PJSIP's failed requests
//     ("Request 'REGISTER' from '…' failed for '203.0.113.8:5071' (callid: …) - No matching
//     endpoint found", "- Failed to authenticate", ACL refusals), the security log's events
//     that tell of an attack (InvalidPassword, ChallengeResponseFailed, InvalidAccountID,
//     FailedACL, RequestBadFormat, RequestNotAllowed, AuthMethodNotAllowed,
//     InvalidTransport, from their RemoteAddress), calls to extensions that do not exist,
//     IAX2 and manager (AMI) login failures, chan_sip's "hacking attempt detected" and
//     FreePBX's "Rejecting unknown SIP connection";
//   - FreeSWITCH: SIP authentication failures ("SIP auth failure (REGISTER) on sofia
//     profile …"), unknown users ("Can't find user [803@…] from 193.46.255.23") and
//     registrations refused by an ACL; a "SIP auth challenge" is not a failure;
//   - Kamailio and OpenSIPS: addresses the pike module blocks ("PIKE - BLOCKing ip …", and
//     the default configuration's "pike blocking … (IP:…)").
//
// The SIP servers' lines are read in their own files and through syslog alike, from the
// entry's first line only (the lines after it are not the server's words). On fail2ban's
// own annotated test logs, the Asterisk and FreeSWITCH events are the lines fail2ban's
// asterisk and freeswitch filters (mode normal) match, with the same addresses.
package security

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/kv"
)

// Kind is a kind of security event.
type Kind uint8

// The kinds of security event.
const (
	AdminLoginFailed   Kind = iota // Pexip: "User login failed"; Asterisk: a failed manager (AMI) login
	WrongPIN                       // Pexip: a wrong conference PIN, or too many
	PINBlock                       // Pexip: break-in prevention blocking a service under PIN attack
	Quarantined                    // Pexip: a caller quarantined for failed join attempts
	BreakInRejected                // Pexip: an attempt from a quarantined caller rejected
	WebLoginFailed                 // PrivateServer: FAIL_BAD_CREDENTIALS and other failed web logins
	SIPAuthFailed                  // a SIP (or IAX2) authentication refused: a wrong password or digest, Flexisip's 403
	RegistrationFailed             // Asterisk: a registration refused for another reason (not a local domain, not a peer that registers)
	UnknownUser                    // a user, peer or endpoint the server does not know
	ACLRefused                     // a request refused by an access control list
	RejectedCall                   // a call to an extension that does not exist, or from an unknown connection
	RefusedRequest                 // a request refused as malformed, not allowed, or a hacking attempt
	PikeBlocked                    // Kamailio, OpenSIPS: an address the pike module blocks for flooding
	numKinds
)

var kindNames = [numKinds]string{"failed admin login", "wrong PIN", "PIN brute-force block", "quarantined",
	"break-in rejected", "failed web login", "failed SIP authentication", "failed registration", "unknown user",
	"ACL refusal", "rejected call", "refused request", "pike block"}

// String names the kind, as the security view shows it.
func (k Kind) String() string { return kindNames[k] }

// Event is one entry that tells of an attack or misuse.
type Event struct {
	Kind    Kind
	Time    int64  // microseconds since the epoch, or 0
	Address string // the remote address it came from, without its port; "" if unknown
	Who     string // the user, participant, account or extension it tried, if logged, as written
	// Conference and Alias are the service it was aimed at and the alias dialled, where
	// Pexip logs them: events without an address are grouped by them.
	Conference, Alias string
}

// Needles are texts one of which every security event's line holds: a line without any
// of them need not be parsed.
var Needles = []filter.Needle{
	{Text: "User login failed"}, {Text: "conference PIN"}, {Text: "PIN entry retries"}, {Text: "Break-in prevention"},
	{Text: "FAIL_"}, {Text: "403"}, {Text: "failed for"}, {Text: "find user"}, {Text: "auth failure"},
	{Text: "register acl"}, {Text: "SecurityEvent="}, {Text: "authenticat"}, {Text: "No registration for peer"},
	{Text: "extension not found"}, {Text: "unknown SIP connection"}, {Text: "hacking attempt"},
	{Text: "BLOCKing"}, {Text: "pike blocking"},
}

// pexip are the Pexip messages that tell of attacks, and their kinds.
var pexip = map[string]Kind{
	"User login failed":                                                                                     AdminLoginFailed,
	"Participant entered incorrect conference PIN":                                                          WrongPIN,
	"Participant exceeded PIN entry retries. Call will be disconnected.":                                    WrongPIN,
	"Break-in prevention policy blocking all attempts to join this service.":                                PINBlock,
	"Participant has been quarantined by Break-in prevention policy due to excessive failed join attempts.": Quarantined,
	"Break-in prevention policy rejecting call attempt from quarantined caller.":                            BreakInRejected,
}

// Classify tells whether an entry is a security event, and which.
func Classify(r *model.Record) (Event, bool) {
	e := Event{Time: r.Time}
	switch r.Format() {
	case "pexip":
		k, ok := pexip[string(r.Message())]
		if !ok {
			return e, false
		}
		e.Kind = k
		e.Address = address(text(r, "Remote-Address"))
		e.Conference, e.Alias = asWritten(text(r, "Conference")), asWritten(cmp.Or(text(r, "ConferenceAlias"), text(r, "Local-alias")))
		e.Who = asWritten(cmp.Or(text(r, "User"), text(r, "Participant"), text(r, "ConferenceAlias"), text(r, "Local-alias")))
		return e, true
	case "privateserver":
		if !bytes.HasPrefix(r.Message(), []byte("FAIL_")) {
			return e, false
		}
		e.Kind, e.Address, e.Who = WebLoginFailed, address(text(r, "IP Address")), text(r, "Principal")
		return e, true
	case "flexisip":
		if string(r.Module) != "flexisip.auth" || text(r, "Status") != "403" {
			return e, false
		}
		e.Kind, e.Address, e.Who = SIPAuthFailed, address(uriHost(text(r, "Contact"))), text(r, "From")
		return e, true
	case "asterisk", "freeswitch", "syslog":
		return sipServer(firstLine(r.Message()), e)
	case "plain":
		return sipServer(firstLine(r.Raw), e)
	}
	return e, false
}

// text returns the value of a field, \" decoded.
func text(r *model.Record, name string) string {
	v, _ := r.Field(name)
	if kv.NeedsUnescape(v) {
		v = kv.Unescape(nil, v)
	}
	return string(v)
}

// uriHost returns the host and port of a SIP URI ("sip:203.0.113.66:5070;transport=UDP").
func uriHost(uri string) string {
	uri = strings.TrimPrefix(strings.TrimPrefix(uri, "sips:"), "sip:")
	if at := strings.LastIndexByte(uri, '@'); at >= 0 {
		uri = uri[at+1:]
	}
	host, _, _ := strings.Cut(uri, ";")
	return host
}

// address returns an address without its port ("203.0.113.9:5060", "[2001:db8::1]:5061").
func address(a string) string {
	a = strings.TrimSpace(a)
	if strings.HasPrefix(a, "[") {
		if end := strings.IndexByte(a, ']'); end > 0 {
			return a[1:end]
		}
	}
	if strings.Count(a, ":") == 1 {
		a, _, _ = strings.Cut(a, ":")
	}
	return a
}

// Group is what came from one remote address, or, for events that logged none, what was
// aimed at one conference and alias.
type Group struct {
	Address     string // "" for events that did not log one
	Conference  string // of events without an address: the conference, if logged
	Alias       string // ... and the alias dialled
	Events      int
	Kinds       [numKinds]int // events of each kind
	First, Last int64         // times of the first and last event (0 if untimed)
	Who         []string      // the users, participants and accounts tried, first ten
}

// maxWho is how many of the names tried a group keeps.
const maxWho = 10

// What describes the group's events: "3 failed web logins, 1 quarantined".
func (g *Group) What() string {
	var parts []string
	for k, n := range g.Kinds {
		if n > 0 {
			parts = append(parts, plural(n, Kind(k).String()))
		}
	}
	return strings.Join(parts, ", ")
}

// plural counts n of what: "3 failed web logins", "2 quarantined".
func plural(n int, what string) string {
	if n != 1 && !strings.HasSuffix(what, "ed") {
		what += "s"
	}
	return strconv.Itoa(n) + " " + what
}

// Report groups security events by address — or, for events that logged none, by
// conference and alias — as they are added.
type Report struct {
	groups map[groupKey]*Group
}

// groupKey is what events are grouped by: the address, or the conference and alias of
// those without one.
type groupKey struct{ address, conference, alias string }

// NewReport returns an empty report.
func NewReport() *Report { return &Report{groups: map[groupKey]*Group{}} }

// Add counts an event.
func (r *Report) Add(e Event) {
	k := groupKey{address: e.Address}
	if e.Address == "" {
		k.conference, k.alias = e.Conference, e.Alias
	}
	g := r.groups[k]
	if g == nil {
		g = &Group{Address: k.address, Conference: k.conference, Alias: k.alias}
		r.groups[k] = g
	}
	g.Events++
	g.Kinds[e.Kind]++
	if e.Time != 0 && (g.First == 0 || e.Time < g.First) {
		g.First = e.Time
	}
	g.Last = max(g.Last, e.Time)
	if e.Who != "" && len(g.Who) < maxWho && !slices.Contains(g.Who, e.Who) {
		g.Who = append(g.Who, e.Who)
	}
}

// Groups returns a copy of the groups, most events first (then by address); the groups
// of events that logged no address come last, whatever their number.
func (r *Report) Groups() []Group {
	out := make([]Group, 0, len(r.groups))
	for _, g := range r.groups {
		c := *g
		c.Who = slices.Clone(g.Who)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(unlogged(a)-unlogged(b), cmp.Compare(b.Events, a.Events), cmp.Compare(a.Address, b.Address),
			cmp.Compare(a.Conference, b.Conference), cmp.Compare(a.Alias, b.Alias))
	})
	return out
}

// unlogged is 1 for the group of events that logged no address, else 0.
func unlogged(g Group) int {
	if g.Address == "" {
		return 1
	}
	return 0
}

// Place is the group's address, or says that none was logged and what the events were
// aimed at: "(no address) Board (board@example.com)".
func (g *Group) Place() string {
	if g.Address != "" {
		return g.Address
	}
	target := cmp.Or(g.Conference, g.Alias)
	if g.Conference != "" && g.Alias != "" && g.Alias != g.Conference {
		target += " (" + g.Alias + ")"
	}
	if target == "" {
		return "(no address logged)"
	}
	return "(no address) " + target
}
