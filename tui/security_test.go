package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/source"
)

// TestSecurityView follows a log holding attacks in two formats: the security view groups
// them by address as they arrive, and enter searches the support log for an address.
func TestSecurityView(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mixed.log")
	lines := []string{
		`2026-05-14 23:38:45,100 Level="WARNING" Name="administrator.configuration" Message="User login failed" User="admin" Remote-Address="192.0.2.7" Remote-Port="53991"`,
		`2026-05-14 23:38:46,100 Level="WARNING" Name="administrator.conference" Message="Participant has been quarantined by Break-in prevention policy due to excessive failed join attempts." Participant="Crooky McCrookface" Protocol="API" Direction="in" Remote-address="10.44.21.35" Reason="Too many attempts to join non-existent aliases"`,
		`2026-05-14 23:38:47,100 Level="INFO" Name="administrator.conference" Message="Participant has joined." Participant="alice"`,
		"2026-05-14 23:38:48.000\tFAIL_BAD_CREDENTIALS\troot\t192.0.2.7",
	}
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600)
	h := harnessOf(t, []source.Live{source.NewFile(path, source.FollowOptions{Interval: 20 * time.Millisecond})}, "default")
	h.waitFor("the log", func(s string) bool { return strings.Contains(s, "4 entries") })
	h.keys("s")
	h.waitFor("the security view", func(s string) bool { return strings.Contains(s, "3 events from 2 addresses") })
	sc := h.screen()
	first, second := strings.Index(sc, "192.0.2.7"), strings.Index(sc, "10.44.21.35")
	if first < 0 || second < first || !strings.Contains(sc, "1 failed admin login, 1 failed web login") || !strings.Contains(sc, "admin, root") {
		t.Fatalf("the view does not list 192.0.2.7 (2 events) before 10.44.21.35:\n%s", sc)
	}
	golden(t, "security", h.plainScreen())

	// More attacks arrive: the view counts them.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("2026-05-14 23:38:49.000\tFAIL_BAD_CREDENTIALS\tadministrator\t10.44.21.35\n2026-05-14 23:38:50.000\tFAIL_BAD_CREDENTIALS\tguest\t10.44.21.35\n")
	f.Close()
	h.waitFor("the new events", func(s string) bool { return strings.Contains(s, "5 events from 2 addresses") })
	if sc := h.screen(); strings.Index(sc, "10.44.21.35") > strings.Index(sc, "192.0.2.7") {
		t.Errorf("10.44.21.35, now with 3 events, is not listed first:\n%s", sc)
	}

	// The cursor stayed on its address, now second; enter searches the support log for it.
	h.keys("enter")
	h.waitFor("the search", func(s string) bool { return strings.Contains(s, "/192.0.2.7 match 2 of 2") })
	if sc := h.screen(); !strings.Contains(sc, "Support log") || !strings.Contains(sc, "User login failed") {
		t.Errorf("after enter, the support log does not show the address's lines:\n%s", sc)
	}
}
