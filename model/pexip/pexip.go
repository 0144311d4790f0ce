// Package pexip parses Pexip Infinity log lines:
//
//	[syslog_time system] originating_time level name details
//
// in every form DESIGN §1 lists: with or without the syslog prefix (or with a raw RFC 3164
// or RFC 5424 envelope instead), with only the system in front, microsecond or millisecond
// times, Level="X" or a bare level word, Name="x" or a bare module. Lines of no known shape
// become plain records with a guessed level.
package pexip

import (
	"bytes"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/envelope"
	"github.com/calltail/calltail/model/timestamp"
)

// Parser parses Pexip Infinity lines. The zero value is ready to use and assumes the
// current year for RFC 3164 time stamps.
type Parser struct {
	// Year is the year assumed for syslog time stamps that carry none (RFC 3164);
	// 0 means the current year, read on first use.
	Year int
}

var _ model.Parser = (*Parser)(nil)

// StartsEntry reports whether line begins an entry: it opens with a syslog envelope, a time
// stamp, or a system name followed by a time stamp.
func (p *Parser) StartsEntry(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	if line[0] == '<' || (line[0] >= 'A' && line[0] <= 'Z') {
		if _, ok := envelope.Parse(line, 2000); ok {
			return true
		}
	}
	if _, ok := timestamp.DateTime(line); ok {
		return true
	}
	sp := bytes.IndexByte(line[:min(len(line), 256)], ' ')
	if sp <= 0 {
		return false
	}
	_, ok := timestamp.DateTime(line[sp+1:])
	return ok
}

// Parse fills r from one entry.
func (p *Parser) Parse(raw []byte, r *model.Record) {
	if rest, severity, ok := p.read(raw, r); !ok {
		r.Plain, r.Details, r.Level = true, rest, plainLevel(rest, severity)
	}
}

// ParseShaped fills r from an entry of Pexip's shape (see model.Shaped).
func (p *Parser) ParseShaped(raw []byte, r *model.Record) bool {
	_, _, ok := p.read(raw, r)
	return ok
}

// read fills r from an entry of Pexip's shape and reports true; otherwise it returns the
// entry's text after its envelope and time, if any, and the envelope's severity (-1 if
// none), which a plain record's are.
func (p *Parser) read(raw []byte, r *model.Record) (rest []byte, severity int, ok bool) {
	*r = model.Record{Raw: raw}
	rest, severity = raw, -1
	// A syslog envelope or prefix, unless the line starts with the originating time itself.
	ts, stamped := timestamp.DateTime(raw)
	switch {
	case stamped && (ts.Zone || ts.T):
		pre := envelope.ParseStamped(raw, ts)
		r.SyslogTime, r.Node, rest = pre.Time, pre.Host, raw[pre.Payload:]
		ts, stamped = timestamp.DateTime(rest)
	case !stamped:
		if pre, ok := envelope.Parse(raw, p.year()); ok {
			r.SyslogTime, r.Node, severity, rest = pre.Time, pre.Host, pre.Severity, raw[pre.Payload:]
			ts, stamped = timestamp.DateTime(rest)
		}
	}
	// "system originating_time", as in exports that start at the system; a system in the
	// payload names the node better than the envelope's host.
	if !stamped {
		if sp := bytes.IndexByte(rest[:min(len(rest), 256)], ' '); sp > 0 {
			if t, ok := timestamp.DateTime(rest[sp+1:]); ok && !isLevel(rest[:sp]) {
				r.Node, rest, ts, stamped = rest[:sp], rest[sp+1:], t, true
			}
		}
	}
	r.Time = r.SyslogTime
	if stamped {
		r.Time, rest = ts.Micros, skipSpace(rest[ts.Len:])
	}
	level, module, details, ok := header(rest, stamped)
	if !ok {
		return rest, severity, false
	}
	if level == noLevel {
		level = model.SeverityLevel(severity)
	}
	r.Level, r.Module, r.Details = level, module, details
	return rest, severity, true
}

// noLevel marks a header without a level.
const noLevel = model.Level(-128)

// header reads the level and name that start a Pexip line's fields: Level="X" and
// Name="x" (either may be missing), or, after a time stamp only, the bare forms of older
// releases, "WARNING support.participant". It reports false for text of no known shape.
func header(b []byte, stamped bool) (level model.Level, module, rest []byte, ok bool) {
	level = noLevel
	if v, after, found := quotedPair(b, "Level"); found {
		level, ok = model.LevelInfo, true
		if l, known := model.ParseLevel(v); known {
			level = l
		}
		b = after
	} else if w, after := bareWord(b); stamped && isLevel(w) {
		m, afterModule := bareWord(after)
		switch {
		case isModule(m):
			level, _ = model.ParseLevel(w)
			return level, m, afterModule, true
		case hasPrefixFold(after, `Name="`):
			level, _ = model.ParseLevel(w)
			ok, b = true, after
		}
	}
	if v, after, found := quotedPair(b, "Name"); found {
		return level, v, after, true
	}
	return level, nil, b, ok
}

func isLevel(w []byte) bool {
	_, ok := model.ParseLevel(w)
	return ok
}

// isModule reports a bare dotted module name ("support.participant").
func isModule(w []byte) bool {
	return len(w) > 2 && bytes.IndexByte(w, '.') > 0 && bytes.IndexAny(w, `="`) < 0
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}

func (p *Parser) year() int {
	if p.Year == 0 {
		p.Year = time.Now().UTC().Year()
	}
	return p.Year
}

// quotedPair reads key="value" (key in any letter case) at the start of b.
func quotedPair(b []byte, key string) (value, rest []byte, ok bool) {
	n := len(key)
	if len(b) < n+3 || b[n] != '=' || b[n+1] != '"' || !bytes.EqualFold(b[:n], []byte(key)) {
		return nil, b, false
	}
	end := bytes.IndexByte(b[n+2:], '"')
	if end < 0 {
		return nil, b, false
	}
	return b[n+2 : n+2+end], skipSpace(b[n+3+end:]), true
}

func bareWord(b []byte) (w, rest []byte) {
	end := bytes.IndexByte(b, ' ')
	if end < 0 {
		return b, nil
	}
	return b[:end], skipSpace(b[end+1:])
}

func skipSpace(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	return b
}

// plainLevel is the level of a line of no known shape: the envelope's severity if it had
// one, otherwise a level guessed from its words.
func plainLevel(text []byte, severity int) model.Level {
	if severity >= 0 {
		return model.SeverityLevel(severity)
	}
	return model.GuessLevel(text)
}
