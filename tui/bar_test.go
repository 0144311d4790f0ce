package tui

import (
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/themes"
)

// TestBarsArePaintedToTheirEnds: every cell of the tab bar after its tabs and of the
// status line is painted as a bar (a background, or reverse video in mono), the text on
// their right too: the pane's state ("following"), a view's title and keys, the help's hint (they
// were drawn on the terminal's background).
func TestBarsArePaintedToTheirEnds(t *testing.T) {
	for _, theme := range themes.Names() {
		if st, _ := themes.Get(theme); st.Fills() {
			continue // a theme that paints every cell: no cell is left on the terminal's background
		}
		t.Run(theme, func(t *testing.T) {
			h := newHarness(t, 300, theme)
			check := func(view string) {
				t.Helper()
				lines := strings.Split(h.m.View().Content, "\n")
				tabs := 0 // mono draws the inactive tabs plain, as text on the bar
				for _, label := range h.m.tabLabels() {
					tabs += ansi.StringWidth(label) + 1
				}
				for i, line := range []string{lines[0], lines[len(lines)-1]} {
					if col, ok := unpaintedCell(line, tabs*(1-i)); ok {
						t.Errorf("%s: the bar %q is unpainted from column %d (%q)", view, ansi.Strip(line), col,
							ansi.Cut(ansi.Strip(line), col, col+20))
					}
				}
			}
			check("the panes")
			h.keys("enter")
			h.waitFor("the details", func(s string) bool { return strings.Contains(s, "entry details") })
			check("the details")
		})
	}
}

// unpaintedCell returns the first column of line, from column from on, whose cell has
// neither a background nor reverse video.
func unpaintedCell(line string, from int) (int, bool) {
	var bg, reverse bool
	col := 0
	for len(line) > 0 {
		seq, width, n, _ := ansi.DecodeSequence(line, ansi.NormalState, nil)
		if strings.HasPrefix(seq, "\x1b[") && strings.HasSuffix(seq, "m") {
			bg, reverse = sgr(seq[2:len(seq)-1], bg, reverse)
		} else if width > 0 {
			if !bg && !reverse && col >= from {
				return col, true
			}
			col += width
		}
		line = line[n:]
	}
	return 0, false
}

// sgr applies the parameters of an SGR sequence to whether a background and reverse
// video are set.
func sgr(params string, bg, reverse bool) (bool, bool) {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		n, err := strconv.Atoi(ps[i])
		if ps[i] == "" {
			n, err = 0, nil
		}
		if err != nil {
			continue
		}
		switch {
		case n == 0:
			bg, reverse = false, false
		case n == 7:
			reverse = true
		case n == 27:
			reverse = false
		case n == 49:
			bg = false
		case n >= 40 && n <= 47, n >= 100 && n <= 107:
			bg = true
		case n == 48:
			bg = true
			fallthrough
		case n == 38, n == 58: // 38;5;n or 38;2;r;g;b
			if i+1 < len(ps) && ps[i+1] == "5" {
				i += 2
			} else if i+1 < len(ps) && ps[i+1] == "2" {
				i += 4
			}
		}
	}
	return bg, reverse
}
