package callsview

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/tui/callview"
	"github.com/calltail/calltail/tui/common/commontest"
)

// TestMarkOpensAsOne: space marks calls; enter asks to open the marked calls as one; esc
// unmarks them before it goes back (space paged down).
func TestMarkOpensAsOne(t *testing.T) {
	m := list(t)
	var asked []any
	for _, k := range []tea.KeyPressMsg{{Code: tea.KeySpace, Text: " "}, {Code: tea.KeySpace, Text: " "}, {Code: tea.KeyEnter}} {
		for _, msg := range commontest.Run(m.Update(k)) {
			asked = append(asked, msg)
		}
	}
	if len(asked) != 1 || fmt.Sprint(asked[0]) != fmt.Sprint(callview.OpenMsg{Numbers: []int{5, 6}}) {
		t.Fatalf("space, space, enter asked for %v, want to open calls 5 and 6 as one", asked)
	}
	if sc := screen(m); !strings.Contains(sc, "2 calls marked") || !strings.Contains(sc, "*6") {
		t.Errorf("the marks do not show:\n%s", sc)
	}
	if asked := commontest.Run(m.Update(tea.KeyPressMsg{Code: tea.KeyEscape})); len(asked) != 0 || len(m.Marked()) != 0 {
		t.Errorf("esc with calls marked asked for %v and left %v marked; want them unmarked, and no more", asked, m.Marked())
	}
}
