package pane

import (
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/themes"
	"github.com/charmbracelet/x/ansi"
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
		if got := format(&r, rowOptions{}).text; got != tc.want {
			t.Errorf("row of %.40q...:\n got %q\nwant %q", tc.entry, got, tc.want)
		}
	}
}

// TestWrapShowsTheWholeDetail: unwrapped, a long Detail is cut with an ellipsis; wrapped,
// it is shown whole and the row's further lines start under its text (it was cut at 80
// characters with no mark, and wrapped lines restarted at column 0).
func TestWrapShowsTheWholeDetail(t *testing.T) {
	detail := strings.Repeat("abcdefghij", 20) + "END"
	log := `2026-05-14 10:00:00,000 Level="INFO" Name="support.rest" Message="Sending REST API response" Detail="` + detail + `"` + "\n"
	st := store.New()
	storetest.Load(t, st, "t.log", strings.NewReader(log), split.Options{})
	styles, _ := themes.Get("mono")
	p := New(Config{Title: "t", Store: st, NewParser: newParser, Notify: func() {}, Styles: &styles})
	t.Cleanup(p.Close)
	p.SetSize(100, 10)
	settleAll(t, p)
	row := ansi.Strip(strings.SplitN(p.View(), "\n", 2)[0])
	if strings.Contains(row, "END") || !strings.Contains(row, "…") {
		t.Errorf("unwrapped: %q, want the Detail cut with an ellipsis", row)
	}
	p.SetWrap(true)
	lines := strings.Split(ansi.Strip(p.View()), "\n")
	text := strings.Index(lines[0], "Sending")
	var joined strings.Builder
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			break
		}
		if i > 0 && strings.TrimSpace(l[:text]) != "" {
			t.Errorf("wrapped line %d does not start under the text (column %d): %q", i, text, l)
		}
		joined.WriteString(strings.TrimSpace(l))
	}
	if !strings.Contains(joined.String(), "END") {
		t.Errorf("wrapped, the Detail is not whole:\n%s", strings.Join(lines, "\n"))
	}
}

// TestRowsShowFieldsNoneOfWhichTell: an entry that carries none of the telling fields (a
// management queue's "Sending event") shows its own fields, in order, a long value cut
// with an ellipsis unless the row wraps; a row with telling fields shows only those (the
// event's row showed its message alone).
func TestRowsShowFieldsNoneOfWhichTell(t *testing.T) {
	json := `{\"uuid\": \"0f572dd1-6d2f-435c-ab1e-642f6bf3cbf5\", \"call_quality_was\": \"0_unknown\", \"call_quality_now\": \"1_good\", \"packet_loss_history\": []}`
	event := `2026-05-14T08:02:12.000+00:00 conf01 2026-05-14 08:02:11,974 Level="INFO" Name="support.management_queue" Message="Sending event" Event="participant_media_stream_window" Content="`
	for _, tc := range []struct {
		name, entry, want string
		wrap              bool
	}{
		{"JSON", event + json + `"`, `Sending event  Event=participant_media_stream_window  Content={"uuid": "0f572dd1-6d2f-435c-ab1e-642f6bf3cbf5", "call_quality_was": "0_unknown…`, false},
		{"bytes", event + "b'" + json + `'"`, `Sending event  Event=participant_media_stream_window  Content=b'{"uuid": "0f572dd1-6d2f-435c-ab1e-642f6bf3cbf5", "call_quality_was": "0_unkno…`, false},
		{"wrapped", event + json + `"`, `Sending event  Event=participant_media_stream_window  Content=` + strings.ReplaceAll(json, `\"`, `"`), true},
		{"short", `2026-05-14 08:02:11,974 Level="INFO" Name="support.dns" Message="DNS lookup" Query="_sips._tcp.example.com" Type="SRV" Result=""`,
			`DNS lookup  Query=_sips._tcp.example.com  Type=SRV`, false},
		{"telling", `2026-05-14 08:02:11,974 Level="INFO" Name="support.participant" Message="New mode activated" Participant="sip:alice@example.com" Event="x" Content="y"`,
			`New mode activated  Participant=sip:alice@example.com`, false},
	} {
		var r model.Record
		newParser().Parse([]byte(tc.entry), &r)
		if got := format(&r, rowOptions{wrap: tc.wrap}).text; got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
	}
}
