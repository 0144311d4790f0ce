package flexisip

import (
	"bytes"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/timestamp"
)

// Level tells the level of a general log entry from its first line without parsing it:
// the "-word-" in the word after the time stamp, as general reads it (that word is cut at
// the line's end, so the lines that follow do not change it). It reports false for every
// other line, the event log's among them (their level depends on the whole line).
func (p *Parser) Level(line []byte) (model.Level, bool) {
	ts, ok := timestamp.DateTime(line)
	if !ok {
		return 0, false
	}
	rest := line[ts.Len:]
	if len(rest) < 2 || rest[0] != ' ' {
		return 0, false
	}
	token := rest[1:]
	if sp := bytes.IndexByte(token, ' '); sp >= 0 {
		token = token[:sp]
	}
	for _, l := range levels {
		if bytes.Index(token, []byte(l.word)) > 0 {
			return l.level, true
		}
	}
	return 0, false
}
