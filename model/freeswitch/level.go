package freeswitch

import (
	"bytes"

	"github.com/calltail/calltail/model"
)

// Level tells the level of an entry from its first line without parsing it, for the
// entries of level debug only: a dated line written "[DEBUG]", a siptrace stamp and a
// sofia-sip debug line. Parse reads an entry's shape and level from its first line alone,
// whatever lines follow and whatever it read before, so the level reported is the one
// Parse gives the entry.
//
// It reports false for the other levels, although they too are read from the first line:
// a query leaves out unparsed the entries whose level its filter cannot select, and a
// dated line that Parse does not read leaves the date of the siptrace entries after it
// to an earlier line (see Parser). A siptrace entry is of level debug, so it can be
// selected only by a filter that can select debug, and such a filter skips no entry that
// Level answers for; an "[INFO]" line skipped under "level == debug" would re-date them.
func (p *Parser) Level(line []byte) (model.Level, bool) {
	if !mayStart(line) {
		return 0, false
	}
	if h, ok := readHead(line, leapYear); ok { // Parse tries the dated line first
		if h.level != model.LevelDebug {
			return 0, false
		}
		return model.LevelDebug, true
	}
	if _, ok := readStamp(line); ok {
		return model.LevelDebug, true
	}
	if _, ok := readSofia(line); ok {
		return model.LevelDebug, true
	}
	return 0, false
}

// mayStart looks at the first word of line as cheaply as can be, for Level to pass over
// the lines that continue an entry (a SIP message's) at once: a dated line starts with a
// UUID or a date, a siptrace stamp with "recv" or "send", a sofia-sip line with its
// "file.c:line". It reports true for every line that starts an entry, and for others.
func mayStart(line []byte) bool {
	w := line
	if sp := bytes.IndexByte(line[:min(len(line), 64)], ' '); sp >= 0 {
		w = line[:sp]
	}
	switch {
	case len(w) == 0:
		return false
	case isDigit(w[0]), len(w) == uuidLen:
		return true
	case string(w) == "recv", string(w) == "send":
		return true
	}
	return isDigit(w[len(w)-1]) && bytes.Contains(w, []byte(".c:"))
}
