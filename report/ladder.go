package report

import (
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
func LadderNames(c *calls.Call) map[string]string {
	names := map[string]string{}
	add := func(h, role string) {
		if h != "" && names[h] == "" {
			names[h] = h + " (" + role + ")"
		}
	}
	add(c.ProxyNode, "proxy")
	add(c.SignalingNode, "signalling")
	add(c.MediaNode, "media")
	add(c.RemoteAddress, "remote")
	return names
}

// LadderLine is one drawn message of a ladder: the arrow line, and the message it draws.
type LadderLine struct {
	Text    string
	Message *calls.Message
}

// RenderLadder draws a SIP ladder like sngrep's, width cells wide: a column per
// endpoint, an arrow per message labelled with its method or response and CSeq, and
// "+ SDP" when it carries one. The first line names the columns.
func RenderLadder(msgs []calls.Message, names map[string]string, width int) []LadderLine {
	eps := Endpoints(msgs)
	if len(eps) == 0 {
		return nil
	}
	const timeW = 13
	colW := max(12, (width-timeW)/len(eps))
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
		put(head, center(i)-runeLen(label)/2, label, colW-1)
	}
	out := []LadderLine{{Text: strings.TrimRight(string(head), " ")}}
	for i := range msgs {
		m := &msgs[i]
		line := blank()
		put(line, 0, time.UnixMicro(m.Time).UTC().Format("15:04:05.000"), timeW)
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
			label := sanitize.String(m.Label())
			put(line, lo+1+max(0, (hi-lo-1-runeLen(label))/2), label, hi-lo-2)
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
