// Package sanitize makes text from logs safe to show in a terminal or to hand on as JSON.
// Log text is untrusted: anyone who can reach a SIP port or a syslog listener can put bytes
// in it. Every control character, escape sequence introducer, invisible or line-breaking
// code point and invalid UTF-8 byte is written as visible text, so nothing from a log can
// move the cursor, set the window title, write the clipboard (OSC 52), make links (OSC 8),
// break a line or hide or reorder text. Every output of calltail — the UI's rows, details,
// status and prompts, -n, --json, the reports and exported files — writes log text
// through Append, String or AppendJSON.
package sanitize

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
	"unsafe"
)

// Options choose which whitespace controls pass through unchanged.
type Options struct {
	Newlines bool // keep line feeds (a multi-line entry printed as it was written)
	Tabs     bool // keep tabs; otherwise each tab becomes TabWidth spaces
	TabWidth int  // spaces per tab when Tabs is false; 0 means 4
}

// Append appends the terminal-safe form of b to dst:
//   - C0 controls and DEL in caret notation: ESC as ^[, BEL as ^G, CR as ^M, NUL as ^@,
//     DEL as ^?; a line feed or tab is kept if opt says so, a tab otherwise expanded
//   - the code points of IsControl as <U+XXXX> (<U+XXXXX> past U+FFFF): C1 controls,
//     bidirectional controls, zero-width characters, ZWNJ, the soft hyphen, U+2028 and
//     U+2029, Hangul fillers, variation selectors, tags, interlinear annotation, the other
//     format characters, private use, noncharacters and unassigned code points; but a ZWJ
//     that joins two emoji, and one emoji or text presentation selector after a character
//     other than ASCII, are kept (see keeps)
//   - bytes that are not valid UTF-8 as \xNN
//
// Everything else, including all printable Unicode, is copied unchanged. The result is
// valid UTF-8 and clean: Append leaves it as it is.
func Append(dst, b []byte, opt Options) []byte { return appendSafe(dst, b, opt, false) }

// String returns the terminal-safe form of s on one line: line feeds are shown as ^J, tabs
// become four spaces.
func String(s string) string {
	b := unsafe.Slice(unsafe.StringData(s), len(s)) // read, never written
	if Clean(b, Options{}) {
		return s
	}
	return string(Append(nil, b, Options{}))
}

// AppendJSON appends b to dst as a JSON string, quotes included, that holds the form
// Append writes: a script that decodes it gets the visible text (^[, <U+202E>, \xff), never
// a control. Kept line feeds and tabs are written \n and \t. The form is the same as
// encoding/json's for clean text, without its HTML escapes.
func AppendJSON(dst, b []byte, opt Options) []byte {
	dst = append(dst, '"')
	dst = appendSafe(dst, b, opt, true)
	return append(dst, '"')
}

// Clean reports whether b needs no change to be shown with opt: whether Append would
// write it as it is.
func Clean(b []byte, opt Options) bool {
	var prev rune
	for i := 0; i < len(b); {
		c := b[i]
		if plainASCII[0][c] {
			i += asciiRun(b[i:], false)
			prev = 0
			continue
		}
		if c < 0x80 {
			if c == '\n' && opt.Newlines || c == '\t' && opt.Tabs {
				i++
				prev = 0
				continue
			}
			return false
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 || IsControl(r) && !keeps(r, prev, b[i+size:]) {
			return false
		}
		prev = r
		i += size
	}
	return true
}

func appendSafe(dst, b []byte, opt Options, json bool) []byte {
	plain := &plainASCII[0]
	if json {
		plain = &plainASCII[1]
	}
	var prev rune // the last code point written as itself; 0 after ASCII or an escape
	for i := 0; i < len(b); {
		c := b[i]
		if plain[c] {
			n := asciiRun(b[i:], json)
			dst = append(dst, b[i:i+n]...)
			i += n
			prev = 0
			continue
		}
		if c < 0x80 {
			dst = appendASCII(dst, c, opt, json)
			i++
			prev = 0
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			dst = appendBackslash(dst, json)
			dst = append(dst, 'x', hex[c>>4], hex[c&15])
			prev = 0
		case IsControl(r) && !keeps(r, prev, b[i+size:]):
			dst = appendCodePoint(dst, r)
			prev = 0
		default:
			dst = append(dst, b[i:i+size]...)
			prev = r
		}
		i += size
	}
	return dst
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// asciiRun returns how many bytes at the start of b are printable ASCII, written as they
// are (for JSON, neither '"' nor '\\'), eight at a time while it can.
func asciiRun(b []byte, json bool) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		// A byte below 0x20 borrows into its high bit, 0x7f carries into it, and one of
		// 0x80 or more has it already; bytes in between do neither. Borrows and carries
		// run upwards only, so the lowest high bit set is the first byte to stop at.
		bad := (w - 0x20*ones) | (w + ones) | w
		if json {
			bad |= zeroByte(w^('"'*ones)) | zeroByte(w^('\\'*ones))
		}
		if bad &= highs; bad != 0 {
			return i + bits.TrailingZeros64(bad)/8
		}
	}
	plain := &plainASCII[0]
	if json {
		plain = &plainASCII[1]
	}
	for i < len(b) && plain[b[i]] {
		i++
	}
	return i
}

// plainASCII marks the bytes written as they are: printable ASCII, and for JSON ([1])
// neither '"' nor '\\'.
var plainASCII = func() (t [2][256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[0][c] = true
		t[1][c] = c != '"' && c != '\\'
	}
	return t
}()

// zeroByte sets the high bit of w's lowest zero byte (and maybe of bytes above it), of
// none if w has no zero byte.
func zeroByte(w uint64) uint64 { return (w - ones) &^ w & highs }

const hex = "0123456789abcdef"

// appendASCII writes an ASCII byte that asciiRun stops at.
func appendASCII(dst []byte, c byte, opt Options, json bool) []byte {
	switch {
	case c == '"' || c == '\\': // only for JSON
		return append(dst, '\\', c)
	case c == '\n' && opt.Newlines:
		if json {
			return append(dst, '\\', 'n')
		}
		return append(dst, c)
	case c == '\t' && opt.Tabs:
		if json {
			return append(dst, '\\', 't')
		}
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
	case c == 0x1c: // ^\
		return appendBackslash(append(dst, '^'), json)
	default:
		return append(dst, '^', c+0x40)
	}
}

// appendBackslash writes a backslash of the visible form, escaped for JSON.
func appendBackslash(dst []byte, json bool) []byte {
	if json {
		return append(dst, '\\', '\\')
	}
	return append(dst, '\\')
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
