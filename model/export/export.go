// Package export writes entries out of calltail: as their raw text made safe for a
// terminal, or as one JSON object per line for scripts. Headless mode prints with it and
// the UI exports a pane with it.
package export

import (
	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/sanitize"
)

// Format chooses how entries are written.
type Format int

const (
	// Plain writes each entry's raw text, control characters made visible, one entry per
	// line (an entry's continuation lines keep their line breaks).
	Plain Format = iota
	// JSON writes one object per entry: time (RFC 3339 UTC, milliseconds, or null), node,
	// level, module, message, fields (each detail, \" decoded) and raw. Every string holds
	// the text as Plain shows it, controls made visible (^[, <U+202E>, \xff), not as \u
	// escapes that a script would decode back into controls.
	JSON
)

// Append appends one entry, with its trailing newline, to dst.
func Append(dst []byte, r *model.Record, f Format) []byte {
	if f == JSON {
		return appendJSON(dst, r)
	}
	dst = sanitize.Append(dst, r.Raw, sanitize.Options{Newlines: true, Tabs: true})
	return append(dst, '\n')
}

func appendJSON(dst []byte, r *model.Record) []byte {
	dst = append(dst, `{"time":`...)
	if r.Time == 0 {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '"')
		dst = model.TimeOf(r.Time).AppendFormat(dst, "2006-01-02T15:04:05.000Z07:00")
		dst = append(dst, '"')
	}
	dst = append(dst, `,"node":`...)
	dst = appendName(dst, r.Node)
	dst = append(dst, `,"level":"`...)
	dst = append(dst, r.Level.String()...)
	dst = append(dst, `","module":`...)
	dst = appendName(dst, r.Module)
	dst = append(dst, `,"format":"`...)
	dst = append(dst, r.Format()...)
	dst = append(dst, `","message":`...)
	dst = appendUnescaped(dst, r.Message(), r.Plain)
	dst = append(dst, `,"fields":{`...)
	if !r.Plain {
		var seenBuf [32][]byte
		seen := seenBuf[:0]
		for key, value := range r.Fields() {
			if repeated(seen, key) { // the first of a repeated key wins; raw keeps them all
				continue
			}
			if len(seen) > 0 {
				dst = append(dst, ',')
			}
			seen = append(seen, key)
			dst = appendName(dst, key)
			dst = append(dst, ':')
			dst = appendUnescaped(dst, value, false)
		}
	}
	dst = append(dst, `},"raw":`...)
	dst = appendText(dst, r.Raw)
	return append(dst, "}\n"...)
}

// appendUnescaped writes a detail value as a JSON string with its \" escapes decoded.
func appendUnescaped(dst, value []byte, plain bool) []byte {
	if plain || !kv.NeedsUnescape(value) {
		return appendText(dst, value)
	}
	return appendText(dst, kv.Unescape(nil, value))
}

// Text and names as JSON strings hold what -n prints of them: controls, invisible and
// line-breaking code points and bytes that are not UTF-8 made visible (^[, <U+202E>,
// \xff), so that a script decoding them gets no control either. Text keeps its line
// breaks and tabs (as \n and \t), as -n does; names are one line.
var (
	textOptions = sanitize.Options{Newlines: true, Tabs: true}
	nameOptions = sanitize.Options{}
)

func appendText(dst, s []byte) []byte { return sanitize.AppendJSON(dst, s, textOptions) }

func appendName(dst, s []byte) []byte { return sanitize.AppendJSON(dst, s, nameOptions) }

func repeated(seen [][]byte, key []byte) bool {
	for _, k := range seen {
		if string(k) == string(key) {
			return true
		}
	}
	return false
}
