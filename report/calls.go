// Package report draws what headless runs print and the UI shows alike: the calls table
// and one call's summary, SIP ladder and media table (--calls, --call), the security
// table (--security), as aligned text or JSON. Every cell is made safe for a terminal.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/sanitize"
)

// Clock formats a call's times: UTC, to the millisecond, "" when unknown.
func Clock(t int64) string {
	if t == 0 {
		return ""
	}
	return time.UnixMicro(t).UTC().Format("2006-01-02 15:04:05.000")
}

// CallColumns are the calls table's columns, in order.
var CallColumns = []string{"#", "START", "PARTICIPANT", "CONFERENCE", "PROTO", "DIR", "VENDOR", "SIGNALLING", "MEDIA", "STATE", "DURATION", "REASON", "MEDIA QUALITY", "WARN", "ERR"}

// CallRow returns a call's cells, in the order of CallColumns, made safe for a terminal.
func CallRow(c *calls.Call) []string {
	cells := make([]string, len(CallColumns))
	for i := range cells {
		cells[i] = CallCell(c, i)
	}
	return cells
}

// CallCell returns a call's cell in column i of CallColumns, made safe for a terminal.
func CallCell(c *calls.Call, i int) string {
	var s string
	switch i {
	case 0:
		s = fmt.Sprint(c.Number)
	case 1:
		s = Clock(c.Start)
	case 2:
		s = c.Who()
		if c.Participant != "" && c.Participant != s {
			s += " <" + c.Participant + ">"
		}
	case 3:
		s = c.Where()
	case 4:
		s = c.Protocol
	case 5:
		s = c.Direction
	case 6:
		s = c.Vendor
	case 7:
		s = join(c.SignalingNode, c.SignalingLocation)
	case 8:
		s = join(c.MediaNode, c.MediaLocation)
	case 9:
		s = c.State.String()
	case 10:
		s = c.Duration
	case 11:
		s = c.Reason
	case 12:
		s = MediaQuality(c)
	case 13:
		s = fmt.Sprint(c.Warnings)
	case 14:
		s = fmt.Sprint(c.Errors)
	}
	return sanitize.String(s)
}

// MediaQuality names the call's worst media quality: good, warning or bad; "" when the
// logs say nothing of its media (no streams, no quality changes).
func MediaQuality(c *calls.Call) string {
	if len(c.Streams) == 0 && c.Quality == "" {
		return ""
	}
	return [...]string{"good", "warning", "bad"}[c.WorstMedia()]
}

// WriteCalls prints calls as a table.
func WriteCalls(w io.Writer, all []calls.Call) error {
	rows := make([][]string, 0, len(all)+1)
	rows = append(rows, CallColumns)
	for i := range all {
		rows = append(rows, CallRow(&all[i]))
	}
	return writeTable(w, rows)
}

// callJSON is a call as --json prints it.
type callJSON struct {
	Number          int       `json:"number"`
	Start           string    `json:"start,omitempty"`
	End             string    `json:"end,omitempty"`
	Duration        string    `json:"duration,omitempty"`
	State           string    `json:"state"`
	Reason          string    `json:"reason,omitempty"`
	Participant     string    `json:"participant,omitempty"`
	DisplayName     string    `json:"display_name,omitempty"`
	Conference      string    `json:"conference,omitempty"`
	Alias           string    `json:"alias,omitempty"`
	ServiceType     string    `json:"service_type,omitempty"`
	Protocol        string    `json:"protocol,omitempty"`
	Direction       string    `json:"direction,omitempty"`
	Vendor          string    `json:"vendor,omitempty"`
	From            string    `json:"from,omitempty"`
	To              string    `json:"to,omitempty"`
	RemoteAddress   string    `json:"remote_address,omitempty"`
	SignalingNode   string    `json:"signaling_node,omitempty"`
	SignalingLoc    string    `json:"signaling_location,omitempty"`
	MediaNode       string    `json:"media_node,omitempty"`
	MediaLocation   string    `json:"media_location,omitempty"`
	ProxyNode       string    `json:"proxy_node,omitempty"`
	ProxyLocation   string    `json:"proxy_location,omitempty"`
	CallIDs         []string  `json:"call_ids"`
	ConversationIDs []string  `json:"conversation_ids"`
	ParticipantIDs  []string  `json:"participant_ids"`
	UUIDs           []string  `json:"uuids"`
	ConferenceIDs   []string  `json:"conference_ids"`
	ICE             string    `json:"ice,omitempty"`
	Quality         string    `json:"media_quality"`
	Streams         []stream  `json:"streams"`
	Changes         []change  `json:"changes"`
	Entries         int       `json:"entries"`
	Warnings        int       `json:"warnings"`
	Errors          int       `json:"errors"`
	SIP             []sipJSON `json:"sip,omitempty"`
}

