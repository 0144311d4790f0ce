package report

import (
	"bufio"
	"encoding/binary"
	"io"
	"slices"
	"strings"

	"github.com/calltail/calltail/model/calls"
	"github.com/charmbracelet/x/ansi"
)

// CallsTable is the calls table of WriteCalls, taken in a few calls at a time: a report
// of a large log adds each chunk of summaries as it is read and forgets them, and only
// the cells are kept, packed, until the table is written (its columns are as wide as
// their widest cell, known at the end). The output is WriteCalls's, byte for byte.
type CallsTable struct {
	cells  []byte // row after row, each cell its display width and length as uvarints, then its text
	widths []int  // by column: the widest cell so far
}

// NewCallsTable returns a calls table holding its header.
func NewCallsTable() *CallsTable {
	t := &CallsTable{widths: make([]int, len(CallColumns))}
	t.addRow(CallColumns)
	return t
}

// Add adds a call's row.
func (t *CallsTable) Add(c *calls.Call) { t.addRow(CallRow(c)) }

// addRow packs a row's cells.
func (t *CallsTable) addRow(row []string) {
	for i, cell := range row {
		w := ansi.StringWidth(cell)
		t.widths[i] = max(t.widths[i], w)
		t.cells = binary.AppendUvarint(t.cells, uint64(w))
		t.cells = binary.AppendUvarint(t.cells, uint64(len(cell)))
		t.cells = append(t.cells, cell...)
	}
}

// WriteTo writes the table to w, as writeTable lays it out: columns two spaces apart,
// the last not padded.
func (t *CallsTable) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriter(w)
	var n int64
	spaces := strings.Repeat(" ", slices.Max(t.widths)+2)
	for rest := t.cells; len(rest) > 0; {
		for i := range t.widths {
			width, k := binary.Uvarint(rest)
			size, k2 := binary.Uvarint(rest[k:])
			rest = rest[k+k2:]
			m, _ := bw.Write(rest[:size])
			n += int64(m)
			rest = rest[size:]
			if i < len(t.widths)-1 {
				m, _ = bw.WriteString(spaces[:t.widths[i]-int(width)+2])
			} else {
				m, _ = bw.Write([]byte{'\n'})
			}
			n += int64(m)
		}
	}
	return n, bw.Flush()
}
