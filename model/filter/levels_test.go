package filter

import (
	"testing"

	"github.com/calltail/calltail/model"
)

// TestSelectsLevel: the levels each filter cannot select, and that an entry of such a
// level is never selected, whatever its text.
func TestSelectsLevel(t *testing.T) {
	levels := []model.Level{model.LevelDebug, model.LevelInfo, model.LevelNotice, model.LevelWarning, model.LevelError, model.LevelCritical}
	for expr, want := range map[string]string{ // the levels it may select, by initial
		``:                                 "DINWEC",
		`level >= warning`:                 "WEC",
		`level == error && sip`:            "E",
		`level >= error || level == debug`: "DEC",
		`!(level < warning)`:               "WEC",
		`level >= warning || sip`:          "DINWEC",
		`!(level >= warning && sip)`:       "DINWEC",
		`level ~ "^(INFO|ERROR)$"`:         "IE",
		`level > critical`:                 "",
		`sip && !sip`:                      "DINWEC",
	} {
		f, err := Compile(expr)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, l := range levels {
			if f.SelectsLevel(l) {
				got += l.String()[:1]
			} else {
				for _, raw := range []string{"", "sip", "sip error"} {
					if f.Match(&model.Record{Level: l, Raw: []byte(raw)}) {
						t.Errorf("%s: %v said not to be selected, but %q is", expr, l, raw)
					}
				}
			}
		}
		if got != want {
			t.Errorf("%s: selects %s, want %s", expr, got, want)
		}
	}
}
