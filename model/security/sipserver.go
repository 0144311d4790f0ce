package security

import (
	"bytes"
)

// sipRule reads one kind of SIP server's security event from a line: mark is the text it
// starts with (or, for the lines that begin with the address, the text after it), read
// takes the event from the line, where mark stands at.
type sipRule struct {
	mark []byte
	read func(line []byte, at int, e Event) (Event, bool)
}

// sipRules are the SIP servers' security events. Several hold text that the remote party
// chose (a From, a Call-ID, an account name), in which the mark of another could stand:
// only the rule whose mark comes first on the line is tried, so that the server's own
// words, which come before what the remote party sent, decide.
var sipRules = [...]sipRule{
	{[]byte("Registration from '"), chanSIPRegistration},
	{[]byte("Request '"), pjsipRequest},
	{[]byte("Request from '"), pjsipRequest},
	{[]byte(`SecurityEvent="`), securityEvent},
	{[]byte(" failed to authenticate as '"), loginFailed},
	{[]byte(" failed MD5 authentication for '"), loginFailed},
	{[]byte(" tried to authenticate with nonexistent user '"), loginFailed},
	{[]byte("No registration for peer '"), iaxNoPeer},
	{[]byte("Call from '"), rejectedCall},
	{[]byte("Call ("), rejectedCall},
	{[]byte("Rejecting unknown SIP connection from "), unknownConnection},
	{[]byte("hacking attempt detected '"), hackingAttempt},
	{[]byte("Can't find user ["), freeswitchUnknownUser},
	{[]byte("SIP auth failure ("), freeswitchAuthFailure},
	{[]byte(" Rejected by register acl"), freeswitchACL},
	{[]byte("PIKE - BLOCKing ip "), pikeBlocking},
	{[]byte("pike blocking "), pikeScript},
}

// sipServer reads a SIP server's security event from the first line of an entry: that of
// Asterisk, FreeSWITCH, Kamailio or OpenSIPS, in their own files or through syslog.
func sipServer(line []byte, e Event) (Event, bool) {
	best, at := -1, len(line)
	for i := range sipRules {
		mark := sipRules[i].mark
		if j := bytes.Index(line[:min(len(line), at+len(mark)-1)], mark); j >= 0 {
			best, at = i, j
		}
	}
	if best < 0 {
		return e, false
	}
	return sipRules[best].read(line, at, e)
}

// The texts the rules look for after their marks.
var (
	failedFor      = []byte("' failed for '")
	callIDOpen     = []byte(" (callid: ")
	reasonDash     = []byte(") - ")
	notFoundInCtx  = []byte("' rejected because extension not found in context")
	toExtension    = []byte(" to extension '")
	fromIP         = []byte("] from ip ")
	userFrom       = []byte("] from ")
	onSofiaProfile = []byte(") on sofia profile '")
	forUser        = []byte(" for [")
	remoteAddress  = []byte(`,RemoteAddress="`)
	accountID      = []byte(`,AccountID="`)
	unknownAccount = []byte("<unknown>")
	fromPeer       = []byte("(from ")
	pikeIP         = []byte("(IP:")
	from           = []byte(" from ")
)

// chanSIPRegistration reads chan_sip's failed registration, for the reasons that tell of
// an attack (fail2ban's):
//
//	Registration from '"100" <sip:100@192.0.2.10>' failed for '203.0.113.9:5060' - Wrong password
func chanSIPRegistration(line []byte, at int, e Event) (Event, bool) {
	rest := line[at+len("Registration from '"):]
	k := bytes.LastIndex(rest, failedFor) // the From is the caller's to write
	if k < 0 {
		return e, false
	}
	who, tail := rest[:k], rest[k+len(failedFor):]
	q := bytes.IndexByte(tail, '\'')
	if q < 0 {
		return e, false
	}
	addr, reason := tail[:q], tail[q+1:]
	reason, ok := bytes.CutPrefix(reason, []byte(" - "))
	if !ok {
		return e, false
	}
	switch string(bytes.TrimRight(reason, " ")) {
	case "Wrong password", "Username/auth name mismatch":
		e.Kind = SIPAuthFailed
	case "No matching peer found":
		e.Kind = UnknownUser
	case "Device does not match ACL", "ACL error (permit/deny)":
		e.Kind = ACLRefused
	case "Not a local domain", "Peer is not supposed to register":
		e.Kind = RegistrationFailed
	default:
		return e, false
	}
	e.Who = sipUser(who)
	return withHost(e, addr)
}

