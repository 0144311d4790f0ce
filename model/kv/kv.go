// Package kv reads the details of a Pexip log line: Key="value" pairs separated by spaces.
//
// It accepts what real files hold, not only what the format promises: \" escapes inside
// values, values spanning physical lines, empty values, unquoted values, a stray closing quote
// with no opening one (Call-id=890b38520c27737c@"), and an unterminated quote at the end.
// Nothing allocates; values are returned as written (escaped) and Unescape decodes them.
package kv

import (
	"bytes"
	"iter"
)

// All yields each key and its raw value in order. Words that are not pairs are skipped.
func All(details []byte) iter.Seq2[[]byte, []byte] {
	return func(yield func(key, value []byte) bool) {
		for i := 0; i < len(details); {
			key, value, next, ok := next(details, i)
			if ok && !yield(key, value) {
				return
			}
			i = next
		}
	}
}

// Lookup returns the raw value of the first pair whose key equals key in any ASCII letter case.
func Lookup(details []byte, key string) (value []byte, ok bool) {
	for k, v := range All(details) {
		if EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// ValueStart returns the details from the start of key's quoted value to their end,
// without looking for where the value ends: reading the beginning of a long value (a
// SIP message) costs no more than finding its key. It finds the key as written, after
// a space or at the start; a quote inside a value is escaped, so a match is a pair.
func ValueStart(details []byte, key string) ([]byte, bool) {
	for i := 0; i+len(key)+2 <= len(details); {
		j := bytes.Index(details[i:], []byte(key))
		if j < 0 {
			return nil, false
		}
		at, end := i+j, i+j+len(key)
		if (at == 0 || isSpace(details[at-1])) && bytes.HasPrefix(details[end:], []byte(`="`)) {
			return details[end+2:], true
		}
		i = at + 1
	}
	return nil, false
}

// next reads the pair that starts at or after i. It returns where scanning continues and
// whether a pair was found (a bare word is skipped with ok false).
func next(b []byte, i int) (key, value []byte, end int, ok bool) {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	start := i
	if i < len(b) && b[i] == '"' {
		i++ // `"Message="x"`: a stray quote before the key
	}
	for i < len(b) && !endsKey[b[i]] {
		i++
	}
	if i < len(b) && b[i] == '"' {
		// A quote inside a word that is not a key: skip the quoted run so that the spaces
		// inside it do not start new pairs.
		end, _ = skipQuoted(b, i+1)
		return nil, nil, end, false
	}
	if i >= len(b) || b[i] != '=' {
		return nil, nil, i, false
	}
	key = bytes.TrimLeft(b[start:i], `"`) // `"Message="x"`: a stray quote before the key
	i++                                   // '='
	if i < len(b) && b[i] == '"' {
		vstart := i + 1
		end, closed := skipQuoted(b, vstart)
		vend := end
		if closed {
			vend--
		}
		return key, b[vstart:vend], end, len(key) > 0
	}
	vstart := i
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	value = bytes.TrimRight(b[vstart:i], `"`) // Call-id=890b38520c27737c@"
	return key, value, i, len(key) > 0
}

// skipQuoted returns the index just past the quote that closes a value starting at start,
// or len(b) and false when the quote is never closed.
func skipQuoted(b []byte, start int) (end int, closed bool) {
	for i := start; ; {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b), false
		}
		q := i + j
		if !escaped(b, start, q) {
			return q + 1, true
		}
		i = q + 1
	}
}

// escaped reports whether the byte at q is preceded by an odd number of backslashes,
// counting back no further than start.
func escaped(b []byte, start, q int) bool {
	n := 0
	for k := q - 1; k >= start && b[k] == '\\'; k-- {
		n++
	}
	return n%2 == 1
}

// Unescape appends value to dst with \" and \\ decoded. Other backslashes are kept.
func Unescape(dst, value []byte) []byte {
	for {
		i := bytes.IndexByte(value, '\\')
		if i < 0 || i == len(value)-1 {
			return append(dst, value...)
		}
		dst = append(dst, value[:i]...)
		if c := value[i+1]; c == '"' || c == '\\' {
			dst = append(dst, c)
		} else {
			dst = append(dst, '\\', c)
		}
		value = value[i+2:]
	}
}

// NeedsUnescape reports whether value holds an escape that Unescape would decode.
func NeedsUnescape(value []byte) bool {
	for {
		i := bytes.IndexByte(value, '\\')
		if i < 0 || i == len(value)-1 {
			return false
		}
		if c := value[i+1]; c == '"' || c == '\\' {
			return true
		}
		value = value[i+2:]
	}
}

// EqualFold reports whether b equals s in ASCII case-insensitive comparison.
func EqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		x, y := b[i], s[i]
		if x == y {
			continue
		}
		if x|0x20 != y|0x20 || x|0x20 < 'a' || x|0x20 > 'z' {
			return false
		}
	}
	return true
}

// isSpace reports the bytes that separate pairs: a line break between pairs (a value
// continued on the next physical line) separates them like a space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// endsKey holds the bytes that end a word read as a key: its '=', a space, or a quote.
var endsKey = [256]bool{'=': true, '"': true, ' ': true, '\t': true, '\n': true, '\r': true}
