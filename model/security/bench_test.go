package security

import (
	"os"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/split"
)

// BenchmarkClassify times Classify on the entries of real logs of every server it reads,
// events and not, parsed beforehand: ns/op is per entry.
func BenchmarkClassify(b *testing.B) {
	newParser, _ := formats.New("auto", 2024)
	var recs []model.Record
	for _, path := range []string{"../../testdata/servers/asterisk/fail2ban-asterisk.log",
		"../../testdata/servers/freeswitch/fail2ban-freeswitch.log", "../../testdata/sipsyslog/sip-servers.log",
		"../../testdata/quirks.log", "../../testdata/servers/asterisk/crowdsec-asterisk-syslogs.log",
		"../../testdata/servers/freeswitch/auth-failures-domain-hint.log"} {
		text, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		p := newParser()
		for _, raw := range split.Entries(text, p.StartsEntry) {
			var r model.Record
			p.Parse(raw, &r)
			recs = append(recs, r)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		Classify(&recs[i%len(recs)])
	}
}