// pjsipRequest reads PJSIP's failed request:
//
//	Request 'REGISTER' from '"1000" <sip:1000@10.0.0.1>' failed for '203.0.113.8:5071' (callid: 2766) - No matching endpoint found
func pjsipRequest(line []byte, at int, e Event) (Event, bool) {
	rest := line[at+len("Request "):]
	if rest[0] == '\'' { // the method
		k := bytes.Index(rest, []byte("' from '"))
		if k < 0 {
			return e, false
		}
		rest = rest[k+len("' "):]
	}
	rest, ok := bytes.CutPrefix(rest, []byte("from '"))
	if !ok {
		return e, false
	}
	k := bytes.LastIndex(rest, failedFor)
	if k < 0 {
		return e, false
	}
	who, tail := rest[:k], rest[k+len(failedFor):]
	q := bytes.IndexByte(tail, '\'')
	if q < 0 || !bytes.HasPrefix(tail[q+1:], callIDOpen) {
		return e, false
	}
	addr := tail[:q]
	d := bytes.LastIndex(tail, reasonDash) // the Call-ID is the caller's to write
	if d < 0 {
		return e, false
	}
	reason := tail[d+len(reasonDash):]
	switch {
	case wordPrefix(reason, "No matching endpoint found"):
		e.Kind = UnknownUser
	case wordPrefix(reason, "Not match Endpoint ACL"), wordPrefix(reason, "Not match Endpoint Contact ACL"):
		e.Kind = ACLRefused
	case wordPrefix(reason, "Failed to authenticate"), wordPrefix(reason, "Error to authenticate"):
		e.Kind = SIPAuthFailed
	default:
		return e, false
	}
	e.Who = sipUser(who)
	return withHost(e, addr)
}

// wordPrefix reports whether b starts with the words w, followed by the end or by other
// words without a quote ("No matching endpoint found after 5 tries in 2.500 ms").
func wordPrefix(b []byte, w string) bool {
	rest, ok := bytes.CutPrefix(b, []byte(w))
	return ok && (len(rest) == 0 || !isWordByte(rest[0])) && bytes.IndexByte(rest, '\'') < 0
}

// securityEvent reads an event of Asterisk's security log that tells of an attack:
//
//	SecurityEvent="InvalidPassword",...,AccountID="100",...,RemoteAddress="IPV4/UDP/203.0.113.4/5084",...
//
// A value may hold what the remote party chose, forged pairs included: the address is that
// of the last RemoteAddress, the event's own (Asterisk writes what the caller chose first).
func securityEvent(line []byte, at int, e Event) (Event, bool) {
	rest := line[at+len(`SecurityEvent="`):]
	name, _, _ := bytes.Cut(rest, []byte(`"`))
	switch string(name) {
	case "InvalidPassword", "ChallengeResponseFailed":
		e.Kind = SIPAuthFailed
	case "InvalidAccountID":
		e.Kind = UnknownUser
	case "FailedACL":
		e.Kind = ACLRefused
	case "RequestBadFormat", "RequestNotAllowed", "AuthMethodNotAllowed", "InvalidTransport":
		e.Kind = RefusedRequest
	default: // ChallengeSent, SuccessfulAuth, and the load and session limits
		return e, false
	}
	k := bytes.LastIndex(rest, remoteAddress)
	if k < 0 {
		return e, false
	}
	remote, _, _ := bytes.Cut(rest[k+len(remoteAddress):], []byte(`"`))
	for range 2 { // "IPV4/UDP/": the family and the transport
		slash := bytes.IndexByte(remote, '/')
		if slash < 0 {
			return e, false
		}
		remote = remote[slash+1:]
	}
	if slash := bytes.LastIndexByte(remote, '/'); slash > 0 {
		remote = remote[:slash] // the port
	}
	if k := bytes.Index(rest, accountID); k >= 0 {
		account, _, _ := bytes.Cut(rest[k+len(accountID):], []byte(`"`))
		if !bytes.Equal(account, unknownAccount) {
			e.Who = string(account)
		}
	}
	return withHost(e, remote)
}

