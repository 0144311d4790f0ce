package query

import (
	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/split"
)

// Skipping by level: a filter such as "level >= warning" names no needle, so every entry
// is looked at; but a format's parser that tells an entry's level from its first line
// cheaply (formats.Leveller: Pexip's Level="INFO" after the time) lets the scan pass over
// the entries of levels the filter cannot select without parsing them. Every other entry
// is parsed and asked about, so what is selected does not change.

// unwantedLevels returns which levels (by uint8) the filter cannot select, or nil if it
// can select any.
func unwantedLevels(f *filter.Filter) *[256]bool {
	var skip [256]bool
	any := false
	for i := range skip {
		skip[i] = !f.SelectsLevel(model.Level(int8(i)))
		any = any || skip[i]
	}
	if !any {
		return nil
	}
	return &skip
}

// entryKinds returns what split.Wanted needs to leave out the entries whose level p tells
// and skip holds; false if p tells no levels or skip is nil.
func entryKinds(p model.Parser, skip *[256]bool) (func([]byte) split.Line, bool) {
	lv, ok := p.(formats.Leveller)
	if !ok || skip == nil {
		return nil, false
	}
	return func(line []byte) split.Line {
		if l, ok := lv.Level(line); ok {
			if skip[uint8(l)] {
				return split.StartsUnwanted
			}
			return split.Starts
		}
		if p.StartsEntry(line) {
			return split.Starts
		}
		return split.Continues
	}, true
}
