// Package export writes entries out of calltail: as their raw text made safe for a
// terminal, or as one JSON object per line for scripts. Headless mode prints with it and
// the UI exports a pane with it.
package export

import (
	"unicode/utf8"

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
	// level, module, message, fields (each detail, \" decoded) and raw.
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
	dst = appendString(dst, r.Node)
	dst = append(dst, `,"level":"`...)
	dst = append(dst, r.Level.String()...)
	dst = append(dst, `","module":`...)
	dst = appendString(dst, r.Module)
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
			dst = appendString(dst, key)
			dst = append(dst, ':')
			dst = appendUnescaped(dst, value, false)
		}
	}
	dst = append(dst, `},"raw":`...)
	dst = appendString(dst, r.Raw)
	return append(dst, "}\n"...)
}

// appendUnescaped writes a detail value as a JSON string with its \" escapes decoded.
func appendUnescaped(dst, value []byte, plain bool) []byte {
	if plain || !kv.NeedsUnescape(value) {
		return appendString(dst, value)
	}
	return appendString(dst, kv.Unescape(nil, value))
}

// appendString writes s as a JSON string. Control characters, C1 controls and the
// bidirectional controls are written as \u escapes, so the output is also safe to show in
// a terminal; bytes that are not UTF-8 become U+FFFD, as JSON requires.
func appendString(dst, s []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
			i++
			continue
		case '\n':
			dst = append(dst, '\\', 'n')
			i++
			continue
		case '\t':
			dst = append(dst, '\\', 't')
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			dst = append(dst, `\ufffd`...)
		case sanitize.IsControl(r) || r == 0x2028 || r == 0x2029:
			dst = append(dst, '\\', 'u')
			dst = append(dst, hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

func repeated(seen [][]byte, key []byte) bool {
	for _, k := range seen {
		if string(k) == string(key) {
			return true
		}
	}
	return false
}
