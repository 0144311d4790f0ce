package calls

import (
	"strings"
)

// scannerProducts are the product names (the User-Agent's first token, any letter case)
// of tools that scan SIP servers for extensions and passwords, as their own sources or
// captures of their traffic write them: SIPVicious ("friendly-scanner", and "sipvicious"
// as the From name of svmap), sipcli ("sipcli/v1.8"), sippts ("pplsip"), and the others
// that SIP servers' block lists name.
var scannerProducts = map[string]bool{
	"friendly-scanner": true, "sipvicious": true, "sipcli": true, "pplsip": true, "sip-scan": true, "sundayddr": true,
	"iwar": true, "vaxsipuseragent": true, "sivus": true,
}

// IsScannerAgent reports whether a SIP User-Agent (or a Vendor, as the administrator log
// names the remote's) is a SIP scanner's: its product name, the text before the first
// "/", space or "(", is one that scanners send.
func IsScannerAgent(ua string) bool {
	ua = strings.TrimSpace(ua)
	if end := strings.IndexAny(ua, "/ ("); end >= 0 {
		ua = ua[:end]
	}
	return ua != "" && scannerProducts[strings.ToLower(ua)]
}

// IsScanner reports whether a call comes from a SIP scanner: its Vendor (or SIP
// User-Agent), or the display name of its SIP From, is a scanner's.
func (c *Call) IsScanner() bool {
	return IsScannerAgent(c.Vendor) || IsScannerAgent(displayName(c.From))
}

// WithoutScanners returns the calls that do not come from SIP scanners, in their order,
// and how many do.
func WithoutScanners(all []Call) (kept []Call, scanners int) {
	kept = make([]Call, 0, len(all))
	for i := range all {
		if all[i].IsScanner() {
			scanners++
			continue
		}
		kept = append(kept, all[i])
	}
	return kept, scanners
}

// displayName returns the display name of a SIP name-addr: quoted ("sipvicious"
// <sip:100@1.1.1.1>) or not (sipvicious <sip:100@1.1.1.1>).
func displayName(addr string) string {
	addr = strings.TrimSpace(addr)
	lt := strings.IndexByte(addr, '<')
	if lt <= 0 {
		return ""
	}
	return strings.Trim(strings.TrimSpace(addr[:lt]), `"`)
}
