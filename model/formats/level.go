package formats

import (
	"bytes"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/privateserver"
)

// Leveller is a parser that can tell the level of some entries from their first line
// without parsing them (pexip.Parser.Level): when Level reports true, the line starts an
// entry and Parse gives that entry the level reported.
type Leveller interface {
	Level(line []byte) (model.Level, bool)
}

// decliner is a parser that can tell from an entry's first line that it reads the entry
// as a plain record, whatever lines follow (false when in doubt).
type decliner interface {
	Declines(line []byte) bool
}

// Level tells the level of an entry from its first line as Parse would: the first format
// whose Level answers does, once every format Parse tries before it has declined the line
// (Parse would have gone past them to it). Where one of them does not decline, the entry
// is left to Parse: Level reports false. The formats' Level goes first as it is the
// cheaper: most lines no format answers for (continuation lines) ask no Declines.
func (p *Parser) Level(line []byte) (model.Level, bool) {
	for k, q := range p.parsers {
		lv, ok := q.(Leveller)
		if !ok {
			continue
		}
		l, ok := lv.Level(line)
		if !ok {
			continue
		}
		for _, before := range p.parsers[:k] {
			if !declines(before, line) {
				return 0, false
			}
		}
		return l, true
	}
	return 0, false
}

// declines reports whether q reads every entry whose first line is line as plain.
func declines(q model.Parser, line []byte) bool {
	switch q := q.(type) {
	case decliner:
		return q.Declines(line)
	case *privateserver.Parser:
		return privateDeclines(line)
	}
	return false
}

// privateDeclines: a PrivateServer export's row or header has tab-separated columns, the
// first a time, a number or a column name. A first line with no tab is one column, too few
// for any export; with the lines after it, the first column holds a line feed, which no
// column name holds, and if the line starts with no digit it is neither a time nor a number.
func privateDeclines(line []byte) bool {
	return bytes.IndexByte(line, '\t') < 0 && len(line) > 0 && (line[0] < '0' || line[0] > '9')
}

var _ Leveller = (*Parser)(nil)
