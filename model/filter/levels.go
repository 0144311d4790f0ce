package filter

import "github.com/calltail/calltail/model"

// SelectsLevel reports whether the filter may select an entry of level l: false when it
// rejects every entry of that level, whatever else the entry holds ("level >= warning"
// and l info; "level == error && x" and l warning). A scanner that can tell an entry's
// level without parsing it skips the entries of levels the filter does not select.
func (f *Filter) SelectsLevel(l model.Level) bool {
	return given(f.root, l) != isFalse
}

// truth is what a term says of every entry of a given level.
type truth int8

const (
	unknown truth = iota // it depends on more than the level
	isFalse
	isTrue
)

// given evaluates n for every entry of level l: the level comparisons are decided, the
// other terms are unknown.
func given(n node, l model.Level) truth {
	switch n := n.(type) {
	case always:
		return isTrue
	case and:
		a, b := given(n.a, l), given(n.b, l)
		switch {
		case a == isFalse || b == isFalse:
			return isFalse
		case a == isTrue && b == isTrue:
			return isTrue
		}
	case or:
		a, b := given(n.a, l), given(n.b, l)
		switch {
		case a == isTrue || b == isTrue:
			return isTrue
		case a == isFalse && b == isFalse:
			return isFalse
		}
	case not:
		switch given(n.n, l) {
		case isTrue:
			return isFalse
		case isFalse:
			return isTrue
		}
	case *compare:
		if n.field.kind == fieldLevel {
			if n.match(&model.Record{Level: l}) {
				return isTrue
			}
			return isFalse
		}
	}
	return unknown
}
