// Package parsertest helps the parsers' tests: checking that parsers return views into
// their input rather than copies, and writing the times they expect.
package parsertest

import (
	"time"
	"unsafe"
)

// Within reports whether part lies inside whole's memory; an empty part always does.
func Within(whole, part []byte) bool {
	if len(part) == 0 {
		return true
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(whole)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(part)))
	return p >= start && p+uintptr(len(part)) <= start+uintptr(len(whole))
}

// Micros returns the microseconds since the epoch of a time written
// "2006-01-02 15:04:05.999999Z07:00"; it panics on any other.
func Micros(s string) int64 {
	t, err := time.Parse("2006-01-02 15:04:05.999999Z07:00", s)
	if err != nil {
		panic(err)
	}
	return t.UnixMicro()
}
