package pane

import (
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// span is a styled byte range of a plain row.
type span struct {
	start, end int
	style      lipgloss.Style
}

// paint styles plain text: each span with its own style on top of base, the rest with
// base. Spans are clipped to the text and must not overlap once sorted (later ones win).
func paint(plain string, spans []span, base lipgloss.Style) string {
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	pos := 0
	for _, s := range spans {
		start, end := max(s.start, pos), min(s.end, len(plain))
		if start >= end {
			continue
		}
		if start > pos {
			b.WriteString(base.Render(plain[pos:start]))
		}
		b.WriteString(s.style.Inherit(base).Render(plain[start:end]))
		pos = end
	}
	if pos < len(plain) {
		b.WriteString(base.Render(plain[pos:]))
	}
	return b.String()
}

// fit cuts plain text to width cells, ending it with an ellipsis when cut, or pads it
// with spaces to width.
func fit(plain string, width int) string {
	if w := ansi.StringWidth(plain); w > width {
		return ansi.Truncate(plain, width, "…")
	} else if w < width {
		return plain + strings.Repeat(" ", width-w)
	}
	return plain
}
