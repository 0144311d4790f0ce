// Package search is the UI's search: text typed at the / prompt, matched against entries
// in one of three modes, all ignoring letter case — a substring, an RE2 regular expression,
// or fuzzy (the characters in order, anywhere in the message and its fields) — and the places in a
// displayed row to highlight.
package search

import (
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/literal"
)

// Mode is how the search text is matched.
type Mode int

// The search modes, in the order ctrl+r cycles them.
const (
	Substring Mode = iota
	Regex
	Fuzzy
)

var modeNames = [...]string{"substring", "regex", "fuzzy"}

// String returns the mode's name.
func (m Mode) String() string { return modeNames[m] }

// Next returns the mode after m, cycling.
func (m Mode) Next() Mode { return (m + 1) % Mode(len(modeNames)) }

// Query is a compiled search. It is safe for concurrent use.
type Query struct {
	mode  Mode
	text  string
	lit   *literal.Matcher
	re    *regexp.Regexp
	runes []rune // the fuzzy pattern, lower-cased
}

// Compile prepares text for searching in mode; a bad regular expression is an error.
func Compile(text string, mode Mode) (*Query, error) {
	q := &Query{mode: mode, text: text}
	switch mode {
	case Substring:
		q.lit = literal.New(text, true)
	case Regex:
		re, err := regexp.Compile("(?i)" + text)
		if err != nil {
			return nil, err
		}
		q.re = re
	case Fuzzy:
		for _, r := range text {
			if !unicode.IsSpace(r) {
				q.runes = append(q.runes, unicode.ToLower(r))
			}
		}
	}
	return q, nil
}

// Mode returns the query's mode.
func (q *Query) Mode() Mode { return q.mode }

// Text returns the text searched for.
func (q *Query) Text() string { return q.text }

// Match reports whether an entry matches: its whole text for a substring or a regular
// expression, its message and its fields for fuzzy.
func (q *Query) Match(r *model.Record) bool {
	switch q.mode {
	case Substring:
		return q.lit.Contains(r.Raw)
	case Regex:
		return q.re.Match(r.Raw)
	default:
		return fuzzyAt(string(r.Message())+" "+string(r.Details), q.runes, nil) // the row: its message, then its fields
	}
}

// Needles returns the text every substring match holds; the other modes have none.
func (q *Query) Needles() []filter.Needle {
	if q.mode == Substring && q.text != "" {
		return []filter.Needle{{Text: q.text, Fold: true}}
	}
	return nil
}

// Highlights returns the byte ranges [start, end) of text to highlight: each occurrence
// for a substring or a regular expression, each matched character for fuzzy.
func (q *Query) Highlights(text string) [][2]int {
	switch q.mode {
	case Substring:
		if q.text == "" {
			return nil
		}
		var out [][2]int
		for base := 0; base < len(text); {
			i := q.lit.Index([]byte(text[base:]))
			if i < 0 {
				break
			}
			out = append(out, [2]int{base + i, base + i + len(q.text)})
			base += i + len(q.text)
		}
		return out
	case Regex:
		var out [][2]int
		for _, m := range q.re.FindAllStringIndex(text, -1) {
			if m[1] > m[0] {
				out = append(out, [2]int{m[0], m[1]})
			}
		}
		return out
	default:
		var out [][2]int
		fuzzyAt(text, q.runes, &out)
		return out
	}
}

// fuzzyAt reports whether the pattern's characters appear in text in order (ignoring
// case), and adds the byte range of each matched character to ranges when it is not nil.
func fuzzyAt(text string, pattern []rune, ranges *[][2]int) bool {
	if len(pattern) == 0 {
		return ranges == nil // an empty pattern matches everything and highlights nothing
	}
	k := 0
	for i, r := range text {
		if unicode.ToLower(r) == pattern[k] {
			if ranges != nil {
				*ranges = append(*ranges, [2]int{i, i + utf8.RuneLen(r)})
			}
			if k++; k == len(pattern) {
				return true
			}
		}
	}
	if ranges != nil {
		*ranges = (*ranges)[:0]
	}
	return false
}
