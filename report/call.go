package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/model/sanitize"
)

// WriteCall prints a call as --call does, width columns wide: its summary, its timeline
// (every line of it, from every module and node, in time order), its signalling as a
// ladder (each message's SDP, Reason, Warning and MS-Diagnostics under its arrow), the
// media table, its media over time and its media changes. A call numbered 0 (found
// alone, in part of the logs: its number among all their calls is not known) is written
// without numbers, and so are the calls listed with it.
func WriteCall(w io.Writer, d *calls.Detail, width int) error {
	bw := bufio.NewWriter(w)
	c := &d.Call
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	if c.Number > 0 {
		fmt.Fprintf(tw, "Call %d\n", c.Number)
	} else {
		fmt.Fprintf(tw, "Call\n") // its number among the calls of the logs is not known
	}
	for _, r := range CallSummary(c) {
		fmt.Fprintf(tw, "  %s:\t%s\n", r[0], r[1])
	}
	tw.Flush()
	if len(d.Records) > 0 {
		fmt.Fprintf(bw, "\nTimeline (%d lines)\n", len(d.Records))
		for i := range d.Records {
			fmt.Fprintln(bw, "  "+TimelineLine(&d.Records[i]))
		}
	}
	if len(d.Signalling) > 0 {
		fmt.Fprintf(bw, "\nSignalling (%s)\n", SignallingCount(d.Signalling))
		for _, l := range RenderLadder(d.Signalling, LadderNames(c), width) {
			fmt.Fprintln(bw, l.Text)
			if l.Message != nil {
				for _, note := range MessageNotes(l.Message) {
					fmt.Fprintf(bw, "%13s  %s\n", "", note)
				}
			}
		}
	}
	if len(c.Streams) > 0 {
		fmt.Fprintf(bw, "\nMedia\n")
		tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  "+strings.Join(StreamColumns, "\t"))
		for _, s := range c.Streams {
			fmt.Fprintln(tw, "  "+strings.Join(StreamRow(s), "\t"))
		}
		tw.Flush()
	}
	if len(d.Media) > 0 {
		from, to := d.Span()
		head, rows := MediaChart(d.Media, from, to, width-2)
		fmt.Fprintf(bw, "\n%s\n", head)
		for _, r := range rows {
			fmt.Fprintln(bw, "  "+r.Text())
		}
	}
	if len(c.Changes) > 0 {
		fmt.Fprintf(bw, "\nChanges\n")
		for _, ch := range c.Changes {
			fmt.Fprintf(bw, "  %s  %s\n", Clock(ch.Time), sanitize.String(ch.What))
		}
	}
	for _, group := range []struct {
		title string
		calls []calls.Call
	}{{"In the conference at the same time", d.Together}, {"Other legs of its conversation", d.Legs}} {
		if len(group.calls) > 0 {
			fmt.Fprintf(bw, "\n%s\n", group.title)
			for i := range group.calls {
				o := &group.calls[i]
				bw.WriteString("  ")
				if o.Number > 0 {
					fmt.Fprintf(bw, "%-5d ", o.Number)
				}
				fmt.Fprintf(bw, "%-40s %-8s %-23s %-23s %s\n", sanitize.String(o.Who()), sanitize.String(o.Protocol),
					Clock(cmp.Or(o.Joined, o.Start)), Clock(o.End), o.State)
			}
		}
	}
	return bw.Flush()
}

// SignallingCount says how many messages of each protocol a signalling holds: "9 SIP
// messages", "12 SIP messages, 4 BFCP", "3 H.225, 2 H.245".
func SignallingCount(msgs []calls.Message) string {
	var order []string
	count := map[string]int{}
	for i := range msgs {
		p := msgs[i].Protocol
		if count[p] == 0 {
			order = append(order, p)
		}
		count[p]++
	}
	parts := make([]string, 0, len(order))
	if n := count[""]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d SIP messages", n))
	}
	for _, p := range order {
		if p != "" {
			parts = append(parts, fmt.Sprintf("%d %s", count[p], sanitize.String(p)))
		}
	}
	return strings.Join(parts, ", ")
}

// MessageNotes are the lines written under a message's arrow, made safe: its SDP summary,
// then its Reason, Warning and MS-Diagnostics headers.
func MessageNotes(m *calls.Message) []string {
	if m == nil {
		return nil
	}
	var out []string
	if m.SDP != "" {
		out = append(out, sanitize.String(m.SDP))
	}
	for _, n := range m.Notes() {
		out = append(out, sanitize.String(n))
	}
	return out
}

