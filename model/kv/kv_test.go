package kv

import (
	"bytes"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/parsertest"
)

// pairs collects what All yields as "key=value" strings, in order.
func pairs(details string) []string {
	var out []string
	for k, v := range All([]byte(details)) {
		out = append(out, string(k)+"="+string(v))
	}
	return out
}

func TestAll(t *testing.T) {
	tests := []struct {
		name    string
		details string
		want    []string
	}{
		{"empty", ``, nil},
		{"only spaces", "  \t ", nil},
		{"one pair", `Level="INFO"`, []string{`Level=INFO`}},
		{"several pairs", `Level="INFO" Name="support.sip" Message="Received SIP request"`,
			[]string{`Level=INFO`, `Name=support.sip`, `Message=Received SIP request`}},
		{"spaces inside a value", `Message="Participant attempting to join conference." X="y"`,
			[]string{`Message=Participant attempting to join conference.`, `X=y`}},
		{"leading and repeated separators", "  A=\"1\"  \t B=\"2\"\t", []string{`A=1`, `B=2`}},
		{"escaped quotes kept escaped", `Detail="{\"status\": \"success\"}" Next="n"`,
			[]string{`Detail={\"status\": \"success\"}`, `Next=n`}},
		{"escaped backslash before the closing quote", `A="x\\" B="y"`, []string{`A=x\\`, `B=y`}},
		{"escaped backslash then escaped quote", `A="x\\\" y" B="z"`, []string{`A=x\\\" y`, `B=z`}},
		{"empty values", `Service-Tag="" Participant="" X="1"`, []string{`Service-Tag=`, `Participant=`, `X=1`}},
		{"empty value at the end", `A="1" B=""`, []string{`A=1`, `B=`}},
		{"unquoted values", `Status=200 Remote-Port=false A="q"`, []string{`Status=200`, `Remote-Port=false`, `A=q`}},
		{"unquoted empty value", `A= B="2"`, []string{`A=`, `B=2`}},
		{"unquoted empty value at the end", `A="1" B=`, []string{`A=1`, `B=`}},
		{"stray closing quote", `Participant="" Call-id=890b38520c27737c@"`,
			[]string{`Participant=`, `Call-id=890b38520c27737c@`}},
		{"stray closing quote then more pairs", `Call-id=890b38520c27737c@" Next="x"`,
			[]string{`Call-id=890b38520c27737c@`, `Next=x`}},
		{"unterminated quote at the end", `A="1" Detail="unterminated value at the end of the line`,
			[]string{`A=1`, `Detail=unterminated value at the end of the line`}},
		{"unterminated quote, nothing after it", `A="`, []string{`A=`}},
		{"unterminated quote ending in an escape", `A="x\"`, []string{`A=x\"`}},
		{"value spanning physical lines", "Detail=\"Stream 0 (audio)\n  RX: rate 54kbps\n    codec MP4A-LATM\" Next=\"n\"",
			[]string{"Detail=Stream 0 (audio)\n  RX: rate 54kbps\n    codec MP4A-LATM", `Next=n`}},
		{"pair after a physical line break", "A=\"1\"\nB=\"2\"", []string{`A=1`, `B=2`}},
		{"pair after a CRLF line break", "A=\"1\"\r\nB=\"2\"\r", []string{`A=1`, `B=2`}},
		{"unquoted value ends at a line break", "A=1\nB=\"2\"", []string{`A=1`, `B=2`}},
		{"stray quote before the key", `"Message="Alarm lowered" Name="x"`, []string{`Message=Alarm lowered`, `Name=x`}},
		{"bare words skipped", `WARNING support.participant Message="Lost incoming video" Participant=""`,
			[]string{`Message=Lost incoming video`, `Participant=`}},
		{"bare word between pairs", `A="1" junk B="2"`, []string{`A=1`, `B=2`}},
		{"bare word at the end", `A="1" junk`, []string{`A=1`}},
		{"quoted run inside a bare word is skipped whole", `A="1" x"y = z" B="2"`, []string{`A=1`, `B=2`}},
		{"unescaped quotes inside a value", `Message="He said "hi there" ok" B="2"`, []string{`Message=He said `, `B=2`}},
		{"empty key skipped", `="x y" B="2"`, []string{`B=2`}},
		{"equals inside a quoted value", `Q="a=b c=d" B="2"`, []string{`Q=a=b c=d`, `B=2`}},
		{"equals inside an unquoted value", `Q=a=b B="2"`, []string{`Q=a=b`, `B=2`}},
		{"keys with digits dots underscores", `Fragment-id="1" x.y_z="2" K9="3"`, []string{`Fragment-id=1`, `x.y_z=2`, `K9=3`}},
		{"no space between pairs", `A="1"B="2"`, []string{`A=1`, `B=2`}},
		{"non-ASCII value", `Conference="Zoë 会议" B="2"`, []string{`Conference=Zoë 会议`, `B=2`}},
		{"tab separated", "A=\"1\"\tB=\"2\"", []string{`A=1`, `B=2`}},
		{"duplicate keys both yielded", `A="1" a="2"`, []string{`A=1`, `a=2`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pairs(tt.details)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("All(%q)\n got %q\nwant %q", tt.details, got, tt.want)
			}
		})
	}
}

