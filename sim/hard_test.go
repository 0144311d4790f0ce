package sim

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCallIDSplitAtEveryOffset checks that with SplitAnywhere the fragments of SIP messages
// cut their Call-ID header at every offset, full and compact, from the ^M before it to the
// ^M after it (inside each included); that other cuts fall inside ^M too; and that fragments
// of one message have other lines between them.
func TestCallIDSplitAtEveryOffset(t *testing.T) {
	offsets := map[string]map[int]bool{"Call-ID": {}, "i": {}} // from the ^M before the header
	fromEnd := map[string]map[int]bool{"Call-ID": {}, "i": {}} // from the end of the ^M after it
	spans := map[string]int{}
	insideCRLF, interleaved := 0, 0
	for seed := uint64(1); seed <= 3; seed++ {
		data, _ := generate(t, seed, 20000, Options{SplitAnywhere: true})
		lines := readBack(t, data)
		byID := map[string][]int{}
		for _, l := range lines {
			if id := l.field("Fragment-id"); id != "" {
				byID[id] = append(byID[id], l.n)
			}
			if len(l.cuts) == 0 {
				continue
			}
			form := "Call-ID"
			value, at := header(l.sip, form)
			if at < 0 {
				form = "i"
				value, at = header(l.sip, form)
			}
			end := at + len("^M"+form+": "+value+"^M")
			if s, ok := spans[form]; ok && s != end-at {
				spans[form] = min(s, end-at)
			} else if !ok {
				spans[form] = end - at
			}
			for _, k := range l.cuts {
				if at <= k && k <= end {
					offsets[form][k-at] = true
					fromEnd[form][end-k] = true
				} else if l.sip[k-1] == '^' && l.sip[k] == 'M' {
					insideCRLF++
				}
			}
		}
		for _, ns := range byID {
			if ns[len(ns)-1]-ns[0] >= len(ns) {
				interleaved++
			}
		}
	}
	for form, seen := range offsets {
		if spans[form] < 20 {
			t.Fatalf("the %s header spans %d characters: too few messages were cut", form, spans[form])
		}
		for k := 0; k <= spans[form]; k++ {
			if !seen[k] || !fromEnd[form][k] {
				t.Errorf("no message has its %s header cut at offset %d of %d from its start or its end", form, k, spans[form])
			}
		}
	}
	t.Logf("Call-ID spans %v; %d cuts inside ^M elsewhere; %d messages interleaved", spans, insideCRLF, interleaved)
	if insideCRLF < 10 || interleaved < 100 {
		t.Errorf("%d cuts inside ^M elsewhere, %d messages with other lines between their fragments: too few", insideCRLF, interleaved)
	}
}

// TestOneSBC checks that with SBC set every SIP message of a call, a lone dialog or an
// OPTIONS ping comes from the SBC (or is relayed by a node), and that failed calls have
// another call's INVITE from the SBC to the same alias within 10 s of their attempt line —
// where pairing by address, protocol and alias would go wrong.
func TestOneSBC(t *testing.T) {
	data, truth := generate(t, 5, 30000, Options{SBC: SBCAddress})
	lines := readBack(t, data)
	nodes := map[string]bool{}
	for _, n := range deployment() {
		nodes[n.ip] = true
	}
	fromSBC := 0
	for _, l := range lines {
		if l.module != "support.sip" || !strings.Contains(l.message, "SIP re") {
			continue
		}
		src, dst := l.field("Src-address"), l.field("Dst-address")
		for _, a := range []string{src, dst} {
			if a != SBCAddress && !nodes[a] {
				t.Fatalf("line %d: SIP between %s and %s, not through the SBC", l.n, src, dst)
			}
		}
		if src == SBCAddress {
			fromSBC++
			if l.field("Src-port") != "5061" {
				t.Fatalf("line %d: the SBC sends from port %s", l.n, l.field("Src-port"))
			}
		}
	}
	type invite struct {
		at          time.Time
		alias, call string
	}
	var invites []invite
	for _, c := range truth {
		for _, n := range c.Lines {
			if l := lines[n-1]; strings.HasPrefix(l.sip, "INVITE ") {
				invites = append(invites, invite{l.time, c.Alias, c.CallID})
				break
			}
		}
	}
	traps, redials := 0, 0
	for _, c := range truth {
		if c.Protocol == "SIP" && c.Remote != SBCAddress {
			t.Errorf("SIP call %s came from %s", c.CallID, c.Remote)
		}
		if c.Protocol != "SIP" || c.Lone || !c.Failed || c.Reason == "" {
			continue
		}
		attempt := firstWith(lines, c, "Participant attempting to join conference.")
		for _, i := range invites {
			if d := i.at.Sub(attempt.time); i.call != c.CallID && i.alias == c.Alias && d > -10*time.Second && d < 10*time.Second {
				traps++
				break
			}
		}
		for _, o := range truth {
			if o != c && o.Participant == c.Participant && o.Alias == c.Alias && o.Start.Sub(c.Start).Abs() < 10*time.Second {
				redials++
				break
			}
		}
	}
	t.Logf("%d SIP messages from the SBC, %d traps, %d dialling again", fromSBC, traps, redials)
	if fromSBC < 1000 || traps < 20 || redials < 5 {
		t.Errorf("%d SIP messages from the SBC, %d failed calls with another INVITE to their alias within 10 s, %d dialling again: too few", fromSBC, traps, redials)
	}
}

