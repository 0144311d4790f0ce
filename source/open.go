// Package source brings log text into calltail: files (plain or gzip-compressed) and
// standard input. It knows nothing of log formats.
package source

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync/atomic"
)

// Stream is an opened input.
type Stream struct {
	Name string // the path as given, or "-" for standard input
	io.Reader
	close      func() error
	compressed bool
}

// Compressed reports whether the stream is being decompressed (gzip).
func (s *Stream) Compressed() bool { return s.compressed }

// Close releases the stream's file.
func (s *Stream) Close() error { return s.close() }

// Open opens a path given on the command line: "-" is stdin, and a file that
// starts with the gzip magic bytes (.gz rotations, snapshot logs) is decompressed as it
// is read. Errors say what is wrong with the path in words a user can act on.
func Open(path string, stdin io.Reader) (*Stream, error) { return openCounted(path, stdin, nil) }

// openCounted opens a path as Open does, counting in read, if not nil, the bytes read
// from its file (compressed ones as they are on disk).
func openCounted(path string, stdin io.Reader, read *atomic.Int64) (*Stream, error) {
	if path == "-" {
		return wrap(path, stdin, func() error { return nil })
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, describe(path, err)
	}
	if info, err := f.Stat(); err == nil && info.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a directory: give the log files in it, or a snapshot without -f", path)
	}
	return wrap(path, countingReader{f, read}, f.Close)
}

// wrap adds gzip decompression when the data starts with the gzip magic bytes.
func wrap(name string, r io.Reader, closeFn func() error) (*Stream, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			closeFn()
			return nil, fmt.Errorf("%s: cannot decompress: %v", name, err)
		}
		return &Stream{Name: name, Reader: gzipErrors{zr}, close: closeFn, compressed: true}, nil
	}
	return &Stream{Name: name, Reader: br, close: closeFn}, nil
}

// gzipErrors says that errors met while decompressing come from corrupt data.
type gzipErrors struct{ r io.Reader }

func (g gzipErrors) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("corrupt gzip data: %w", err)
	}
	return n, err
}

func describe(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: no such file (check the path)", path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: permission denied (run as a user who can read it, e.g. with sudo)", path)
	default:
		return fmt.Errorf("cannot open %s: %w", path, err)
	}
}
