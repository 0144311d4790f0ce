package histogram

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/tui/common/commontest"
	"github.com/calltail/calltail/tui/pane"
)

// TestViewShowsWhatWasCounted: the counting runs in the background, and a frame drawn
// once it is done shows every bucket from the first, even before the message that says
// so arrives (a frame drawn then showed the last bucket alone).
func TestViewShowsWhatWasCounted(t *testing.T) {
	var buf bytes.Buffer
	sim.New(3).WriteLines(&buf, 2000)
	c := commontest.New(t, buf.String(), "default")
	p := pane.New(pane.Config{Title: "Support log", Store: c.Session.Store, NewParser: c.NewParser,
		Notify: c.Session.Notifier.Poke, Styles: c.Styles, Keys: c.Keys.Keys})
	p.SetSize(160, 40)
	for deadline := time.Now().Add(5 * time.Second); p.Entries().Count() < 2000; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the pane lists %d entries of 2 000", p.Entries().Count())
		}
		p.Update(nil)
	}
	m := New(c, p)
	defer m.Close()
	m.SetSize(160, 40)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if done, total := m.hist.Progress(); done == total && total > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("not counted in 5 s")
		}
	}
	if view := m.View(); !strings.Contains(view, "05-14 08:00:00") {
		t.Errorf("counted, the histogram shows no first bucket:\n%s", view)
	}
}