// loginFailed reads IAX2's and the manager's (AMI) failed logins, which start with the
// address:
//
//	Host 203.0.113.4 failed to authenticate as 'Fail2ban'
//	Host 203.0.113.4 failed MD5 authentication for 'Fail2ban' (e7df... != 53ac...)
//	203.0.113.4 failed to authenticate as 'admin'
//	203.0.113.4 tried to authenticate with nonexistent user 'opennms'
func loginFailed(line []byte, at int, e Event) (Event, bool) {
	before := line[:at]
	sp := bytes.LastIndexByte(before, ' ')
	addr := before[sp+1:]
	e.Kind = AdminLoginFailed
	if bytes.HasSuffix(line[:max(sp, 0)], []byte("Host")) {
		e.Kind = SIPAuthFailed // IAX2's
	}
	name := line[at:]
	name = name[bytes.IndexByte(name, '\'')+1:]
	name, _, _ = bytes.Cut(name, []byte("'"))
	e.Who = string(name)
	return withHost(e, addr)
}

// iaxNoPeer reads IAX2's registration of a peer it does not know:
//
//	No registration for peer 'Fail2ban' (from 203.0.113.4)
func iaxNoPeer(line []byte, at int, e Event) (Event, bool) {
	rest := line[at+len("No registration for peer '"):]
	k := bytes.LastIndex(rest, fromPeer)
	if k < 2 || rest[k-2] != '\'' {
		return e, false
	}
	addr, _, ok := bytes.Cut(rest[k+len(fromPeer):], []byte(")"))
	if !ok {
		return e, false
	}
	e.Kind, e.Who = UnknownUser, string(rest[:k-2])
	return withHost(e, addr)
}

// rejectedCall reads a call to an extension that does not exist (chan_sip's, and PJSIP's
// after the endpoint's name):
//
//	Call from '' (203.0.113.4:10836) to extension '0972598285108' rejected because extension not found in context 'default'.
//	anonymous: Call (UDP:203.0.113.4:65049) to extension '001447441452805' rejected because extension not found in context 'inbound'.
//
// The extension is what was tried.
func rejectedCall(line []byte, at int, e Event) (Event, bool) {
	rest := line[at+len("Call "):]
	if caller, ok := bytes.CutPrefix(rest, []byte("from '")); ok {
		k := bytes.Index(caller, []byte("' ("))
		if k < 0 {
			return e, false
		}
		rest = caller[k+len("' "):]
	}
	if len(rest) == 0 || rest[0] != '(' {
		return e, false
	}
	addr, rest, ok := bytes.Cut(rest[1:], []byte(")"))
	if !ok {
		return e, false
	}
	rest, ok = bytes.CutPrefix(rest, toExtension)
	if !ok {
		return e, false
	}
	k := bytes.LastIndex(rest, notFoundInCtx)
	if k < 0 {
		return e, false
	}
	if c := bytes.IndexByte(addr, ':'); c > 0 && isTransport(addr[:c]) {
		addr = addr[c+1:]
	}
	e.Kind, e.Who = RejectedCall, string(rest[:k])
	return withHost(e, addr)
}

// isTransport reports whether b names a SIP transport, as PJSIP writes it before an address.
func isTransport(b []byte) bool {
	for _, t := range [...]string{"UDP", "TCP", "TLS", "WS", "WSS", "SCTP"} {
		if bytes.EqualFold(b, []byte(t)) {
			return true
		}
	}
	return false
}

// unknownConnection reads FreePBX's dialplan refusing a call from an address it does not
// know: "Rejecting unknown SIP connection from 203.0.113.4:52126".
func unknownConnection(line []byte, at int, e Event) (Event, bool) {
	rest := line[at+len("Rejecting unknown SIP connection from "):]
	e.Kind = RejectedCall
	return withHost(e, word(rest, ` "`))
}

// hackingAttempt reads chan_sip's "hacking attempt detected '203.0.113.4'".
func hackingAttempt(line []byte, at int, e Event) (Event, bool) {
	addr, _, ok := bytes.Cut(line[at+len("hacking attempt detected '"):], []byte("'"))
	if !ok {
		return e, false
	}
	e.Kind = RefusedRequest
	return withHost(e, addr)
}

// freeswitchUnknownUser reads "Can't find user [1000@10.0.0.10] from 203.0.113.9".
func freeswitchUnknownUser(line []byte, at int, e Event) (Event, bool) {
	rest := line[at+len("Can't find user ["):]
	k := bytes.LastIndex(rest, userFrom)
	if k < 0 {
		return e, false
	}
	user, _, _ := bytes.Cut(rest[:k], []byte("@"))
	e.Kind, e.Who = UnknownUser, string(user)
	return withHost(e, rest[k+len(userFrom):])
}

