package source

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenPlainGzipAndStdin(t *testing.T) {
	dir := t.TempDir()
	text := "2026-05-14 23:38:44,061 Level=\"INFO\" Name=\"support.sip\" Message=\"x\"\n"
	plain := filepath.Join(dir, "support.log")
	os.WriteFile(plain, []byte(text), 0o600)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(text))
	zw.Close()
	// A rotated, compressed log is recognised by its contents, whatever its name.
	zipped := filepath.Join(dir, "support.log.1")
	os.WriteFile(zipped, buf.Bytes(), 0o600)

	for _, tc := range []struct{ path, stdin string }{{plain, ""}, {zipped, ""}, {"-", text}} {
		s, err := Open(tc.path, strings.NewReader(tc.stdin))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(s)
		s.Close()
		if err != nil || string(got) != text {
			t.Errorf("Open(%q) read %q, %v", tc.path, got, err)
		}
	}
}

func TestOpenErrorsSayWhatToDo(t *testing.T) {
	dir := t.TempDir()
	for path, want := range map[string]string{
		filepath.Join(dir, "nosuch.log"): "no such file (check the path)",
		dir:                              "is a directory",
	} {
		_, err := Open(path, nil)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%q) = %v, want an error naming the path and saying %q", path, err, want)
		}
	}
}
