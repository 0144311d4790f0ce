package sipsyslog

import (
	"bytes"
	"strings"
)

// callID returns the first Call-ID that an entry's text carries, in the spellings SIP
// servers log it (module is the entry's program: rtpengine's lines start with theirs):
//
//	Call-ID: 3c26700e@h, i: 77aa@h           the SIP header, the compact form at a line's start
//	callid=x, call-id=x, ci=<x>, callid: x   Kamailio's and OpenSIPS's scripts; <null> is none
//	callid='x', clid 'x', callid "x"         OpenSIPS's dialog module, Kamailio's ims_dialog
//	ID=x                                     NGCP's (Sipwise's) proxy scripts
//	{1 3 REGISTER x}                         Kamailio's log_prefix "{$mt $hdr(CSeq) $ci}"
//	<script>: x|log|...                      Kazoo's Kamailio scripts
//	[x]: ..., [x port 34560]: ..., [ID="x"]  rtpengine's prefix
//	"call-id": "x"                           rtpengine's dump of an ng command
//
// An id that is an unexpanded variable ("$ci") or a null ("<null>", "(null)") is none.
// Asterisk's channel ids ("[C-00000012]") are not Call-IDs.
func callID(text, module []byte) ([]byte, bool) {
	if bytes.Equal(module, rtpengine) {
		if id, ok := rtpengineID(text); ok {
			return id, true
		}
	}
	line := firstLine(text)
	if id, ok := logPrefixID(line); ok {
		return id, true
	}
	if id, ok := kazooID(line); ok {
		return id, true
	}
	for i := 0; i < len(text); i++ {
		c := text[i] | 0x20
		if (c != 'c' && c != 'i') || !boundary(text, i) {
			continue
		}
		if id := idAt(text, i); len(id) > 0 {
			return id, true
		}
	}
	return nil, false
}

// idKeys introduce a Call-ID in any letter case; what may follow each is up to idAt.
var idKeys = [...]string{"call-id", "callid", "clid", "ci"}

// idAt reads the Call-ID whose key starts at text[i], if one does.
func idAt(text []byte, i int) []byte {
	rest := text[i:]
	if bytes.HasPrefix(rest, []byte("ID=")) { // NGCP's, in capitals only
		return idValue(rest[len("ID="):], i > 0 && text[i-1] == '(')
	}
	if hasPrefixFold(rest, "i:") && lineStart(text, i) {
		return idValue(bytes.TrimLeft(rest[len("i:"):], " \t"), false)
	}
	for _, key := range idKeys {
		if !hasPrefixFold(rest, key) || len(rest) == len(key) || isWordByte(rest[len(key)]) {
			continue
		}
		after := bytes.TrimPrefix(rest[len(key):], []byte(`"`)) // JSON: "call-id": "x"
		switch {
		case len(after) == 0:
			return nil
		case after[0] == '=' || after[0] == ':' && key != "ci":
			return idValue(bytes.TrimLeft(after[1:], " \t"), i > 0 && text[i-1] == '(')
		case after[0] == ' ' && key != "ci":
			if v := bytes.TrimLeft(after, " "); len(v) > 0 && (v[0] == '\'' || v[0] == '"') {
				return idValue(v, false) // clid 'x', callid "x": quoted only
			}
		}
		return nil
	}
	return nil
}

// idValue reads a Call-ID value at the start of b: within quotes or angle brackets, else
// up to a blank, ';', ',', '>', a quote, an rsyslog escape (#012) or the end — or ')' when
// the key followed '(' ("(callid: x)").
func idValue(b []byte, inParens bool) []byte {
	if len(b) > 0 && (b[0] == '\'' || b[0] == '"') {
		end := bytes.IndexByte(b[1:], b[0])
		if end < 0 {
			return nil
		}
		return usable(b[1 : 1+end])
	}
	if bytes.HasPrefix(b, []byte("<null>")) {
		return nil
	}
	b = bytes.TrimPrefix(b, []byte("<"))
	for i, c := range b {
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == ',' || c == '>' || c == '"' || c == '\'',
			c == ')' && inParens, c == '#' && escapeAt(b, i) != 0:
			return usable(b[:i])
		}
	}
	return usable(b)
}

