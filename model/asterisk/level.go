package asterisk

import "github.com/calltail/calltail/model"

// Level tells the level of an entry from its first line without parsing it: Parse
// decides an entry's shape and level from its first line alone, so Level answers for
// every line that starts an entry of an Asterisk shape, with the level Parse gives it
// (the prefix's level word, a security event's Severity, info for the console's verbose
// lines and SIP trace headers). It reports false for other lines, chan_sip's trace
// headers among them (they continue the entry above).
func (p *Parser) Level(line []byte) (model.Level, bool) {
	if pre, ok := readPrefix(line, p.year()); ok {
		return level(pre.level, line[pre.text:]), true
	}
	if verboseMarker(line) > 0 {
		return model.LevelInfo, true
	}
	if h, ok := readHeader(line); ok && !h.follows {
		return model.LevelInfo, true
	}
	return 0, false
}
