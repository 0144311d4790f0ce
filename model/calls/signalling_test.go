package calls

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/pexip"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/model/store/storetest"
	"github.com/calltail/calltail/sim"
)

func pexipParser() model.Parser { return &pexip.Parser{} }

// indexText indexes a log's text into a new store with a calls index.
func indexText(tb testing.TB, text string) (*store.Store, *Index) {
	tb.Helper()
	st := store.New()
	x := New(st, pexipParser)
	storetest.Load(tb, st, "test.log", strings.NewReader(text), split.Options{})
	return st, x
}

// detailOf reads the detail of the call that carries id.
func detailOf(tb testing.TB, st *store.Store, x *Index, id string) Detail {
	tb.Helper()
	n, ok := x.Find(st, id)
	if !ok {
		tb.Fatalf("no call carries %s", id)
	}
	d, ok, err := x.Detail(st, n, pexipParser())
	if !ok || err != nil {
		tb.Fatalf("detail of call %d: %v, %v", n, ok, err)
	}
	return d
}

// TestLadderHeadersAndSDP reads what the ladder shows of each message: the SDP's
// direction per stream (sendrecv when none is said, the session's when the stream says
// none) and its crypto, and the Reason, Warning and MS-Diagnostics headers of a refusal.
func TestLadderHeadersAndSDP(t *testing.T) {
	sipLine := func(ms, msg, detail string) string {
		return `2026-05-14 10:00:00,` + ms + ` Level="INFO" Name="support.sip" Message="` + msg + `" Src-address="10.44.5.9" Src-port="5061" Dst-address="10.0.1.11" Dst-port="5061" Transport="TLS" Detail="` + detail + `"` + "\n"
	}
	const head = `^MVia: SIP/2.0/TLS 10.44.5.9:5061;branch=z9hG4bK1^MFrom: <sip:alice@example.com>;tag=1^MTo: <sip:meet@example.com>^MCall-ID: c1@10.44.5.9^M`
	log := sipLine("000", "Received SIP request", `INVITE sip:meet@example.com SIP/2.0`+head+`CSeq: 1 INVITE^MContent-Type: application/sdp^M^Mv=0^Mc=IN IP4 10.44.5.9^Mm=audio 4000 RTP/SAVP 0^Ma=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x^Ma=sendonly^Mm=video 4002 RTP/SAVP 97^Ma=inactive^Mm=video 4004 RTP/SAVP 97^Ma=content:slides`) +
		sipLine("100", "Sending SIP response", `SIP/2.0 486 Busy Here`+head+`CSeq: 1 INVITE^MReason: SIP;cause=486;text=\"Busy Here\"^MReason: Q.850;cause=17^MWarning: 399 sbc.example.com \"No route\"^Mms-diagnostics: 52001;reason=\"Call rejected\";source=\"sbc\"^MContent-Length: 0^M^M`) +
		sipLine("200", "Received SIP request", `INVITE sip:meet@example.com SIP/2.0`+head+`CSeq: 2 INVITE^MContent-Type: application/sdp^M^Mv=0^Mc=IN IP4 10.44.5.9^Ma=sendonly^Mm=audio 4000 RTP/AVP 0^Mm=video 4002 RTP/AVP 97`) +
		sipLine("300", "Received SIP request", `INVITE sip:meet@example.com SIP/2.0`+head+`CSeq: 3 INVITE^MContent-Type: application/sdp^M^Mv=0^Mc=IN IP4 10.44.5.9^Mm=audio 4000 RTP/AVP 0^Ma=sendrecv`)
	st, x := indexText(t, log)
	msgs := detailOf(t, st, x, "c1@10.44.5.9").Signalling
	if len(msgs) != 4 {
		t.Fatalf("%d messages, want 4", len(msgs))
	}
	offer, refusal, hold, resume := &msgs[0], &msgs[1], &msgs[2], &msgs[3]
	if want := "c=IN IP4 10.44.5.9  m=audio 4000 RTP/SAVP 0 [sendonly]  m=video 4002 RTP/SAVP 97 [inactive]  m=video 4004 RTP/SAVP 97  crypto offered"; offer.SDP != want {
		t.Errorf("offer SDP\n got %q\nwant %q", offer.SDP, want)
	}
	if offer.Direction != "audio sendonly, video inactive" || !offer.Crypto || offer.Notes() != nil {
		t.Errorf("offer: direction %q, crypto %v, notes %q", offer.Direction, offer.Crypto, offer.Notes())
	}
	wantNotes := []string{`Reason: SIP;cause=486;text="Busy Here"; Q.850;cause=17`, `Warning: 399 sbc.example.com "No route"`,
		`MS-Diagnostics: 52001;reason="Call rejected";source="sbc"`}
	if !slices.Equal(refusal.Notes(), wantNotes) || refusal.SDP != "" || refusal.Label() != "486 Busy Here (1 INVITE)" {
		t.Errorf("refusal: label %q, SDP %q, notes\n got %q\nwant %q", refusal.Label(), refusal.SDP, refusal.Notes(), wantNotes)
	}
	if hold.Direction != "sendonly" || hold.Crypto || !strings.HasSuffix(hold.SDP, "[sendonly]  no crypto") {
		t.Errorf("hold (a session-level a=sendonly): direction %q, crypto %v, SDP %q", hold.Direction, hold.Crypto, hold.SDP)
	}
	if resume.Direction != "" || strings.Contains(resume.SDP, "[") {
		t.Errorf("resume (a=sendrecv): direction %q, SDP %q", resume.Direction, resume.SDP)
	}
}

