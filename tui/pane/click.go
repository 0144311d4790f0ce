package pane

// Click selects the row drawn on line y of the pane (0 is its first line), as a mouse
// click asks, and reports whether a row is drawn there. Selecting a row above the last
// pauses following, as moving up does.
func (m *Model) Click(y int) bool {
	if y < 0 || y >= m.height {
		return false
	}
	nodeW, modW := m.columnWidths()
	line := 0
	for i := m.top; i < m.n && line < m.height; i++ {
		lines := 1
		if m.wrap {
			lines = len(m.renderRow(m.row(i), false, false, nodeW, modW))
		}
		if y < line+lines {
			m.move(i - m.cursor)
			return true
		}
		line += lines
	}
	return false
}
