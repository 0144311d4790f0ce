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

// indent puts a note under the ladder's arrows, past the time columns.
const indent = "                       "

// sideBySide is the width from which the selected message shows beside the ladder.
const sideBySide = 150

// ladderWidths returns the width of the ladder, and of the message beside it (0 when the
// screen is too narrow for it).
func (m *Model) ladderWidths() (ladder, message int) {
	if m.width < sideBySide {
		return m.width, 0
	}
	message = min(100, m.width*2/5)
	return m.width - message - 1, message
}

// ladderView draws the signalling: the arrows, each message's Reason, Warning and
// MS-Diagnostics headers under its arrow, and the selected message's SDP; scrolled so
// that the selected message and its notes show. On a wide screen the selected message
// shows beside it, whole as far as the height allows.
func (m *Model) ladderView() []string {
	st := m.styles
	if len(m.lines) == 0 {
		return []string{st.Faint.Render(m.otherSignalling())}
	}
	ladderW, messageW := m.ladderWidths()
	var rows []string
	starts := make([]int, len(m.ladder)+1) // the first row of each message, and the end
	for i := range m.ladder {
		starts[i] = len(rows)
		l := m.lines[i+1].Text
		if i == m.cursor {
			l = st.Selected.Render(l)
			if sdp := m.ladder[i].SDP; sdp != "" && messageW == 0 {
				rows = append(rows, l)
				l = st.SDP.Render(ansi.Truncate(indent+sanitize.String(sdp), ladderW, "…"))
			}
		}
		rows = append(rows, l)
		for _, note := range m.ladder[i].Notes() {
			rows = append(rows, st.Accent.Render(ansi.Truncate(indent+sanitize.String(note), ladderW, "…")))
		}
	}
	starts[len(m.ladder)] = len(rows)
	h := max(1, m.bodyHeight()-1) // under the endpoints' names
	if c := min(m.cursor, len(m.ladder)-1); c >= 0 {
		m.ladderTop = min(m.ladderTop, starts[c])
		m.ladderTop = max(m.ladderTop, starts[c+1]-h, 0)
	}
	out := append([]string{st.Bold.Render(m.lines[0].Text)}, rows[min(m.ladderTop, len(rows)):]...)
	if messageW == 0 || m.cursor >= len(m.ladder) {
		return out
	}
	side := m.messageLines(&m.ladder[m.cursor])
	side = side[:len(side)-1] // not the hint to go back: enter shows it whole
	out = out[:min(len(out), m.bodyHeight())]
	for len(out) < min(len(side), m.bodyHeight()) {
		out = append(out, "")
	}
	for i := range out {
		var right string
		if i < len(side) {
			right = ansi.Truncate(side[i], messageW-1, "…")
		}
		out[i] = cellOf(out[i], ladderW) + st.Faint.Render("│") + right
	}
	return out
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
