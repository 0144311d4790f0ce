package filter

import (
	"fmt"
	"strings"
)

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokWord
	tokString
	tokLParen
	tokRParen
	tokNot
	tokAnd
	tokOr
	tokOp // a comparison operator
)

// token is one lexeme; pos is its 1-based column in the expression.
type token struct {
	kind tokenKind
	text string // the word, the decoded string, or the operator
	pos  int
}

func (t token) describe() string {
	if t.kind == tokEOF {
		return "the end of the expression"
	}
	return fmt.Sprintf("%q", t.text)
}

// SyntaxError is a malformed expression: the 1-based column where it went wrong and what
// was expected there.
type SyntaxError struct {
	Column int
	Msg    string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("column %d: %s", e.Column, e.Msg) }

func errorf(col int, format string, args ...any) error {
	return &SyntaxError{Column: col, Msg: fmt.Sprintf(format, args...)}
}

// operators in the order the lexer tries them (longest first).
var operators = []string{"&&", "||", "==", "!=", "^=", "<=", ">=", "<", ">", "~"}

func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tokLParen, "(", i + 1})
			i++
		case c == ')':
			toks = append(toks, token{tokRParen, ")", i + 1})
			i++
		case c == '"' || c == '\'':
			s, n, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tokString, s, i + 1})
			i += n
		default:
			if op := operatorAt(src, i); op != "" {
				kind := tokOp
				switch op {
				case "&&":
					kind = tokAnd
				case "||":
					kind = tokOr
				}
				toks = append(toks, token{kind, op, i + 1})
				i += len(op)
				continue
			}
			if c == '!' {
				toks = append(toks, token{tokNot, "!", i + 1})
				i++
				continue
			}
			start := i
			for i < len(src) && !wordEnds(src, i) {
				i++
			}
			toks = append(toks, token{tokWord, src[start:i], start + 1})
		}
	}
	return append(toks, token{tokEOF, "", len(src) + 1}), nil
}

func operatorAt(src string, i int) string {
	for _, op := range operators {
		if strings.HasPrefix(src[i:], op) {
			return op
		}
	}
	return ""
}

// wordEnds reports whether a bare word stops before src[i].
func wordEnds(src string, i int) bool {
	switch src[i] {
	case ' ', '\t', '\n', '\r', '(', ')', '"', '\'':
		return true
	}
	return operatorAt(src, i) != ""
}

// lexString reads a string quoted with " or ' starting at src[i]. A backslash escapes the
// next character. It returns the decoded text and the bytes consumed.
func lexString(src string, i int) (string, int, error) {
	quote := src[i]
	var b strings.Builder
	for j := i + 1; j < len(src); j++ {
		c := src[j]
		switch {
		case c == '\\' && j+1 < len(src):
			j++
			b.WriteByte(src[j])
		case c == quote:
			return b.String(), j + 1 - i, nil
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, errorf(i+1, "unterminated string: expected a closing %c", quote)
}
