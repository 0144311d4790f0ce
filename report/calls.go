// Package report draws what headless runs print and the UI shows alike: the calls table
// (--calls), one call's summary, timeline, signalling ladder, media table and media over
// time (--call) and its raw lines (--call --raw), the security table (--security), as
// aligned text or JSON. Every cell is made safe for a terminal.
package report

import (
	"fmt"
	"io"
	"maps"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/model/store"
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
		s = Duration(c)
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

// callJSON is a call as --json prints it. Every string from the logs is a text, so that it
// is written as the text reports show it (see text).
type callJSON struct {
	Number          int      `json:"number,omitempty"` // 0 for a call found alone, whose number is not known
	Start           string   `json:"start,omitempty"`
	End             string   `json:"end,omitempty"`
	Duration        text     `json:"duration,omitempty"`
	Span            float64  `json:"span_seconds"`
	State           string   `json:"state"`
	Reason          text     `json:"reason,omitempty"`
	Participant     text     `json:"participant,omitempty"`
	DisplayName     text     `json:"display_name,omitempty"`
	Conference      text     `json:"conference,omitempty"`
	Alias           text     `json:"alias,omitempty"`
	ServiceType     text     `json:"service_type,omitempty"`
	Protocol        text     `json:"protocol,omitempty"`
	Direction       text     `json:"direction,omitempty"`
	Vendor          text     `json:"vendor,omitempty"`
	From            text     `json:"from,omitempty"`
	To              text     `json:"to,omitempty"`
	RemoteAddress   text     `json:"remote_address,omitempty"`
	SignalingNode   text     `json:"signaling_node,omitempty"`
	SignalingLoc    text     `json:"signaling_location,omitempty"`
	MediaNode       text     `json:"media_node,omitempty"`
	MediaLocation   text     `json:"media_location,omitempty"`
	ProxyNode       text     `json:"proxy_node,omitempty"`
	ProxyLocation   text     `json:"proxy_location,omitempty"`
	CallIDs         []text   `json:"call_ids"`
	ConversationIDs []text   `json:"conversation_ids"`
	ParticipantIDs  []text   `json:"participant_ids"`
	UUIDs           []text   `json:"uuids"`
	ConferenceIDs   []text   `json:"conference_ids"`
	ICE             text     `json:"ice,omitempty"`
	Quality         string   `json:"media_quality"`
	Streams         []stream `json:"streams"`
	Changes         []change `json:"changes"`
	Entries         int      `json:"entries"`
	Warnings        int      `json:"warnings"`
	Errors          int      `json:"errors"`
}

type stream struct {
	Index      int  `json:"index"`
	Kind       text `json:"kind"`
	RXRate     text `json:"rx_rate"`
	RXLoss     text `json:"rx_loss"`
	RXJitter   text `json:"rx_jitter"`
	TXRate     text `json:"tx_rate"`
	TXLoss     text `json:"tx_loss"`
	TXJitter   text `json:"tx_jitter"`
	Codec      text `json:"codec"`
	CodecRate  text `json:"codec_rate"`
	Resolution text `json:"resolution,omitempty"`
	FPS        text `json:"fps,omitempty"`
}

type change struct {
	Time string `json:"time"`
	What text   `json:"what"`
}

func callToJSON(c *calls.Call) callJSON {
	j := callJSON{Number: c.Number, Start: Clock(c.Start), End: Clock(c.End), Duration: text(c.Duration), Span: c.Span.Seconds(), State: c.State.String(),
		Reason: text(c.Reason), Participant: text(c.Participant), DisplayName: text(c.DisplayName), Conference: text(c.Conference),
		Alias: text(c.Alias), ServiceType: text(c.ServiceType), Protocol: text(c.Protocol), Direction: text(c.Direction),
		Vendor: text(c.Vendor), From: text(c.From), To: text(c.To), RemoteAddress: text(c.RemoteAddress),
		SignalingNode: text(c.SignalingNode), SignalingLoc: text(c.SignalingLocation), MediaNode: text(c.MediaNode),
		MediaLocation: text(c.MediaLocation), ProxyNode: text(c.ProxyNode), ProxyLocation: text(c.ProxyLocation),
		CallIDs: texts(c.CallIDs), ConversationIDs: texts(c.ConversationIDs), ParticipantIDs: texts(c.ParticipantIDs),
		UUIDs: texts(c.UUIDs), ConferenceIDs: texts(c.ConferenceIDs), ICE: text(c.ICE), Quality: MediaQuality(c),
		Streams: []stream{}, Changes: []change{}, Entries: c.Entries, Warnings: c.Warnings, Errors: c.Errors}
	for _, s := range c.Streams {
		j.Streams = append(j.Streams, stream{s.Index, text(s.Kind), text(s.RX.Rate), text(s.RX.Loss), text(s.RX.Jitter),
			text(s.TX.Rate), text(s.TX.Loss), text(s.TX.Jitter), text(s.Codec), text(s.CodecRate), text(s.Resolution), text(s.FPS)})
	}
	for _, ch := range c.Changes {
		j.Changes = append(j.Changes, change{Clock(ch.Time), text(ch.What)})
	}
	return j
}

// texts converts a list of ids, [] rather than null when empty.
func texts(s []string) []text {
	out := make([]text, len(s))
	for i, x := range s {
		out[i] = text(x)
	}
	return out
}

// WriteCallsJSON prints calls as one JSON object per line, with all their correlation
// ids.
func WriteCallsJSON(w io.Writer, all []calls.Call) error {
	enc := newEncoder(w)
	for i := range all {
		if err := enc.Encode(callToJSON(&all[i])); err != nil {
			return err
		}
	}
	return nil
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
		{"Span", span(c.Span)},
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

// StreamRow returns a stream's cells, values as logged, made safe for a terminal.
func StreamRow(s media.Stream) []string {
	row := []string{fmt.Sprint(s.Index), s.Kind, s.RX.Rate, s.RX.Loss, s.RX.Jitter, s.TX.Rate, s.TX.Loss, s.TX.Jitter,
		s.Codec, s.CodecRate, s.Resolution, s.FPS}
	for i := range row {
		row[i] = sanitize.String(row[i])
	}
	return row
}

// span writes the time from a call's first line to its last, to the millisecond; "" for
// a call of one line.
func span(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return d.Round(time.Millisecond).String() + " (first line to last)"
}

// Duration is how long a call lasted, as h:mm:ss (m:ss under an hour): the Duration it
// logged, or for a call that ended without logging one, its span from first line to last;
// "" while it goes on, and for a call that failed.
func Duration(c *calls.Call) string { return DurationAt(c, 0) }

// DurationAt is Duration as it reads at now (microseconds since the epoch): a connected
// call's time since it joined (or started) counts up to now; now 0 is Duration.
func DurationAt(c *calls.Call, now int64) string {
	d, ok := Lasted(c, now)
	if !ok {
		if c.Duration != "" {
			return sanitize.String(c.Duration) // as logged, when it is no number of seconds
		}
		return ""
	}
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// Lasted is how long a call lasted, as DurationAt reads it, and whether that is known:
// not for a call that failed or has not connected, nor for a Duration logged that is no
// number of seconds.
func Lasted(c *calls.Call, now int64) (time.Duration, bool) {
	switch {
	case c.Duration != "":
		secs, err := strconv.ParseFloat(strings.ReplaceAll(c.Duration, ",", ""), 64) // a CDR writes 3,725
		if err != nil || secs < 0 {
			return 0, false
		}
		return time.Duration(secs * float64(time.Second)), true
	case c.State == calls.Ended && c.Span > 0:
		return c.Span, true
	case c.State == calls.Connected && now != 0:
		since := c.Joined
		if since == 0 {
			since = c.Start
		}
		if since == 0 || now < since {
			return 0, since != 0
		}
		return time.Duration(now-since) * time.Microsecond, true
	}
	return 0, false
}

// NodeNames learns the names the log rows give the nodes whose addresses a call's
// summary holds: a node that logs "Received SIP …" is that message's Dst-address, one that
// logs "Sending SIP …" its Src-address. The calls list and the call view name a call's
// nodes so, as the log rows do; a node the log names by its address needs no name.
type NodeNames struct {
	names map[string]string // address -> the node's name
	heard map[string]int    // node name -> SIP lines of it read
	seen  int               // support.sip entries looked at
}

// Learn looks at the support.sip entries logged since it last did, reading back the text
// of a few of those from each node it has not named yet, and returns the names known by
// address. The map returned is not changed afterwards: Learn makes a new one when it
// learns something, so that another goroutine may read the last.
func (n *NodeNames) Learn(st *store.Store, p model.Parser) map[string]string {
	const perNode = 4 // lines read of a node; a node may have more than one address
	if n.heard == nil {
		n.heard = map[string]int{}
	}
	sip := st.ByModule("support.sip")
	if sip.Len() <= n.seen {
		return n.names
	}
	v := st.View()
	var learned map[string]string
	var raw []byte
	var rec model.Record
	for i := max(n.seen, sip.First()); i < sip.Len(); i++ {
		e := v.Entry(int(sip.At(i)))
		node := v.NameOf(e.Node)
		if node == "" || n.heard[node] >= perNode || net.ParseIP(node) != nil {
			continue
		}
		n.heard[node]++
		var err error
		if raw, err = v.RawHead(raw[:0], int(sip.At(i)), 4096); err != nil {
			continue
		}
		p.Parse(raw, &rec)
		msg := string(rec.Message())
		field := "Src-address"
		if strings.Contains(msg, "eceived SIP") { // Received, Summarised received
			field = "Dst-address"
		} else if !strings.Contains(msg, "ending SIP") {
			continue
		}
		addr, _ := rec.Field(field)
		a := host(string(addr))
		if net.ParseIP(a) == nil || n.names[a] == node || learned[a] == node {
			continue
		}
		if learned == nil {
			learned = maps.Clone(n.names)
			if learned == nil {
				learned = map[string]string{}
			}
		}
		learned[a] = node
	}
	n.seen = sip.Len()
	if learned != nil {
		n.names = learned
	}
	return n.names
}

// NodeName names a node as the log rows do, with the names NodeNames learned: its name,
// or its address and location when the log gives it no name.
func NodeName(addr, location string, names map[string]string) string {
	if name := names[addr]; name != "" {
		return name
	}
	return join(addr, location)
}

// Now is the time a connected call's duration counts to (see DurationAt): the wall clock
// while the logs are live and current (their last entry, at last, within the hour), else
// the time of their last entry — a call still connected when an old log ends lasted at
// least until then, and no longer than the log tells.
func Now(wall time.Time, last int64, live bool) int64 {
	w := wall.UnixMicro()
	if last == 0 || live && last > w-int64(time.Hour/time.Microsecond) {
		return w
	}
	return last
}

// LastTime returns the time of the last entry st holds, 0 when it holds none: what Now
// counts to when the logs are not current.
func LastTime(st *store.Store) int64 {
	if v := st.View(); v.Len() > v.First() {
		return v.Entry(v.Len() - 1).Time
	}
	return 0
}