func TestAllStopsEarly(t *testing.T) {
	n := 0
	for range All([]byte(`A="1" B="2" C="3"`)) {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatalf("iterated %d times after break at 2", n)
	}
}

func TestAllSubslices(t *testing.T) {
	in := []byte(`"Message="Alarm lowered" Call-id=890b38520c27737c@" Detail="a\"b`)
	for k, v := range All(in) {
		checkSubslice(t, in, k)
		checkSubslice(t, in, v)
	}
}

func TestAllDoesNotAllocate(t *testing.T) {
	in := []byte(`Level="INFO" Name="support.sip" Message="Received SIP request" Call-id=890b38520c27737c@" Detail="x\"y`)
	allocs := testing.AllocsPerRun(100, func() {
		for k, v := range All(in) {
			_, _ = k, v
		}
		Lookup(in, "detail")
	})
	if allocs != 0 {
		t.Errorf("All and Lookup allocate %v times per run", allocs)
	}
}

func TestLookup(t *testing.T) {
	const details = `Level="INFO" Name="administrator.conference" Call-id="fe71" Participant-Id="44be" Service-tag="" ` +
		`Remote-Port="false" Detail="a\"b" Call-ID="second"`
	tests := []struct {
		key    string
		want   string
		wantOK bool
	}{
		{"Level", "INFO", true},
		{"level", "INFO", true},
		{"LEVEL", "INFO", true},
		{"Call-Id", "fe71", true}, // the first of Call-id and Call-ID
		{"call-id", "fe71", true},
		{"CALL-ID", "fe71", true},
		{"Participant-id", "44be", true},
		{"Service-Tag", "", true}, // present but empty
		{"Remote-Port", "false", true},
		{"Detail", `a\"b`, true}, // raw, still escaped
		{"Missing", "", false},
		{"Call", "", false},     // a prefix of a key is not the key
		{"Call-idx", "", false}, // nor is a longer one
		{"Call_id", "", false},  // '-' and '_' are different
		{"", "", false},         // no empty key
		{"administrator", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			v, ok := Lookup([]byte(details), tt.key)
			if ok != tt.wantOK || string(v) != tt.want {
				t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.key, v, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestValueStart finds a quoted value's start only where a pair starts.
func TestValueStart(t *testing.T) {
	tests := []struct {
		details, want string
		wantOK        bool
	}{
		{`Detail="INVITE sip:a SIP/2.0" X="y"`, `INVITE sip:a SIP/2.0" X="y"`, true}, // to the end of the details
		{`Message="sent" Detail="BYE"`, `BYE"`, true},
		{`X-Detail="no" Detail="yes"`, `yes"`, true},         // the key, not a key ending in it
		{`Message="Detail="no"" Detail="yes"`, `yes"`, true}, // not inside a value
		{`Detailed="no" Detail=unquoted`, ``, false},         // only quoted values
		{`Message="none"`, ``, false},
		{`Detail="`, ``, true},
	}
	for _, tt := range tests {
		v, ok := ValueStart([]byte(tt.details), "Detail")
		if ok != tt.wantOK || string(v) != tt.want {
			t.Errorf("ValueStart(%q) = %q, %v; want %q, %v", tt.details, v, ok, tt.want, tt.wantOK)
		}
	}
}

func TestLookupQuirks(t *testing.T) {
	tests := []struct {
		details, key, want string
	}{
		{`Participant="" Call-id=890b38520c27737c@"`, "Call-Id", "890b38520c27737c@"},
		{`"Message="Alarm lowered"`, "message", "Alarm lowered"},
		{`A="x y" Detail="unterminated`, "detail", "unterminated"},
		{"Detail=\"Traceback\n  File \\\"x.py\\\"\nValueError\" Next=\"n\"", "next", "n"},
		{"Detail=\"multi\nline\"\nNext=\"n\"", "next", "n"},
		{`Text="Key=\"not a pair\"" Key="real"`, "key", "real"},
	}
	for _, tt := range tests {
		v, ok := Lookup([]byte(tt.details), tt.key)
		if !ok || string(v) != tt.want {
			t.Errorf("Lookup(%q, %q) = %q, %v; want %q", tt.details, tt.key, v, ok, tt.want)
		}
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, ``},
		{`plain`, `plain`},
		{`\"`, `"`},
		{`a\"b\"c`, `a"b"c`},
		{`\\`, `\`},
		{`\\\"`, `\"`},
		{`\\\\`, `\\`},
		{`{\"status\": \"success\"}`, `{"status": "success"}`},
		{`C:\path\to`, `C:\path\to`}, // other backslashes kept
		{`line\nbreak`, `line\nbreak`},
		{`trailing\`, `trailing\`}, // a lone backslash at the end is kept
		{`\`, `\`},
		{`\\\`, `\\`},
		{`\x\"`, `\x"`},
		{`Zoë \"会议\"`, `Zoë "会议"`},
	}
	for _, tt := range tests {
		got := Unescape(nil, []byte(tt.in))
		if string(got) != tt.want {
			t.Errorf("Unescape(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// It appends to dst.
		got = Unescape([]byte("pre:"), []byte(tt.in))
		if string(got) != "pre:"+tt.want {
			t.Errorf("Unescape(pre:, %q) = %q, want %q", tt.in, got, "pre:"+tt.want)
		}
	}
}

func TestNeedsUnescape(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{``, false},
		{`plain`, false},
		{`a\"b`, true},
		{`\\`, true},
		{`x\\y`, true},
		{`C:\path`, false}, // Unescape keeps it unchanged
		{`line\n`, false},
		{`trailing\`, false},
		{`\`, false},
		{`\x \"`, true},
	}
	for _, tt := range tests {
		if got := NeedsUnescape([]byte(tt.in)); got != tt.want {
			t.Errorf("NeedsUnescape(%q) = %v, want %v", tt.in, got, tt.want)
		}
		// The contract: true exactly when Unescape would change the value.
		changed := !bytes.Equal(Unescape(nil, []byte(tt.in)), []byte(tt.in))
		if changed != tt.want {
			t.Errorf("Unescape(%q) changes it = %v, want %v", tt.in, changed, tt.want)
		}
	}
}

func TestEqualFold(t *testing.T) {
	tests := []struct {
		b, s string
		want bool
	}{
		{"", "", true},
		{"Call-id", "Call-ID", true},
		{"CALL-ID", "call-id", true},
		{"Call-id", "Call-id", true},
		{"Call-id", "Call-i", false},
		{"Call-i", "Call-id", false},
		{"Call_id", "Call-id", false},
		{"abc", "abd", false},
		{"@", "`", false}, // 0x40 and 0x60 differ only in bit 0x20 but are not letters
		{"[", "{", false},
		{"]", "}", false},
		{"^", "~", false},
		{"_", "\x7f", false},
		{"1", "\x11", false},
		{"\xc1", "\xe1", false}, // not ASCII letters
		{"Zoë", "ZOë", true},
		{"zoë", "ZOË", false}, // only ASCII letters fold
		{"Z", "z", true},
		{"A", "a", true},
		{"z", "Z", true},
	}
	for _, tt := range tests {
		if got := EqualFold([]byte(tt.b), tt.s); got != tt.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", tt.b, tt.s, got, tt.want)
		}
	}
}

// TestEqualFoldAllBytes checks every pair of bytes against a simple reference.
func TestEqualFoldAllBytes(t *testing.T) {
	lower := func(c byte) byte {
		if 'A' <= c && c <= 'Z' {
			return c + 32
		}
		return c
	}
	for x := 0; x < 256; x++ {
		for y := 0; y < 256; y++ {
			want := lower(byte(x)) == lower(byte(y))
			if got := EqualFold([]byte{byte(x)}, string([]byte{byte(y)})); got != want {
				t.Fatalf("EqualFold(%#x, %#x) = %v, want %v", x, y, got, want)
			}
		}
	}
}

func checkSubslice(t *testing.T, in, part []byte) {
	t.Helper()
	if len(part) == 0 {
		return
	}
	if !parsertest.Within(in, part) {
		t.Fatalf("%q is not a subslice of %q", part, in)
	}
}

func FuzzAll(f *testing.F) {
	for _, s := range []string{
		``,
		`Level="INFO" Name="support.sip" Message="Received SIP request"`,
		`Participant="" Call-id=890b38520c27737c@"`,
		`"Message="Alarm lowered"`,
		`Detail="{\"a\": \"b\\\\\"}"`,
		`A="unterminated`,
		"Detail=\"a\nb\" C=d\r\nE=\"f\"",
		`x"y z" ="" ""=x A= B`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		n := 0
		for k, v := range All(in) {
			n++
			if len(k) == 0 {
				t.Fatalf("empty key from %q", in)
			}
			if !parsertest.Within(in, k) || !parsertest.Within(in, v) {
				t.Fatalf("key %q or value %q not inside %q", k, v, in)
			}
			if bytes.ContainsAny(k, " \t\n\r=\"") {
				t.Fatalf("key %q holds a separator", k)
			}
			// Lookup finds a pair with this key (the first one that matches).
			if _, ok := Lookup(in, string(k)); !ok {
				t.Fatalf("Lookup(%q) misses a key All yields from %q", k, in)
			}
			u := Unescape(nil, v)
			if len(u) > len(v) {
				t.Fatalf("Unescape grew %q to %q", v, u)
			}
			if NeedsUnescape(v) == bytes.Equal(u, v) {
				t.Fatalf("NeedsUnescape(%q) = %v but Unescape gives %q", v, NeedsUnescape(v), u)
			}
		}
		if n > len(in) {
			t.Fatalf("%d pairs from %d bytes", n, len(in))
		}
	})
}
