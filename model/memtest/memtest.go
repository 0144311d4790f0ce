// Package memtest helps tests check that parsers return views into their input rather
// than copies.
package memtest

import "unsafe"

// Within reports whether part lies inside whole's memory; an empty part always does.
func Within(whole, part []byte) bool {
	if len(part) == 0 {
		return true
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(whole)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(part)))
	return p >= start && p+uintptr(len(part)) <= start+uintptr(len(whole))
}
