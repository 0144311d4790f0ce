package sim

import "strings"

// maxFragment is the longest Detail Pexip writes in one line; longer messages are split.
const maxFragment = 1400

// splitAbove is the length above which SplitAnywhere fragments a SIP message: every
// message with SDP, few without.
const splitAbove = 600

// fragments cuts a SIP message into the Details of its fragments (one when it is short
// enough). By default a message over maxFragment is cut every maxFragment bytes, never
// inside ^M; with SplitAnywhere a message over splitAbove is cut as fragmentsAnywhere says.
func (s *Sim) fragments(detail string) []string {
	if s.opt.SplitAnywhere {
		return s.fragmentsAnywhere(detail)
	}
	var parts []string
	for len(detail) > maxFragment {
		cut := maxFragment
		if strings.HasSuffix(detail[:cut], "^") { // never split the two characters of ^M
			cut--
		}
		parts = append(parts, detail[:cut])
		detail = detail[cut:]
	}
	return append(parts, detail)
}

// fragmentsAnywhere cuts a message over splitAbove into pieces of one size, chosen so
// that a cut falls at the next offset in turn of its Call-ID header: from the ^M before it
// (offset 0: the header whole in the next piece) through the ^M after it (the last offset:
// whole in the piece before), each inside ^M included. Half the messages get one more cut
// half-way to the Call-ID, so that the header is split between two later pieces. Other
// cuts fall at any byte, inside ^M too, though never inside a UTF-8 character.
func (s *Sim) fragmentsAnywhere(detail string) []string {
	if len(detail) <= splitAbove {
		return []string{detail}
	}
	size := 200
	var cuts []int
	if from, to, ok := callIDSpan(detail); ok {
		at := from + s.turn%(to-from+1)
		s.turn++
		size = at
		if s.chance(0.5) {
			cuts = append(cuts, runeStart(detail, at/2))
		}
	}
	for at := size; at < len(detail); at += size {
		cuts = append(cuts, runeStart(detail, at))
	}
	var parts []string
	last := 0
	for _, at := range cuts {
		if at > last && at < len(detail) {
			parts = append(parts, detail[last:at])
			last = at
		}
	}
	return append(parts, detail[last:])
}

// callIDSpan returns where the Call-ID header of a ^M-encoded SIP message lies, full or
// compact, from the ^M before it to the end of the ^M after it.
func callIDSpan(msg string) (from, to int, ok bool) {
	for _, name := range []string{crlf + "Call-ID: ", crlf + "i: "} {
		if from = strings.Index(msg, name); from >= 0 {
			end := strings.Index(msg[from+len(name):], crlf)
			if end < 0 {
				return 0, 0, false
			}
			return from, from + len(name) + end + len(crlf), true
		}
	}
	return 0, 0, false
}

// runeStart moves at forward to the start of a UTF-8 character.
func runeStart(text string, at int) int {
	for at < len(text) && text[at]&0xC0 == 0x80 {
		at++
	}
	return at
}
