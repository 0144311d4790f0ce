package security

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// asWritten returns a name as the user wrote it. Pexip logs some values as the Python
// repr of a list of strings — Local-alias="[u'erin']", "[u'a', u'b']", u'\xc5sa' for Åsa —
// and they are decoded: the strings, joined by ", ". Anything else is returned as it is.
func asWritten(v string) string {
	s := strings.TrimSpace(v)
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		items, ok := pyStrings(s[1 : len(s)-1])
		if !ok {
			return v
		}
		return strings.Join(items, ", ")
	}
	if items, ok := pyStrings(s); ok && len(items) == 1 && s != "" {
		return items[0]
	}
	return v
}

// pyStrings reads a comma-separated run of Python string literals (u'…', '…', "…",
// b'…'), and reports whether s is exactly that.
func pyStrings(s string) ([]string, bool) {
	var out []string
	for {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			return out, true
		}
		item, rest, ok := pyString(s)
		if !ok {
			return nil, false
		}
		out = append(out, item)
		rest = strings.TrimLeft(rest, " ")
		if rest == "" {
			return out, true
		}
		if rest[0] != ',' {
			return nil, false
		}
		s = rest[1:]
	}
}

// pyString reads one Python string literal at the start of s, its escapes decoded, and
// returns it with what follows it.
func pyString(s string) (string, string, bool) {
	if len(s) > 0 && (s[0] == 'u' || s[0] == 'b' || s[0] == 'U' || s[0] == 'B') {
		s = s[1:]
	}
	if len(s) < 2 || s[0] != '\'' && s[0] != '"' {
		return "", "", false
	}
	quote := s[0]
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == quote:
			return b.String(), s[i+1:], true
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(s) {
			return "", "", false
		}
		i++
		switch e := s[i]; e {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+n >= len(s) {
				return "", "", false
			}
			code, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
			if err != nil || !utf8.ValidRune(rune(code)) {
				return "", "", false
			}
			b.WriteRune(rune(code))
			i += n
		default: // \\ \' \" and what Python keeps as written
			b.WriteByte(e)
		}
	}
	return "", "", false
}
