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
		for line := range terminated(msg) {
			if !yield(line.text) {
				return
			}
		}
	}
}

// line is one line of a message, and whether a line break ends it: the last line of a
// text cut anywhere (a fragment) may be the start of a longer one.
type line struct {
	text  []byte
	ended bool
}

// terminated yields the lines of an encoded message as Lines does, each with whether a
// line break ends it.
func terminated(msg []byte) iter.Seq[line] {
	return func(yield func(line) bool) {
		nl := bytes.IndexByte(msg, '\n') // the next real line break in msg, or -1: none in the rest
		for len(msg) > 0 {
			// The next ^M, looked for only before the next real line break, so that each
			// line is scanned once, and the real line break looked for once per break.
			end, skip := len(msg), 0
			if nl >= 0 {
				end, skip = nl, 1
			}
			if i := bytes.Index(msg[:end], lineBreak); i >= 0 {
				end, skip = i, len(lineBreak)
			}
			if !yield(line{bytes.TrimSuffix(msg[:end], []byte{'\r'}), skip > 0}) {
				return
			}
			next := min(end+skip, len(msg))
			msg = msg[next:]
			if nl >= 0 {
				if nl -= next; nl < 0 {
					nl = bytes.IndexByte(msg, '\n')
				}
			}
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
	v, ok, _ := header(msg, name, compact)
	return v, ok
}

// WholeHeader returns the value of the first header called name (or its compact form) as
// Header does, but only if a line break ends it: in a message cut anywhere, as Pexip cuts
// a long one into fragments, the last line may hold only the start of its value.
func WholeHeader(msg []byte, name, compact string) ([]byte, bool) {
	v, ok, whole := header(msg, name, compact)
	if !ok || !whole {
		return nil, false
	}
	return v, true
}

// header finds the first header called name or compact, and tells whether a line break
// ends its line.
func header(msg []byte, name, compact string) (value []byte, found, whole bool) {
	for h := range Headers(msg) {
		if equalFold(h.Name, name) || (compact != "" && equalFold(h.Name, compact)) {
			return h.Value, true, h.Whole
		}
	}
	return nil, false, false
}

// Field is one header of a message: its name and value as written (trimmed), and whether
// a line break ends it (see WholeHeader).
type Field struct {
	Name, Value []byte
	Whole       bool
}

// Headers yields the headers of a message's header section, in order: the lines between
// the start line and the blank line, but those without a name.
func Headers(msg []byte) iter.Seq[Field] {
	return func(yield func(Field) bool) {
		first := true
		for l := range terminated(msg) {
			if first { // the start line is not a header
				first = false
				continue
			}
			if len(l.text) == 0 {
				return // end of headers: the body follows
			}
			colon := bytes.IndexByte(l.text, ':')
			if colon <= 0 {
				continue
			}
			if !yield(Field{bytes.TrimRight(l.text[:colon], " \t"), bytes.TrimSpace(l.text[colon+1:]), l.ended}) {
				return
			}
		}
	}
}

// HeadersEnd reports whether the message's header section ends within msg: the blank line
// before the body is in it. A fragment of a long message may end before it.
func HeadersEnd(msg []byte) bool {
	first := true
	for l := range terminated(msg) {
		if len(l.text) == 0 && !first {
			return true
		}
		first = false
	}
	return false
}

// CallID returns the Call-ID header (compact form i:) of a SIP message, if a line break
// ends it: a Call-ID at the very end of the text may have been cut (Pexip cuts a long
// message into fragments at any byte), and a part of an id is no id.
func CallID(msg []byte) ([]byte, bool) {
	if id, ok := WholeHeader(msg, "Call-ID", "i"); ok && len(id) > 0 {
		return id, true
	}
	return nil, false
}

func equalFold(b []byte, s string) bool { return bytes.EqualFold(b, []byte(s)) }
