package themes

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Fills reports whether the theme brings its own background (the light theme): the
// screen is then painted with it, cell by cell, so that the theme reads the same on a
// dark terminal.
func (s *Styles) Fills() bool { return s.fill.bg != "" }

// screenFill is the theme's own background and text colour as SGR sequences.
type screenFill struct{ bg, fg string }

func newFill(bg, fg color.Color) screenFill {
	if bg == nil {
		return screenFill{}
	}
	f := screenFill{bg: sgrColour(48, bg)}
	if fg != nil {
		f.fg = sgrColour(38, fg)
	}
	return f
}

// sgrColour is the SGR sequence that sets a colour: base 38 for the text, 48 for the
// background. The program's renderer converts it to what the terminal shows.
func sgrColour(base int, c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("\x1b[%d;2;%d;%d;%dm", base, r>>8, g>>8, b>>8)
}

// Fill paints a screen of lines with the theme's background when it has one (Fills):
// every line is padded to width cells, starts on the background, and whatever resets the
// background or the text colour to the terminal's default (SGR 0, 39, 49) is followed by
// the theme's own. Otherwise it returns screen as it is. Escape sequences other than SGR
// are copied as they are.
func (s *Styles) Fill(screen string, width int) string {
	if !s.Fills() {
		return screen
	}
	var b strings.Builder
	b.Grow(len(screen) + 64*strings.Count(screen, "\n"))
	for i, line := range strings.Split(screen, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s.fill.bg + s.fill.fg)
		s.fill.line(&b, line)
		if pad := width - ansi.StringWidth(line); pad > 0 {
			b.WriteString(strings.Repeat(" ", pad))
		}
		b.WriteString("\x1b[m")
	}
	return b.String()
}

// line copies a line, putting the theme's colours back after every SGR sequence that
// sets the terminal's default ones.
func (f screenFill) line(b *strings.Builder, line string) {
	for {
		at := strings.Index(line, "\x1b[")
		if at < 0 {
			b.WriteString(line)
			return
		}
		end := at + 2
		for end < len(line) && (line[end] >= '0' && line[end] <= '9' || line[end] == ';' || line[end] == ':') {
			end++
		}
		if end == len(line) {
			b.WriteString(line)
			return
		}
		b.WriteString(line[:end+1])
		if line[end] == 'm' {
			bg, fg := defaults(line[at+2 : end])
			if bg {
				b.WriteString(f.bg)
			}
			if fg {
				b.WriteString(f.fg)
			}
		}
		line = line[end+1:]
	}
}

// defaults reads the parameters of an SGR sequence and reports whether it leaves the
// background, and the text colour, at the terminal's default: reset (0 or none), 49, 39,
// and not set again further on in the same sequence.
func defaults(params string) (bg, fg bool) {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		head, _, _ := strings.Cut(ps[i], ":") // 38:2::r:g:b is one parameter
		n, err := strconv.Atoi(head)
		if head == "" {
			n, err = 0, nil
		}
		if err != nil {
			continue
		}
		switch {
		case n == 0:
			bg, fg = true, true
		case n == 39:
			fg = true
		case n == 49:
			bg = true
		case n >= 30 && n <= 37, n >= 90 && n <= 97:
			fg = false
		case n >= 40 && n <= 47, n >= 100 && n <= 107:
			bg = false
		case n == 38, n == 48, n == 58:
			if !strings.Contains(ps[i], ":") && i+1 < len(ps) { // 38;5;n or 38;2;r;g;b
				if ps[i+1] == "5" {
					i += 2
				} else if ps[i+1] == "2" {
					i += 4
				}
			}
			if n == 38 {
				fg = false
			} else if n == 48 {
				bg = false
			}
		}
	}
	return bg, fg
}
