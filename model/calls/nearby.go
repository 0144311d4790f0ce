package calls

import (
	"bytes"
	"sort"
	"strings"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/store"
)

// The lines a call's view shows that no id ties to it: TCP and TLS connections of the
// addresses its SIP messages went between ("TCP Connection established", "TLS Connection
// failed" ...), and DNS lookups whose result is the remote address, within nearbySlack of
// its first and last line — as Pexip's own digest shows them. They are marked as joined
// by address, not by id.

// nearbySlack is how far before and after a call its connections and lookups are looked for.
const nearbySlack = 35 * 1e6 // microseconds

// How much of a line is read to tell whether it is one of those (its message comes early),
// and then to read it.
const (
	nearbyHead = 256
	nearbyRaw  = 4 << 10
)

// connectionMessages start the messages of Pexip's TCP and TLS connection lines; lookups
// the message of its DNS lines.
var (
	connectionMessages = [][]byte{[]byte(`Message="TCP Connection`), []byte(`Message="TLS Connection`)}
	lookupMessages     = [][]byte{[]byte(`record lookup`), []byte(`Message="DNS lookup"`)}
)

// AddNearby adds to the call's signalling the connection and DNS lines that share its
// addresses (see Nearby), in time order.
func (d *Detail) AddNearby(st *store.Store, p model.Parser) {
	from, to := d.Span()
	if rows := Nearby(st, d.Signalling, d.Entries, from, to, p); len(rows) > 0 {
		d.Signalling = append(d.Signalling, rows...)
		sort.SliceStable(d.Signalling, func(i, j int) bool { return d.Signalling[i].Time < d.Signalling[j].Time })
	}
}

// Nearby returns the connection and DNS lines that share the addresses of the call's SIP
// messages (sig), logged from nearbySlack before its first line to nearbySlack after its
// last, as ladder rows of protocol "TCP", "TLS" or "DNS" tagged "joined by address". The
// call's own entries (numbers) are left out.
func Nearby(st *store.Store, sig []Message, numbers []uint32, from, to int64, p model.Parser) []Message {
	pairs := addressesOf(sig)
	if len(pairs) == 0 || from == 0 {
		return nil
	}
	own := map[uint32]bool{}
	for _, n := range numbers {
		own[n] = true
	}
	v := st.View()
	first, last := v.Around(from-nearbySlack, to+nearbySlack)
	var out []Message
	var raw []byte
	var rec model.Record
	for i := first; i < last; i++ {
		e := v.Entry(i)
		if e.Time < from-nearbySlack || e.Time > to+nearbySlack || own[uint32(i)] || !nearbyModule(v.NameOf(e.Module)) {
			continue
		}
		var err error
		if raw, err = v.RawHead(raw[:0], i, nearbyHead); err != nil {
			continue
		}
		conn, lookup := containsAny(raw, connectionMessages), containsAny(raw, lookupMessages)
		if !conn && !lookup {
			continue
		}
		if raw, err = v.RawHead(raw[:0], i, nearbyRaw); err != nil {
			continue
		}
		p.Parse(raw, &rec)
		v.Label(i, &rec)
		if m, ok := nearbyRow(&rec, uint32(i), conn, pairs); ok {
			out = append(out, m)
		}
	}
	return out
}

// nearbyModule reports whether a module logs connections or lookups (support.sip,
// support.dns, support.connectivity ...).
func nearbyModule(module string) bool {
	return strings.HasPrefix(module, "support.") && (strings.Contains(module, "sip") || strings.Contains(module, "dns") ||
		strings.Contains(module, "conn") || strings.Contains(module, "tcp") || strings.Contains(module, "tls"))
}

// addressesOf returns the local and remote address:port pairs of SIP messages.
func addressesOf(sig []Message) (pairs map[[2]string]bool) {
	pairs = map[[2]string]bool{}
	for _, m := range sig {
		if m.Protocol != "" || m.Src == "" || m.Dst == "" {
			continue
		}
		local, remote := m.Src, m.Dst
		if m.Received {
			local, remote = m.Dst, m.Src
		}
		pairs[[2]string{local, remote}] = true
	}
	return pairs
}

// nearbyRow makes a ladder row of a connection line whose local and remote addresses are
// a pair of the call's, or of a lookup whose result names the remote host of one.
func nearbyRow(r *model.Record, number uint32, conn bool, pairs map[[2]string]bool) (Message, bool) {
	field := func(k string) string { v, _ := r.Field(k); return string(v) }
	m := Message{Entry: number, Time: r.Time, Node: string(r.Node), Start: string(r.Message()), Tags: []string{"joined by address"}}
	if conn {
		local, remote := field("Local-address")+":"+field("Local-port"), field("Remote-address")+":"+field("Remote-port")
		if !pairs[[2]string{local, remote}] {
			return Message{}, false
		}
		m.Protocol, m.Src, m.Dst = "TCP", local, remote
		if bytes.Contains(r.Message(), []byte("TLS")) {
			m.Protocol = "TLS"
		}
		m.Start = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(m.Start, "TCP"), "TLS"))
		if d := field("Detail"); d != "" {
			m.Tags = append(m.Tags, d)
		}
		return m, true
	}
	result := field("Result")
	for pair := range pairs {
		if h := hostOf(pair[1]); h != "" && strings.Contains(result, h) {
			m.Protocol, m.Src, m.Dst, m.Start = "DNS", pair[0], pair[1], "lookup"
			m.Tags = append(m.Tags, strings.TrimSpace(field("Query")+" "+field("Type")+" → "+result))
			return m, true
		}
	}
	return Message{}, false
}

// hostOf returns an address without its port.
func hostOf(addr string) string {
	if i := strings.LastIndexByte(addr, ':'); i > 0 && strings.Count(addr, ":") == 1 {
		return addr[:i]
	}
	return addr
}

func containsAny(b []byte, subs [][]byte) bool {
	for _, s := range subs {
		if bytes.Contains(b, s) {
			return true
		}
	}
	return false
}
