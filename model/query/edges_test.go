package query

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/split"
)

// fragmentedLog logs one SIP INVITE whose text is cut at cuts into fragments, between
// unrelated lines, as Pexip does.
func fragmentedLog(id, callID string, cuts []int) string {
	msg := "INVITE sip:board@example.com SIP/2.0^MVia: SIP/2.0/TLS 10.44.161.165:55340^MFrom: <sip:alice@example.net>;tag=c1^MTo: <sip:board@example.com>^MCall-ID: " +
		callID + "^MCSeq: 1 INVITE^MContent-Length: 0^M^M"
	var b strings.Builder
	other := func(i int) {
		fmt.Fprintf(&b, `2026-05-14T08:00:0%d.000+00:00 conf01 2026-05-14 08:00:0%d,000 Level="INFO" Name="support.participant" Message="Participant has joined." Participant-id="p%d@10.44.161.165"`+"\n", i, i, i)
	}
	other(0)
	bounds := append(append([]int{0}, cuts...), len(msg))
	for i := range len(bounds) - 1 {
		fmt.Fprintf(&b, `2026-05-14T08:00:01.000+00:00 conf01 2026-05-14 08:00:01,000 Level="INFO" Name="support.sip" Message="Received SIP request" Src-address="10.44.161.165" Fragment-id="%s" Fragment-number="%d" Fragment-total="%d" Detail="%s"`+"\n",
			id, i, len(bounds)-1, msg[bounds[i]:bounds[i+1]])
		other(i + 1)
	}
	return b.String()
}

// TestCutCallIDFoundAtTheNeedlesEdges cuts a message's Call-ID into two or three
// fragments at every pair of offsets (a middle fragment shorter than the Call-ID, the '@'
// the needle search stops at in any of them), and moves its Call-ID: header whole into a
// later fragment: the query by Call-ID prints every fragment, as the look at every first
// fragment did (a filter whose needles are unknown still takes that path, and must agree).
func TestCutCallIDFoundAtTheNeedlesEdges(t *testing.T) {
	const callID = "c56a80d01eae2cd5@10.44.161.165"
	at := strings.Index(fragmentedLog("x", callID, nil), "Call-ID: ") - strings.Index(fragmentedLog("x", callID, nil), `Detail="`) - len(`Detail="`)
	id := at + len("Call-ID: ")
	var cases [][]int
	for i := id + 1; i < id+len(callID); i++ {
		for j := i; j < id+len(callID); j++ {
			if i == j {
				cases = append(cases, []int{i})
			} else {
				cases = append(cases, []int{i, j})
			}
		}
	}
	cases = append(cases, []int{at - 3}, []int{10, at - 3}, []int{at + 4}) // the header whole in a later fragment, or its name cut
	for _, cuts := range cases {
		data := []byte(fragmentedLog("f1", callID, cuts))
		for _, expr := range []string{`call-id == "` + callID + `"`, `call-id == "` + callID + `" || level > critical`} {
			got, _ := run(t, expr, split.Options{}, data)
			if n := strings.Count(got, `Fragment-id="f1"`); n != len(cuts)+1 || strings.Count(got, "\n") != n {
				t.Errorf("%s, cut at %v: %d lines, %d of its %d fragments", expr, cuts, strings.Count(got, "\n"), n, len(cuts)+1)
			}
		}
	}
}

// TestLevelSkipSelectsWhatAFullScanSelects runs level filters, which skip the entries
// whose level Level tells below theirs unparsed, over the hard cases and the quirks
// sample, against parsing every entry.
func TestLevelSkipSelectsWhatAFullScanSelects(t *testing.T) {
	quirks, err := os.ReadFile("../../testdata/quirks.log")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := entryKinds(newParser(), unwantedLevels(mustCompile(t, `level >= warning`))); !ok {
		t.Fatal("the scan does not skip by level: the test proves nothing")
	}
	for _, data := range [][]byte{hardLog(t), quirks} {
		for _, expr := range []string{`level >= warning`, `level == error || sip`, `!(level < error)`, `level == debug`} {
			want := bruteForce(t, expr, data)
			if got, n := run(t, expr, split.Options{BlockSize: 4096}, data); got != want {
				t.Errorf("%s: %d entries differ from a full scan's %d", expr, n, strings.Count(want, "\n"))
			}
		}
	}
}

func mustCompile(t *testing.T, expr string) *filter.Filter {
	f, err := filter.Compile(expr)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
