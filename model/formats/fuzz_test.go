package formats

import (
	"bytes"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/security"
	"github.com/calltail/calltail/model/split"
)

// FuzzParse reads text with the parser of every format, looks for security events in it
// and detects its format: nothing panics, every entry keeps its bytes, and the detected name is one of the formats.
func FuzzParse(f *testing.F) {
	for _, path := range []string{"../../testdata/quirks.log", "../../testdata/flexisip/flexisip-proxy.log",
		"../../testdata/privateserver/sessions.tsv", "../../testdata/sipsyslog/sip-servers.log",
		"../freeswitch/testdata/issue1559-proxy-media.log", "../freeswitch/testdata/issue323-hold.log",
		"../asterisk/testdata/fail2ban.log", "../asterisk/testdata/pjsip-console.log"} {
		data := read(f, path)
		f.Add(data[:min(len(data), 2000)])
	}
	newParser, _ := New("auto", 2024)
	f.Fuzz(func(t *testing.T, text []byte) {
		orig := bytes.Clone(text)
		p := newParser()
		for _, raw := range split.Entries(text, p.StartsEntry) {
			var r model.Record
			p.Parse(raw, &r)
			if !bytes.Equal(r.Raw, raw) {
				t.Fatalf("raw %q became %q", raw, r.Raw)
			}
			r.Message()
			for range r.Fields() {
			}
			r.IDs(func(model.IDKind, []byte) {})
			security.Classify(&r)
		}
		for _, name := range bytes.Split([]byte(Detect(text)), []byte("+")) {
			if _, err := New(string(name), 0); err != nil {
				t.Fatalf("Detect named %q: %v", name, err)
			}
		}
		if !bytes.Equal(text, orig) {
			t.Fatal("the text changed")
		}
	})
}
