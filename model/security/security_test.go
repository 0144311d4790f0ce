package security

import (
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
