package sanitize

import "testing"

// The lines the benchmarks sanitise: a typical all-ASCII Pexip line (the fast path), one
// with names in other scripts, and a hostile one that is mostly controls.
var (
	benchASCII   = []byte(`2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="sip:alice@example.com" ConferenceAlias="meet.alice@example.com" Protocol="SIP" Participant-Id="44be63a0-7c1d-4b52-9c52-0d3f5a1c2c52" Call-Id="890b38520c27737c@10.44.5.9"`)
	benchUTF8    = []byte(`2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="Zoë Ångström 李雷 会议室 📞" ConferenceAlias="会議 Möte שלום عربي" Protocol="SIP" Participant-Id="p1" Call-Id="c1@x"`)
	benchHostile = []byte("Message=\"Hostile \x1b]52;c;aGVsbG8=\x07 clipboard \x1b[2J cls \u202e reversed \u009b C1 \x7f bad byte\xff bare CR\r \u200b\u200d\u2028\ufe0f\U000E0041\"")
)

func BenchmarkAppend(b *testing.B) {
	for _, in := range []struct {
		name string
		b    []byte
	}{{"ASCII", benchASCII}, {"UTF-8", benchUTF8}, {"hostile", benchHostile}} {
		b.Run(in.name, func(b *testing.B) {
			dst := make([]byte, 0, 4096)
			b.SetBytes(int64(len(in.b)))
			for b.Loop() {
				dst = Append(dst[:0], in.b, Options{Newlines: true, Tabs: true})
			}
		})
	}
}

func BenchmarkAppendJSON(b *testing.B) {
	for _, in := range []struct {
		name string
		b    []byte
	}{{"ASCII", benchASCII}, {"UTF-8", benchUTF8}, {"hostile", benchHostile}} {
		b.Run(in.name, func(b *testing.B) {
			dst := make([]byte, 0, 4096)
			b.SetBytes(int64(len(in.b)))
			for b.Loop() {
				dst = AppendJSON(dst[:0], in.b, Options{Newlines: true, Tabs: true})
			}
		})
	}
}

func BenchmarkClean(b *testing.B) {
	for _, in := range []struct {
		name string
		b    []byte
	}{{"ASCII", benchASCII}, {"UTF-8", benchUTF8}} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.b)))
			for b.Loop() {
				Clean(in.b, Options{})
			}
		})
	}
}
