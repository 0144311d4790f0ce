package source

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSnapshotLogsAreChained reads a snapshot whose node has four generations of its
// support log — compressed, without a last line break, current — as one input, oldest
// first, and reads every part of it back.
func TestSnapshotLogsAreChained(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"conf01/var/log/support.log.3.gz": gz("3a\n3b\n"),
		"conf01/var/log/support.log.2":    "2a\n2b", // no line break at its end
		"conf01/var/log/support.log.1":    "1a\n",
		"conf01/var/log/support.log":      "0a\n",
		"conf02/var/log/support.log":      "other node\n",
	}
	for name, content := range files {
		must(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	}
	in, err := Resolve(Plan{Paths: []string{dir}, ReadBack: true})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if len(in.Once) != 2 {
		t.Fatalf("%d inputs, want one per node's log", len(in.Once))
	}
	chain := in.Once[0]
	text, err := io.ReadAll(chain.R)
	if want := "3a\n3b\n2a\n2b\n1a\n0a\n"; err != nil || string(text) != want {
		t.Fatalf("the chain reads %q, %v; want %q", text, err, want)
	}
	if chain.Node != "conf01" || !strings.HasSuffix(chain.Name, "conf01/var/log/support.log") {
		t.Errorf("the chain is %s of %s", chain.Name, chain.Node)
	}
	for off := range len(text) {
		for end := off + 1; end <= len(text); end++ {
			back := make([]byte, end-off)
			if n, err := chain.Text.ReadAt(back, int64(off)); n != len(back) || err != nil || string(back) != string(text[off:end]) {
				t.Fatalf("reading back [%d:%d] gives %q, %v; want %q", off, end, back[:n], err, text[off:end])
			}
		}
	}
	if done, total := chain.Progress(); done != total || total == 0 {
		t.Errorf("progress %d of %d after reading it all", done, total)
	}
}

// TestReadBackHoldsFewFiles reads back the text of more logs than the files it keeps
// open: it never holds more.
func TestReadBackHoldsFewFiles(t *testing.T) {
	dir := t.TempDir()
	text := &chainText{}
	for i := range 3 * readBackFiles.max {
		path := filepath.Join(dir, "support.log."+strings.Repeat("x", i+1))
		must(t, os.WriteFile(path, []byte("line\n"), 0o644))
		text.addLog(path)
		text.grow(5)
	}
	buf := make([]byte, 5)
	for off := int64(0); off < text.size; off += 5 {
		if _, err := text.ReadAt(buf, off); err != nil || string(buf) != "line\n" {
			t.Fatalf("at %d: %q, %v", off, buf, err)
		}
		if n := len(readBackFiles.files); n > readBackFiles.max {
			t.Fatalf("%d files open, at most %d wanted", n, readBackFiles.max)
		}
	}
}
