package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// corpusClass is one class of testdata/hostile/corpus.txt.
type corpusClass struct{ name, text string }

func readCorpus(t *testing.T) []corpusClass {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "hostile", "corpus.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusClass
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, quoted, ok := strings.Cut(line, "\t")
		text, err := strconv.Unquote(quoted)
		if !ok || err != nil {
			t.Fatalf("corpus line %q: %v", line, err)
		}
		out = append(out, corpusClass{name, text})
	}
	return out
}

// legit is a display name that must come through every output as it is: letters of other
// scripts, an emoji ZWJ sequence and an emoji with its presentation selector.
const legit = "Zoë李雷👩\u200d💻❤\ufe0f"

// hostileLog writes a Pexip log in which every field of a conference line, a SIP line (its
// node too), two failed logins (the user, the address) and a line of another module carries
// one corpus class, and returns its path and each class's call id.
func hostileLog(t *testing.T, corpus []corpusClass) (string, []string) {
	t.Helper()
	var b strings.Builder
	var ids []string
	for i, c := range corpus {
		T := c.text
		ts := fmt.Sprintf("2026-05-14 10:%02d:00,000", i)
		callID := fmt.Sprintf("c%d%s@x", i, T)
		ids = append(ids, callID)
		fmt.Fprintf(&b, `%s Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference.%s." Participant="sip:%s@example.com" ConferenceAlias="meet%s@example.com" Protocol="SIP%s." Participant-Id="p%d%s." Call-Id="%s"`+"\n",
			ts, T, T, T, T, i, T, callID)
		fmt.Fprintf(&b, `2026-05-14T10:%02d:01.000+00:00 n%d%s %s Level="INFO" Name="support.sip" Message="Received SIP request" Src-address="198.51.100.%d%s.x" Src-port="5061" Dst-address="10.0.1.11" Dst-port="5061" Transport="TLS%s." Call-Id="%s" Detail="INVITE sip:%s@example.com SIP/2.0^MVia: SIP/2.0/TLS 198.51.100.1:5061;branch=z9hG4bK%s^MFrom: <sip:%s@example.com>;tag=1^MTo: <sip:meet@example.com>^MCall-ID: %s^MCSeq: 1 INVITE%s.^MContent-Length: 0^M^M"`+"\n",
			i, i, T, ts, i, T, T, callID, T, T, T, callID, T)
		fmt.Fprintf(&b, `%s Level="WARNING" Name="administrator.configuration" Message="User login failed" User="admin%s." Remote-Address="192.0.2.7"`+"\n", ts, T)
		fmt.Fprintf(&b, `%s Level="WARNING" Name="administrator.configuration" Message="User login failed" User="root" Remote-Address="192.0.2.%d%s."`+"\n", ts, i, T)
		fmt.Fprintf(&b, `%s Level="ERROR" Name="support.%s." Message="%s." Detail="%s."`+"\n", ts, T, T, T)
	}
	fmt.Fprintf(&b, `2026-05-14 11:00:00,000 Level="INFO" Name="administrator.conference" Message="Participant attempting to join conference." Participant="%s" ConferenceAlias="meet@example.com" Protocol="SIP" Participant-Id="legit" Call-Id="legit@x"`+"\n", legit)
	path := filepath.Join(t.TempDir(), "hostile.log")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, ids
}

// hidden reports the code points that no output may hold as they are, decided here from
// Unicode's own classes rather than from package sanitize: C0 and C1 controls and DEL;
// format characters (bidirectional controls, zero-width characters, ZWNJ and ZWJ, the
// soft hyphen, tags, interlinear annotation...); line and paragraph separators; private
// use; default-ignorable code points (Hangul fillers, variation selectors, the combining
// grapheme joiner...); noncharacters; the unassigned code points of the corpus; and
// U+FFFD, which would stand for a byte that was not UTF-8 instead of showing it.
func hidden(r rune, tabs bool) bool {
	switch {
	case r == '\n' || r == '\t' && tabs:
		return false
	case r == utf8.RuneError, r == 0x0378, r == 0x50000, r >= 0xe0000 && r <= 0xe0fff:
		return true
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Zl, unicode.Zp, unicode.Variation_Selector,
		unicode.Other_Default_Ignorable_Code_Point, unicode.Noncharacter_Code_Point)
}

// checkShown fails if s holds a byte that is not UTF-8 or a hidden code point, apart from
// the ZWJ and selector of the legitimate name.
func checkShown(t *testing.T, where, s string, tabs bool) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: holds bytes that are not UTF-8: %q", where, s)
		return
	}
	s = strings.ReplaceAll(s, legit, "")
	for _, r := range s {
		if hidden(r, tabs) {
			t.Errorf("%s: holds %U raw: %q", where, r, s)
			return
		}
	}
}

// checkJSON decodes every line of out as JSON and checks the bytes and every string and
// key in it, and returns the decoded strings joined.
func checkJSON(t *testing.T, where, out string, tabs bool) string {
	t.Helper()
	checkShown(t, where+" (as bytes)", out, tabs)
	var all strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			checkShown(t, where+" (decoded)", v, tabs)
			all.WriteString(v + "\n")
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				walk(k)
				walk(x)
			}
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		var v any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("%s: not JSON: %v: %q", where, err, line)
		}
		walk(v)
	}
	return all.String()
}

// TestHostileOutputs pushes the escape corpus of testdata/hostile through every headless
// output, text and JSON, and finds every class shown as visible text: nothing raw, in the
// bytes written or in any string decoded from the JSON.
func TestHostileOutputs(t *testing.T) {
	corpus := readCorpus(t)
	path, ids := hostileLog(t, corpus)
	// What each output must show of the corpus, so that a test of an empty output fails.
	visible := []string{"^[[2J", "^[]52", "<U+202E>", "<U+200D>", "<U+00AD>", "<U+2028>", "<U+3164>",
		"<U+FE0F>", "<U+E0068>", "<U+FFF9>", "<U+009B>", `\xff`, "^?", "^@"}
	type run struct {
		name        string
		args        []string
		json, tabs  bool // JSON output; tabs kept (-n keeps them, and a call's SIP messages)
		wantVisible bool // the output holds every class
	}
	runs := []run{
		{"-n", []string{"-n", path}, false, true, true},
		{"-n --json", []string{"-n", "--json", path}, true, true, true},
		{"--calls", []string{"--calls", path}, false, false, true},
		{"--calls --json", []string{"--calls", "--json", path}, true, false, true},
		{"--security", []string{"--security", path}, false, false, true},
		{"--security --json", []string{"--security", "--json", path}, true, false, true},
	}
	for i, id := range ids {
		runs = append(runs, run{"--call " + corpus[i].name, []string{"--call", id, path}, false, false, false},
			run{"--call --json " + corpus[i].name, []string{"--call", id, "--json", path}, true, true, false})
	}
	for _, r := range runs {
		t.Run(r.name, func(t *testing.T) {
			code, out, errOut := calltail(t, "", r.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			text := out
			if r.json {
				text = checkJSON(t, r.name, out, r.tabs)
			} else {
				checkShown(t, r.name, out, r.tabs)
			}
			if r.wantVisible {
				for _, v := range visible {
					if !strings.Contains(text, v) {
						t.Errorf("%s: %q is not shown", r.name, v)
					}
				}
			}
			if !strings.Contains(r.name, "security") && !strings.Contains(r.name, "--call ") && !strings.Contains(text, legit) {
				t.Errorf("%s: the name %q is not shown as it is", r.name, legit)
			}
		})
	}
}
