package report

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/sanitize"
)

// notLogged stands for the party of a message whose address the log does not give (a
// response a proxy got from a callee it names no address of).
const notLogged = "(not logged)"

// Endpoints returns the hosts a ladder's messages pass between, in order of first
// appearance, so that the remote party usually comes first; notLogged for a party no
// line names, when a message has one side known.
func Endpoints(msgs []calls.Message) []string {
	var out []string
	for _, m := range msgs {
		src, dst := peers(&m)
		for _, a := range []string{src, dst} {
			if a != "" && !contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// peers returns the hosts a message went from and to; a side the log does not give is
// notLogged when the other is known, so that the message still has its arrow.
func peers(m *calls.Message) (src, dst string) {
	src, dst = host(m.Src), host(m.Dst)
	switch {
	case src == "" && dst != "":
		src = notLogged
	case dst == "" && src != "":
		dst = notLogged
	}
	return src, dst
}

// LadderNames labels a call's endpoints: its signalling, media and proxy nodes by role.
func LadderNames(c *calls.Call) map[string]string { return LadderNamesWith(c, nil) }

// LadderNamesWith labels a call's endpoints as LadderNames does, a node by the name the log
// rows give it (nodes, by address; see NodeNames) where they give one.
func LadderNamesWith(c *calls.Call, nodes map[string]string) map[string]string {
	names := map[string]string{}
	add := func(h, role string) {
		if h != "" && names[h] == "" {
			names[h] = NodeName(h, "", nodes) + " (" + role + ")"
		}
	}
	add(c.ProxyNode, "proxy")
	add(c.SignalingNode, "signalling")
	add(c.MediaNode, "media")
	add(c.RemoteAddress, "remote")
	return names
}

// NodesOf returns the names of the nodes that logged messages, by the addresses they
// received them at or sent them from.
func NodesOf(msgs []calls.Message) map[string]string {
	out := map[string]string{}
	for i := range msgs {
		m := &msgs[i]
		addr := host(m.Src)
		if m.Received {
			addr = host(m.Dst)
		}
		if addr != "" && m.Node != "" && m.Node != addr && out[addr] == "" {
			out[addr] = m.Node
		}
	}
	return out
}

// LadderLine is one drawn message of a ladder: the arrow line, and the message it draws.
type LadderLine struct {
	Text    string
	Message *calls.Message
}

// LadderLayout is how a ladder is drawn: Width cells wide; with Delta, the time since the
// message before follows each message's time, as sngrep shows it.
type LadderLayout struct {
	Width int
	Delta bool
}

// RenderLadder draws a SIP ladder like sngrep's, width cells wide: a column per
// endpoint, an arrow per message labelled with its method or response and CSeq, and
// "+ SDP" when it carries one. The first line names the columns.
func RenderLadder(msgs []calls.Message, names map[string]string, width int) []LadderLine {
	return DrawLadder(msgs, names, LadderLayout{Width: width})
}

// deltaW is the width of the time since the message before: "+12.345 ".
const deltaW = 9

// Delta writes the time from one message to the next: seconds to the millisecond under
// 100 s, then m:ss or h:mm:ss.
func Delta(d time.Duration) string {
	if d < 100*time.Second {
		return fmt.Sprintf("+%.3f", d.Seconds())
	}
	d = d.Round(time.Second)
	if d < time.Hour {
		return fmt.Sprintf("+%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("+%d:%02d:%02d", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
}

// DrawLadder draws a ladder as RenderLadder does, laid out by l.
func DrawLadder(msgs []calls.Message, names map[string]string, l LadderLayout) []LadderLine {
	eps := Endpoints(msgs)
	if len(eps) == 0 {
		return nil
	}
	timeW := 13
	if l.Delta {
		timeW += deltaW
	}
	colW := max(12, (l.Width-timeW)/len(eps))
	center := func(i int) int { return timeW + colW*i + colW/2 }
	blank := func() []rune {
		line := []rune(strings.Repeat(" ", timeW+colW*len(eps)))
		for i := range eps {
			line[center(i)] = '│'
		}
		return line
	}
	head := []rune(strings.Repeat(" ", timeW+colW*len(eps)))
	for i, e := range eps {
		label := names[e]
		if label == "" {
			label = e
		}
		label = sanitize.String(label)
		if role := strings.LastIndex(label, " ("); runeLen(label) > colW-1 && role > 0 {
			label = label[:role] // the address or name without its role, rather than cut
		}
		put(head, max(center(i)-runeLen(label)/2, center(i)-colW/2+1), label, colW-1)
	}
	out := []LadderLine{{Text: strings.TrimRight(string(head), " ")}}
	for i := range msgs {
		m := &msgs[i]
		line := blank()
		put(line, 0, time.UnixMicro(m.Time).UTC().Format("15:04:05.000"), timeW)
		if l.Delta && i > 0 && m.Time != 0 && msgs[i-1].Time != 0 {
			put(line, 13, Delta(time.Duration(max(0, m.Time-msgs[i-1].Time))*time.Microsecond), deltaW-1)
		}
		src, dst := peers(m)
		from, to := index(eps, src), index(eps, dst)
		if from >= 0 && to >= 0 && from != to {
			a, b := center(from), center(to)
			lo, hi := min(a, b), max(a, b)
			for x := lo + 1; x < hi; x++ {
				line[x] = '─'
			}
			if a < b {
				line[hi-1] = '▶'
			} else {
				line[lo+1] = '◀'
			}
			room := hi - lo - 2 // the cells between the lines, less the arrowhead
			label := cut(sanitize.String(m.Label()), room)
			x := lo + 1 + max(0, (hi-lo-1-runeLen(label))/2)
			if a > b {
				x = max(x, lo+2) // after the ◀
			}
			put(line, x, label, room)
		}
		out = append(out, LadderLine{Text: strings.TrimRight(string(line), " "), Message: m})
	}
	return out
}

// put writes s into line at x, at most n runes.
func put(line []rune, x int, s string, n int) {
	for i, r := range []rune(s) {
		if i >= n || x+i >= len(line) {
			return
		}
		if x+i >= 0 {
			line[x+i] = r
		}
	}
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// cut returns s in at most n runes, ending in an ellipsis when it is cut.
func cut(s string, n int) string {
	if runeLen(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	return string([]rune(s)[:n-1]) + "…"
}

// host returns an address without its port.
func host(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i > 0 && !strings.Contains(addr[i:], "]") && strings.Count(addr, ":") == 1 {
		return addr[:i]
	}
	return addr
}

func contains(list []string, s string) bool { return index(list, s) >= 0 }

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
