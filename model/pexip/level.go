package pexip

import (
	"bytes"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/timestamp"
)

// Level tells the level of an entry from its first line, without parsing it, when that
// line has one of the shapes Pexip writes with the level at its place:
//
//	time Level="X" …
//	syslog_time host time Level="X" …   (syslog_time in RFC 3339, with 'T' or a zone)
//	system time Level="X" …
//
// It reports false for every other line. When it reports true, the line starts an entry
// (StartsEntry) and Parse gives that entry the same level: each condition below is one
// that Parse's path through the line depends on (TestLevelIsParsedLevel over every sample,
// FuzzLevel). A query skips the entries below its level with it.
func (p *Parser) Level(line []byte) (model.Level, bool) {
	ts, ok := timestamp.DateTime(line)
	switch {
	case ok && !ts.Zone && !ts.T: // Parse takes the time as the originating one
		return levelAfter(line[ts.Len:])
	case ok: // an envelope's time: Parse reads the envelope, a host and then the time
		i := ts.Len + 1
		if i >= len(line) || line[i-1] != ' ' {
			return 0, false
		}
		host := word(line[i:])
		if !plainHost(host) || host[len(host)-1] == ':' { // ':' would make it a syslog tag
			return 0, false
		}
		return stampedLevel(line[i+len(host)+1:])
	case len(line) > 0 && isLetter(line[0]): // "system time": no envelope, the system first
		sp := bytes.IndexByte(line[:min(len(line), 256)], ' ')
		if sp <= 0 || sp == 3 || !plainHost(line[:sp]) || isLevel(line[:sp]) {
			return 0, false // (sp 3 could start an RFC 3164 time stamp: "Nov 20 …")
		}
		return stampedLevel(line[sp+1:])
	}
	return 0, false
}

// stampedLevel reads "time Level="X"" at the start of b.
func stampedLevel(b []byte) (model.Level, bool) {
	ts, ok := timestamp.DateTime(b)
	if !ok {
		return 0, false
	}
	return levelAfter(b[ts.Len:])
}

// levelAfter reads ` Level="X"` (one space or more) at the start of b, as header does.
func levelAfter(b []byte) (model.Level, bool) {
	if len(b) == 0 || b[0] != ' ' {
		return 0, false
	}
	v, _, ok := quotedPair(skipSpace(b), "Level")
	if !ok {
		return 0, false
	}
	if l, known := model.ParseLevel(v); known {
		return l, true
	}
	return model.LevelInfo, true
}

// word returns the text of b before its first space; nil if b has no space.
func word(b []byte) []byte {
	if sp := bytes.IndexByte(b, ' '); sp > 0 {
		return b[:sp]
	}
	return nil
}

// plainHost reports whether w is a host name that the envelope takes as the host and that
// no time stamp could be read from: letters, digits, '.', '-', '_' and ':', starting
// with a letter, or with a digit but not as a date ("2026-05-14") does.
func plainHost(w []byte) bool {
	if len(w) == 0 || !isLetter(w[0]) && (w[0] < '0' || w[0] > '9') || len(w) > 4 && w[4] == '-' {
		return false
	}
	for _, c := range w {
		if !isLetter(c) && (c < '0' || c > '9') && c != '.' && c != '-' && c != '_' && c != ':' {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
