package sipsyslog

import (
	"bytes"

	"github.com/calltail/calltail/model"
)

// markWords is how many words from the start of the text are looked at for a level mark.
const markWords = 6

// level is the level of an entry whose first line's text (after any time stamp) is text,
// and whose whole text is all: the level mark the server wrote, else the envelope's
// severity, else the words of all its lines (a traceback's last line tells).
func level(text, all []byte, severity int) model.Level {
	if l, ok := markIn(text); ok {
		return l
	}
	if severity >= 0 {
		return model.SeverityLevel(severity)
	}
	return model.GuessLevel(all)
}

// markIn finds a level mark among the first words of text (markWords of them).
func markIn(text []byte) (model.Level, bool) {
	rest := text
	for range markWords {
		var w []byte
		w, rest, _ = bytes.Cut(skipSpace(rest), []byte(" "))
		if l, ok := mark(w); ok {
			return l, true
		}
	}
	return 0, false
}

// Level tells the level of an entry from its first line without parsing it, where Parse
// reads it from that line alone: an indented SIP start line (a message dumped on its own,
// info), or a line with a prefix (see split) and text after it whose first words hold a
// level mark, or without one, whose syslog envelope has a PRI (its severity). It reports
// false for every other line: one whose level Parse guesses from the words of all the
// entry's lines, and one whose prefix ends at the line's end (the prefix's last word, a
// tag or a host, or an RFC 5424 element, could go on across the line break, and the text
// after it start on the next line). A query skips the entries below its level with it.
func (p *Parser) Level(line []byte) (model.Level, bool) {
	if !mayStart(line) {
		return 0, false
	}
	indented := line[0] == ' ' || line[0] == '\t'
	if indented && isStartLine(bytes.TrimLeft(line, " \t")) { // Parse tries a SIP message first
		return model.LevelInfo, true
	}
	y := p.years()
	e, ok := split(line, y)
	if !ok {
		return 0, false
	}
	if !indented && isStartLine(line) { // a message's start line with a prefix's shape
		return model.LevelInfo, true
	}
	if len(e.text) == 0 {
		return 0, false
	}
	text := e.text
	if _, rest, ok := ownTime(text, y); ok {
		text = rest
	}
	if l, ok := markIn(text); ok {
		return l, true
	}
	if e.severity >= 0 {
		return model.SeverityLevel(e.severity), true
	}
	return 0, false
}

// mark reads a level mark: Kamailio's and OpenSIPS's "ERROR:" or "ERROR:core:...", Asterisk's
// "WARNING[1234]..." and FreeSWITCH's "[WARNING]". The level word is in upper case.
func mark(w []byte) (model.Level, bool) {
	var name []byte
	if len(w) > 2 && w[0] == '[' && w[len(w)-1] == ']' {
		name = w[1 : len(w)-1]
	} else if end := bytes.IndexAny(w, ":["); end > 0 {
		name = w[:end]
	}
	return markName(name)
}

// isMarkWord reports whether w is a level mark followed by a colon, as Kamailio, OpenSIPS
// and rtpengine start their text: "ERROR:", "DBG:core:parse_headers:".
func isMarkWord(w []byte) bool {
	end := bytes.IndexByte(w, ':')
	if end <= 0 {
		return false
	}
	_, ok := markName(w[:end])
	return ok
}

// markName reads the name of a level mark, in upper case: the level words, and the
// servers' own — Asterisk's VERBOSE, OpenSIPS's DBG, Kamailio's BUG, FreeSWITCH's CONSOLE.
func markName(name []byte) (model.Level, bool) {
	for _, c := range name {
		if c < 'A' || c > 'Z' {
			return 0, false
		}
	}
	switch string(name) {
	case "VERBOSE", "CONSOLE":
		return model.LevelInfo, true
	case "DBG":
		return model.LevelDebug, true
	case "BUG":
		return model.LevelCritical, true
	}
	return model.ParseLevel(name)
}

// mayStart looks at the start of line as cheaply as can be, for Level to pass over the
// lines that continue an entry (a SIP message's headers, "Via: ...", "a=rtpmap:...") at
// once. A line that starts with a letter starts an entry only with an RFC 3164 time
// ("Dec 17 18:", "Dec 7 18:") or as a tag with its pid ("kamailio[8813]: "): a
// PRI, a stderr prefix, an ISO time and an indented SIP line start with another byte. It
// reports true for every line that starts an entry, and for others.
func mayStart(line []byte) bool {
	if len(line) == 0 || !isLetter(line[0]) {
		return len(line) > 0
	}
	if len(line) >= 14 && line[3] == ' ' && (line[8] == ':' || line[9] == ':') {
		return true
	}
	w, _, _ := bytes.Cut(line, []byte(" "))
	return bytes.HasSuffix(w, []byte("]:"))
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
