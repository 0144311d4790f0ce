// Package parsertest helps the parsers' tests: checking that parsers return views into
// their input rather than copies, writing the times they expect, and reading sample lines.
package parsertest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
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

// Texts returns the text of every file at or under the paths that the patterns match
// (directories are walked): the samples a test reads whole, however deep they lie.
func Texts(tb testing.TB, patterns ...string) [][]byte {
	tb.Helper()
	var texts [][]byte
	for _, pattern := range patterns {
		paths, _ := filepath.Glob(pattern)
		for _, path := range paths {
			err := filepath.WalkDir(path, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				data, err := os.ReadFile(path)
				texts = append(texts, data)
				return err
			})
			if err != nil {
				tb.Fatal(err)
			}
		}
	}
	return texts
}

// Lines returns the lines of the files that the patterns match (directories are
// skipped), then extra: what a parser's tests run every sample line through.
func Lines(patterns []string, extra ...string) [][]byte {
	var lines [][]byte
	for _, pattern := range patterns {
		paths, _ := filepath.Glob(pattern)
		for _, path := range paths {
			if data, err := os.ReadFile(path); err == nil {
				lines = append(lines, bytes.Split(data, []byte("\n"))...)
			}
		}
	}
	for _, s := range extra {
		lines = append(lines, []byte(s))
	}
	return lines
}
