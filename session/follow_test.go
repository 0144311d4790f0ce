package session

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/query"
	"github.com/calltail/calltail/sim"
	"github.com/calltail/calltail/source"
)

// TestFollowPrintsWholeMessages follows a simulated log and selects a fragmented INVITE by
// its Call-ID, which only its first fragment carries: every fragment is printed, and
// every entry is counted for its source.
func TestFollowPrintsWholeMessages(t *testing.T) {
	var buf bytes.Buffer
	sim.New(3).WriteLines(&buf, 30000)
	data := buf.Bytes()
	first := regexp.MustCompile(`Fragment-id="([^"]+)" Fragment-number="0" Fragment-total="([2-9])"[^\n]*?Call-ID: ([^^]+)\^M`).FindSubmatch(data)
	if first == nil {
		t.Fatal("the simulation logged no fragmented message with a Call-ID")
	}
	fragID, total, callID := string(first[1]), int(first[2][0]-'0'), string(first[3])
	f, err := filter.Compile(`call-id == "` + callID + `"`)
	if err != nil {
		t.Fatal(err)
	}
	in := make(chan source.Chunk, 1)
	in <- source.Chunk{Source: "live", Gen: &source.Generation{}, Data: data}
	close(in)
	var out bytes.Buffer
	counts, err := followEntries(in, query.Options{Filter: f, NewParser: newParser}, &out, nil)
	if got := strings.Count(out.String(), `Fragment-id="`+fragID+`"`); err != nil || got != total {
		t.Errorf("followed: %d of the %d fragments of %s (%v)", got, total, fragID, err)
	}
	if counts["live"] != 30000 {
		t.Errorf("counted %d entries from the source, want 30000", counts["live"])
	}
}
