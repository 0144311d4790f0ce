package security

import (
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
)

func TestClassify(t *testing.T) {
	newParser, _ := formats.New("auto", 2024)
	p := newParser()
	for _, tc := range []struct {
		line         string
		kind         Kind
		address, who string
		notAnEvent   bool
	}{
		{`2026-05-14 23:38:45,100 Level="WARNING" Name="administrator.configuration" Message="User login failed" User="admins" Remote-Address="192.0.2.7" Remote-Port="53991"`,
			AdminLoginFailed, "192.0.2.7", "admins", false},
		{`2026-05-14 23:38:45,100 Level="INFO" Name="administrator.conference" Message="Participant entered incorrect conference PIN" RetriesRemaining="2" Participant="sip:bob@example.com" ConferenceAlias="sip:meet@example.com" Call-Id="27ef"`,
			WrongPIN, "", "sip:bob@example.com", false},
		{`2026-05-14 23:38:45,100 Level="WARNING" Name="administrator.conference" Message="Break-in prevention policy blocking all attempts to join this service." ConferenceAlias="alice" Service="Alice's VMR" Participant="Crooky McCrookface" Protocol="API" Direction="in" Remote-address="10.44.21.35" Reason="Service appears to be under PIN break-in attack"`,
			PINBlock, "10.44.21.35", "Crooky McCrookface", false},
		{`2026-05-14 23:38:45,100 Level="WARNING" Name="administrator.conference" Message="Participant has been quarantined by Break-in prevention policy due to excessive failed join attempts." Participant="Crooky McCrookface" Protocol="API" Direction="in" Remote-address="10.44.21.35"`,
			Quarantined, "10.44.21.35", "Crooky McCrookface", false},
		{"2012-05-10 17:29:37.000\tFAIL_BAD_CREDENTIALS\tadmin\t93.57.41.37", WebLoginFailed, "93.57.41.37", "admin", false},
		{"2012-05-10 17:29:42.000\tSUCCESS\tadmin\t93.57.41.37", 0, "", "", true},
		{`Tue Dec 17 18:19:06 2024 REGISTER  <sip:alice@example.org> (sip:203.0.113.66:5070;transport=UDP)  (friendly-scanner)  -->  <sip:alice@example.org> 403 Forbidden`,
			SIPAuthFailed, "203.0.113.66", "<sip:alice@example.org>", false},
		{`Tue Dec 17 18:19:05 2024 REGISTER  <sip:alice@example.org> (sip:198.51.100.7:5060;transport=UDP)  (Linphone/5.2.5)  -->  <sip:alice@example.org> 401 Unauthorized`,
			0, "", "", true}, // a challenge, not a failure
		{`Dec 17 18:17:58 pbx1 asterisk[1234]: NOTICE[1302]: chan_sip.c:28200 handle_request_register: Registration from '<sip:100@10.0.0.5>' failed for '203.0.113.9:5060' - Wrong password`,
			SIPAuthFailed, "203.0.113.9", "100", false},
		{`Dec 17 18:18:01 fs1 freeswitch[2345]: [WARNING] sofia_reg.c:3210 Can't find user [1000@10.0.0.10] from 203.0.113.9`,
			UnknownUser, "203.0.113.9", "1000", false},
		{`2026-05-14 23:38:45,100 Level="INFO" Name="administrator.conference" Message="Participant has joined."`, 0, "", "", true},
	} {
		var r model.Record
		p.Parse([]byte(tc.line), &r)
		e, ok := Classify(&r)
		if ok == tc.notAnEvent || ok && (e.Kind != tc.kind || e.Address != tc.address || e.Who != tc.who) {
			t.Errorf("%.90s...:\n got %+v, %v\nwant kind %v address %q who %q", tc.line, e, ok, tc.kind, tc.address, tc.who)
		}
	}
}

