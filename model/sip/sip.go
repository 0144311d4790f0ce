// Package sip reads SIP messages as Pexip logs them: the whole message in one Detail value,
// with the two characters ^M standing for each line break (or, in files copied from the web
// interface, real line breaks), headers first and the SDP body after the blank line.
package sip

import (
	"bytes"
	"iter"
)

// lineBreak is Pexip's one-line encoding of a line break inside a value.
var lineBreak = []byte("^M")

// Lines yields the lines of an encoded message, split at ^M and at real line breaks,
// with a trailing carriage return removed.
func Lines(msg []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for len(msg) > 0 {
			// The next ^M, looked for only before the next real line break, so that each
			// line is scanned once.
			end, skip := len(msg), 0
			if i := bytes.IndexByte(msg, '\n'); i >= 0 {
				end, skip = i, 1
			}
			if i := bytes.Index(msg[:end], lineBreak); i >= 0 {
				end, skip = i, len(lineBreak)
			}
			if !yield(bytes.TrimSuffix(msg[:end], []byte{'\r'})) {
				return
			}
			msg = msg[min(end+skip, len(msg)):]
		}
	}
}

// IsMessage reports whether text looks like a SIP request or response: a start line that
// ends in (request) or begins with (response) the SIP version.
func IsMessage(text []byte) bool {
	for line := range Lines(text) {
		return bytes.HasPrefix(line, []byte("SIP/2.0 ")) || bytes.HasSuffix(line, []byte(" SIP/2.0"))
	}
	return false
}

// Header returns the value of the first header called name (or its compact form, when
// compact is not empty) in the message's header section, in any letter case.
func Header(msg []byte, name, compact string) ([]byte, bool) {
	first := true
	for line := range Lines(msg) {
		if first { // the start line is not a header
			first = false
			continue
		}
		if len(line) == 0 {
			return nil, false // end of headers: the body follows
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			continue
		}
		key := bytes.TrimRight(line[:colon], " \t")
		if equalFold(key, name) || (compact != "" && equalFold(key, compact)) {
			return bytes.TrimSpace(line[colon+1:]), true
		}
	}
	return nil, false
}

// CallID returns the Call-ID header (compact form i:) of a SIP message.
func CallID(msg []byte) ([]byte, bool) {
	id, ok := Header(msg, "Call-ID", "i")
	return id, ok && len(id) > 0
}

func equalFold(b []byte, s string) bool { return bytes.EqualFold(b, []byte(s)) }
