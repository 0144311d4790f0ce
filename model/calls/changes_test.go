package calls

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"testing"

	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
)

// TestReadChangedFollowsTheCalls: a reader that keeps ReadChanged's calls by number, and
// drops those it says are gone, holds what Calls returns, as the log grows (calls change,
// merge and appear); a second look with nothing new reads nothing; and the summaries it
// read are not kept, while those read ahead before stay.
func TestReadChangedFollowsTheCalls(t *testing.T) {
	path, data, _ := simulated(t, 30000)
	f, _ := os.Open(path)
	defer f.Close()
	st := store.New()
	x := New(st, newParser)
	src := st.AddOrigin(store.Origin{Name: path, Text: f})
	half := bytes.LastIndexByte(data[:len(data)/2], '\n') + 1
	if err := st.Load(context.Background(), src, bytes.NewReader(data[:half]), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	held := map[int]Call{}
	var stamps Stamps
	look := func() (read int) {
		gone, _ := x.ReadChanged(&stamps, 100, func(chunk []Call, _ int) {
			if len(chunk) > 100 {
				t.Errorf("a chunk of %d calls, asked for 100", len(chunk))
			}
			for _, c := range chunk {
				held[c.Number] = c
				read++
			}
		})
		for _, n := range gone {
			if _, ok := held[n]; !ok {
				t.Errorf("call %d is gone, but was never read", n)
			}
			delete(held, n)
		}
		return read
	}
	check := func(when string) {
		t.Helper()
		want := x.Calls()
		got := make([]Call, 0, len(held))
		for _, c := range want {
			got = append(got, held[c.Number])
		}
		if len(held) != len(want) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %d calls held, Calls has %d (or they differ)", when, len(held), len(want))
		}
	}
	if n := look(); n < 100 {
		t.Fatalf("the first look read %d calls", n)
	}
	if kept := readCount(x); kept != 0 {
		t.Errorf("ReadChanged kept %d summaries", kept)
	}
	check("half the log")
	if n := look(); n != 0 {
		t.Errorf("a look with nothing new read %d calls", n)
	}
	x.ReadAhead() // from here, what ReadAhead reads stays
	if err := st.Load(context.Background(), st.AddOrigin(store.Origin{Name: path, Text: offsetText{f, int64(half)}}),
		bytes.NewReader(data[half:]), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	x.ReadAhead()
	before := readCount(x)
	changed := look()
	if changed == 0 || changed >= len(held) {
		t.Errorf("the second half changed %d of %d calls", changed, len(held))
	}
	if after := readCount(x); after != before || before == 0 {
		t.Errorf("%d summaries read ahead before ReadChanged, %d after", before, after)
	}
	check("the whole log")
}

// readCount is how many summaries x keeps.
func readCount(x *Index) int {
	s := &x.summaries
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.read.All() {
		if *r != nil {
			n++
		}
	}
	return n
}
