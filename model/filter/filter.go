// Package filter is calltail's filter language, modelled on Flexisip's contextual-log-filter:
//
//	level >= warning
//	module ^= "administrator." && !(message contains "sync")
//	call-id == "abc@10.44.5.9" || participant-id == 44be63a0-1b1c-4c52
//	node == 10.0.1.11 && duration > 60
//	detail ~ "SIP/2.0 4[0-9][0-9]"
//	timeout "media stream"
//
// A comparison is FIELD OP VALUE. FIELD is a detail key in any letter case (Call-Id,
// call-id, CALL-ID), or one of level, module (or name), node (or system, host), message,
// time, line (the whole entry). The correlation ids (call-id, conversation-id,
// participant-id, conference-id, uuid) also match the ids an entry carries elsewhere, such
// as the Call-ID header of a SIP message. OP is one of:
//
//	==, !=      equal, not equal (exact; levels by severity, times by instant)
//	<, <=, >, >= ordered: levels, times, numbers, otherwise text
//	^=          starts with (exact)
//	contains    holds the text, ignoring letter case
//	~           matches the RE2 regular expression
//
// VALUE is a bare word or text in "double" or 'single' quotes. A bare word or quoted text
// alone matches entries that hold it anywhere, ignoring letter case. Terms combine with
// ! (not), && (and; also implied between neighbouring terms), || (or) and parentheses,
// binding in that order.
package filter

import "github.com/calltail/calltail/model"

// Filter is a compiled expression. It is safe for concurrent use.
type Filter struct {
	src    string
	root   node
	callID bool // it compares a Call-ID
}

// Compile parses an expression. An empty expression matches every entry. A malformed one
// returns a *SyntaxError naming the column and what was expected there.
func Compile(expr string) (*Filter, error) {
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if p.peek().kind == tokEOF {
		return &Filter{src: expr, root: always{}}, nil
	}
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			return nil, errorf(t.pos, "unexpected \")\" with no \"(\" before it")
		}
		return nil, errorf(t.pos, "expected \"&&\", \"||\" or the end of the expression, found %s", t.describe())
	}
	return &Filter{src: expr, root: root, callID: p.callID}, nil
}

// ComparesCallID reports whether the filter compares a Call-ID (call-id == …): then an
// entry may be selected by a Call-ID that only its SIP message put together holds.
func (f *Filter) ComparesCallID() bool { return f.callID }

// String returns the expression the filter was compiled from.
func (f *Filter) String() string { return f.src }

// Match reports whether the entry r satisfies the filter.
func (f *Filter) Match(r *model.Record) bool { return f.root.match(r) }

// Needle is a text that an entry must hold for the filter to match it.
type Needle struct {
	Text string
	Fold bool // letter case is ignored
}

// Needles returns texts of which every matching entry holds at least one, so that a
// scanner can skip entries holding none of them without parsing. It returns nil when no
// such set is known (e.g. for "level >= warning" or a negation), and then every entry must
// be checked with Match.
func (f *Filter) Needles() []Needle { return f.root.needles() }

// always matches every entry: the empty expression.
type always struct{}

func (always) match(*model.Record) bool { return true }
func (always) needles() []Needle        { return nil }
