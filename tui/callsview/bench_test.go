package callsview

import (
	"fmt"
	"testing"
	"time"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/themes"
)

// hundredThousand returns a list over 100 000 calls (made up, in the shapes of real ones).
func hundredThousand() *Model { return listOfMany(100000) }

// listOfMany returns a list over n calls (made up, in the shapes of real ones).
func listOfMany(n int) *Model {
	styles, _ := themes.Get("default")
	m := &Model{styles: &styles, st: store.New(), live: func() bool { return false }, clock: time.Now, sortCol: colStart, marked: map[int]bool{}}
	m.SetSize(200, 58)
	names := []string{"Alice Smith", "Bob Jones", "Carol Taylor", "Dave Müller", "Erin O'Brien"}
	confs := []string{"Meet Alice", "Sales weekly", "All hands", "Board room"}
	var t texts
	for i := range n {
		m.all = append(m.all, rowOf(&calls.Call{Number: i + 1, Start: int64(i) * 1000, DisplayName: names[i%5] + fmt.Sprint(i),
			Participant: "sip:user" + fmt.Sprint(i) + "@example.com", Conference: confs[i%4], Protocol: "SIP",
			Vendor: "Cisco/CE 9.15.3", CallIDs: []string{fmt.Sprintf("%016x@10.44.5.%d", i*7919, i%250)},
			Duration: fmt.Sprint(i % 3600), Warnings: i % 7}, &t, nil))
	}
	m.look = lookup{texts: t.all}
	m.layout = dayFormat(m.all)
	m.natural = widest(m.all, m.layout)
	return m
}

// BenchmarkSortCalls sorts 100 000 calls by a text column, a number column, and the start.
func BenchmarkSortCalls(b *testing.B) {
	m := hundredThousand()
	for _, col := range []int{colParticipant, colDuration, colStart} {
		b.Run(report.CallColumns[col], func(b *testing.B) {
			m.sortCol = col
			for b.Loop() {
				m.desc = !m.desc
				m.arrange()
			}
		})
	}
}

// BenchmarkFilterCalls narrows 100 000 calls with the fuzzy prompt, a word and two, best
// match first: afresh, and as the user types (within what the query before found).
func BenchmarkFilterCalls(b *testing.B) {
	m := hundredThousand()
	m.ranked = true
	for _, q := range []string{"alice", "alice meet"} {
		for _, typed := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/typed=%v", q, typed), func(b *testing.B) {
				m.input.SetValue(q)
				for b.Loop() {
					if typed {
						b.StopTimer()
						m.narrowed, m.loose = q[:len(q)-1], nil
						m.input.SetValue(q[:len(q)-1])
						m.arrange()
						m.input.SetValue(q)
						b.StartTimer()
					} else {
						m.narrowed = ""
					}
					m.arrange()
				}
			})
		}
	}
}

// BenchmarkRefreshCalls takes in a read that changed one call and added one, among
// 134 462 calls (the 1 GB file's), and arranges the list again, as refresh does.
func BenchmarkRefreshCalls(b *testing.B) {
	const n = 134462
	m := listOfMany(n)
	m.arrange()
	for b.Loop() {
		changed := m.all[n/2]
		changed.warnings++
		added := m.all[len(m.all)-1]
		added.number++
		m.apply(readDone{rows: []callRow{changed, added}})
		m.arrange()
	}
}
