package report

import (
	"strings"
	"testing"

	"github.com/calltail/calltail/model/calls"
)

// TestLadderWithAPartyNotLogged: a response whose sender the log does not name (a
// proxy's callee) still has its arrow and label, from a column of its own; where the
// label is wider than the arrow (the call view at 80 columns) it is cut with an ellipsis
// and the arrowhead stays (the label wrote over the ◀).
func TestLadderWithAPartyNotLogged(t *testing.T) {
	msgs := []calls.Message{
		{Time: 1, Src: "192.0.2.30:5060", Dst: "flexisip", Start: "INVITE sip:dave@example.org SIP/2.0", CSeq: "7 INVITE"},
		{Time: 2, Dst: "flexisip", Start: "SIP/2.0 486 Busy Here", CSeq: "7 INVITE", Received: true},
	}
	for _, l := range []LadderLayout{{Width: 100}, {Width: 80, Delta: true}} {
		lines := DrawLadder(msgs, nil, l)
		if len(lines) != 3 || !strings.Contains(lines[0].Text, notLogged) || !strings.Contains(lines[2].Text, "◀") || !strings.Contains(lines[2].Text, "486 Busy Here") ||
			strings.Contains(lines[2].Text, "(7 ─") {
			var all []string
			for _, l := range lines {
				all = append(all, l.Text)
			}
			t.Errorf("%+v: the 486 has no arrow or label, or a label cut without an ellipsis:\n%s", l, strings.Join(all, "\n"))
		}
	}
}
