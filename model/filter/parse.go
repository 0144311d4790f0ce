package filter

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/literal"
	"github.com/calltail/calltail/model/timestamp"
)

type parser struct {
	toks   []token
	i      int
	callID bool // a Call-ID is compared
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// parseOr: and ("||" and)*
func (p *parser) parseOr() (node, error) {
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tokOr {
		op := p.next()
		if !startsTerm(p.peek()) {
			return nil, errorf(p.peek().pos, "expected a term after %q, found %s", op.text, p.peek().describe())
		}
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		left = or{left, right}
	}
	return left, nil
}

// parseAnd: unary (["&&"] unary)* — neighbouring terms are joined by an implied "&&".
func (p *parser) parseAnd() (node, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind == tokAnd {
			p.next()
			if !startsTerm(p.peek()) {
				return nil, errorf(p.peek().pos, "expected a term after \"&&\", found %s", p.peek().describe())
			}
		} else if !startsTerm(t) {
			return left, nil
		}
		right, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		left = and{left, right}
	}
}

func startsTerm(t token) bool {
	switch t.kind {
	case tokWord, tokString, tokLParen, tokNot:
		return true
	}
	return false
}

// parseUnary: "!" unary | primary
func (p *parser) parseUnary() (node, error) {
	if p.peek().kind == tokNot {
		p.next()
		n, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return not{n}, nil
	}
	return p.parsePrimary()
}

// parsePrimary: "(" or ")" | FIELD OP VALUE | word | "text"
func (p *parser) parsePrimary() (node, error) {
	t := p.next()
	switch t.kind {
	case tokLParen:
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c.kind != tokRParen {
			return nil, errorf(c.pos, "expected \")\" to close the \"(\" at column %d, found %s", t.pos, c.describe())
		}
		p.next()
		return n, nil
	case tokWord:
		if op, ok := p.comparisonOp(); ok {
			return p.parseComparison(t, op)
		}
		return newText(t.text), nil
	case tokString:
		if t.text == "" {
			return nil, errorf(t.pos, "empty text: expected something to search for")
		}
		return newText(t.text), nil
	case tokEOF:
		return nil, errorf(t.pos, "expected a term, found the end of the expression")
	case tokOp:
		return nil, errorf(t.pos, "expected a field name before %q", t.text)
	default:
		return nil, errorf(t.pos, "expected a term, found %s", t.describe())
	}
}

// comparisonOp consumes a comparison operator (or the word "contains") if one is next.
func (p *parser) comparisonOp() (token, bool) {
	t := p.peek()
	if t.kind == tokOp || (t.kind == tokWord && strings.EqualFold(t.text, "contains")) {
		p.next()
		t.text = strings.ToLower(t.text)
		return t, true
	}
	return token{}, false
}

func (p *parser) parseComparison(field, op token) (node, error) {
	v := p.next()
	if v.kind != tokWord && v.kind != tokString {
		return nil, errorf(v.pos, "expected a value after %q, found %s", op.text, v.describe())
	}
	c := &compare{field: fieldOf(field.text), op: op.text, value: v.text}
	p.callID = p.callID || c.field.kind == fieldID && c.field.id == model.CallID
	switch c.field.kind {
	case fieldLevel:
		if op.text == "~" || op.text == "^=" || op.text == "contains" {
			c.value = strings.ToUpper(v.text) // text operators work on the level's upper-case name
			break
		}
		l, ok := model.ParseLevel([]byte(v.text))
		if !ok {
			return nil, errorf(v.pos, "unknown level %q: expected debug, info, notice, warning, error or critical", v.text)
		}
		c.level = l
	case fieldTime:
		if op.text == "~" || op.text == "^=" || op.text == "contains" {
			return nil, errorf(op.pos, "time is compared with ==, !=, <, <=, > or >=, not %q", op.text)
		}
		t, ok := parseTimeValue(v.text)
		if !ok {
			return nil, errorf(v.pos, "cannot read %q as a time: expected YYYY-MM-DD[ HH:MM[:SS[,mmm]]] (UTC) or RFC 3339", v.text)
		}
		c.time = t
	}
	switch op.text {
	case "~":
		pattern := v.text
		if c.field.kind == fieldLevel {
			pattern = "(?i)" + pattern
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, errorf(v.pos, "bad regular expression: %v", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		c.re = re
	case "contains":
		c.lit = literal.New(v.text, true)
	case "<", "<=", ">", ">=":
		c.num, c.isNum = parseNumber(v.text)
	}
	return c, nil
}

// parseTimeValue reads a time given in a filter: a date, a date and time to the minute,
// second or fraction, in UTC unless a zone is given.
func parseTimeValue(s string) (int64, bool) {
	switch len(s) {
	case len("2006-01-02"):
		s += " 00:00:00"
	case len("2006-01-02 15:04"):
		s += ":00"
	}
	t, ok := timestamp.DateTime([]byte(s))
	return t.Micros, ok && t.Len == len(s)
}

func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}
