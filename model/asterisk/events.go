package asterisk

import (
	"bytes"
	"iter"
	"strings"
)

// pairs yields the Key="value" pairs of a security event as res_security_log writes them:
//
//	SecurityEvent="InvalidPassword",EventTV="1373098165-824497",Severity="Error",...,RemoteAddress="IPV4/UDP/141.255.164.106/5084"
//
// joined by commas, their values not escaped: a value may hold quotes and commas (a
// SessionID or AccountID is the caller's to choose), so it ends only at the quote before
// the next `,Key="` or at the end of the line.
func pairs(line []byte) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		key, start, ok := pairKey(line, 0)
		for ok {
			next, found := nextPair(line, start)
			end := len(line)
			if found {
				end = next - len(`",`)
			}
			value := line[start:end]
			if !found {
				value = bytes.TrimSuffix(value, []byte(`"`))
			}
			if !yield(key, value) {
				return
			}
			if !found {
				return
			}
			key, start, ok = pairKey(line, next)
		}
	}
}

// pairKey reads `Key="` at line[i:], and returns the key and where its value starts.
func pairKey(line []byte, i int) ([]byte, int, bool) {
	j := i
	for j < len(line) && isWordByte(line[j]) {
		j++
	}
	if j == i || !bytes.HasPrefix(line[j:], []byte(`="`)) {
		return nil, 0, false
	}
	return line[i:j], j + len(`="`), true
}

// nextPair finds the next `",Key="` after from, and returns the offset of its key.
func nextPair(line []byte, from int) (int, bool) {
	for i := from; i < len(line); {
		k := bytes.Index(line[i:], []byte(`",`))
		if k < 0 {
			return 0, false
		}
		at := i + k + len(`",`)
		if _, _, ok := pairKey(line, at); ok {
			return at, true
		}
		i = at - 1
	}
	return 0, false
}

// pairValue returns the value of the last pair called key: forged pairs in a value the
// caller chose come before the event's own.
func pairValue(line []byte, key string) ([]byte, bool) {
	if !bytes.HasPrefix(line, []byte(`SecurityEvent="`)) {
		return nil, false
	}
	var found []byte
	ok := false
	for k, v := range pairs(line) {
		if strings.EqualFold(string(k), key) {
			found, ok = v, true
		}
	}
	return found, ok
}

// securityAddress reads the address and port of a security event's "IPV4/UDP/203.0.113.4/5060"
// (or "IPV6/TLS/2001:db8::1/5061").
func securityAddress(a []byte) (host, port []byte) {
	for range 2 { // the family and the transport
		slash := bytes.IndexByte(a, '/')
		if slash < 0 {
			return nil, nil
		}
		a = a[slash+1:]
	}
	slash := bytes.LastIndexByte(a, '/')
	if slash <= 0 || !isDigits(a[slash+1:]) {
		return a, nil
	}
	return a[:slash], a[slash+1:]
}

// end is what a line tells of how a channel ended.
type end struct {
	channel, dialStatus, status, reason []byte
}

// The dial statuses that are not words of the line.
var (
	statusBusy        = []byte("BUSY")
	statusCongestion  = []byte("CONGESTION")
	statusChanUnavail = []byte("CHANUNAVAIL")
)

// dialEnds are app_dial's lines for a channel it called that did not answer: "SIP/x-0000000d
// is busy", "... is circuit-busy".
var dialEnds = [...]struct {
	suffix string
	status []byte
}{{" is busy", statusBusy}, {" is circuit-busy", statusCongestion}}

// ending reads what a line tells of how a channel ended:
//
//	Spawn extension (trunkinbound, 4699497027, 2) exited non-zero on 'SIP/15-000001ba'
//	SIP/twilio-termination-0000000d is busy
//	Everyone is busy/congested at this time (1:1/0/0)
//	Got SIP response 486 "Busy Here" back from 54.172.60.3:5060
//
// the channel the dialplan ended on; the dial status app_dial sets (of "Everyone is
// busy/congested at this time (lines:busy/congested/unavailable)", BUSY when one line was
// busy, else CONGESTION when one was congested, else CHANUNAVAIL); the final response
// chan_sip received. Asterisk logs no hangup cause at these levels.
func ending(line []byte) end {
	var e end
	switch {
	case bytes.HasPrefix(line, []byte("Spawn extension (")):
		if _, rest, ok := bytes.Cut(line, []byte(") exited non-zero on '")); ok {
			e.channel, _, _ = bytes.Cut(rest, []byte("'"))
		}
	case bytes.HasPrefix(line, []byte("Everyone is busy/congested at this time (")):
		counts := line[len("Everyone is busy/congested at this time ("):]
		counts, _, _ = bytes.Cut(counts, []byte(")"))
		_, counts, _ = bytes.Cut(counts, []byte(":"))
		busy, rest, _ := bytes.Cut(counts, []byte("/"))
		congested, _, _ := bytes.Cut(rest, []byte("/"))
		switch {
		case isDigits(busy) && string(busy) != "0":
			e.dialStatus = statusBusy
		case isDigits(congested) && string(congested) != "0":
			e.dialStatus = statusCongestion
		case isDigits(busy) && isDigits(congested):
			e.dialStatus = statusChanUnavail
		}
	case bytes.HasPrefix(line, []byte("Got SIP response ")):
		rest := line[len("Got SIP response "):]
		code, rest, _ := bytes.Cut(rest, []byte(" "))
		if len(code) == 3 && isDigits(code) {
			e.status = code
			if len(rest) > 1 && rest[0] == '"' {
				e.reason, _, _ = bytes.Cut(rest[1:], []byte(`"`))
			}
		}
	default:
		for _, d := range dialEnds {
			if bytes.HasSuffix(line, []byte(d.suffix)) {
				channel := line[:len(line)-len(d.suffix)]
				if bytes.IndexByte(channel, '/') > 0 && bytes.IndexByte(channel, ' ') < 0 {
					e.channel, e.dialStatus = channel, d.status
				}
			}
		}
	}
	return e
}
