// Package formats knows every log format calltail reads — Pexip Infinity, Flexisip,
// PrivateServer exports, Asterisk's own files, FreeSWITCH's own log, generic SIP-server
// syslog — and tells them apart.
//
// A Parser reads entries of any of the formats it is given, each entry by the first
// format whose shape it has, in a fixed order (Pexip first: most lines are Pexip's, and
// its parser reads the syslog envelopes that the others' lines may come in too). One
// parser thus reads a file of one format, or a syslog host's mix of several. Detect names
// the format of a source from its first lines, as the status line shows it.
package formats

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/asterisk"
	"github.com/calltail/calltail/model/flexisip"
	"github.com/calltail/calltail/model/freeswitch"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/privateserver"
	"github.com/calltail/calltail/model/sipsyslog"
)

// Names are the formats --format takes, in the order a Parser tries them (Asterisk's
// before syslog's: the journal's "NOTICE[566]: chan_sip.c: ..." looks like a syslog tag
// with a pid); "auto" (every format) is the default.
var Names = []string{"pexip", "flexisip", "privateserver", "asterisk", "freeswitch", "syslog", "plain"}

// Parser reads entries of several formats. Make one with New.
type Parser struct {
	parsers []model.Shaped // in the order tried; the first is also the one for plain lines
}

var (
	_ model.Parser = (*Parser)(nil)
	_ model.Dated  = (*Parser)(nil)
)

// SetModified tells the formats that date year-less time stamps when the text was last
// written (see model.Dated).
func (p *Parser) SetModified(micros int64) {
	for _, q := range p.parsers {
		if d, ok := q.(model.Dated); ok {
			d.SetModified(micros)
		}
	}
}

// New returns a function making parsers of the format called name ("auto" or "" for every
// format), or an error naming the formats there are. year is the year assumed for time
// stamps that carry none (RFC 3164 syslog's, Asterisk's "[Jan 18 17:39:50]", FreeSWITCH's
// "08-03 07:56:53.026292"); 0 means the current year.
func New(name string, year int) (model.NewParserFunc, error) {
	switch name {
	case "", "auto":
		return func() model.Parser {
			return &Parser{parsers: []model.Shaped{&pexip.Parser{Year: year}, &flexisip.Parser{}, &privateserver.Parser{},
				&asterisk.Parser{Year: year}, &freeswitch.Parser{Year: year}, &sipsyslog.Parser{Year: year}}}
		}, nil
	case "pexip":
		return func() model.Parser { return &pexip.Parser{Year: year} }, nil
	case "flexisip":
		return func() model.Parser { return &flexisip.Parser{} }, nil
	case "privateserver":
		return func() model.Parser { return &privateserver.Parser{} }, nil
	case "asterisk":
		return func() model.Parser { return &asterisk.Parser{Year: year} }, nil
	case "freeswitch":
		return func() model.Parser { return &freeswitch.Parser{Year: year} }, nil
	case "syslog":
		return func() model.Parser { return &sipsyslog.Parser{Year: year} }, nil
	case "plain":
		return func() model.Parser { return plain{} }, nil
	}
	return nil, fmt.Errorf("unknown format %q: choose auto, %s", name, strings.Join(Names, ", "))
}

// StartsEntry reports whether any of the formats begins an entry with line.
func (p *Parser) StartsEntry(line []byte) bool {
	for _, q := range p.parsers {
		if q.StartsEntry(line) {
			return true
		}
	}
	return false
}

// Parse fills r from one entry: by the first format that knows its shape, or else as
// the first format reads a plain line (with a syslog envelope's time, host and severity).
// No format guesses the level of an entry it does not know: only the plain record's is.
func (p *Parser) Parse(raw []byte, r *model.Record) {
	for _, q := range p.parsers {
		if q.ParseShaped(raw, r) {
			return
		}
	}
	p.parsers[0].Parse(raw, r)
}

// plain reads every line as text of no known shape, with a level guessed from its words;
// a line with a time stamp starts an entry.
type plain struct{}

func (plain) StartsEntry(line []byte) bool { return len(line) > 0 }

func (plain) Parse(raw []byte, r *model.Record) {
	*r = model.Record{Raw: raw, Plain: true, Details: raw, Level: model.GuessLevel(raw)}
}

// SampleBytes is how much of a source's first text Detect reads; detectLines bounds the
// entries it looks at.
const (
	SampleBytes = 64 << 10
	detectLines = 200
)

// Detect names the format of a source from its first lines, text: the format of most of
// its entries; "plain" when none has a known shape; and when several formats each make
// up a good part of it (a syslog host's mix), all of them, most first, joined by "+".
func Detect(text []byte) string {
	text = text[:min(len(text), SampleBytes)]
	if i := bytes.LastIndexByte(text, '\n'); i >= 0 && len(text) == SampleBytes {
		text = text[:i] // whole lines only
	}
	newParser, _ := New("auto", 0)
	p := newParser()
	counts := map[string]int{}
	entries := 0
	var r model.Record
	for line := range bytes.Lines(text) {
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 || !p.StartsEntry(line) && entries > 0 {
			continue // a continuation line belongs to the entry above
		}
		if entries++; entries > detectLines {
			break
		}
		p.Parse(line, &r)
		counts[r.Format()]++
	}
	return name(counts)
}

// name names the formats counted: those with at least a fifth of the entries of a known
// shape, most first (ties in Names order), or "plain".
func name(counts map[string]int) string {
	known := 0
	var found []string
	for _, f := range Names[:len(Names)-1] {
		if counts[f] > 0 {
			known += counts[f]
			found = append(found, f)
		}
	}
	if known == 0 {
		return "plain"
	}
	sort.SliceStable(found, func(i, j int) bool { return counts[found[i]] > counts[found[j]] })
	n := 1
	for n < len(found) && counts[found[n]]*5 >= known {
		n++
	}
	return strings.Join(found[:n], "+")
}
