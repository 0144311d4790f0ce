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
	rest := text
	for range markWords {
		var w []byte
		w, rest, _ = bytes.Cut(skipSpace(rest), []byte(" "))
		if l, ok := mark(w); ok {
			return l
		}
	}
	if severity >= 0 {
		return model.SeverityLevel(severity)
	}
	return model.GuessLevel(all)
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
