package filter_test

import (
	"fmt"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/pexip"
)

// The log lines the examples filter, as a Pexip Conferencing Node writes them.
var lines = []string{
	`2026-05-14 23:38:44,061 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." ConferenceAlias="meet.alice" Participant="sip:alice@example.com" Protocol="SIP" Call-Id="890b38520c27737c@10.44.5.9"`,
	`2026-05-14 23:38:45,210 Level="WARNING" Name="administrator.conference" Message="Participant entered incorrect conference PIN" Participant="sip:bob@example.com" Conference="Alice's room"`,
	`2026-05-14 23:38:46,003 Level="INFO" Name="support.sip" Message="Received SIP request" Src-address="10.44.5.9" Detail="BYE sip:meet.alice@example.com SIP/2.0^MCall-ID: 890b38520c27737c@10.44.5.9^MCSeq: 3 BYE^M^M"`,
	`2026-05-14 23:39:50,000 Level="ERROR" Name="administrator.conference" Message="Participant has disconnected." Participant="sip:carol@example.com" Duration="65.2"`,
}

// show prints the lines that the expression selects: their time and message.
func show(expr string) {
	f, err := filter.Compile(expr)
	if err != nil {
		fmt.Println(err)
		return
	}
	var p pexip.Parser
	var r model.Record
	for _, line := range lines {
		p.Parse([]byte(line), &r)
		if f.Match(&r) {
			fmt.Println(model.TimeOf(r.Time).Format("15:04:05"), string(r.Message()))
		}
	}
}

// Entries at a severity or above.
func Example_level() {
	show("level >= warning")
	// Output:
	// 23:38:45 Participant entered incorrect conference PIN
	// 23:39:50 Participant has disconnected.
}

// A correlation id matches the Call-Id field and the Call-ID header inside a SIP message.
func Example_callID() {
	show(`call-id == "890b38520c27737c@10.44.5.9"`)
	// Output:
	// 23:38:44 Participant attempting to join conference.
	// 23:38:46 Received SIP request
}

// Fields in any letter case, prefixes, numbers, and words anywhere in the entry,
// combined.
func Example_combined() {
	show(`module ^= "administrator." && (participant contains BOB || duration > 60)`)
	show(`"incorrect" !participant contains alice`)
	// Output:
	// 23:38:45 Participant entered incorrect conference PIN
	// 23:39:50 Participant has disconnected.
	// 23:38:45 Participant entered incorrect conference PIN
}

// A malformed expression says where and what was expected.
func Example_error() {
	show("level >= loud")
	// Output:
	// column 10: unknown level "loud": expected debug, info, notice, warning, error or critical
}
