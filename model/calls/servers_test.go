package calls

import (
	"context"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
)

// indexServerLogs indexes files of the SIP servers with every format, as calltail does.
func indexServerLogs(t *testing.T, paths ...string) (*store.Store, *Index, model.NewParserFunc) {
	t.Helper()
	newParser, err := formats.New("auto", 2024)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New()
	x := New(st, newParser)
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		src := st.AddOrigin(store.Origin{Name: path, Text: f})
		if err := st.Load(context.Background(), src, io.NewSectionReader(f, 0, 1<<62), newParser, split.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	return st, x, newParser
}

// TestServerCallsFromRealLogs indexes logs that Asterisk, FreeSWITCH, Kamailio and OpenSIPS
// wrote (their origins in each testdata's SOURCES.md) and expects each server's call
// identities to give calls, with the state their lines tell: FreeSWITCH's channel UUIDs
// and hangup causes, Asterisk's channel identifiers and dial statuses, the Call-IDs
// Kamailio's and OpenSIPS's lines name.
func TestServerCallsFromRealLogs(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		calls      int // how many the file holds
		id         string
		state      State
		reason     string
		span       time.Duration
		callIDs    []string
	}{
		{"a FreeSWITCH channel that hung up normally", "../freeswitch/testdata/issue1559-proxy-media.log", 2,
			"52c79f86-44a6-4eec-b7c9-16ac308656bf", Ended, "NORMAL_CLEARING", 0, nil},
		{"a FreeSWITCH channel joined to its SIP Call-ID", "../freeswitch/testdata/issue1559-proxy-media.log", 2,
			"8b952f41-bb60-4332-9599-186d4a6d5c8a", Connecting, "", 0, []string{"1009-eeb2501a-f9a0-4798-93be-78e2aa2a1244"}},
		{"an Asterisk channel whose dial found everyone congested", "../asterisk/testdata/full.log", 4,
			"C-000000a9", Failed, "CONGESTION", time.Minute, nil},
		{"an Asterisk channel running its dialplan", "../asterisk/testdata/full.log", 4,
			"C-00000089", Connecting, "", 0, nil},
		{"a Kamailio script line naming an INVITE's Call-ID", "../../testdata/sipsyslog/sip-servers.log", 3,
			"a84b4c76e66710@pc33.example.org", Connecting, "", 0, []string{"a84b4c76e66710@pc33.example.org"}},
		{"an OpenSIPS dialog's clid", "../../testdata/servers/opensips/syslog-stderr-shape-clid.log", 5,
			"4f92d67a2b0044293926cb2f40a259fb@giovanni.cloud", Connecting, "", 0, []string{"4f92d67a2b0044293926cb2f40a259fb@giovanni.cloud"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, x, _ := indexServerLogs(t, tc.path)
			if n := len(x.Calls()); n != tc.calls {
				t.Errorf("%d calls, want %d", n, tc.calls)
			}
			n, ok := x.Find(st, tc.id)
			if !ok {
				t.Fatalf("no call carries %s; calls: %+v", tc.id, x.Calls())
			}
			c, _ := x.Call(n)
			if c.State != tc.state || c.Reason != tc.reason || c.Span != tc.span || c.Protocol != "SIP" {
				t.Errorf("state %v, reason %q, span %v, protocol %q; want %v, %q, %v, SIP", c.State, c.Reason, c.Span, c.Protocol, tc.state, tc.reason, tc.span)
			}
			for _, id := range tc.callIDs {
				if !slices.Contains(c.CallIDs, id) {
					t.Errorf("Call-IDs %q, want %s among them", c.CallIDs, id)
				}
			}
		})
	}
}

// TestRegistrationsAreNoCalls expects the lines of registrations to make no call, though
// they name a Call-ID: Kamailio's "{1 3 REGISTER id}" log prefix, a script's "REGISTER
// from ... callid=".
func TestRegistrationsAreNoCalls(t *testing.T) {
	st, x, _ := indexServerLogs(t, "../../testdata/servers/kamailio/syslog-log-prefix.log", "../../testdata/sipsyslog/sip-servers.log")
	for _, id := range []string{"e5f4a465617525e4f7a159", "E3fNnAyni0_xvXIr3YHXrQ..", "5f1e2a7c-83a1-4b1c@10.0.0.5"} {
		if n, ok := x.Find(st, id); ok {
			c, _ := x.Call(n)
			t.Errorf("the registration %s is call %d: %+v", id, n, c)
		}
	}
}

// TestHangUp applies hangup causes to calls answered and not.
func TestHangUp(t *testing.T) {
	for _, tc := range []struct {
		answered bool
		cause    string
		want     State
	}{
		{true, "NORMAL_CLEARING", Ended},
		{false, "NORMAL_CLEARING", Ended},
		{true, "MANDATORY_IE_MISSING", Ended},
		{false, "USER_BUSY", Failed},
		{false, "NO_ROUTE_DESTINATION", Failed},
		{false, "ORIGINATOR_CANCEL", Failed},
	} {
		var c Call
		if tc.answered {
			c.State, c.Joined = Connected, 1
		}
		c.hangUp(tc.cause, 2, names{})
		if c.State != tc.want || c.Reason != tc.cause || c.End != 2 {
			t.Errorf("answered %v, %s: state %v, reason %q, end %d; want %v", tc.answered, tc.cause, c.State, c.Reason, c.End, tc.want)
		}
	}
}

// TestTraceDirection draws the ladder of a trace with the peer it names: Asterisk's
// "Transmitting SIP request ... to UDP:192.168.29.4:55000" goes from the server to that
// peer (not from the Via, the server itself, to the server), and the peer is the call's
// remote address.
func TestTraceDirection(t *testing.T) {
	st, x, newParser := indexServerLogs(t, "../asterisk/testdata/pjsip-console.log")
	n, ok := x.Find(st, "90e1d8fa-e2f8-4805-bdbb-dc44e82139a2")
	if !ok {
		t.Fatal("no call")
	}
	d, ok, err := x.Detail(st, n, newParser())
	if !ok || err != nil || len(d.Signalling) != 1 {
		t.Fatalf("call %d: %v, %v, %d messages", n, ok, err, len(d.Signalling))
	}
	if m := d.Signalling[0]; m.Src != "asterisk" || m.Dst != "192.168.29.4:55000" || m.Received {
		t.Errorf("INVITE from %s to %s, received %v; want from asterisk to 192.168.29.4:55000, sent", m.Src, m.Dst, m.Received)
	}
}
