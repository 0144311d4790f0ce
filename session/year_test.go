package session

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source"
)

// TestYearFromTheFilesTime: an RFC 3164 time stamp carries no year; a file last written
// on 2021-03-01 dates "Feb 28" in 2021 and "Dec 31" in 2020, not in this year or last.
func TestYearFromTheFilesTime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "syslog")
	text := "Dec 31 23:59:58 proxy1 kamailio[58605]: NOTICE: <script>: the old year\n" +
		"Feb 28 10:00:00 proxy1 kamailio[58605]: NOTICE: <script>: the file's year\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	written := time.Date(2021, 3, 1, 12, 0, 0, 0, time.UTC)
	if err := os.Chtimes(path, written, written); err != nil {
		t.Fatal(err)
	}
	in, err := source.Resolve(source.Plan{Paths: []string{path}, ReadBack: true})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	newParser, _ := formats.New("auto", 0)
	st := store.New()
	if err := Load(context.Background(), st, in.Once, newParser, nil); err != nil {
		t.Fatal(err)
	}
	v := st.View()
	for i, want := range []string{"2020-12-31", "2021-02-28"} {
		if got := time.UnixMicro(v.Entry(i).Time).UTC().Format(time.DateOnly); got != want {
			t.Errorf("entry %d is dated %s, want %s", i, got, want)
		}
	}
}
