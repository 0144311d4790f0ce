package sanitize

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"unicode"
	"unicode/utf8"
)

var (
	none     = Options{}
	newlines = Options{Newlines: true}
	tabs     = Options{Tabs: true}
	keepBoth = Options{Newlines: true, Tabs: true}
)

func TestAppend(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opt  Options
		want string
	}{
		// Text that is safe passes through unchanged.
		{"empty", "", none, ""},
		{"ASCII", `Level="INFO" Name="support.sip" Message="x" ~!@#$%^&*()_+{}|:<>?[]\;',./`, none,
			`Level="INFO" Name="support.sip" Message="x" ~!@#$%^&*()_+{}|:<>?[]\;',./`},
		{"Latin", "Zoë Ångström", none, "Zoë Ångström"},
		{"CJK", "会议室 会議", none, "会议室 会議"},
		{"emoji", "📞 ☎ 🎥", none, "📞 ☎ 🎥"},
		{"emoji ZWJ sequence", "👩\u200d💻", none, "👩\u200d💻"},
		{"emoji ZWJ sequence with a skin tone", "👩🏽\u200d💻", none, "👩🏽\u200d💻"},
		{"emoji ZWJ sequence with selectors", "❤\ufe0f\u200d🔥 🏳\ufe0f\u200d🌈 👁\ufe0f\u200d🗨\ufe0f", none, "❤\ufe0f\u200d🔥 🏳\ufe0f\u200d🌈 👁\ufe0f\u200d🗨\ufe0f"},
		{"emoji presentation selector", "❤\ufe0f ☎\ufe0e ‼\ufe0f", none, "❤\ufe0f ☎\ufe0e ‼\ufe0f"},
		{"emoji of a newer Unicode than Go's", "\U0001fae9", none, "\U0001fae9"},
		{"ZWJ inside a word", "ad\u200dmin", none, "ad<U+200D>min"},
		{"ZWJ after an emoji, before a letter", "😀\u200dmin", none, "😀<U+200D>min"},
		{"ZWJ after a letter, before an emoji", "é\u200d😀", none, "é<U+200D>😀"},
		{"ZWJ at the end", "😀\u200d", none, "😀<U+200D>"},
		{"two ZWJs", "😀\u200d\u200d😀", none, "😀<U+200D><U+200D>😀"},
		{"ZWJ after a shown selector", "a\ufe0f\u200d😀", none, "a<U+FE0F><U+200D>😀"},
		{"ZWNJ", "ad\u200cmin", none, "ad<U+200C>min"},
		{"selector after ASCII", "a\ufe0f", none, "a<U+FE0F>"},
		{"keycap shows its selector", "1\ufe0f\u20e3", none, "1<U+FE0F>\u20e3"},
		{"selector after a letter", "é\ufe0f", none, "é\ufe0f"},
		{"second selector", "❤\ufe0f\ufe0f\ufe0e", none, "❤\ufe0f<U+FE0F><U+FE0E>"},
		{"selector after a space", "\u3000\ufe0f", none, "\u3000<U+FE0F>"},
		{"selector after a combining mark", "e\u0301\ufe0f", none, "e\u0301<U+FE0F>"},
		{"selector after ZWJ", "😀\u200d\ufe0f😀", none, "😀<U+200D><U+FE0F>😀"},
		{"other variation selectors", "葛\U000e0100 a\ufe00", none, "葛<U+E0100> a<U+FE00>"},
		{"variation selectors smuggle bytes", "😀\ufe0f\U000e0143\U000e0148", none, "😀\ufe0f<U+E0143><U+E0148>"},
		{"subdivision flag tags", "🏴\U000e0067\U000e0062\U000e007f", none, "🏴<U+E0067><U+E0062><U+E007F>"},
		{"soft hyphen", "ad\u00admin", none, "ad<U+00AD>min"},
		{"line separator", "a\u2028b", keepBoth, "a<U+2028>b"},
		{"paragraph separator", "a\u2029b", keepBoth, "a<U+2029>b"},
		{"Hangul fillers", "\u115f\u1160\u3164\uffa0", none, "<U+115F><U+1160><U+3164><U+FFA0>"},
		{"Hangul itself", "한국어 ㄱ", none, "한국어 ㄱ"},
		{"interlinear annotation", "\ufff9漢\ufffaかん\ufffb", none, "<U+FFF9>漢<U+FFFA>かん<U+FFFB>"},
		{"combining grapheme joiner", "a\u034fb", none, "a<U+034F>b"},
		{"Khmer inherent vowels", "\u17b4\u17b5", none, "<U+17B4><U+17B5>"},
		{"Mongolian selectors and vowel separator", "\u180b\u180e\u180f", none, "<U+180B><U+180E><U+180F>"},
		{"Arabic number sign", "\u0600١", none, "<U+0600>١"},
		{"musical format characters", "\U0001d173\U0001d17a", none, "<U+1D173><U+1D17A>"},
		{"shorthand format controls", "\U0001bca0", none, "<U+1BCA0>"},
		{"private use", "\ue000\uf8ff\U000f0000\U0010fffd", none, "<U+E000><U+F8FF><U+F0000><U+10FFFD>"},
		{"noncharacters", "\ufdd0\ufffe\uffff\U0001fffe", none, "<U+FDD0><U+FFFE><U+FFFF><U+1FFFE>"},
		{"unassigned", "\u0378\U00050000\U000e0080\u2065", none, "<U+0378><U+50000><U+E0080><U+2065>"},
		{"ideographic space and no-break spaces pass", "a\u3000b\u202fc\u00a0d", none, "a\u3000b\u202fc\u00a0d"},
		{"zero-width space hides a difference", "ad\u200bmin", none, "ad<U+200B>min"},
		{"byte order mark", "\ufeffLevel", none, "<U+FEFF>Level"},
		{"word joiner", "a\u2060b", none, "a<U+2060>b"},
		{"tag characters carry hidden text", "ok\U000E0068\U000E0069", none, "ok<U+E0068><U+E0069>"},
		{"combining mark", "e\u0301", none, "e\u0301"},
		{"no-break space", "a\u00a0b", none, "a\u00a0b"},
		{"replacement character as text", "\ufffd", none, "\ufffd"},
		{"right-to-left text itself", "שלום عربي", none, "שלום عربي"},
		{"highest assigned code point", "\U0003134a", none, "\U0003134a"},
		{"highest code point, a noncharacter", "\U0010ffff", none, "<U+10FFFF>"},
		{"Pexip ^M encoding is text", "a^Mb", none, "a^Mb"},

		// C0 whitespace controls.
		{"tab as spaces", "a\tb", none, "a    b"},
		{"tab kept", "a\tb", tabs, "a\tb"},
		{"tab width 8", "a\tb", Options{TabWidth: 8}, "a        b"},
		{"tab width 1", "\t\t", Options{TabWidth: 1}, "  "},
		{"negative tab width means 4", "\t", Options{TabWidth: -3}, "    "},
		{"tab width ignored when kept", "\t", Options{Tabs: true, TabWidth: 8}, "\t"},
		{"newline shown", "a\nb", none, "a^Jb"},
		{"newline kept", "a\nb", newlines, "a\nb"},
		{"newline kept, tab expanded", "a\n\tb", newlines, "a\n    b"},
		{"tab kept, newline shown", "a\n\tb", tabs, "a^J\tb"},
		{"both kept", "a\n\tb", keepBoth, "a\n\tb"},
		{"bare CR", "visible\rhidden", keepBoth, "visible^Mhidden"},
		{"CRLF keeps the CR visible", "a\r\nb", newlines, "a^M\nb"},
		{"vertical tab", "a\vb", keepBoth, "a^Kb"},
		{"form feed", "a\fb", keepBoth, "a^Lb"},

		// C0 controls in caret notation.
		{"NUL", "a\x00b", none, "a^@b"},
		{"BEL", "ring\a", none, "ring^G"},
		{"backspace", "secret\b\b\b\b\b\bpublic", none, "secret^H^H^H^H^H^Hpublic"},
		{"unit separator", "\x1f", none, "^_"},
		{"every C0 control", "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f", keepBoth,
			"^@^A^B^C^D^E^F^G^H^K^L^M^N^O^P^Q^R^S^T^U^V^W^X^Y^Z^[^\\^]^^^_"},
		{"DEL", "a\x7fb", none, "a^?b"},

		// Escape sequences: the ESC is made visible, so the rest is plain text.
		{"ESC alone", "\x1b", none, "^["},
		{"CSI clear screen", "\x1b[2J\x1b[H", none, "^[[2J^[[H"},
		{"CSI colour", "\x1b[31mred\x1b[0m", none, "^[[31mred^[[0m"},
		{"cursor movement", "\x1b[10A\x1b[5;5H", none, "^[[10A^[[5;5H"},
		{"OSC 52 clipboard, BEL terminated", "\x1b]52;c;aGVsbG8=\x07", none, "^[]52;c;aGVsbG8=^G"},
		{"OSC 52 clipboard, ST terminated", "\x1b]52;c;aGVsbG8=\x1b\\", none, "^[]52;c;aGVsbG8=^[\\"},
		{"OSC 8 link", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", none,
			"^[]8;;https://evil.example/^[\\click^[]8;;^[\\"},
		{"OSC window title", "\x1b]0;pwned\x07", none, "^[]0;pwned^G"},
		{"DCS", "\x1bP1$r0m\x1b\\", none, "^[P1$r0m^[\\"},
		{"APC kitty graphics", "\x1b_Gf=100;AAAA\x1b\\", none, "^[_Gf=100;AAAA^[\\"},
		{"PM", "\x1b^privacy\x1b\\", none, "^[^privacy^[\\"},
		{"SOS", "\x1bXstring\x1b\\", none, "^[Xstring^[\\"},
		{"two-byte escape", "\x1bc", none, "^[c"}, // full reset

		// C1 controls, U+0080 to U+009F, as UTF-8: shown as code points.
		{"C1 CSI as UTF-8", "\u009b2J", none, "<U+009B>2J"},
		{"C1 OSC as UTF-8", "\u009d52;c;x\u009c", none, "<U+009D>52;c;x<U+009C>"},
		{"C1 DCS as UTF-8", "\u0090x\u009c", none, "<U+0090>x<U+009C>"},
		{"C1 APC as UTF-8", "\u009fx", none, "<U+009F>x"},
		{"C1 NEL as UTF-8", "a\u0085b", newlines, "a<U+0085>b"},
		{"first C1", "\u0080", none, "<U+0080>"},
		// C1 controls as raw bytes are not UTF-8: shown as \xNN.
		{"C1 CSI as a raw byte", "\x9b2J", none, `\x9b2J`},
		{"C1 OSC as a raw byte", "\x9d52;c;x\x9c", none, `\x9d52;c;x\x9c`},
		{"C1 range as raw bytes", "\x80\x90\x9f", none, `\x80\x90\x9f`},

		// Bidirectional controls.
		{"LRE", "\u202a", none, "<U+202A>"},
		{"RLE", "\u202b", none, "<U+202B>"},
		{"PDF", "\u202c", none, "<U+202C>"},
		{"LRO", "\u202d", none, "<U+202D>"},
		{"RLO reorders text", "admin\u202etxt.exe", none, "admin<U+202E>txt.exe"},
		{"LRI", "\u2066", none, "<U+2066>"},
		{"RLI", "\u2067", none, "<U+2067>"},
		{"FSI", "\u2068", none, "<U+2068>"},
		{"PDI", "\u2069", none, "<U+2069>"},
		{"LRM", "\u200e", none, "<U+200E>"},
		{"RLM", "\u200f", none, "<U+200F>"},
		{"ALM", "\u061c", none, "<U+061C>"},
		{"neighbours pass", "\u202f\u061b\u061d\u2010\u2027\u2030", none, "\u202f\u061b\u061d\u2010\u2027\u2030"},
		{"their other neighbours are format characters", "\u2065\u206a\u206f", none, "<U+2065><U+206A><U+206F>"},

		// Bytes that are not UTF-8.
		{"0xff", "a\xffb", none, `a\xffb`},
		{"0xfe", "\xfe", none, `\xfe`},
		{"lone continuation byte", "\xbf", none, `\xbf`},
		{"truncated sequence at the end", "Zo\xc3", none, `Zo\xc3`},
		{"truncated sequence before ASCII", "\xc3(", none, `\xc3(`},
		{"truncated 3-byte sequence", "\xe4\xbc", none, `\xe4\xbc`},
		{"overlong slash", "\xc0\xaf", none, `\xc0\xaf`},
		{"overlong NUL", "\xc0\x80", none, `\xc0\x80`},
		{"overlong ESC", "\xc0\x9b", none, `\xc0\x9b`},
		{"UTF-16 surrogate", "\xed\xa0\x80", none, `\xed\xa0\x80`},
		{"beyond U+10FFFF", "\xf4\x90\x80\x80", none, `\xf4\x90\x80\x80`},
		{"Latin-1 text", "Zo\xeb", none, `Zo\xeb`},

		// The hostile line of testdata/quirks.log.
		{"quirks.log hostile line",
			"Message=\"Hostile \x1b]52;c;aGVsbG8=\x07 clipboard \x1b[2J cls \u202e reversed \u009b C1 \x7f bad byte\xff bare CR\r\"",
			newlines,
			`Message="Hostile ^[]52;c;aGVsbG8=^G clipboard ^[[2J cls <U+202E> reversed <U+009B> C1 ^? bad byte\xff bare CR^M"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Append(nil, []byte(tt.in), tt.opt)
			if string(got) != tt.want {
				t.Errorf("Append(%q, %+v) = %q, want %q", tt.in, tt.opt, got, tt.want)
			}
			checkSafe(t, tt.in, got, tt.opt)
			checkClean(t, []byte(tt.in), tt.opt)
			// It appends to dst.
			if got := Append([]byte("pre:"), []byte(tt.in), tt.opt); string(got) != "pre:"+tt.want {
				t.Errorf("Append(pre:, %q) = %q", tt.in, got)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"two\nlines", "two^Jlines"}, // one line: newlines shown
		{"a\tb", "a    b"},
		{"\x1b[2J", "^[[2J"},
		{"Zoë 会议 📞", "Zoë 会议 📞"},
		{"\u202e\xff\u009b", `<U+202E>\xff<U+009B>`},
	}
	for _, tt := range tests {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAppendJSON(t *testing.T) {
	tests := []struct {
		in   string
		opt  Options
		want string
	}{
		{"", none, `""`},
		{"plain <b> & co", none, `"plain <b> & co"`},
		{`say "hi" \ there`, none, `"say \"hi\" \\ there"`},
		{"two\nlines\tand a tab", keepBoth, `"two\nlines\tand a tab"`},
		{"two\nlines\tand a tab", none, `"two^Jlines    and a tab"`},
		{"\x1b]52;c;aGVsbG8=\x07", none, `"^[]52;c;aGVsbG8=^G"`},
		{"\x1c", none, `"^\\"`},
		{"bad\xff", none, `"bad\\xff"`},
		{"\u202e\u009b\u2028\u200b", none, `"<U+202E><U+009B><U+2028><U+200B>"`},
		{"Zoë 会议 👩\u200d💻", none, "\"Zoë 会议 👩\u200d💻\""},
	}
	for _, tt := range tests {
		if got := string(AppendJSON(nil, []byte(tt.in), tt.opt)); got != tt.want {
			t.Errorf("AppendJSON(%q, %+v) = %s, want %s", tt.in, tt.opt, got, tt.want)
		}
		checkJSON(t, []byte(tt.in), tt.opt)
	}
}

func TestClean(t *testing.T) {
	tests := []struct {
		in   string
		opt  Options
		want bool
	}{
		{"", none, true},
		{"plain text", none, true},
		{"Zoë 会议 📞", none, true},
		{"a\nb", none, false},
		{"a\nb", newlines, true},
		{"a\tb", none, false},
		{"a\tb", tabs, true},
		{"a\tb", newlines, false},
		{"a\n\tb", keepBoth, true},
		{"a\rb", keepBoth, false},
		{"\x1b[2J", keepBoth, false},
		{"\x7f", keepBoth, false},
		{"\x00", keepBoth, false},
		{"\u009b", keepBoth, false},
		{"\x9b", keepBoth, false},
		{"\u202e", keepBoth, false},
		{"\u2069", keepBoth, false},
		{"\xff", keepBoth, false},
		{"ok\xc3", keepBoth, false},
		{"\ufffd", keepBoth, true},
		{"\u00a0", keepBoth, true},
	}
	for _, tt := range tests {
		if got := Clean([]byte(tt.in), tt.opt); got != tt.want {
			t.Errorf("Clean(%q, %+v) = %v, want %v", tt.in, tt.opt, got, tt.want)
		}
		checkClean(t, []byte(tt.in), tt.opt)
	}
}

func TestIsControl(t *testing.T) {
	yes := []rune{0, 0x07, 0x08, '\t', '\n', '\r', 0x1b, 0x1f, 0x7f, 0x80, 0x85, 0x90, 0x9b, 0x9c, 0x9d, 0x9f,
		0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
		0x200b, 0x2060, 0x2064, 0xfeff, 0x180e, 0xe0000, 0xe0001, 0xe0041, 0xe007f,
		0x00ad, 0x034f, 0x0600, 0x06dd, 0x115f, 0x1160, 0x17b4, 0x17b5, 0x180b, 0x180f, 0x200c, 0x200d, 0x2028, 0x2029,
		0x2065, 0x206a, 0x206f, 0x3164, 0xfe00, 0xfe0e, 0xfe0f, 0xffa0, 0xfff0, 0xfff9, 0xfffa, 0xfffb, 0xfdd0, 0xfffe,
		0xffff, 0xe000, 0xf8ff, 0x0378, 0x1d173, 0x1bca0, 0x13430, 0x1fffe, 0x40000, 0x50000, 0xe0080, 0xe0100, 0xe01ef,
		0xf0000, 0x10fffd, 0x10ffff, 0xfefe}
	no := []rune{' ', 'a', '~', 0xa0, 0xe9, 0x061b, 0x061d, 0x2010, 0x202f, 0x3000, 0x1100, 0x3131, 0xac00,
		0x4f1a, 0xfffc, 0xfffd, 0x1f4de, 0x1f3fb, 0x1fae9, 0x1fbff, 0x20000, 0x3134a, 0x20e3, 0x0301, 0x2800}
	for _, r := range yes {
		if !IsControl(r) {
			t.Errorf("IsControl(%U) = false", r)
		}
	}
	for _, r := range no {
		if IsControl(r) {
			t.Errorf("IsControl(%U) = true", r)
		}
	}
}

// TestIsControlIsTheClasses checks the bitmap behind IsControl against the classes it is
// built from, for every code point.
func TestIsControlIsTheClasses(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		want := unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Zl, unicode.Zp, unicode.Other_Default_Ignorable_Code_Point,
			unicode.Variation_Selector, unicode.Noncharacter_Code_Point) ||
			unicode.Is(unicode.Cn, r) && !(r >= 0x1f000 && r <= 0x1fbff)
		if IsControl(r) != want {
			t.Errorf("IsControl(%U) = %v", r, !want)
		}
	}
	if IsControl(-1) || IsControl(utf8.MaxRune+1) {
		t.Error("IsControl is true outside Unicode")
	}
}

// TestEveryRune runs every code point through Append: controls are written as text,
// everything else passes through.
func TestEveryRune(t *testing.T) {
	var buf [utf8.UTFMax]byte
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue // surrogates cannot be encoded
		}
		in := buf[:utf8.EncodeRune(buf[:], r)]
		out := Append(nil, in, keepBoth)
		if IsControl(r) && r != '\n' && r != '\t' {
			if bytes.Equal(out, in) {
				t.Fatalf("%U passed through", r)
			}
		} else if !bytes.Equal(out, in) {
			t.Fatalf("%U written as %q", r, out)
		}
		if r < 0x3000 || r%97 == 0 { // the interesting part and a sample of the rest
			checkSafe(t, string(in), out, keepBoth)
			checkClean(t, in, keepBoth)
		}
	}
}

// TestEveryByte runs each single byte and each pair of bytes through Append.
func TestEveryByte(t *testing.T) {
	for _, opt := range []Options{none, newlines, tabs, keepBoth} {
		for x := 0; x < 256; x++ {
			in := []byte{byte(x)}
			checkSafe(t, string(in), Append(nil, in, opt), opt)
			checkClean(t, in, opt)
			for y := 0; y < 256; y++ {
				in := []byte{byte(x), byte(y)}
				checkSafe(t, string(in), Append(nil, in, opt), opt)
				checkClean(t, in, opt)
			}
		}
	}
}

// TestBadByteAnywhere puts each byte at each place of a line long enough to be read eight
// bytes at a time, and a quote and a backslash after it, as text and as JSON.
func TestBadByteAnywhere(t *testing.T) {
	for pos := range 17 {
		for x := range 256 {
			in := []byte("abcdefgh ijklmnop")
			in[pos] = byte(x)
			for _, b := range [][]byte{in, append(in, `"\xyz`...)} {
				for _, opt := range []Options{none, keepBoth} {
					checkSafe(t, string(b), Append(nil, b, opt), opt)
					checkClean(t, b, opt)
				}
			}
		}
	}
}

func TestRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "Z", " ", "ë", "会", "📞", "\n", "\t", "\r", "\x1b", "[", "]", "\x07", "\x7f", "\x00",
		"\u009b", "\x9b", "\xc2", "\xff", "\u202e", "\u2066", "\u200f", "\xe2\x80", "^M", "\\x", "\"", "\\",
		"\u200d", "\ufe0f", "\ufe0e", "❤", "🏽", "\u00ad", "\u2028", "\u3164", "\U000e0041", "\ue000", "\u0301", "\u3000"}
	for range 50000 {
		var b []byte
		for range r.IntN(12) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		opt := Options{Newlines: r.IntN(2) == 0, Tabs: r.IntN(2) == 0, TabWidth: r.IntN(4) - 1}
		checkSafe(t, string(b), Append(nil, b, opt), opt)
		checkClean(t, b, opt)
	}
}

func TestDoesNotAllocateWhenClean(t *testing.T) {
	in := []byte(`Level="INFO" Name="administrator.conference" Conference="Zoë 会议 👩‍💻 ❤️"`)
	str := string(in)
	dst := make([]byte, 0, 256)
	n := testing.AllocsPerRun(100, func() {
		Clean(in, none)
		Append(dst[:0], in, none)
		AppendJSON(dst[:0], in, none)
		String(str)
	})
	if n != 0 {
		t.Errorf("allocates %v times", n)
	}
}

