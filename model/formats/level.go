package formats

import "github.com/calltail/calltail/model"

// Leveller is a parser that can tell the level of some entries from their first line
// without parsing them (pexip.Parser.Level): when Level reports true, the line starts an
// entry and Parse gives that entry the level reported.
type Leveller interface {
	Level(line []byte) (model.Level, bool)
}

// Level tells the level of an entry from its first line as the first format does (the
// one Parse tries first: an entry it reads as not plain is read by it alone), or reports
// false.
func (p *Parser) Level(line []byte) (model.Level, bool) {
	if l, ok := p.parsers[0].(Leveller); ok {
		return l.Level(line)
	}
	return 0, false
}

var _ Leveller = (*Parser)(nil)
