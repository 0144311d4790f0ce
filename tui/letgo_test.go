package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/source"
	"github.com/calltail/calltail/tui/numbers"
)

// TestLongSessionLetsOldEntriesGo follows a file that grows far beyond the session's
// limit: the status line says how many entries were let go, the pane lists those held,
// and the calls list keeps only the calls with lines held.
func TestLongSessionLetsOldEntriesGo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "support.log")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sim.New(3).WriteLines(f, 1000)
	h := harnessOf(t, []source.Live{source.NewFile(path, source.FollowOptions{Interval: 20 * time.Millisecond})}, "default",
		func(s *session.Session) { s.SetMaxEntries(5000) })
	h.waitFor("the log loaded", func(s string) bool { return strings.Contains(s, numbers.Plural(1000, "entry", "entries")) })
	sim.New(4).WriteLines(f, 120000)
	h.waitFor("old entries let go", func(s string) bool {
		return strings.Contains(s, numbers.Plural(121000, "entry", "entries")) && strings.Contains(s, "let go)")
	})
	st := h.sess.Store
	sc := h.screen()
	if want := "(" + numbers.Count(st.First()) + " let go)"; !strings.Contains(sc, want) {
		t.Errorf("the status line lacks %q:\n%s", want, sc)
	}
	if want := "(" + numbers.Count(st.Len()-st.First()) + ")"; !strings.Contains(sc, want) {
		t.Errorf("the pane's title lacks the %s entries held:\n%s", want, sc)
	}
	h.keys("home")
	if sc := h.screen(); strings.Contains(sc, "no longer held") {
		t.Errorf("the first row reads an entry let go:\n%s", sc)
	}
	h.keys("c")
	h.waitFor("the calls list", func(s string) bool {
		return strings.Contains(s, "PARTICIPANT") && strings.Contains(s, ":") && !strings.Contains(s, "reading the calls")
	})
	listed := h.sess.Calls.Calls()
	if len(listed) == 0 {
		t.Fatal("no calls listed")
	}
	for _, c := range listed {
		if len(h.sess.Calls.Entries(st, c.Number)) == 0 {
			t.Errorf("call %d (%s) is listed, but none of its lines is held", c.Number, c.CallIDs)
		}
	}
}
