package model

// Parser reads one log format. Each format (Pexip Infinity, and later Flexisip,
// PrivateServer exports, generic syslog) is a sibling package that implements it.
// A Parser is used by one goroutine at a time.
type Parser interface {
	// StartsEntry reports whether line (without its terminator) begins a new entry.
	// A line that does not continues the entry above it.
	StartsEntry(line []byte) bool
	// Parse fills r from one whole entry, setting r.Raw to raw. It never fails: an entry of
	// no known shape becomes a plain record with a guessed level.
	Parse(raw []byte, r *Record)
}

// Shaped is a Parser that can read an entry only as far as it knows its shape: what a
// parser trying several formats asks each in turn. ParseShaped fills r as Parse does and
// reports true for an entry of the parser's shape; it reports false, r undefined, where
// Parse would read the entry as plain — without the level guessed for a plain record,
// which is thrown away when another format knows the entry.
type Shaped interface {
	Parser
	ParseShaped(raw []byte, r *Record) bool
}

// Dated is a Parser whose year-less time stamps (RFC 3164's "Oct  3 10:12:24") take the
// latest year that does not put them after the time their text was last written.
type Dated interface {
	// SetModified says when the text was last written (a file's modification time), in
	// microseconds since the epoch; without it, it is now.
	SetModified(micros int64)
}

// Modified returns newParser's parsers told that their text was last written at
// micros (see Dated); newParser itself when micros is 0.
func Modified(newParser NewParserFunc, micros int64) NewParserFunc {
	if micros == 0 {
		return newParser
	}
	return func() Parser {
		p := newParser()
		if d, ok := p.(Dated); ok {
			d.SetModified(micros)
		}
		return p
	}
}

// NewParserFunc returns a new Parser of a format (see formats.New), one for each goroutine
// that parses.
type NewParserFunc func() Parser
