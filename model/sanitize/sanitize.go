// Package sanitize makes text from logs safe to show in a terminal. Log text is untrusted:
// anyone who can reach a SIP port or a syslog listener can put bytes in it. Every control
// character, escape sequence introducer, invalid UTF-8 byte and bidirectional override is
// written as visible text, so nothing from a log can move the cursor, set the window title,
// write the clipboard (OSC 52), make links (OSC 8) or hide or reorder text.
package sanitize

import (
	"unicode/utf8"
)

// Options choose which whitespace controls pass through unchanged.
type Options struct {
	Newlines bool // keep line feeds (a multi-line entry printed as it was written)
	Tabs     bool // keep tabs; otherwise each tab becomes TabWidth spaces
	TabWidth int  // spaces per tab when Tabs is false; 0 means 4
}

// Append appends the terminal-safe form of b to dst:
//   - C0 controls and DEL in caret notation: ESC as ^[, BEL as ^G, CR as ^M, NUL as ^@, DEL as ^?
//   - C1 controls (U+0080–U+009F) and bidirectional controls (U+202A–U+202E,
//     U+2066–U+2069, U+200E, U+200F, U+061C) as <U+XXXX>
//   - bytes that are not valid UTF-8 as \xNN
//
// Everything else, including all printable Unicode, is copied unchanged.
func Append(dst, b []byte, opt Options) []byte {
	for i := 0; i < len(b); {
		start := i
		for i < len(b) && b[i] >= 0x20 && b[i] < 0x7f {
			i++
		}
		dst = append(dst, b[start:i]...)
		if i >= len(b) {
			break
		}
		c := b[i]
		if c < 0x80 {
			dst = appendControl(dst, c, opt)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			dst = append(dst, '\\', 'x', hex[c>>4], hex[c&15])
		case IsControl(r):
			dst = appendCodePoint(dst, r)
		default:
			dst = append(dst, b[i:i+size]...)
		}
		i += size
	}
	return dst
}

// String returns the terminal-safe form of s on one line: line feeds are shown as ^J.
func String(s string) string { return string(Append(nil, []byte(s), Options{})) }

// Clean reports whether b needs no change to be shown with opt.
func Clean(b []byte, opt Options) bool {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 0x20 && c < 0x7f || c == '\n' && opt.Newlines || c == '\t' && opt.Tabs {
			continue
		}
		if c < 0x80 {
			return false
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 || IsControl(r) {
			return false
		}
		i += size - 1
	}
	return true
}

const hex = "0123456789abcdef"

func appendControl(dst []byte, c byte, opt Options) []byte {
	switch {
	case c == '\n' && opt.Newlines:
		return append(dst, c)
	case c == '\t' && opt.Tabs:
		return append(dst, c)
	case c == '\t':
		w := opt.TabWidth
		if w <= 0 {
			w = 4
		}
		for range w {
			dst = append(dst, ' ')
		}
		return dst
	case c == 0x7f:
		return append(dst, '^', '?')
	default:
		return append(dst, '^', c+0x40)
	}
}

// appendCodePoint writes r as <U+XXXX> (or <U+XXXXX> past U+FFFF).
func appendCodePoint(dst []byte, r rune) []byte {
	const upperHex = "0123456789ABCDEF"
	dst = append(dst, "<U+"...)
	shift := 12
	for r>>(shift+4) != 0 {
		shift += 4
	}
	for ; shift >= 0; shift -= 4 {
		dst = append(dst, upperHex[(r>>shift)&15])
	}
	return append(dst, '>')
}

// IsControl reports the code points that must never reach a terminal as they are: the C0
// and C1 controls, DEL, the invisible bidirectional controls that reorder or hide text
// (embeddings and overrides, isolates, directional marks), and the invisible characters
// that can make two different texts look the same or hide one in another (zero-width
// space, word joiner and invisible operators, the byte order mark, the Mongolian vowel
// separator, tag characters). The zero-width joiner stays: emoji sequences need it.
func IsControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r < 0xa0 ||
		r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x200e || r == 0x200f || r == 0x061c ||
		r == 0x200b || r >= 0x2060 && r <= 0x2064 || r == 0xfeff || r == 0x180e || r >= 0xe0000 && r <= 0xe007f
}
