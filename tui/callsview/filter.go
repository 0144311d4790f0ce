package callsview

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/report"
)

// fieldsOf returns what the fuzzy prompt matches in a call, one field at a time: who, the
// participant's address, the conference and alias, the call ids, the vendor, the state,
// the reason and the nodes. A word of the prompt matches within one field, so that
// "olivia" does not find o, l, i, v, i and a strewn over a Mozilla User-Agent.
func fieldsOf(c *calls.Call, nodes map[string]string) []string {
	out := []string{c.Who(), c.Participant, c.Conference, c.Alias, c.Vendor, c.State.String(), c.Reason,
		report.NodeName(c.SignalingNode, "", nodes), report.NodeName(c.MediaNode, "", nodes), c.Protocol}
	out = append(out, c.CallIDs...)
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

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

// match narrows the calls (indexes into fields) to those that every word of q matches
// tightly, each in one of its fields, best first: a call's score is the sum of its
// best score for each word; calls of equal score keep their order in among. loose, if not
// nil, is set for the calls that every word matches at all, tightly or not: only those
// can match a query that adds to q, a narrower search as the user types.
func match(q string, fields [][]string, among []int, loose []bool) []int {
	words := strings.Fields(q)
	if len(words) == 0 {
		return among
	}
	const none, loosely = math.MinInt32, math.MinInt32 + 1
	score := make([]int32, len(fields)) // by call: the sum so far, none once a word missed it
	best := make([]int32, len(fields))  // by call: its best score for the word
	n := 0
	for _, i := range among {
		n += len(fields[i])
	}
	owner := make([]int32, 0, n) // the call of each field yielded
	for _, word := range words {
		owner = owner[:0]
		for _, i := range among {
			best[i] = none
		}
		matches := fuzzy.FindFromIterNoSort(word, func(yield func(string) bool) {
			for _, i := range among {
				for _, f := range fields[i] {
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
