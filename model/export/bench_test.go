package export

import "testing"

// BenchmarkAppend writes one entry as -n prints it, plain and as JSON: an all-ASCII line
// (the usual case) and one with names in other scripts.
func BenchmarkAppend(b *testing.B) {
	lines := []struct{ name, line string }{
		{"ASCII", `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="sip:alice@example.com" ConferenceAlias="meet.alice@example.com" Protocol="SIP" Participant-Id="44be63a0-7c1d-4b52-9c52-0d3f5a1c2c52" Call-Id="890b38520c27737c@10.44.5.9"`},
		{"UTF-8", `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="Zoë Ångström 李雷 会议室 📞" ConferenceAlias="会議 Möte שלום عربي" Protocol="SIP" Participant-Id="p1" Call-Id="c1@x"`},
	}
	for _, l := range lines {
		r := record(l.line)
		for _, f := range []struct {
			name string
			f    Format
		}{{"plain", Plain}, {"JSON", JSON}} {
			b.Run(l.name+"/"+f.name, func(b *testing.B) {
				dst := make([]byte, 0, 4096)
				b.SetBytes(int64(len(r.Raw)))
				for b.Loop() {
					dst = Append(dst[:0], r, f.f)
				}
			})
		}
	}
}