// TestSignallingOfSimulatedCalls reads the signalling of every simulated call: its BFCP
// floor control (tied to the SIP Call-Id) and its H.225 / H.245 messages (tied by Uuid)
// as rows of its ladder, as many as the log holds, among its SIP messages in time order.
func TestSignallingOfSimulatedCalls(t *testing.T) {
	var buf bytes.Buffer
	s := sim.New(3)
	s.WriteLines(&buf, 8000)
	text := buf.String()
	st, x := indexText(t, text)
	count := func(module, id string) int {
		re := regexp.MustCompile(`Name="` + regexp.QuoteMeta(module) + `[^"]*" Message="(Sending|Received) [^"]*message".*"` + regexp.QuoteMeta(id) + `"`)
		return len(re.FindAllString(text, -1))
	}
	var bfcpCalls, h323Calls int
	for _, truth := range s.Truth() {
		if truth.Failed {
			continue
		}
		d := detailOf(t, st, x, truth.ParticipantID)
		byProtocol := map[string][]Message{}
		for i, m := range d.Signalling {
			byProtocol[m.Protocol] = append(byProtocol[m.Protocol], m)
			if i > 0 && m.Time < d.Signalling[i-1].Time {
				t.Errorf("call %s: message %d (%s) before the one above it", truth.CallID, i, m.Label())
			}
		}
		recs, _ := Records(st, d.Entries, pexipParser())
		if sipOnly := Ladder(recs, d.Entries); len(sipOnly) != len(byProtocol[""]) {
			t.Errorf("call %s: %d SIP rows, the SIP ladder has %d", truth.CallID, len(byProtocol[""]), len(sipOnly))
		}
		if want := count("support.bfcp", truth.CallID); len(byProtocol["BFCP"]) != want {
			t.Errorf("call %s: %d BFCP rows, the log holds %d", truth.CallID, len(byProtocol["BFCP"]), want)
		} else if want > 0 {
			bfcpCalls++
			for _, m := range byProtocol["BFCP"] {
				if !strings.HasPrefix(m.Start, "Floor") || m.Src == "" || m.Dst == "" {
					t.Errorf("call %s: BFCP row %q from %q to %q", truth.CallID, m.Label(), m.Src, m.Dst)
				}
				if m.Start == "FloorRequestStatus" && !slices.Contains(m.Tags, "Granted") {
					t.Errorf("call %s: %q does not say the floor was granted", truth.CallID, m.Label())
				}
			}
		}
		if truth.Protocol != "H323" {
			continue
		}
		h323Calls++
		if want := count("support.h323", truth.UUID); len(byProtocol["H.225"])+len(byProtocol["H.245"]) != want || want == 0 {
			t.Errorf("call %s: %d H.225 and %d H.245 rows, the log holds %d", truth.UUID, len(byProtocol["H.225"]), len(byProtocol["H.245"]), want)
			continue
		}
		var names []string
		for _, m := range d.Signalling {
			names = append(names, m.Label())
		}
		wants := []string{"H.225 admissionRequest", "H.225 setup"}
		if d.Call.State == Ended { // not one still under way when the simulation stopped
			wants = append(wants, "H.225 connect", "H.245 terminalCapabilitySet", "H.225 releaseComplete (reason undefinedReason)")
		}
		for _, want := range wants {
			if !slices.Contains(names, want) {
				t.Errorf("call %s: no %q among %q", truth.UUID, want, names)
			}
		}
	}
	if bfcpCalls == 0 || h323Calls == 0 {
		t.Fatalf("%d calls with BFCP and %d H.323 calls: the test proves little", bfcpCalls, h323Calls)
	}
}

