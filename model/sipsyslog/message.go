package sipsyslog

import (
	"bytes"

	"github.com/calltail/calltail/model/sip"
	"github.com/calltail/calltail/model/timestamp"
)

// sipVersion ends a request line and starts a status line.
var sipVersion = []byte("SIP/2.0")

// isStartLine reports whether line is the start line of a SIP message: a request line
// ("INVITE sip:bob@example.org SIP/2.0": a method in capitals, a URI with a scheme, the
// version) or a status line ("SIP/2.0 200 OK").
func isStartLine(line []byte) bool {
	line = bytes.TrimRight(line, " \t\r")
	if rest, ok := bytes.CutPrefix(line, sipVersion); ok {
		return len(rest) >= 4 && rest[0] == ' ' && isDigits(rest[1:4]) && (len(rest) == 4 || rest[4] == ' ')
	}
	method, rest, _ := bytes.Cut(line, []byte(" "))
	uri, version, _ := bytes.Cut(rest, []byte(" "))
	return isMethod(method) && isURI(uri) && bytes.Equal(version, sipVersion)
}

// isMethod reports whether w is a SIP method as requests spell it: capital letters.
func isMethod(w []byte) bool {
	for _, c := range w {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return len(w) >= 3
}

// isURI reports whether w is an absolute URI: a scheme of letters and a colon.
func isURI(w []byte) bool {
	colon := bytes.IndexByte(w, ':')
	if colon < 1 || colon == len(w)-1 {
		return false
	}
	for _, c := range w[:colon] {
		if 'a' > c|0x20 || c|0x20 > 'z' {
			return false
		}
	}
	return true
}

// messageStart returns where the SIP message text carries starts: at a line that is a
// SIP start line (after blanks, after a real line break or one rsyslog escaped as #012),
// or at the request line that ends a line ("... <script>: INVITE sip:bob@h SIP/2.0"). It
// reports false when text carries none.
func messageStart(text []byte) (int, bool) {
	for start := 0; start < len(text); {
		end, next := lineEnd(text, start)
		line := text[start:end]
		trimmed := bytes.TrimLeft(line, " \t")
		if isStartLine(trimmed) {
			return start + len(line) - len(trimmed), true
		}
		if at, ok := requestAtEnd(line); ok {
			return start + at, true
		}
		start = next
	}
	return 0, false
}

// lineEnd returns where the line of text that begins at start ends, and where the next
// one begins: after a line break, or after rsyslog's escaped one (#012, #015#012).
func lineEnd(text []byte, start int) (end, next int) {
	for i := start; i < len(text); i++ {
		switch {
		case text[i] == '\n':
			return i, i + 1
		case text[i] == '#' && escapeAt(text, i) == '\n':
			n := i + 4
			if bytes.HasPrefix(text[i:], []byte("#015#012")) {
				n = i + 8
			}
			return i, n
		}
	}
	return len(text), len(text)
}

// requestAtEnd finds a request line that ends line, after other text: the last three words
// are a method, a URI and the SIP version.
func requestAtEnd(line []byte) (int, bool) {
	line = bytes.TrimRight(line, " \t\r")
	if !bytes.HasSuffix(line, []byte(" SIP/2.0")) {
		return 0, false
	}
	head := line[:len(line)-len(" SIP/2.0")]
	uriAt := bytes.LastIndexByte(head, ' ') + 1
	if uriAt == 0 || !isURI(head[uriAt:]) {
		return 0, false
	}
	methodAt := bytes.LastIndexByte(head[:uriAt-1], ' ') + 1
	if !isMethod(head[methodAt : uriAt-1]) {
		return 0, false
	}
	return methodAt, true
}

// message returns the SIP message text carries, from its start line to the end, and
// whether it has one. A message logged on one line, its line breaks escaped by rsyslog as
// #012 (and #015#012), is returned decoded: a copy.
func message(text []byte) ([]byte, bool) {
	start, ok := messageStart(text)
	if !ok {
		return nil, false
	}
	msg := text[start:]
	if bytes.Contains(msg, []byte("#01")) {
		return decode(msg), true
	}
	return msg, true
}

// escapeAt returns the byte that rsyslog's escape "#ooo" (three octal digits) at text[i]
// stands for when it is a line break or a tab (#012, #015, #011), else 0.
func escapeAt(text []byte, i int) byte {
	if i+4 > len(text) || text[i+1] != '0' || text[i+2] != '1' {
		return 0
	}
	switch text[i+3] {
	case '2', '5':
		return '\n'
	case '1':
		return '\t'
	}
	return 0
}

// decode turns rsyslog's escapes of line breaks and tabs back into them: #015#012 and
// #012 (and a lone #015) each become a line break, #011 a tab. Other text is kept.
func decode(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := escapeAt(b, i)
		if b[i] != '#' || c == 0 {
			out = append(out, b[i])
			continue
		}
		out = append(out, c)
		if bytes.HasPrefix(b[i:], []byte("#015#012")) {
			i += 4
		}
		i += 3
	}
	return out
}

// dateOf returns the time of a SIP message from its Date header, if it has one.
func dateOf(msg []byte) (int64, bool) {
	d, ok := sip.Header(msg, "Date", "")
	if !ok {
		return 0, false
	}
	ts, ok := timestamp.RFC1123(d)
	return ts.Micros, ok
}
