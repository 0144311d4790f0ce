package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/calltail/calltail/source"
)

// TestHostileTextIsShownNotObeyed shows a log whose lines carry every kind of terminal
// control — CSI, OSC 52 and OSC 8, DCS, APC, BEL, backspace, bare CR, C1, bidirectional
// overrides, zero-width characters, the soft hyphen, ZWNJ and ZWJ, line and paragraph
// separators, Hangul fillers, variation selectors, tags, private use, invalid UTF-8 — in
// the pane and in the entry's details. The screen shows each visibly, and the only escape
// sequences the UI writes are its own colours.
func TestHostileTextIsShownNotObeyed(t *testing.T) {
	classes := map[string]string{
		"CSI":      "\x1b[2J",
		"OSC 52":   "\x1b]52;c;aGVsbG8=\x07",
		"OSC 8":    "\x1b]8;;http://evil.example\x1b\\",
		"DCS":      "\x1bP1$r\x1b\\",
		"APC":      "\x1b_secret\x1b\\",
		"BS":       "abc\b\b\b",
		"CR":       "shown\rhidden",
		"C1 CSI":   "\u009b31m",
		"bidi":     "\u202egnp.exe",
		"isolate":  "\u2066x\u2069",
		"ZWSP":     "ad\u200bmin",
		"bad UTF8": "\xff\xfe",
		"SHY":      "ad\u00admin",
		"ZWNJ/ZWJ": "ad\u200cm\u200din",
		"LS/PS":    "line\u2028para\u2029",
		"filler":   "\u3164\u115f",
		"VS/tag":   "a\ufe0f\U000e0041",
		"PUA":      "\ue000\U000f0000",
	}
	var log strings.Builder
	for name, text := range classes {
		log.WriteString(`2026-05-14 10:00:00,000 Level="INFO" Name="support.sip" Message="` + name + `: ` + text + `"` + "\n")
	}
	path := filepath.Join(t.TempDir(), "support.log")
	os.WriteFile(path, []byte(log.String()), 0o600)
	h := harnessOf(t, []source.Live{source.NewFile(path, source.FollowOptions{})}, "default")
	h.waitFor("the lines", func(s string) bool { return strings.Contains(s, fmt.Sprintf("%d entries", len(classes))) })
	ownColours := regexp.MustCompile(`\x1b\[[0-9;:]*m`)
	check := func(where string) {
		t.Helper()
		screen := ownColours.ReplaceAllString(h.colourScreen(), "")
		for _, bad := range []string{"\x1b", "\x07", "\b", "\r", "\u009b", "\u202e", "\u2066", "\u200b", "\xff",
			"\u00ad", "\u200c", "\u200d", "\u2028", "\u2029", "\u3164", "\u115f", "\ufe0f", "\U000e0041", "\ue000", "\U000f0000"} {
			if strings.Contains(screen, bad) {
				t.Errorf("%s: the screen holds %q:\n%s", where, bad, screen)
			}
		}
		for _, shown := range []string{"^[[2J", "^[]52;c;aGVsbG8=^G", "^[P1$r", "^[_secret", "abc^H^H^H", "shown^Mhidden", "<U+009B>31m", "<U+202E>gnp.exe", "ad<U+200B>min", `\xff\xfe`,
			"ad<U+00AD>min", "ad<U+200C>m<U+200D>in", "line<U+2028>para<U+2029>", "<U+3164><U+115F>", "a<U+FE0F><U+E0041>", "<U+E000><U+F0000>"} {
			if where == "the pane" && !strings.Contains(screen, shown) {
				t.Errorf("%s: the screen lacks %q:\n%s", where, shown, screen)
			}
		}
	}
	check("the pane")
	for range classes { // each entry's details
		h.keys("enter")
		h.waitFor("the details", func(s string) bool { return strings.Contains(s, "entry details") })
		check("the details")
		h.keys("esc", "up")
	}
}
