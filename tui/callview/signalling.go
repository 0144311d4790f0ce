package callview

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/report"
	"github.com/calltail/calltail/tui/details"
)

// indent puts a note under the ladder's arrows, past the time column.
const indent = "               "

// ladderView draws the signalling: the arrows, each message's Reason, Warning and
// MS-Diagnostics headers under its arrow, and the selected message's SDP; scrolled so
// that the selected message and its notes show.
func (m *Model) ladderView() []string {
	st := m.styles
	if len(m.lines) == 0 {
		return []string{st.Faint.Render(m.otherSignalling())}
	}
	var rows []string
	starts := make([]int, len(m.ladder)+1) // the first row of each message, and the end
	for i := range m.ladder {
		starts[i] = len(rows)
		l := m.lines[i+1].Text
		if i == m.cursor {
			l = st.Selected.Render(l)
			if sdp := m.ladder[i].SDP; sdp != "" {
				rows = append(rows, l)
				l = st.SDP.Render(ansi.Truncate(indent+sanitize.String(sdp), m.width, "…"))
			}
		}
		rows = append(rows, l)
		for _, note := range m.ladder[i].Notes() {
			rows = append(rows, st.Accent.Render(ansi.Truncate(indent+sanitize.String(note), m.width, "…")))
		}
	}
	starts[len(m.ladder)] = len(rows)
	h := max(1, m.bodyHeight()-1) // under the endpoints' names
	if c := min(m.cursor, len(m.ladder)-1); c >= 0 {
		m.ladderTop = min(m.ladderTop, starts[c])
		m.ladderTop = max(m.ladderTop, starts[c+1]-h, 0)
	}
	return append([]string{st.Bold.Render(m.lines[0].Text)}, rows[min(m.ladderTop, len(rows)):]...)
}

// otherSignalling says what there is for calls without signalling messages: REST and
// WebRTC legs.
func (m *Model) otherSignalling() string {
	if m.call.Protocol == "" || m.call.Protocol == "SIP" {
		return "no SIP messages in the logs for this call"
	}
	return m.call.Protocol + " call: its signalling lines are in the timeline (support.rest, support.webrtc)"
}

// messageLines lays out a whole message: a SIP message's header names styled, the SDP
// set apart.
func (m *Model) messageLines(msg *calls.Message) []string {
	st := m.styles
	out := []string{st.Title.Render(fmt.Sprintf("%s  %s → %s  %s", report.Clock(msg.Time), sanitize.String(msg.Src), sanitize.String(msg.Dst),
		sanitize.String(strings.TrimSpace(msg.Protocol+" "+msg.Transport))))}
	if msg.Missing != nil {
		out = append(out, st.ErrorRow.Render(fmt.Sprintf("fragments missing from the log: %v", msg.Missing)))
	}
	out = append(out, details.SIPLines(st, msg.Text)...)
	return append(out, "", st.Faint.Render(m.Back.Help().Key+": back to the ladder"))
}