// TestFloorControlAndTokens reads BFCP messages as the message's structure or as fields,
// and H.245 generic messages that carry H.239 presentation tokens by their identifiers.
func TestFloorControlAndTokens(t *testing.T) {
	const pre = `2026-05-14 10:00:00,%s Level="INFO" `
	line := func(ms, rest string) string { return strings.Replace(pre, "%s", ms, 1) + rest + "\n" }
	log := line("000", `Name="support.sip" Message="Received SIP request" Src-address="10.44.5.9" Src-port="5061" Dst-address="10.0.1.11" Dst-port="5061" Transport="TLS" Detail="INVITE sip:meet@example.com SIP/2.0^MCall-ID: c2@10.44.5.9^MCSeq: 1 INVITE^MContent-Length: 0^M^M"`) +
		line("000", `Name="support.h323.q931" Message="Received H.225 message" Src-address="10.44.9.1" Dst-address="10.0.1.11" Uuid="u1" Detail="setup: callIdentifier u1, destinationAddress meet"`) +
		line("000", `Name="support.bfcp" Message="Received BFCP message" Src-address="10.44.5.9" Src-port="5072" Dst-address="10.0.1.11" Dst-port="5070" Call-Id="c2@10.44.5.9" Detail="FloorRequest(CommonHeader(version=1, primitive=FloorRequest, conference_id=1, trans_id=7, user_id=2), FloorId(floor_id=2))"`) +
		line("010", `Name="support.bfcp" Message="Sending BFCP message" Src-address="10.0.1.11" Src-port="5070" Dst-address="10.44.5.9" Dst-port="5072" Call-Id="c2@10.44.5.9" Detail="FloorRequestStatus(CommonHeader(version=1, primitive=FloorRequestStatus, conference_id=1, trans_id=7, user_id=2), FloorRequestInformation(floor_request_id=1, OverallRequestStatus(request_status=Granted(3), queue_position=0)))"`) +
		line("020", `Name="support.bfcp" Message="Sending BFCP message" Src-address="10.0.1.11" Src-port="5070" Dst-address="10.44.5.9" Dst-port="5072" Call-Id="c2@10.44.5.9" Primitive="FloorStatus" Transaction-Id="0" Floor-Request-Id="1" Floor-Status="Released"`) +
		line("030", `Name="support.h323.h245" Message="Received H.245 message" Src-address="10.44.9.1" Dst-address="10.0.1.11" Uuid="u1" Detail="MultimediaSystemControlMessage^M  request: genericRequest:^M    messageIdentifier: standard: 0.0.8.239.2^M    subMessageIdentifier: 3^M    messageContent:"`) +
		line("040", `Name="support.h323.h245" Message="Sending H.245 message" Src-address="10.0.1.11" Dst-address="10.44.9.1" Uuid="u1" Detail="MultimediaSystemControlMessage^M  response: genericResponse:^M    messageIdentifier: standard: 0.0.8.239.2^M    subMessageIdentifier: 4^M    messageContent:^M      parameterIdentifier: standard: 126"`)
	st, x := indexText(t, log)
	var got []string
	for _, id := range []string{"c2@10.44.5.9", "u1"} {
		for _, m := range detailOf(t, st, x, id).Signalling {
			got = append(got, m.Label())
		}
	}
	want := []string{"INVITE", "BFCP FloorRequest (transaction 7)", "BFCP FloorRequestStatus (transaction 7; floor request 1; Granted)",
		"BFCP FloorStatus (transaction 0; floor request 1; Released)",
		"H.225 setup", "H.245 genericRequest (presentationTokenRequest)", "H.245 genericResponse (presentationTokenResponse: acknowledge)"}
	if !slices.Equal(got, want) {
		t.Errorf("labels\n got %q\nwant %q", got, want)
	}
}
