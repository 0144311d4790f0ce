package model

import "bytes"

// Administrative is a Shape that says itself which of its format's entries belong to the
// administrator log. A Shape that is not gets the rule of shapeIsAdmin.
type Administrative interface {
	IsAdmin(r *Record) bool
}

// shapeIsAdmin says whether an entry of a format other than Pexip's belongs to the
// administrator log. Pexip's administrator log is what the people who run the service
// read: who logged in to it and failed to, what was configured, registrations, and the
// attacks it fended off (wrong PINs, break-in blocks). For the other servers the same
// things are:
//   - a module whose name says so: authentication (Flexisip's event log flexisip.auth, its
//     general log's ModuleAuthentication), registrations (flexisip.register), accounts
//     and web logins (PrivateServer's privateserver.accounts and .webauth), configuration
//     (Flexisip's ConfigManager), security;
//   - the programs a syslog host hears about logins and privileges: sshd, sudo, su,
//     login, systemd-logind, polkitd;
//   - the SIP servers' own words for the events the security view counts, and the
//     authentication lines around them: Asterisk's security log (SecurityEvent=) and
//     failed registrations, FreeSWITCH's SIP auth failures and challenges, unknown users
//     and ACL rejections, Kamailio's pike blocks.
//
// A format's parser can say better by making its Shape Administrative.
func shapeIsAdmin(r *Record) bool {
	if a, ok := r.Shape.(Administrative); ok {
		return a.IsAdmin(r)
	}
	if adminModule(r.Module) {
		return true
	}
	if r.Shape.Format() != "syslog" {
		return false
	}
	msg := r.Message()
	for _, p := range adminPhrases {
		if bytes.Contains(msg, p) {
			return true
		}
	}
	return false
}

// adminWords are what the name of a module about administration or security holds, in
// lower case; adminPrograms are syslog programs that are, whole.
var (
	adminWords    = []string{"auth", "regist", "account", "config", "security", "login"}
	adminPrograms = []string{"sshd", "sudo", "su", "login", "systemd-logind", "polkitd"}
	adminPhrases  = [][]byte{[]byte("SecurityEvent="), []byte("' failed for '"), []byte("Can't find user"),
		[]byte("SIP auth failure"), []byte("SIP auth challenge"), []byte("Rejected by "), []byte("PIKE - BLOCK")}
)

// adminModule reports whether a module's name says administration or security, without
// allocating: it is asked of every entry indexed.
func adminModule(module []byte) bool {
	for _, p := range adminPrograms {
		if string(module) == p {
			return true
		}
	}
	for _, w := range adminWords {
		if containsFold(module, w) {
			return true
		}
	}
	return false
}

// containsFold reports whether b holds lower, an ASCII lower-case word, in any letter case.
func containsFold(b []byte, lower string) bool {
	for i := 0; i+len(lower) <= len(b); i++ {
		j := 0
		for j < len(lower) && b[i+j]|0x20 == lower[j] {
			j++
		}
		if j == len(lower) {
			return true
		}
	}
	return false
}
