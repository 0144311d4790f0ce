package report

import (
	"bytes"
	"io"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/sim"
)

func newParser() model.Parser { return &pexip.Parser{} }

// FuzzCalls indexes arbitrary logs and builds, renders and reports every call found: none
// of it may panic, and every call holds at least one entry.
func FuzzCalls(f *testing.F) {
	var buf bytes.Buffer
	sim.New(2).WriteLines(&buf, 60)
	f.Add(buf.Bytes())
	f.Add([]byte(`2026-05-14 12:00:00,000 Level="INFO" Name="support.sip" Message="Received SIP request" Fragment-id="f1" Fragment-number="2" Fragment-total="1" Detail="INVITE sip:a@b SIP/2.0^Mi: x@y^M^M"` + "\n" +
		`2026-05-14 12:00:01,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Participant-Id="p" Call-Id="x@y" Conference-ID=""` + "\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		st := store.New()
		x := calls.New(st, newParser)
		storetest.Load(t, st, "fuzz", bytes.NewReader(text), split.Options{})
		all := x.Calls()
		WriteCalls(io.Discard, all)
		WriteCallsJSON(io.Discard, all)
		for _, c := range all {
			entries := x.Entries(st, c.Number)
			if len(entries) == 0 {
				t.Fatalf("call %d has no entries", c.Number)
			}
			recs, err := calls.Records(st, entries, newParser())
			if err != nil {
				t.Fatal(err)
			}
			d := calls.NewDetail(c, recs, entries)
			RenderLadder(d.Signalling, LadderNames(&c), 80)
			WriteCall(io.Discard, &d, 80)
			WriteCallJSON(io.Discard, &d)
			WriteRaw(io.Discard, &d)
		}
	})
}
