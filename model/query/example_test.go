package query_test

import (
	"context"
	"os"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/query"
)

func newParser() model.Parser { return &pexip.Parser{} }

// Run writes the entries of log streams that a filter selects as calltail -n does: here,
// the warnings and errors of two nodes' logs, merged by time. (With export.JSON, each
// entry also names its node: the Input's Node where the line names none.)
func ExampleRun() {
	conf01 := strings.NewReader(`2026-05-14 10:00:01,000 Level="INFO" Name="administrator.conference" Message="Conference has been created."
2026-05-14 10:00:03,000 Level="WARNING" Name="administrator.conference" Message="Participant entered incorrect conference PIN" Participant="bob"
`)
	conf02 := strings.NewReader(`2026-05-14 10:00:02,000 Level="ERROR" Name="support.sip" Message="Failed to send SIP request"
2026-05-14 10:00:04,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Participant="alice"
`)
	f, err := filter.Compile("level >= warning")
	if err != nil {
		panic(err)
	}
	inputs := []query.Input{{Name: "conf01/support.log", R: conf01, Node: "conf01"}, {Name: "conf02/support.log", R: conf02, Node: "conf02"}}
	opt := query.Options{Filter: f, Format: export.Plain, NewParser: newParser}
	if _, err := query.Run(context.Background(), inputs, opt, os.Stdout); err != nil {
		panic(err)
	}
	// Output:
	// 2026-05-14 10:00:02,000 Level="ERROR" Name="support.sip" Message="Failed to send SIP request"
	// 2026-05-14 10:00:03,000 Level="WARNING" Name="administrator.conference" Message="Participant entered incorrect conference PIN" Participant="bob"
}

// A Stream selects entries one at a time as they arrive, for text that is followed: a
// SIP message that Pexip logged in fragments is selected whole when its first fragment,
// which carries the Call-ID, is.
func ExampleStream() {
	f, err := filter.Compile(`call-id == "c1@10.0.0.1"`)
	if err != nil {
		panic(err)
	}
	s := query.NewStream(query.Options{Filter: f, NewParser: newParser})
	for _, line := range []string{
		`2026-05-14 10:00:00,000 Level="INFO" Name="support.sip" Message="Received SIP request" Fragment-id="f7" Fragment-number="0" Fragment-total="2" Detail="INVITE sip:meet@example.com SIP/2.0^MCall-ID: c1@10.0.0.1^M"`,
		`2026-05-14 10:00:00,001 Level="INFO" Name="support.conference" Message="Conference has been created."`,
		`2026-05-14 10:00:00,002 Level="INFO" Name="support.sip" Message="Received SIP request" Fragment-id="f7" Fragment-number="1" Fragment-total="2" Detail="v=0^M"`,
	} {
		os.Stdout.Write(s.Add([]byte(line)))
	}
	// Output:
	// 2026-05-14 10:00:00,000 Level="INFO" Name="support.sip" Message="Received SIP request" Fragment-id="f7" Fragment-number="0" Fragment-total="2" Detail="INVITE sip:meet@example.com SIP/2.0^MCall-ID: c1@10.0.0.1^M"
	// 2026-05-14 10:00:00,002 Level="INFO" Name="support.sip" Message="Received SIP request" Fragment-id="f7" Fragment-number="1" Fragment-total="2" Detail="v=0^M"
}
