package asterisk_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
)

// TestTracedCallIDsGiveCalls indexes the pjsip traces with every format, as calltail
// does, and finds each INVITE's call by its Call-ID, with the INVITE in its ladder and
// its From and To, and the BYE's: Asterisk's full log (its ^M carriage returns again)
// and the console's traces.
func TestTracedCallIDsGiveCalls(t *testing.T) {
	var text []byte
	for _, name := range []string{"pjsip-full.log", "pjsip-console.log"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		text = append(text, bytes.ReplaceAll(data, []byte("^M"), []byte("\r"))...)
	}
	newParser, err := formats.New("auto", 2024)
	if err != nil {
		t.Fatal(err)
	}
	st := store.New()
	x := calls.New(st, newParser)
	src := st.AddOrigin(store.Origin{Name: "asterisk.log", Text: bytes.NewReader(text)})
	if err := st.Load(context.Background(), src, bytes.NewReader(text), newParser, split.Options{}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		callID, from, to, start string
		state                   calls.State
	}{
		{"3ee7332363616c6c1703a330@123.127.194.4", "<sip:05337430895@123.127.194.4>;tag=0034dd982a66d30a", "<sip:0150****1701@58.57.109.227>", "INVITE ", calls.Connecting},
		{"90e1d8fa-e2f8-4805-bdbb-dc44e82139a2", `"1337" <sip:1337@45.x.x.x>;tag=c0cb38be-6786-4b54-a310-debbfac127b9`, "<sip:1338@192.168.29.4;ob>", "INVITE ", calls.Connecting},
		{"f5bdc622-365c-4a53-9349-dc28c922e59d", "<sip:000<removed>@192.168.157.1>;tag=2b3e9436-df4b-450f-aab2-c894ddaf23e7", "<sip:8<removed>@vip1.sip.telphin.com>", "INVITE ", calls.Connecting},
		// A BYE alone: a call that ended, whose start the trace did not hold.
		{"4b227777d4dd1fc61c6f884f48641d02@192.168.7.214:20020", "", "", "BYE ", calls.Ended},
	} {
		n, ok := x.Find(st, tc.callID)
		if !ok {
			t.Errorf("no call has the Call-ID %s", tc.callID)
			continue
		}
		d, ok, err := x.Detail(st, n, newParser())
		if !ok || err != nil {
			t.Fatalf("call %d: %v, %v", n, ok, err)
		}
		if d.Call.From != tc.from || d.Call.To != tc.to || d.Call.State != tc.state {
			t.Errorf("%s: From %q, To %q, state %v; want %q, %q, %v", tc.callID, d.Call.From, d.Call.To, d.Call.State, tc.from, tc.to, tc.state)
		}
		if len(d.Signalling) != 1 || !strings.HasPrefix(d.Signalling[0].Start, tc.start) || d.Signalling[0].CSeq == "" {
			t.Errorf("%s: ladder %+v, want its %s", tc.callID, d.Signalling, tc.start)
		}
	}
	if n := len(x.Calls()); n != 4 {
		t.Errorf("%d calls, want the three INVITEs' and the BYE's", n)
	}
}
