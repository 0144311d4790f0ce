package callview

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

var update = flag.Bool("update", false, "rewrite the golden screens in testdata")

// golden compares a screen with testdata/NAME.golden.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui/callview -update)", err)
	}
	if got != string(want) {
		t.Errorf("screen %s differs from %s (run go test ./tui/callview -update and review):\n%s", name, path, got)
	}
}

// qualityLog is a call whose quality goes bad and back to ok, with its end-of-call
// statistics: a stream with 5.08% loss and 88 ms jitter.
const qualityLog = `2026-05-14 10:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." ConferenceAlias="meet@example.com" Participant="sip:alice@example.com" Protocol="WebRTC" Direction="in" Participant-Id="p1"
2026-05-14 10:00:02,000 Level="INFO" Name="administrator.conference" Message="Participant has joined." Conference="Meet" ConferenceAlias="meet@example.com" Participant="sip:alice@example.com" DisplayName="Alice" Protocol="WebRTC" Call-Id="c1" Participant-Id="p1"
2026-05-14 10:00:30,000 Level="WARNING" Name="support.media" Message="Stable call quality changed" Participant="sip:alice@example.com" Call-Id="c1" Was="1_good" Now="3_bad"
2026-05-14 10:01:00,000 Level="INFO" Name="support.media" Message="Stable call quality changed" Participant="sip:alice@example.com" Call-Id="c1" Was="3_bad" Now="2_ok"
2026-05-14 10:01:40,000 Level="INFO" Name="support.media" Message="Media Stream destroyed" Participant="sip:alice@example.com" Call-Id="c1" Detail="Stream 0 (audio)^M  RX: rate 53kbps loss 5.08% jitter 88ms^M  TX: rate 49kbps loss 0.00% jitter 3ms^M    codec G.722 rate 64kbps"
2026-05-14 10:01:40,000 Level="INFO" Name="administrator.conference" Message="Participant has disconnected." Conference="Meet" Participant="sip:alice@example.com" Call-Id="c1" Participant-Id="p1" Duration="98.0" Detail="Remote disconnect"
`

// TestMediaOverTime shows the Media tab of a call whose quality changed: under the
// streams table, a sparkline of the call's quality over its time, the bad part in the
// error style and the ok part in the warning style, and its worst value.
func TestMediaOverTime(t *testing.T) {
	m := open(t, qualityLog)
	m.SetSize(100, 24)
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	m.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	view := m.View()
	golden(t, "media", ansi.Strip(view))
	var coloured strings.Builder
	w := &colorprofile.Writer{Forward: &coloured, Profile: colorprofile.ANSI256}
	w.WriteString(view)
	golden(t, "media.256", coloured.String())

	st := m.styles
	for _, want := range []string{
		"call quality            ", // the label, then the good part as it is
		st.ErrorRow.Render(strings.Repeat("▆", 15)),
		st.WarnRow.Render(strings.Repeat("▄", 18)),
		st.ErrorRow.Render("worst bad at 10:00:30 — bad"),
	} {
		if !strings.Contains(view, want) {
			t.Errorf("the media tab lacks %q:\n%s", want, view)
		}
	}
}
