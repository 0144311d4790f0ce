package callsview

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"
)

// tight reports whether a match of a word of n runes keeps together: in at most 1 + n/2
// runs of adjacent characters ("vs" finds Victor Smith; "bob" does not find Björn
// O'Brien).
func tight(m fuzzy.Match, n int) bool {
	runs := 0
	for k, at := range m.MatchedIndexes {
		if k == 0 || at != m.MatchedIndexes[k-1]+1 && !adjacentRune(m.Str, m.MatchedIndexes[k-1], at) {
			runs++
		}
	}
	return runs <= 1+n/2
}

// adjacentRune reports whether byte index b is the rune right after the one at a.
func adjacentRune(s string, a, b int) bool {
	for i := range s[a:] {
		if i > 0 {
			return a+i == b
		}
	}
	return false
}

// match narrows the calls (indexes, of n calls; fields appends a call's fields to a
// buffer, see fieldsOf) to those that every word of q matches
// tightly, each in one of its fields, best first: a call's score is the sum of its
// best score for each word; calls of equal score keep their order in among. loose, if not
// nil, is set for the calls that every word matches at all, tightly or not: only those
// can match a query that adds to q, a narrower search as the user types.
func match(q string, n int, fields func(i int, buf []string) []string, among []int, loose []bool) []int {
	words := strings.Fields(q)
	if len(words) == 0 {
		return among
	}
	const none, loosely = math.MinInt32, math.MinInt32 + 1
	score := make([]int32, n)               // by call: the sum so far, none once a word missed it
	best := make([]int32, n)                // by call: its best score for the word
	owner := make([]int32, 0, 4*len(among)) // the call of each field yielded
	var buf []string
	for _, word := range words {
		owner = owner[:0]
		for _, i := range among {
			best[i] = none
		}
		matches := fuzzy.FindFromIterNoSort(word, func(yield func(string) bool) {
			for _, i := range among {
				buf = fields(i, buf[:0])
				for _, f := range buf {
					owner = append(owner, int32(i))
					if !yield(f) {
						return
					}
				}
			}
		})
		runes := utf8.RuneCountInString(word)
		for _, m := range matches {
			i := owner[m.Index]
			if best[i] == none {
				best[i] = loosely
			}
			if int32(m.Score) > best[i] && tight(m, runes) {
				best[i] = int32(m.Score)
			}
		}
		next := among[:0:0]
		for _, i := range among {
			switch {
			case best[i] == none:
				continue
			case best[i] == loosely || score[i] == loosely:
				score[i] = loosely // not tightly: kept for the next words, for loose
			default:
				score[i] += best[i]
			}
			next = append(next, i)
		}
		among = next
	}
	tightly := among[:0:0]
	for _, i := range among {
		if loose != nil {
			loose[i] = true
		}
		if score[i] != loosely {
			tightly = append(tightly, i)
		}
	}
	among = tightly
	slices.SortStableFunc(among, func(a, b int) int { return int(score[b] - score[a]) })
	return among
}
