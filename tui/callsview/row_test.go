package callsview

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"unsafe"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/tui/common/commontest"
)

// TestRowIsTheCall: what the list keeps of a call writes the cells report.CallCell
// writes (the nodes named as the log rows do, the start in the list's layout, the
// duration left out), gives the prompt the fields the call has, and sorts and colours
// it as the call's values would; on plain and hard simulated logs.
func TestRowIsTheCall(t *testing.T) {
	for _, opt := range []sim.Options{{}, sim.Hard()} {
		var buf bytes.Buffer
		sim.NewWith(7, opt).WriteLines(&buf, 6000)
		c := commontest.New(t, buf.String(), "default")
		all := c.Session.Calls.Calls()
		if len(all) < 50 {
			t.Fatalf("%d calls", len(all))
		}
		nodes := (&report.NodeNames{}).Learn(c.Session.Store, c.NewParser())
		var strs texts
		for i := range all {
			call := &all[i]
			r := rowOf(call, &strs, nodes)
			look := lookup{strs.all, nodes}
			for col := range report.CallColumns {
				want := report.CallCell(call, col)
				switch col {
				case colStart:
					want = ""
					if call.Start != 0 {
						want = report.Clock(call.Start)[:19]
					}
				case colSignalling:
					want = sanitize.String(report.NodeName(call.SignalingNode, call.SignalingLocation, nodes))
				case colMedia:
					want = sanitize.String(report.NodeName(call.MediaNode, call.MediaLocation, nodes))
				case colDuration:
					want = ""
				}
				if got := cellOf(&r, col, "2006-01-02 15:04:05", look); got != want {
					t.Errorf("call %d, %s: %q, want %q", call.Number, report.CallColumns[col], got, want)
				}
			}
			want := slices.DeleteFunc(append([]string{call.Who(), call.Participant, call.Conference, call.Alias, call.Vendor,
				call.State.String(), call.Reason, report.NodeName(call.SignalingNode, "", nodes),
				report.NodeName(call.MediaNode, "", nodes), call.Protocol}, call.CallIDs...), func(s string) bool { return s == "" })
			if got := fieldsOf(&r, look, nil); !slices.Equal(got, want) {
				t.Errorf("call %d: fields %q, want %q", call.Number, got, want)
			}
			lasting := r.lasting(look)
			if report.DurationAt(&lasting, 1e15) != report.DurationAt(call, 1e15) || r.scanner != call.IsScanner() ||
				r.quality() != call.WorstMedia() || int(r.warnings) != call.Warnings || int(r.errors) != call.Errors {
				t.Errorf("call %d: its row's duration, scanner, quality or counts differ from the call's", call.Number)
			}
		}
	}
}

// TestMergeRows: a read's changed rows replace the calls' rows, new calls' rows are added
// in order of number, wherever they come in the read, and the calls gone are left out.
func TestMergeRows(t *testing.T) {
	rows := func(nums ...int32) (out []callRow) {
		for _, n := range nums {
			out = append(out, callRow{number: n, warnings: n * 10})
		}
		return out
	}
	changed := rows(3, 9, 2, 12)
	changed[0].warnings = 1
	got := merge(rows(1, 3, 5, 7), changed, []int{5})
	var nums []int32
	for _, r := range got {
		nums = append(nums, r.number)
	}
	if !slices.Equal(nums, []int32{1, 2, 3, 7, 9, 12}) || got[2].warnings != 1 {
		t.Errorf("merged: %v (call 3's warnings %d), want 1 2 3 7 9 12 and 3 changed", nums, got[2].warnings)
	}
}

// TestDayFormat: the START column leaves out the date when every call started on the same
// day (UTC), and the year when in the same year; calls with no start do not count.
func TestDayFormat(t *testing.T) {
	const day = int64(86400e6)
	at := func(starts ...int64) (out []callRow) {
		for _, s := range starts {
			out = append(out, callRow{start: s})
		}
		return out
	}
	jan2 := int64(1767312000e6) // 2026-01-02 00:00 UTC
	for _, c := range []struct {
		rows []callRow
		want string
	}{
		{at(0, jan2, jan2+day-1, 0), "15:04:05"},
		{at(jan2, jan2+day), "01-02 15:04:05"},
		{at(jan2, jan2-2*day), "2006-01-02 15:04:05"},
		{at(-1, -day), "15:04:05"},
		{at(-1, 0, 1), "2006-01-02 15:04:05"}, // 1969-12-31 and 1970-01-01
	} {
		if got := dayFormat(c.rows); got != c.want {
			t.Errorf("dayFormat(%v) = %q, want %q", c.rows[0].start, got, c.want)
		}
	}
}

// TestRowsShareTheirStrings: a row is small, its strings held once by number for every
// row; what a read handed out reads the same after the reader adds more strings.
func TestRowsShareTheirStrings(t *testing.T) {
	if size := unsafe.Sizeof(callRow{}); size > 144 {
		t.Errorf("a row takes %d bytes; want at most 144 (a list holds one per call)", size)
	}
	var strs texts
	alice := rowOf(&calls.Call{Number: 1, DisplayName: "Alice", Participant: "sip:alice@example.com", Conference: "Meet Alice"}, &strs, nil)
	handed := lookup{texts: strs.all}
	for i := range 1000 {
		rowOf(&calls.Call{Number: i + 2, Participant: fmt.Sprintf("sip:user%d@example.com", i), Conference: "Meet Alice"}, &strs, nil)
	}
	if got, want := cellOf(&alice, colParticipant, "", handed), "Alice <sip:alice@example.com>"; got != want {
		t.Errorf("after more rows, the first reads %q, want %q", got, want)
	}
	if n := len(strs.all); n > 1005 {
		t.Errorf("%d strings for 1 001 participants, one conference and one name", n)
	}
}
