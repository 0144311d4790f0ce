// Package numbers writes counts as the UI shows them: with thousands separators, and
// with the noun that goes with them.
package numbers

import "strconv"

// Count writes n with a comma every three digits: "134,462".
func Count(n int) string {
	s := strconv.Itoa(n)
	digits := s
	if n < 0 {
		digits = s[1:]
	}
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + "," + digits[i:]
	}
	if n < 0 {
		return "-" + digits
	}
	return digits
}

// Plural writes n and the noun for it: "1 call", "2,000 calls".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Count(n) + " " + many
}
