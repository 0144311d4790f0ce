package callsview

import (
	"fmt"
	"testing"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/themes"
)

// hundredThousand returns a list over 100 000 calls (made up, in the shapes of real ones).
func hundredThousand() *Model {
	styles, _ := themes.Get("default")
	m := &Model{styles: &styles, sortCol: 1}
	m.SetSize(200, 58)
	names := []string{"Alice Smith", "Bob Jones", "Carol Taylor", "Dave Müller", "Erin O'Brien"}
	confs := []string{"Meet Alice", "Sales weekly", "All hands", "Board room"}
	for i := range 100000 {
		m.all = append(m.all, calls.Call{Number: i + 1, Start: int64(i) * 1000, DisplayName: names[i%5] + fmt.Sprint(i),
			Participant: "sip:user" + fmt.Sprint(i) + "@example.com", Conference: confs[i%4], Protocol: "SIP",
			Vendor: "Cisco/CE 9.15.3", CallIDs: []string{fmt.Sprintf("%016x@10.44.5.%d", i*7919, i%250)},
			Duration: fmt.Sprint(i % 3600), Warnings: i % 7})
	}
	return m
}

// BenchmarkSortCalls sorts 100 000 calls by a text column, a number column, and the start.
func BenchmarkSortCalls(b *testing.B) {
	m := hundredThousand()
	for _, col := range []int{2, 10, 1} {
		b.Run(report.CallColumns[col], func(b *testing.B) {
			m.sortCol = col
			for b.Loop() {
				m.desc = !m.desc
				m.arrange()
			}
		})
	}
}

// BenchmarkFilterCalls narrows 100 000 calls with the fuzzy prompt: as the user types (the
// texts matched are kept) and after the calls changed (they are made again).
func BenchmarkFilterCalls(b *testing.B) {
	m := hundredThousand()
	m.input.SetValue("alice meet")
	for _, changed := range []bool{false, true} {
		b.Run(fmt.Sprintf("changed=%v", changed), func(b *testing.B) {
			for b.Loop() {
				if changed {
					m.texts = nil
				}
				m.arrange()
			}
		})
	}
}
