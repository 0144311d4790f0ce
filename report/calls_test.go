package report

import (
	"strings"
	"testing"
	"time"

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

// TestDurations: a call's duration reads as h:mm:ss (m:ss under an hour), from its logged
// Duration, or for a call that ended without one (Flexisip's), its span.
func TestDurations(t *testing.T) {
	for _, tc := range []struct {
		c    calls.Call
		want string
	}{
		{calls.Call{Duration: "1039.483", State: calls.Ended}, "17:19"},
		{calls.Call{Duration: "3723", State: calls.Ended}, "1:02:03"},
		{calls.Call{Span: 98 * time.Second, State: calls.Ended}, "1:38"},
		{calls.Call{Span: 500 * time.Millisecond, State: calls.Failed}, ""},
		{calls.Call{State: calls.Connected}, ""},
		{calls.Call{Duration: "3,725", State: calls.Ended}, "1:02:05"},
		{calls.Call{Duration: "0", State: calls.Ended}, "0:00"},
	} {
		if got := Duration(&tc.c); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}
