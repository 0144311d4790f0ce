package sanitize

import (
	"unicode"
	"unicode/utf8"
)

// mapped is where the bitmap of IsControl ends: every code point from U+40000 on is shown
// (planes 4 to 13 are unassigned, plane 14 holds only tags and variation selectors, planes
// 15 and 16 are private use).
const mapped = 0x40000

// shown holds a bit for each code point below mapped that IsControl reports, built once
// from the unicode package's tables (in some 20 µs).
var shown = buildShown()

func buildShown() *[mapped / 64]uint64 {
	var m [mapped / 64]uint64
	set := func(lo, hi rune, on bool) {
		for r := lo; r <= min(hi, mapped-1); {
			bits := uint64(1) << (r & 63)
			n := rune(1)
			if r&63 == 0 && hi-r >= 63 {
				bits, n = ^uint64(0), 64 // a whole word
			}
			if on {
				m[r>>6] |= bits
			} else {
				m[r>>6] &^= bits
			}
			r += n
		}
	}
	each := func(t *unicode.RangeTable, on bool) {
		add := func(lo, hi, stride rune) {
			if stride == 1 {
				set(lo, hi, on)
				return
			}
			for r := lo; r <= hi; r += stride {
				set(r, r, on)
			}
		}
		for _, g := range t.R16 {
			add(rune(g.Lo), rune(g.Hi), rune(g.Stride))
		}
		for _, g := range t.R32 {
			add(rune(g.Lo), rune(g.Hi), rune(g.Stride))
		}
	}
	// Unassigned code points: the terminal has no glyph for them and may draw nothing...
	each(unicode.Cn, true)
	// ...except in the emoji blocks, where newer versions of Unicode than Go's add emoji
	// every year: a name with a new emoji in it reads as it was written.
	set(0x1f000, 0x1fbff, false)
	// Controls, format characters (bidirectional controls, zero-width characters, ZWNJ and
	// ZWJ, the soft hyphen, interlinear annotation, tags...), private use, the line and
	// paragraph separators, the other default-ignorable code points (Hangul fillers,
	// variation selectors, the combining grapheme joiner...) and the noncharacters.
	for _, t := range []*unicode.RangeTable{unicode.Cc, unicode.Cf, unicode.Co, unicode.Zl, unicode.Zp,
		unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector, unicode.Noncharacter_Code_Point} {
		each(t, true)
	}
	return &m
}

// IsControl reports whether r is never written as itself on its own: the C0 and C1
// controls and DEL; format characters (Cf: the bidirectional controls, zero-width space,
// ZWNJ and ZWJ, word joiner and invisible operators, the byte order mark, the soft hyphen,
// interlinear annotation, the Mongolian vowel separator, tags...); U+2028 and U+2029; the
// other default-ignorable code points (Hangul fillers, variation selectors, the combining
// grapheme joiner, U+17B4 and U+17B5...); private use; noncharacters; and code points that
// Go's Unicode tables do not assign, outside the emoji blocks U+1F000–U+1FBFF. Append
// keeps ZWJ and the emoji and text presentation selectors (U+FE0E, U+FE0F) where emoji
// need them; see Append.
func IsControl(r rune) bool {
	if r < mapped {
		return r >= 0 && shown[r>>6]&(1<<(r&63)) != 0
	}
	return r <= 0x10ffff
}

const (
	zwj  = 0x200d // zero-width joiner
	vs15 = 0xfe0e // text presentation selector
	vs16 = 0xfe0f // emoji presentation selector
)

// keeps reports whether Append writes r, a control by IsControl, as itself: ZWJ between
// two emoji (after an emoji, its skin tone or its presentation selector, before an emoji),
// and one presentation selector straight after a letter, number, punctuation mark or
// symbol other than ASCII. prev is the last code point written as itself, 0 after ASCII
// or anything shown; rest is the text after r. One joiner or one selector after a visible
// character can neither hide text nor carry more than a bit of it.
func keeps(r, prev rune, rest []byte) bool {
	switch r {
	case zwj:
		if !(prev == vs16 || prev >= 0x1f3fb && prev <= 0x1f3ff || emoji(prev)) {
			return false
		}
		next, size := utf8.DecodeRune(rest)
		return size > 1 && emoji(next)
	case vs15, vs16:
		return prev >= 0x80 && unicode.In(prev, unicode.L, unicode.N, unicode.P, unicode.S)
	}
	return false
}

// emoji reports the symbols that emoji ZWJ sequences join: the non-ASCII other symbols.
// U+FFFD is not one.
func emoji(r rune) bool {
	return r >= 0x80 && r != utf8.RuneError && !IsControl(r) && unicode.Is(unicode.So, r)
}
