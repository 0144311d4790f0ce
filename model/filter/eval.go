package filter

import (
	"bytes"
	"cmp"
	"regexp"
	"strconv"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/literal"
)

// node is one term of a compiled expression.
type node interface {
	match(r *model.Record) bool
	needles() []Needle
}

type and struct{ a, b node }
type or struct{ a, b node }
type not struct{ n node }

func (n and) match(r *model.Record) bool { return n.a.match(r) && n.b.match(r) }
func (n or) match(r *model.Record) bool  { return n.a.match(r) || n.b.match(r) }
func (n not) match(r *model.Record) bool { return !n.n.match(r) }

// An entry matching a && b holds a needle of a and one of b: either set will do, and the
// set whose shortest needle is longest skips the most.
func (n and) needles() []Needle {
	a, b := n.a.needles(), n.b.needles()
	if a == nil || (b != nil && shortest(b) > shortest(a)) {
		return b
	}
	return a
}

func (n or) needles() []Needle {
	a, b := n.a.needles(), n.b.needles()
	if a == nil || b == nil {
		return nil
	}
	return append(append([]Needle(nil), a...), b...)
}

func (not) needles() []Needle { return nil }

func shortest(ns []Needle) int {
	m := -1
	for _, n := range ns {
		if m < 0 || len(n.Text) < m {
			m = len(n.Text)
		}
	}
	return m
}

// text matches entries that hold a word or quoted text anywhere, ignoring letter case.
type text struct{ lit *literal.Matcher }

func newText(s string) text { return text{literal.New(s, true)} }

func (t text) match(r *model.Record) bool { return t.lit.Contains(r.Raw) }
func (t text) needles() []Needle          { return []Needle{{Text: t.lit.Needle(), Fold: true}} }

type fieldKind int

const (
	fieldDetail fieldKind = iota
	fieldID
	fieldLevel
	fieldModule
	fieldNode
	fieldMessage
	fieldTime
	fieldLine
)

type field struct {
	kind fieldKind
	name string       // the detail key, for fieldDetail
	id   model.IDKind // for fieldID
}

var pseudoFields = map[string]fieldKind{
	"level": fieldLevel, "module": fieldModule, "name": fieldModule,
	"node": fieldNode, "system": fieldNode, "host": fieldNode,
	"message": fieldMessage, "time": fieldTime, "line": fieldLine,
}

func fieldOf(name string) field {
	if k, ok := pseudoFields[strings.ToLower(name)]; ok {
		return field{kind: k}
	}
	if id, ok := model.IDKindOf(name); ok {
		return field{kind: fieldID, id: id}
	}
	return field{kind: fieldDetail, name: name}
}

// levelNames holds each level's name as bytes, so that matching one allocates nothing.
var levelNames = func() (names [256][]byte) {
	for i := range names {
		names[i] = []byte(model.Level(int8(i)).String())
	}
	return names
}()

// compare is FIELD OP VALUE.
type compare struct {
	field field
	op    string
	value string
	level model.Level      // for level fields
	time  int64            // for the time field
	num   float64          // the value as a number, for ordered comparisons
	isNum bool             // the value is a number
	re    *regexp.Regexp   // for ~
	lit   *literal.Matcher // for contains
}

func (c *compare) match(r *model.Record) bool {
	switch c.field.kind {
	case fieldLevel:
		if c.isOrdering() {
			return c.ordered(int64(r.Level), int64(c.level))
		}
		return c.test(levelNames[uint8(r.Level)])
	case fieldTime:
		if r.Time == 0 { // an entry without a time is neither before nor after any
			return c.op == "!="
		}
		return c.ordered(r.Time, c.time)
	case fieldModule:
		return c.test(r.Module)
	case fieldNode:
		return c.test(r.Node)
	case fieldMessage:
		return c.test(unescaped(r.Message()))
	case fieldLine:
		return c.test(r.Raw)
	case fieldID:
		found := false
		r.IDs(func(kind model.IDKind, id []byte) {
			if kind == c.field.id && !found && c.holds(unescaped(id)) {
				found = true
			}
		})
		return found != (c.op == "!=")
	default:
		v, ok := r.Field(c.field.name)
		if !ok {
			return c.op == "!="
		}
		return c.test(unescaped(v))
	}
}

// test applies the operator to one value; "!=" is the negation of "==".
func (c *compare) test(v []byte) bool {
	if c.op == "!=" {
		return !c.holds(v)
	}
	return c.holds(v)
}

// holds applies the operator to one value, with "!=" read as "==".
func (c *compare) holds(v []byte) bool {
	switch c.op {
	case "==", "!=":
		return string(v) == c.value
	case "^=":
		return bytes.HasPrefix(v, []byte(c.value))
	case "contains":
		return c.lit.Contains(v)
	case "~":
		return c.re.Match(v)
	}
	if c.isNum {
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			return c.orderedFloat(f, c.num)
		}
	}
	return c.ordered(int64(bytes.Compare(v, []byte(c.value))), 0)
}

func (c *compare) isOrdering() bool {
	switch c.op {
	case "==", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

func (c *compare) ordered(a, b int64) bool { return orderedBy(c.op, a, b) }

func (c *compare) orderedFloat(a, b float64) bool { return orderedBy(c.op, a, b) }

// orderedBy applies a comparison operator to two ordered values.
func orderedBy[T cmp.Ordered](op string, a, b T) bool {
	switch op {
	case "==":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	default:
		return a >= b
	}
}

// needles: an entry whose field equals, starts with or contains the value holds the value
// in its raw text, unless the value would be written escaped there — or it is the node,
// which may come from where the text was found (a snapshot's node folder) rather than
// from the text.
func (c *compare) needles() []Needle {
	switch c.field.kind {
	case fieldLevel, fieldTime, fieldNode:
		return nil
	}
	if c.value == "" || bytes.ContainsAny([]byte(c.value), `"\`) {
		return nil
	}
	switch c.op {
	case "==", "^=":
		return []Needle{{Text: c.value}}
	case "contains":
		return []Needle{{Text: c.value, Fold: true}}
	}
	return nil
}

// unescaped decodes \" and \\ in a raw value, allocating only when it holds an escape.
func unescaped(v []byte) []byte {
	if !kv.NeedsUnescape(v) {
		return v
	}
	return kv.Unescape(nil, v)
}
