package callsview

import (
	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/report"
)

// readDone is the calls as the index had them at a version, and what the list shows of
// them.
type readDone struct {
	version uint64
	first   int // of a first look: how many calls there are, of which calls are the newest; 0 for all
	calls   []calls.Call
	cells   [][]string
	fields  [][]string
	natural []int
}

// readCalls reads the calls and what the list shows of them, sends them to read, and
// pokes notify. It runs in the background, one at a time: it alone touches names.
//
// The first read of a large log takes seconds: it first sends the newest calls, read at
// once (a first look), then all of them.
func readCalls(index *calls.Index, st *store.Store, newParser model.NewParserFunc, names *report.NodeNames, first bool, read chan<- readDone, notify func()) {
	nodes := names.Learn(st, newParser())
	send := func(done readDone) {
		read <- done
		if notify != nil {
			notify()
		}
	}
	if first {
		newest, total := index.Newest(firstLook)
		if total > len(newest) {
			send(readOf(newest, nodes, 0, total))
		}
	}
	all, version := index.Listing()
	send(readOf(all, nodes, version, 0))
}

// firstLook is how many of the newest calls a first read sends before the rest: more than
// a screen holds, read in a moment.
const firstLook = 200

// readOf is what the list shows of calls.
func readOf(all []calls.Call, nodes map[string]string, version uint64, first int) readDone {
	layout := dayFormat(all)
	done := readDone{version: version, first: first, calls: all, cells: make([][]string, len(all)), fields: make([][]string, len(all))}
	for i := range all {
		done.cells[i] = cellsOf(&all[i], layout, nodes)
		done.fields[i] = fieldsOf(&all[i], nodes)
	}
	done.natural = widest(done.cells)
	return done
}