// checkSafe asserts what Append promises: no control byte other than a kept newline or tab,
// no DEL, valid UTF-8, no code point of IsControl but a joiner or selector it kept, nothing
// left to clean; and that AppendJSON writes the same text.
func checkSafe(t *testing.T, in string, out []byte, opt Options) {
	t.Helper()
	for _, c := range out {
		if c < 0x20 && !(c == '\n' && opt.Newlines) && !(c == '\t' && opt.Tabs) || c == 0x7f {
			t.Fatalf("Append(%q, %+v) = %q holds byte %#x", in, opt, out, c)
		}
	}
	if !utf8.Valid(out) {
		t.Fatalf("Append(%q, %+v) = %q is not valid UTF-8", in, opt, out)
	}
	for _, r := range string(out) {
		if IsControl(r) && r != '\n' && r != '\t' && r != zwj && r != vs15 && r != vs16 {
			t.Fatalf("Append(%q, %+v) = %q holds %U", in, opt, out, r)
		}
	}
	if !Clean(out, opt) {
		t.Fatalf("Append(%q, %+v) = %q is not clean", in, opt, out)
	}
	if again := Append(nil, out, opt); !bytes.Equal(again, out) {
		t.Fatalf("Append(%q, %+v) = %q, but Append of that gives %q", in, opt, out, again)
	}
	checkJSON(t, []byte(in), opt)
}

