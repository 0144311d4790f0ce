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

// NewParserFunc returns a new Parser of a format (see formats.New), one for each goroutine
// that parses.
type NewParserFunc func() Parser