type stream struct {
	Index      int    `json:"index"`
	Kind       string `json:"kind"`
	RXRate     string `json:"rx_rate"`
	RXLoss     string `json:"rx_loss"`
	RXJitter   string `json:"rx_jitter"`
	TXRate     string `json:"tx_rate"`
	TXLoss     string `json:"tx_loss"`
	TXJitter   string `json:"tx_jitter"`
	Codec      string `json:"codec"`
	CodecRate  string `json:"codec_rate"`
	Resolution string `json:"resolution,omitempty"`
	FPS        string `json:"fps,omitempty"`
}

type change struct {
	Time string `json:"time"`
	What string `json:"what"`
}

type sipJSON struct {
	Time     string `json:"time"`
	Node     string `json:"node"`
	Src      string `json:"src"`
	Dst      string `json:"dst"`
	Label    string `json:"label"`
	SDP      string `json:"sdp,omitempty"`
	Missing  []int  `json:"missing_fragments,omitempty"`
	Message  string `json:"message"`
	Received bool   `json:"received"`
}

func callToJSON(c *calls.Call, ladder []calls.Message) callJSON {
	j := callJSON{Number: c.Number, Start: Clock(c.Start), End: Clock(c.End), Duration: c.Duration, State: c.State.String(),
		Reason: c.Reason, Participant: c.Participant, DisplayName: c.DisplayName, Conference: c.Conference, Alias: c.Alias,
		ServiceType: c.ServiceType, Protocol: c.Protocol, Direction: c.Direction, Vendor: c.Vendor, From: c.From, To: c.To,
		RemoteAddress: c.RemoteAddress, SignalingNode: c.SignalingNode, SignalingLoc: c.SignalingLocation,
		MediaNode: c.MediaNode, MediaLocation: c.MediaLocation, ProxyNode: c.ProxyNode, ProxyLocation: c.ProxyLocation,
		CallIDs: nonNil(c.CallIDs), ConversationIDs: nonNil(c.ConversationIDs), ParticipantIDs: nonNil(c.ParticipantIDs),
		UUIDs: nonNil(c.UUIDs), ConferenceIDs: nonNil(c.ConferenceIDs), ICE: c.ICE, Quality: MediaQuality(c),
		Streams: []stream{}, Changes: []change{}, Entries: c.Entries, Warnings: c.Warnings, Errors: c.Errors}
	for _, s := range c.Streams {
		j.Streams = append(j.Streams, stream{s.Index, s.Kind, s.RX.Rate, s.RX.Loss, s.RX.Jitter, s.TX.Rate, s.TX.Loss, s.TX.Jitter,
			s.Codec, s.CodecRate, s.Resolution, s.FPS})
	}
	for _, ch := range c.Changes {
		j.Changes = append(j.Changes, change{Clock(ch.Time), ch.What})
	}
	for _, m := range ladder {
		j.SIP = append(j.SIP, sipJSON{Clock(m.Time), m.Node, m.Src, m.Dst, m.Label(), m.SDP, m.Missing, string(m.Text), m.Received})
	}
	return j
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteCallsJSON prints calls as one JSON object per line, with all their correlation
// ids. encoding/json escapes control characters, so the output is safe in a terminal.
func WriteCallsJSON(w io.Writer, all []calls.Call) error {
	enc := json.NewEncoder(w)
	for i := range all {
		if err := enc.Encode(callToJSON(&all[i], nil)); err != nil {
			return err
		}
	}
	return nil
}

// WriteCallJSON prints one call with its SIP messages as one JSON object.
func WriteCallJSON(w io.Writer, c *calls.Call, ladder []calls.Message) error {
	return json.NewEncoder(w).Encode(callToJSON(c, ladder))
}

// CallSummary returns the lines of a call's summary: every item of DESIGN §1's per-call
// digest.
func CallSummary(c *calls.Call) [][2]string {
	rows := [][2]string{
		{"Call-ID", strings.Join(c.CallIDs, ", ")},
		{"Conversation-ID", strings.Join(c.ConversationIDs, ", ")},
		{"Participant-ID", strings.Join(c.ParticipantIDs, ", ")},
		{"Uuid", strings.Join(c.UUIDs, ", ")},
		{"Participant", c.Participant},
		{"Display name", c.DisplayName},
		{"Conference", c.Conference},
		{"Alias dialled", c.Alias},
		{"Service type", c.ServiceType},
		{"Conference-ID", strings.Join(c.ConferenceIDs, ", ")},
		{"Protocol", c.Protocol},
		{"Direction", c.Direction},
		{"From", c.From},
		{"To", c.To},
		{"Remote address", c.RemoteAddress},
		{"Vendor", c.Vendor},
		{"Signalling node", join(c.SignalingNode, c.SignalingLocation)},
		{"Media node", join(c.MediaNode, c.MediaLocation)},
		{"Proxy node", join(c.ProxyNode, c.ProxyLocation)},
		{"Start", Clock(c.Start)},
		{"Joined", Clock(c.Joined)},
		{"End", Clock(c.End)},
		{"Duration", c.Duration},
		{"State", c.State.String()},
		{"Disconnect reason", c.Reason},
		{"ICE", c.ICE},
		{"Media quality", MediaQuality(c) + qualitySuffix(c.Quality)},
		{"Lines", fmt.Sprintf("%d (%d warnings, %d errors)", c.Entries, c.Warnings, c.Errors)},
	}
	out := rows[:0]
	for _, r := range rows {
		if r[1] != "" {
			out = append(out, [2]string{r[0], sanitize.String(r[1])})
		}
	}
	return out
}

func qualitySuffix(q string) string {
	if q == "" {
		return ""
	}
	return " (last reported " + q + ")"
}

func join(node, location string) string {
	if node == "" || location == "" {
		return node + location
	}
	return node + " (" + location + ")"
}

// StreamColumns are the media table's columns.
var StreamColumns = []string{"STREAM", "KIND", "RX RATE", "RX LOSS", "RX JITTER", "TX RATE", "TX LOSS", "TX JITTER", "CODEC", "CODEC RATE", "RESOLUTION", "FPS"}

// StreamRow returns a stream's cells, values as logged.
func StreamRow(s media.Stream) []string {
	return []string{fmt.Sprint(s.Index), s.Kind, s.RX.Rate, s.RX.Loss, s.RX.Jitter, s.TX.Rate, s.TX.Loss, s.TX.Jitter,
		s.Codec, s.CodecRate, s.Resolution, s.FPS}
}

// WriteCall prints a call: its summary, the signalling as a ladder, the media table and
// the quality changes.
func WriteCall(w io.Writer, c *calls.Call, ladder []calls.Message, width int) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Call %d\n", c.Number)
	for _, r := range CallSummary(c) {
		fmt.Fprintf(tw, "  %s:\t%s\n", r[0], r[1])
	}
	tw.Flush()
	if len(ladder) > 0 {
		fmt.Fprintf(w, "\nSignalling (%d SIP messages)\n", len(ladder))
		for _, l := range RenderLadder(ladder, LadderNames(c), width) {
			fmt.Fprintln(w, l.Text)
			if m := l.Message; m != nil && m.SDP != "" {
				fmt.Fprintf(w, "%13s  %s\n", "", sanitize.String(m.SDP))
			}
		}
	}
	if len(c.Streams) > 0 {
		fmt.Fprintf(w, "\nMedia\n")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  "+strings.Join(StreamColumns, "\t"))
		for _, s := range c.Streams {
			row := StreamRow(s)
			for i := range row {
				row[i] = sanitize.String(row[i])
			}
			fmt.Fprintln(tw, "  "+strings.Join(row, "\t"))
		}
		tw.Flush()
	}
	if len(c.Changes) > 0 {
		fmt.Fprintf(w, "\nChanges\n")
		for _, ch := range c.Changes {
			fmt.Fprintf(w, "  %s  %s\n", Clock(ch.Time), sanitize.String(ch.What))
		}
	}
	return nil
}
