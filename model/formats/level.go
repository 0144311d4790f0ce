package formats

import (
	"bytes"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/asterisk"
	"github.com/calltail/calltail/model/flexisip"
	"github.com/calltail/calltail/model/privateserver"
	"github.com/calltail/calltail/model/timestamp"
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
	case *flexisip.Parser: // before decliner: it declines more lines than its Declines
		return flexisipDeclines(q, line)
	case decliner:
		return q.Declines(line)
	case *privateserver.Parser:
		return privateDeclines(line)
	case *asterisk.Parser:
		return asteriskDeclines(q, line)
	}
	return false
}

// flexisipDeclines: Flexisip's Parse reads a line that starts with the general log's time
// stamp as a general log entry if the word after the time holds a level ("-error-"),
// which its Level tells, and as plain otherwise (it tries the event log's time only on a
// line without that stamp); a line without that stamp as its Declines says. Its Declines
// alone declines no line with the stamp, FreeSWITCH's among them.
func flexisipDeclines(q *flexisip.Parser, line []byte) bool {
	if _, ok := timestamp.DateTime(line); ok {
		_, general := q.Level(line)
		return !general
	}
	return q.Declines(line)
}

// asteriskDeclines: Asterisk's Parse reads an entry's shape from its first line alone,
// as its StartsEntry does, but for the SIP trace headers that chan_sip writes ("<--- SIP
// read from …", "Reliably Transmitting (NAT) to …"): they start no entry, yet Parse reads
// an entry that starts with one as a header. A line that starts no entry and opens as no
// header can is read as plain.
func asteriskDeclines(q *asterisk.Parser, line []byte) bool {
	return !q.StartsEntry(line) && !bytes.HasPrefix(line, []byte("<--- ")) &&
		!bytes.HasPrefix(bytes.TrimPrefix(line, []byte("Reliably ")), []byte("Transmitting ("))
}

// privateDeclines: a PrivateServer export's row or header has tab-separated columns, the
// first a time (with a zone's abbreviation or none), a number or a column name. A first
// line with no tab is one column, too few for any export; with the lines after it, the
// first column holds a line feed, which none of these holds (its spaces are trimmed, its
// line feeds are not).
func privateDeclines(line []byte) bool {
	return bytes.IndexByte(line, '\t') < 0
}

var _ Leveller = (*Parser)(nil)