// freeswitchAuthFailure reads "SIP auth failure (REGISTER) on sofia profile 'internal' for
// [1000@10.0.0.10] from ip 203.0.113.9" (a "SIP auth challenge" is not a failure).
func freeswitchAuthFailure(line []byte, at int, e Event) (Event, bool) {
	rest := line[at+len("SIP auth failure ("):]
	k := bytes.LastIndex(rest, fromIP)
	f := bytes.Index(rest, forUser)
	if k < 0 || f < 0 || f > k || !bytes.Contains(rest[:f], onSofiaProfile) {
		return e, false
	}
	user, _, _ := bytes.Cut(rest[f+len(forUser):k], []byte("@"))
	e.Kind, e.Who = SIPAuthFailed, string(user)
	return withHost(e, rest[k+len(fromIP):])
}

// freeswitchACL reads "IP 203.0.113.9 Rejected by register acl".
func freeswitchACL(line []byte, at int, e Event) (Event, bool) {
	before := line[:at]
	sp := bytes.LastIndexByte(before, ' ')
	if sp < 0 || !bytes.HasSuffix(before[:sp], []byte("IP")) {
		return e, false
	}
	e.Kind = ACLRefused
	return withHost(e, before[sp+1:])
}

// pikeBlocking reads the pike module's "PIKE - BLOCKing ip 203.0.113.9, node=0x7f7e073f7dd0".
func pikeBlocking(line []byte, at int, e Event) (Event, bool) {
	e.Kind = PikeBlocked
	return withHost(e, word(line[at+len("PIKE - BLOCKing ip "):], ", "))
}

// pikeScript reads the line Kamailio's default configuration logs when pike_check_req()
// fails: "pike blocking REGISTER from sip:alice@example.org (IP:203.0.113.9:5060)".
func pikeScript(line []byte, at int, e Event) (Event, bool) {
	rest := line[at+len("pike blocking "):]
	k := bytes.LastIndex(rest, pikeIP)
	if k < 0 {
		return e, false
	}
	addr, _, ok := bytes.Cut(rest[k+len(pikeIP):], []byte(")"))
	if !ok {
		return e, false
	}
	if f := bytes.Index(rest[:k], from); f >= 0 {
		e.Who = sipUser(rest[f+len(from) : k])
	}
	e.Kind = PikeBlocked
	return withHost(e, addr)
}

// withHost gives e the address a, without its port, when a is an address or a host name.
func withHost(e Event, a []byte) (Event, bool) {
	a = bytes.TrimSpace(a)
	if len(a) > 0 && a[0] == '[' {
		end := bytes.IndexByte(a, ']')
		if end < 0 {
			return e, false
		}
		a = a[1:end]
	} else if c := bytes.IndexByte(a, ':'); c >= 0 && bytes.IndexByte(a[c+1:], ':') < 0 {
		a = a[:c]
	}
	if len(a) == 0 || len(a) > 253 {
		return e, false
	}
	for _, c := range a {
		if !isWordByte(c) && c != '.' && c != ':' && c != '%' {
			return e, false
		}
	}
	e.Address = string(a)
	return e, true
}

// sipUser returns the user of the SIP URI in a From as a log quotes it ("\"100\"
// <sip:100@192.0.2.10>", "sip:bob@192.0.2.1"): what was tried. A From without one (no
// user in its URI, a tel: URI, a bare name) is returned as written.
func sipUser(from []byte) string {
	uri := from
	if lt := bytes.LastIndexByte(uri, '<'); lt >= 0 {
		uri = uri[lt+1:]
	}
	k := bytes.Index(uri, []byte("sip:"))
	if s := bytes.Index(uri, []byte("sips:")); s >= 0 && (k < 0 || s < k) {
		k = s + 1
	}
	if k >= 0 {
		uri = uri[k+len("sip:"):]
		if at := bytes.LastIndexByte(uri, '@'); at > 0 {
			return string(uri[:at])
		}
	}
	return string(bytes.TrimSpace(from))
}

// word returns b up to the first of the bytes in stops, or all of it.
func word(b []byte, stops string) []byte {
	if end := bytes.IndexAny(b, stops); end >= 0 {
		return b[:end]
	}
	return b
}

// firstLine returns b up to its first line break.
func firstLine(b []byte) []byte {
	if nl := bytes.IndexByte(b, '\n'); nl >= 0 {
		b = b[:nl]
	}
	return bytes.TrimSuffix(b, []byte{'\r'})
}

func isWordByte(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}
