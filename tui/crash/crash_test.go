package crash

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A crash output as the runtime writes it, with a panic value that quotes a log line over
// several lines, a panic while panicking, and the stacks.
const crashOutput = `panic: cannot parse "2026-05-14 10:00:00,000 Level=\"INFO\" Name=\"support.sip\" Detail=\"INVITE sip:secret@example.com\"
second line of the value: Participant=alice [recovered]
	panic: runtime error: index out of range [3] with length 3
	panic: wrapped: Participant="bob"

goroutine 7 gp=0xc000102a80 m=5 mp=0xc000100008 [running]:
panic({0x5a2f60?, 0xc0001b4000?})
	/usr/local/go/src/runtime/panic.go:787 +0x132
github.com/calltail/calltail/model/calls.(*Index).Observe(0xc0001c0000, {0x1, {0xc0002a0000, 0x40, 0x40}, ...})
	/work/main/model/calls/index.go:301 +0x5d4
created by github.com/calltail/calltail/model/session.(*Session).Run in goroutine 1
	/work/main/model/session/session.go:88 +0x1b0

goroutine 1 gp=0xc000002380 m=nil [chan receive]:
main.main()
	/work/main/main.go:130 +0x7e
`

func TestScrubLeavesOutLogContent(t *testing.T) {
	got := string(Scrub([]byte(crashOutput)))
	for _, secret := range []string{"secret@example.com", "Participant", "alice", "bob", "Level=", "second line"} {
		if strings.Contains(got, secret) {
			t.Errorf("the report keeps %q:\n%s", secret, got)
		}
	}
	for _, kept := range []string{
		"panic: (a value of calltail's own, left out: it may quote a log line)\n",
		"\tpanic: runtime error: index out of range [3] with length 3\n",
		"goroutine 7 gp=0xc000102a80 m=5 mp=0xc000100008 [running]:\n",
		"github.com/calltail/calltail/model/calls.(*Index).Observe(0xc0001c0000, {0x1, {0xc0002a0000, 0x40, 0x40}, ...})\n",
		"\t/work/main/model/calls/index.go:301 +0x5d4\n",
		"created by github.com/calltail/calltail/model/session.(*Session).Run in goroutine 1\n",
		"main.main()\n",
	} {
		if !strings.Contains(got, kept) {
			t.Errorf("the report lacks %q:\n%s", kept, got)
		}
	}
}

func TestScrubKeepsFatalErrors(t *testing.T) {
	out := "fatal error: concurrent map writes\n\ngoroutine 5 [running]:\ninternal/runtime/maps.fatal({0x4d1c2b?, 0x0?})\n\t/usr/local/go/src/runtime/panic.go:1058 +0x18\n"
	if got := string(Scrub([]byte(out))); got != out {
		t.Errorf("Scrub changed a fatal error's output:\n%s\nwant:\n%s", got, out)
	}
}

func TestWriteReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	now := time.Date(2026, 11, 22, 3, 4, 5, 0, time.UTC)
	path, err := writeReport(dir, now, 2, []byte(crashOutput))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "incident-20261122-030405.txt" {
		t.Errorf("report at %s", path)
	}
	b, _ := os.ReadFile(path)
	for _, want := range []string{"time:    2026-11-22T03:04:05Z", "os:      ", "go:      go1.", "exit:    2", "goroutine 7"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %q:\n%s", want, b)
		}
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("report mode %v, want 0600", info.Mode().Perm())
	}
}
