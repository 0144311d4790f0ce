package session

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/source"
)

// TestLoadMergesByTime loads the logs of two nodes whose lines name no node, the way a
// snapshot holds them: the store holds their entries in time order, each labelled with
// its node, read back from its own text, and a call whose lines are on both nodes is one
// call.
func TestLoadMergesByTime(t *testing.T) {
	line := func(sec int, msg string) string {
		return fmt.Sprintf(`2026-05-14 10:00:%02d,000 Level="INFO" Name="administrator.conference" Message="%s" Call-Id="c1@10.0.0.1" Participant-Id="p1"`+"\n", sec, msg)
	}
	conf01 := line(1, "Participant attempting to join conference.") + line(3, "c") + "a continuation line\n" + line(6, "f")
	conf02 := line(2, "b") + line(4, "d") + line(5, "e")
	var inputs []source.Input
	for _, n := range []struct{ node, text string }{{"conf01", conf01}, {"conf02", conf02}} {
		inputs = append(inputs, source.Input{Name: n.node + "/support.log", Node: n.node, R: strings.NewReader(n.text), Text: strings.NewReader(n.text)})
	}
	st := store.New()
	index := calls.New(st, newParser)
	if err := Load(context.Background(), st, inputs, newParser, nil); err != nil {
		t.Fatal(err)
	}
	v := st.View()
	var got []string
	for i := range v.Len() {
		raw, err := v.Raw(nil, i)
		if err != nil {
			t.Fatal(err)
		}
		msg := raw[strings.Index(string(raw), `Message="`)+9]
		got = append(got, string(msg)+"@"+st.Name(v.Entry(i).Node))
	}
	if want := "P@conf01 b@conf02 c@conf01 d@conf02 e@conf02 f@conf01"; strings.Join(got, " ") != want {
		t.Errorf("entries %v, want %s", got, want)
	}
	if n, ok := index.Find(st, "c1@10.0.0.1"); !ok || len(index.Entries(st, n)) != 6 {
		t.Errorf("call c1@10.0.0.1 (%d, %v) does not hold the 6 entries of both nodes", n, ok)
	}
}
