package source

import (
	"io"
	"os"
	"syscall"
)

// IsTerminal reports whether r is an interactive terminal rather than a pipe or file.
func IsTerminal(r io.Reader) bool { return mode(r)&os.ModeCharDevice != 0 }

// IsRegularFile reports whether r is a file on disk (standard input redirected from one).
func IsRegularFile(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode().IsRegular()
}

func mode(r io.Reader) os.FileMode {
	f, ok := r.(*os.File)
	if !ok {
		return 0
	}
	info, err := f.Stat()
	if err != nil {
		return 0
	}
	return info.Mode()
}

// Pollable returns standard input in non-blocking mode when it is a pipe, so that a read
// waiting for more text can be interrupted when calltail stops. Other readers are
// returned as they are.
func Pollable(r io.Reader) io.Reader {
	if r != io.Reader(os.Stdin) || mode(r)&os.ModeNamedPipe == 0 {
		return r
	}
	if err := syscall.SetNonblock(0, true); err != nil {
		return r
	}
	return os.NewFile(0, "/dev/stdin")
}