func TestReportGroupsByAddress(t *testing.T) {
	r := NewReport()
	for i, a := range []string{"203.0.113.9", "", "203.0.113.9", "203.0.113.9", "", "10.0.0.1"} {
		r.Add(Event{Kind: Kind(i % 2), Time: int64(100 - i), Address: a, Who: "user"})
	}
	g := r.Groups()
	if len(g) != 3 || g[0].Address != "203.0.113.9" || g[0].Events != 3 || g[0].First != 97 || g[0].Last != 100 || len(g[0].Who) != 1 {
		t.Fatalf("groups %+v", g)
	}
	if got := g[0].What(); got != "2 failed admin logins, 1 wrong PIN" {
		t.Errorf("What() = %q", got)
	}
	if g[2].Place() != "(no address logged)" {
		t.Errorf("the group without an address is not last, named so: %q", g[2].Place())
	}
}

// TestNamesAsWritten: Pexip logs some names as the Python repr of a list; the report
// shows them as the user wrote them (`erin`, not `[u'erin']`).
func TestNamesAsWritten(t *testing.T) {
	for _, tc := range []struct{ alias, want string }{
		{`[u'erin']`, "erin"},
		{`[u'\xc5sa', u'bob']`, "Åsa, bob"},
		{`[u'o\'brien']`, "o'brien"},
		{`u'meet.alice'`, "meet.alice"},
		{`['x@example.com']`, "x@example.com"},
		{`o'brien`, "o'brien"}, // not a repr: as it is
		{`[not a list`, "[not a list"},
		{`[u'unterminated]`, "[u'unterminated]"},
	} {
		g := report(t, `2026-05-14 23:38:45,100 Level="WARNING" Name="administrator.conference" Message="Break-in prevention policy rejecting call attempt from quarantined caller." Protocol="SIP" Local-alias="`+tc.alias+`" Remote-Address="198.51.100.7"`)
		if len(g) != 1 || strings.Join(g[0].Who, "|") != tc.want {
			t.Errorf("Local-alias %s: tried %q; want %q", tc.alias, g[0].Who, tc.want)
		}
	}
}

// report classifies log lines and returns their groups.
func report(t *testing.T, lines ...string) []Group {
	t.Helper()
	newParser, _ := formats.New("auto", 2024)
	p, r := newParser(), NewReport()
	for _, l := range lines {
		var rec model.Record
		p.Parse([]byte(l), &rec)
		e, ok := Classify(&rec)
		if !ok {
			t.Fatalf("not an event: %s", l)
		}
		r.Add(e)
	}
	return r.Groups()
}

// TestWrongPINsWithoutAnAddress: wrong PINs that logged no remote address are grouped by
// the conference and alias they were aimed at, not lumped into one row.
func TestWrongPINsWithoutAnAddress(t *testing.T) {
	pin := func(fields string) string {
		return `2026-05-14 23:38:45,100 Level="WARNING" Name="administrator.conference" Message="Participant entered incorrect conference PIN" RetriesRemaining="2" ` + fields
	}
	g := report(t,
		pin(`Participant="sip:a@example.com" ConferenceAlias="board@example.com"`),
		pin(`Participant="sip:b@example.com" Conference="Sales" ConferenceAlias="sales@example.com"`),
		pin(`Participant="sip:c@example.com" ConferenceAlias="board@example.com"`),
		pin(`Participant="sip:d@example.com" Conference="Sales" ConferenceAlias="sales@example.com"`),
		pin(`Participant="sip:e@example.com" Conference="Sales" ConferenceAlias="sales@example.com"`),
		pin(`Participant="sip:f@example.com"`),
		`2026-05-14 23:38:45,100 Level="WARNING" Name="administrator.configuration" Message="User login failed" User="admin" Remote-Address="192.0.2.7"`)
	var places []string
	for i := range g {
		places = append(places, g[i].Place())
	}
	want := []string{"192.0.2.7", "(no address) Sales (sales@example.com)", "(no address) board@example.com", "(no address logged)"}
	if strings.Join(places, "|") != strings.Join(want, "|") {
		t.Fatalf("groups %q, want %q", places, want)
	}
	if g[1].Events != 3 || g[2].Events != 2 || len(g[1].Who) != 3 {
		t.Errorf("counts: %+v", g)
	}
}
