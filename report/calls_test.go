package report

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/calls"
)

// TestWriteTableAligns expects every column to start in the same terminal column on every
// line, whatever the bytes and cells per character before it (Å, 李), and no padding at
// line ends.
func TestWriteTableAligns(t *testing.T) {
	var out strings.Builder
	all := []calls.Call{
		{Number: 1, Start: 1_778_745_600_000_000, DisplayName: "Åsa Ögren", Conference: "Möte", Protocol: "SIP", Errors: 12},
		{Number: 22, DisplayName: "Bob", Conference: "All hands", Protocol: "WebRTC", Vendor: "Mozilla/5.0"},
		{Number: 333, DisplayName: "李雷", Protocol: "H323", State: calls.Failed, Reason: "No direct route"},
	}
	if err := WriteCalls(&out, all); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != len(all)+1 {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(all)+1, out.String())
	}
	for _, col := range []string{"START", "PROTO", "STATE", "ERR"} {
		at := ansi.StringWidth(lines[0][:strings.Index(lines[0], col)])
		for i, l := range lines[1:] {
			cells := CallRow(&all[i])
			var cell string
			for j, c := range CallColumns {
				if c == col {
					cell = cells[j]
				}
			}
			if cell == "" {
				continue
			}
			if got := ansi.Cut(l, at, at+ansi.StringWidth(cell)); got != cell {
				t.Errorf("line %d: column %s at %d holds %q, want %q:\n%s", i+1, col, at, got, cell, out.String())
			}
		}
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("line %q ends in padding", l)
		}
	}
}
