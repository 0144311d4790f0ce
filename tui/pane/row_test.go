package pane

import (
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
)

// TestRowsOfOtherFormats: a row shows the message, a SIP message's start line, and the
// fields the message does not already show.
func TestRowsOfOtherFormats(t *testing.T) {
	newParser, _ := formats.New("auto", 2024)
	for _, tc := range []struct{ entry, want string }{
		{"2024-12-17 18:17:52:657 flexisip-debug- Agent::processRequest - Message:\nINVITE sip:bob@example.org SIP/2.0\nCall-ID: a84b\nCSeq: 20 INVITE\n",
			"Agent::processRequest - Message:  [INVITE sip:bob@example.org SIP/2.0]  Call-ID=a84b  CSeq=20 INVITE"},
		{"2012-05-10 17:29:37.000\tFAIL_BAD_CREDENTIALS\tadmin\t93.57.41.37", "FAIL_BAD_CREDENTIALS  Principal=admin  IP Address=93.57.41.37"},
		{"Dec 17 18:17:52 sbc1 kamailio[8813]: ERROR: tm: no transaction callid=abc@10.0.0.1", "ERROR: tm: no transaction callid=abc@10.0.0.1  pid=8813"},
	} {
		var r model.Record
		newParser().Parse([]byte(strings.TrimSuffix(tc.entry, "\n")), &r)
		if got := format(&r, Originating).text; got != tc.want {
			t.Errorf("row of %.40q...:\n got %q\nwant %q", tc.entry, got, tc.want)
		}
	}
}