// WriteRaw prints every line of a call, as logged, in time order, made safe as -n prints
// them: the lines of all its ids, every fragment of its fragmented messages.
func WriteRaw(w io.Writer, d *calls.Detail) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var out []byte
	for i := range d.Records {
		out = export.Append(out[:0], &d.Records[i], export.Plain)
		if _, err := bw.Write(out); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// callDetailJSON is a call as --call --json prints it: what --calls --json prints of it,
// then its timeline, its signalling and its media over time.
type callDetailJSON struct {
	callJSON
	Timeline      []entryJSON   `json:"timeline"`
	Signalling    []signalJSON  `json:"signalling"`
	MediaOverTime []seriesJSON  `json:"media_over_time"`
	Together      []relatedJSON `json:"together"`
	Legs          []relatedJSON `json:"legs"`
}

// relatedJSON is another call, in the conference at the same time or a leg of the same
// conversation.
type relatedJSON struct {
	Number      int    `json:"number,omitempty"` // 0: not known (see WriteCall)
	Participant text   `json:"participant"`
	Protocol    text   `json:"protocol,omitempty"`
	Joined      string `json:"joined,omitempty"`
	End         string `json:"end,omitempty"`
	State       string `json:"state"`
}

func related(all []calls.Call) []relatedJSON {
	out := []relatedJSON{}
	for i := range all {
		o := &all[i]
		out = append(out, relatedJSON{o.Number, text(o.Who()), text(o.Protocol), Clock(cmp.Or(o.Joined, o.Start)), Clock(o.End), o.State.String()})
	}
	return out
}

type signalJSON struct {
	Time        string `json:"time"`
	Node        text   `json:"node"`
	Protocol    text   `json:"protocol"`
	Src         text   `json:"src"`
	Dst         text   `json:"dst"`
	Transport   text   `json:"transport,omitempty"`
	Label       text   `json:"label"`
	SDP         text   `json:"sdp,omitempty"`
	Direction   text   `json:"sdp_direction,omitempty"`
	Crypto      bool   `json:"crypto_offered,omitempty"`
	Reason      text   `json:"reason,omitempty"`
	Warning     text   `json:"warning,omitempty"`
	Diagnostics text   `json:"ms_diagnostics,omitempty"`
	Tags        []text `json:"tags,omitempty"`
	Missing     []int  `json:"missing_fragments,omitempty"`
	Message     lines  `json:"message"`
	Received    bool   `json:"received"`
}

type seriesJSON struct {
	Name    text         `json:"name"`
	Measure string       `json:"measure"`
	Samples []sampleJSON `json:"samples"`
}

type sampleJSON struct {
	Time  string  `json:"time"`
	Value float64 `json:"value"`
	Judge string  `json:"judgement"`
}

// WriteCallJSON prints one call as one JSON object: its summary and ids, its timeline,
// its signalling and its media over time.
func WriteCallJSON(w io.Writer, d *calls.Detail) error {
	j := callDetailJSON{callJSON: callToJSON(&d.Call), Timeline: []entryJSON{}, Signalling: []signalJSON{}, MediaOverTime: []seriesJSON{},
		Together: related(d.Together), Legs: related(d.Legs)}
	for i := range d.Records {
		j.Timeline = append(j.Timeline, timelineEntry(&d.Records[i]))
	}
	for i := range d.Signalling {
		m := &d.Signalling[i]
		j.Signalling = append(j.Signalling, signalJSON{Time: Clock(m.Time), Node: text(m.Node), Protocol: text(cmp.Or(m.Protocol, "SIP")),
			Src: text(m.Src), Dst: text(m.Dst), Transport: text(m.Transport), Label: text(m.Label()), SDP: text(m.SDP),
			Direction: text(m.Direction), Crypto: m.Crypto, Reason: text(m.Reason), Warning: text(m.Warning),
			Diagnostics: text(m.Diagnostics), Tags: texts(m.Tags), Missing: m.Missing, Message: lines(m.Text), Received: m.Received})
	}
	for _, s := range d.Media {
		sj := seriesJSON{Name: text(s.Name), Measure: s.Measure.String(), Samples: []sampleJSON{}}
		for _, x := range s.Samples {
			sj.Samples = append(sj.Samples, sampleJSON{Clock(x.Time), x.Value, judgementNames[s.Measure.Judge(x.Value)]})
		}
		j.MediaOverTime = append(j.MediaOverTime, sj)
	}
	return newEncoder(w).Encode(j)
}

// judgementNames name media judgements as --calls names the media quality.
var judgementNames = [...]string{"good", "warning", "bad"}
