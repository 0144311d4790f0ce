// Package layout holds the small text-layout helpers the UI's tables share.
package layout

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Cell pads s with spaces, or cuts it with an ellipsis, to exactly width cells.
func Cell(s string, width int) string {
	if ansi.StringWidth(s) > width {
		return ansi.Truncate(s, width, "…")
	}
	return s + strings.Repeat(" ", width-ansi.StringWidth(s))
}