// firstWith returns the first line of call c with message msg.
func firstWith(lines []*logged, c *CallTruth, msg string) *logged {
	for _, n := range c.Lines {
		if lines[n-1].message == msg {
			return lines[n-1]
		}
	}
	return &logged{}
}

// TestRefusedAndLone checks that Refusals and LoneDialogs produce every kind of refused call
// and of lone dialog, each failed with its reason, and that ByeAfterDisconnect leaves the
// node's BYE and its 200 OK after the disconnect line, as the call's last lines.
func TestRefusedAndLone(t *testing.T) {
	data, truth := generate(t, 6, 40000, Options{Refusals: true, LoneDialogs: true, ByeAfterDisconnect: true})
	lines := readBack(t, data)
	reasons, statuses := map[string]int{}, map[int]int{}
	headers, spam, byeAfter := 0, 0, 0
	for _, c := range truth {
		if c.Failed {
			reasons[c.Reason]++
		}
		if c.Lone {
			statuses[c.Status]++
			if c.Spam {
				spam++
			}
			if c.Status == 488 && c.ReasonHeader != "" && c.Warning != "" {
				headers++
			}
		}
		gone := firstWith(lines, c, "Participant has disconnected.")
		last := lines[c.Lines[len(c.Lines)-1]-1]
		if code, _, method := status(last.sip); gone.n > 0 && code == 200 && method == "BYE" && last.n > gone.n &&
			strings.HasPrefix(last.message, "Received SIP response") && c.End.Equal(last.time) {
			byeAfter++
		}
	}
	t.Logf("reasons %v; lone statuses %v; %d scanners, %d 488s with headers, %d BYEs after the disconnect", reasons, statuses, spam, headers, byeAfter)
	for _, r := range []string{ReasonPINRetries, ReasonPINTimeout, ReasonHostTimeout, "Neither conference nor gateway found",
		"404 Not Found", "403 Forbidden", "486 Busy Here", "488 Not Acceptable Here", "487 Request Terminated", "503 Service Unavailable"} {
		if reasons[r] < 2 {
			t.Errorf("%d calls failed with %q", reasons[r], r)
		}
	}
	if spam < 2 || headers < 2 || byeAfter < 20 {
		t.Errorf("%d scanners, %d 488s with Reason and Warning, %d calls ending with the BYE after the disconnect: too few", spam, headers, byeAfter)
	}
}

// TestMediaWindows checks that with MediaWindows calls log their statistics over time: calls
// with many windows, counts that only grow, and losses that change with the call's quality.
func TestMediaWindows(t *testing.T) {
	_, truth := generate(t, 7, 30000, Options{MediaWindows: true})
	long, lossy := 0, 0
	for _, c := range truth {
		if len(c.Windows) >= 5 {
			long++
		}
		last := map[int]PacketCounts{}
		for _, w := range c.Windows {
			for _, p := range w.Loss {
				if q, ok := last[p.ID]; ok && (p.RxReceived < q.RxReceived || p.RxLost < q.RxLost || p.Time <= q.Time) {
					t.Fatalf("call %s: stream %d counts go back: %+v after %+v", c.CallID, p.ID, p, q)
				}
				if q := last[p.ID]; p.RxReceived > q.RxReceived && (p.RxLost-q.RxLost)*50 > p.RxReceived-q.RxReceived {
					lossy++ // over 2% lost in 20 s
				}
				last[p.ID] = p
			}
		}
	}
	t.Logf("%d calls with 5 windows or more, %d lossy samples", long, lossy)
	if long < 20 || lossy < 20 {
		t.Errorf("%d calls with 5 windows or more, %d samples losing over 2%%: too few", long, lossy)
	}
}

// TestHardReproducible checks that Hard gives the same lines and truth for a seed, other
// lines for another, and that times never go backwards.
func TestHardReproducible(t *testing.T) {
	a, ta := generate(t, 8, 5000, Hard())
	b, tb := generate(t, 8, 5000, Hard())
	c, _ := generate(t, 9, 5000, Hard())
	if !bytes.Equal(a, b) || len(ta) != len(tb) || bytes.Equal(a, c) {
		t.Fatal("Hard is not reproducible by seed")
	}
	for i := range ta {
		if !slices.Equal(ta[i].Lines, tb[i].Lines) || ta[i].State != tb[i].State {
			t.Fatalf("call %d differs between two runs of one seed", i)
		}
	}
	var last time.Time
	for _, l := range readBack(t, a) {
		if l.time.Before(last) {
			t.Fatalf("line %d goes back in time", l.n)
		}
		last = l.time
	}
}