// checkClean asserts that Clean agrees with Append: b is clean exactly when Append leaves
// it unchanged.
func checkClean(t *testing.T, b []byte, opt Options) {
	t.Helper()
	out := Append(nil, b, opt)
	if Clean(b, opt) != bytes.Equal(out, b) {
		t.Fatalf("Clean(%q, %+v) = %v, but Append gives %q", b, opt, Clean(b, opt), out)
	}
}

// checkJSON asserts that AppendJSON writes what encoding/json writes of Append's text (HTML
// escapes aside), and so that decoding it gives Append's text.
func checkJSON(t *testing.T, b []byte, opt Options) {
	t.Helper()
	got := AppendJSON(nil, b, opt)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	text := string(Append(nil, b, opt))
	enc.Encode(text)
	if want := bytes.TrimSuffix(buf.Bytes(), []byte("\n")); !bytes.Equal(got, want) {
		t.Fatalf("AppendJSON(%q, %+v) = %s, want %s", b, opt, got, want)
	}
	var back string
	if err := json.Unmarshal(got, &back); err != nil || back != text {
		t.Fatalf("AppendJSON(%q, %+v) = %s decodes to %q (%v), want %q", b, opt, got, back, err, text)
	}
}

func FuzzSanitize(f *testing.F) {
	f.Add([]byte("Message=\"Hostile \x1b]52;c;aGVsbG8=\x07 \x1b[2J \u202e \u009b \x7f \xff \r\""), true, false, 0)
	f.Add([]byte("Zoë 会议 📞\n\t"), false, true, 8)
	f.Add([]byte("\xed\xa0\x80\xc0\xaf\xf4\x90\x80\x80"), false, false, 2)
	f.Add([]byte("👩🏽\u200d💻 ❤\ufe0f\u200d🔥 ad\u200dmin \u00ad\u2028\u3164\ufe0f\U000e0041\ue000\u0378 \"\\"), false, false, 0)
	f.Fuzz(func(t *testing.T, b []byte, nl, tab bool, width int) {
		opt := Options{Newlines: nl, Tabs: tab, TabWidth: width % 17}
		out := Append(nil, b, opt)
		checkSafe(t, string(b), out, opt)
		if Clean(b, opt) != bytes.Equal(out, b) {
			t.Fatalf("Clean(%q, %+v) = %v, but Append gives %q", b, opt, Clean(b, opt), out)
		}
		if s := String(string(b)); !utf8.ValidString(s) || bytes.IndexByte([]byte(s), '\n') >= 0 {
			t.Fatalf("String(%q) = %q", b, s)
		}
	})
}