// usable returns v, or nil for no id: empty, a null, or a variable left unexpanded.
func usable(v []byte) []byte {
	if len(v) == 0 || v[0] == '$' || string(v) == "(null)" || string(v) == "<null>" || string(v) == "null" {
		return nil
	}
	return v
}

// boundary reports whether a key may start at text[i]: at the start, after a byte that
// is not part of a word, or after an rsyslog escape (#012).
func boundary(text []byte, i int) bool {
	return i == 0 || !isWordByte(text[i-1]) || i >= 4 && text[i-4] == '#' && escapeAt(text, i-4) != 0
}

// lineStart reports whether only blanks stand between text[i] and the start of its line,
// a line break or an rsyslog escape of one.
func lineStart(text []byte, i int) bool {
	for i > 0 && (text[i-1] == ' ' || text[i-1] == '\t') {
		i--
	}
	return i == 0 || text[i-1] == '\n' || i >= 4 && text[i-4] == '#' && escapeAt(text, i-4) == '\n'
}

// logPrefixID reads the Call-ID of Kamailio's usual log_prefix, "{$mt $hdr(CSeq) $ci}"
// (and the route name some add after it): "{1 3 REGISTER e5f4a465617525e4f7a159}".
func logPrefixID(line []byte) ([]byte, bool) {
	open := bytes.IndexByte(line, '{')
	if open < 0 {
		return nil, false
	}
	rest := line[open+1:]
	end := bytes.IndexByte(rest, '}')
	if end < 0 {
		return nil, false
	}
	var f [5][]byte // its words: the message type, the CSeq number, the method, the Call-ID, a route
	n, words := 0, rest[:end]
	for len(words) > 0 && n < len(f) {
		f[n], words = cutWord(bytes.TrimLeft(words, " "))
		n++
	}
	if n < 4 || len(words) > 0 || !isDigits(f[0]) || !isDigits(f[1]) || !isMethod(f[2]) {
		return nil, false
	}
	id := usable(f[3])
	return id, id != nil
}

// kazooID reads the Call-ID that Kazoo's Kamailio scripts put first in their lines:
// "<script>: 6F3E-C434-46684819C4E9AF592AFC-001@SipHost|log|from sip:1471@...".
func kazooID(line []byte) ([]byte, bool) {
	_, rest, ok := bytes.Cut(line, []byte("<script>: "))
	if !ok {
		return nil, false
	}
	bar := bytes.IndexByte(rest, '|')
	if bar <= 0 || bytes.IndexByte(rest[:bar], ' ') >= 0 {
		return nil, false
	}
	tag := rest[bar+1:]
	end := bytes.IndexByte(tag, '|')
	if end <= 0 || !isLower(tag[:end]) {
		return nil, false
	}
	id := usable(rest[:bar])
	return id, id != nil
}

// rtpengineID reads the Call-ID that rtpengine puts before its text, after its level
// mark: "[81fcd613-fc21-123d-4683-46d0016d6775]: ...", "[4A52... port 34560]: ...",
// "[ID=\"1-92581@x\"]: ...", or without a colon in older releases ("[flqhlCgQLc] ...").
// A subsystem tag ("[core]", "[control]": lower-case letters) is not one.
func rtpengineID(text []byte) ([]byte, bool) {
	text = skipSpace(text)
	if w := firstWord(text); isMarkWord(w) {
		text = skipSpace(text[len(w):])
	}
	if len(text) < 3 || text[0] != '[' {
		return nil, false
	}
	body := text[1:]
	if v, ok := bytes.CutPrefix(body, []byte(`ID="`)); ok {
		end := bytes.IndexByte(v, '"')
		if end < 0 {
			return nil, false
		}
		id := usable(v[:end])
		return id, id != nil
	}
	end := bytes.IndexByte(body, ']')
	if end <= 0 {
		return nil, false
	}
	id, _, _ := bytes.Cut(body[:end], []byte(" port "))
	if bytes.IndexByte(id, ' ') >= 0 || isLower(id) {
		return nil, false
	}
	id = usable(id)
	return id, id != nil
}

func isLower(w []byte) bool {
	for _, c := range w {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return len(w) > 0
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}
