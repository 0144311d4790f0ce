package sip

import (
	"bytes"
	"strings"
	"testing"

	"github.com/calltail/calltail/model/parsertest"
)

func lines(msg string) []string {
	out := []string{}
	for l := range Lines([]byte(msg)) {
		out = append(out, string(l))
	}
	return out
}

func TestLines(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", []string{}},
		{"a", []string{"a"}},
		{"a^Mb", []string{"a", "b"}},
		{"a^Mb^Mc", []string{"a", "b", "c"}},
		{"a^M", []string{"a"}},                       // a final line break ends the last line
		{"a^M^M", []string{"a", ""}},                 // a blank line before the end
		{"a^M^Mb", []string{"a", "", "b"}},           // the blank line before the body
		{"^M", []string{""}},                         // one empty line
		{"^Ma", []string{"", "a"}},                   // leading break
		{"^M^M", []string{"", ""}},                   // two empty lines
		{"a\nb", []string{"a", "b"}},                 // real line breaks
		{"a\r\nb\r\n", []string{"a", "b"}},           // CRLF
		{"a\r^Mb", []string{"a", "b"}},               // carriage return before ^M
		{"a\r", []string{"a"}},                       // trailing CR at the end
		{"a\rb", []string{"a\rb"}},                   // only a trailing CR is removed
		{"a\r\r\nb", []string{"a\r", "b"}},           // only one
		{"a^", []string{"a^"}},                       // a lone caret
		{"a^Nb^", []string{"a^Nb^"}},                 // other caret pairs are text
		{"a^^Mb", []string{"a^", "b"}},               // a caret before ^M
		{"a^M^M^Mb", []string{"a", "", "", "b"}},     // three breaks: two blank lines
		{"a\n^Mb", []string{"a", "", "b"}},           // both kinds, the earlier first
		{"a^M\nb", []string{"a", "", "b"}},           // each counts
		{"a^Mb\nc^Md", []string{"a", "b", "c", "d"}}, // mixed
		{"M^", []string{"M^"}},
		{"Zoë^M会议", []string{"Zoë", "会议"}},
	}
	for _, tt := range tests {
		got := lines(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("Lines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLinesStopsEarly(t *testing.T) {
	n := 0
	for range Lines([]byte("a^Mb^Mc^Md")) {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Fatalf("iterated %d times after break at 2", n)
	}
}

const (
	invite = `INVITE sip:meet.alice@example.com SIP/2.0^M` +
		`Via: SIP/2.0/TLS 10.44.5.9:5061;branch=z9hG4bK776asdhds^M` +
		`Max-Forwards: 70^M` +
		`From: "Alice" <sip:alice@example.com>;tag=1928301774^M` +
		`To: <sip:meet.alice@example.com>^M` +
		`Call-ID: 890b38520c27737c@10.44.5.9^M` +
		`CSeq: 314159 INVITE^M` +
		`User-Agent: Acme Phone 1.2^M` +
		`Content-Type: application/sdp^M` +
		`Content-Length: 142^M` +
		`^M` +
		`v=0^M` +
		`o=alice 2890844526 2890844526 IN IP4 10.44.5.9^M` +
		`c=IN IP4 10.44.5.9^M` +
		`m=audio 49170 RTP/AVP 0^M` +
		`a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x^M`
	// compact is the 200 OK from testdata/quirks.log: compact header names.
	compact = `SIP/2.0 200 OK^Mv: SIP/2.0/TLS 10.44.7.2:5061;branch=z9hG4bK9^Mi: 5e7a11c2b0f94a33@10.44.7.2^MCSeq: 2 BYE^Ml: 0^M`
	// physical is a message as copied from the web interface: real line breaks.
	physical = "BYE sip:meet.alice@example.com SIP/2.0\r\nVia: SIP/2.0/TLS 10.44.5.9\r\ncall-id: abc@host\r\nCSeq: 2 BYE\r\n\r\n"
)

func TestIsMessage(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{invite, true},
		{compact, true},
		{physical, true},
		{"BYE sip:x SIP/2.0", true},
		{"SIP/2.0 200 OK", true},
		{"SIP/2.0 180 Ringing^MCall-ID: x", true},
		{"OPTIONS sip:10.0.1.11 SIP/2.0\nVia: x", true},
		{"REGISTER sip:example.com SIP/2.0\r^MVia: x", true},
		{"", false},
		{"^MINVITE sip:x SIP/2.0", false}, // the first line is empty
		{"SIP/2.0", false},
		{"SIP/2.0/TLS 10.0.0.1:5061", false},
		{"sip/2.0 200 OK", false},
		{"INVITE sip:x sip/2.0", false},
		{"INVITE sip:x SIP/2.0 ", false},
		{"INVITE sip:x SIP/2.1", false},
		{"Stream 0 (audio)^M  RX: rate 54kbps", false},
		{`{\"status\": \"success\"}`, false},
		{"hello^MSIP/2.0 200 OK", false}, // only the first line counts
		{"admissionRequest: requestSeqNum 1", false},
	}
	for _, tt := range tests {
		if got := IsMessage([]byte(tt.in)); got != tt.want {
			t.Errorf("IsMessage(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestHeader(t *testing.T) {
	tests := []struct {
		name          string
		msg           string
		header, short string
		want          string
		ok            bool
	}{
		{"full name", invite, "Call-ID", "i", "890b38520c27737c@10.44.5.9", true},
		{"any case", invite, "call-id", "", "890b38520c27737c@10.44.5.9", true},
		{"upper case", invite, "CALL-ID", "", "890b38520c27737c@10.44.5.9", true},
		{"value keeps inner spaces", invite, "CSeq", "", "314159 INVITE", true},
		{"value with colons", invite, "Via", "v", "SIP/2.0/TLS 10.44.5.9:5061;branch=z9hG4bK776asdhds", true},
		{"value with quotes", invite, "From", "f", `"Alice" <sip:alice@example.com>;tag=1928301774`, true},
		{"user agent", invite, "User-Agent", "", "Acme Phone 1.2", true},
		{"compact form", compact, "Call-ID", "i", "5e7a11c2b0f94a33@10.44.7.2", true},
		{"compact form not asked for", compact, "Call-ID", "", "", false},
		{"compact Via", compact, "Via", "v", "SIP/2.0/TLS 10.44.7.2:5061;branch=z9hG4bK9", true},
		{"compact Content-Length", compact, "Content-Length", "l", "0", true},
		{"compact in upper case", "SIP/2.0 200 OK^MI: X@y^M", "Call-ID", "i", "X@y", true},
		{"real line breaks", physical, "Call-ID", "i", "abc@host", true},
		{"missing", invite, "Subject", "s", "", false},
		{"body is not headers", invite, "a", "", "", false},
		{"SDP c= line is not a header", invite, "c", "", "", false},
		{"header after the blank line ignored", "INVITE sip:x SIP/2.0^MVia: a^M^MCall-ID: body@x", "Call-ID", "i", "", false},
		{"start line is not a header", "Call-ID: start@x^MVia: a", "Call-ID", "i", "", false},
		{"first of two", "SIP/2.0 200 OK^MCall-ID: one^MCall-ID: two", "Call-ID", "", "one", true},
		{"compact before full", "SIP/2.0 200 OK^Mi: short^MCall-ID: long", "Call-ID", "i", "short", true},
		{"spaces around the colon", "SIP/2.0 200 OK^MCall-ID \t:   spaced@x  ", "Call-ID", "", "spaced@x", true},
		{"no space after the colon", "SIP/2.0 200 OK^MCall-ID:tight@x", "Call-ID", "", "tight@x", true},
		{"empty value", "SIP/2.0 200 OK^MCall-ID:^MVia: a", "Call-ID", "", "", true},
		{"line without a colon skipped", "SIP/2.0 200 OK^Mgarbage^MCall-ID: x", "Call-ID", "", "x", true},
		{"line starting with a colon skipped", "SIP/2.0 200 OK^M: x^MCall-ID: y", "Call-ID", "", "y", true},
		{"prefix of a name is not the name", "SIP/2.0 200 OK^MCall-IDx: no^MCall: no", "Call-ID", "", "", false},
		{"only a start line", "SIP/2.0 200 OK", "Call-ID", "i", "", false},
		{"empty message", "", "Call-ID", "i", "", false},
		{"CRLF and ^M mixed", "SIP/2.0 200 OK\r^MCall-ID: m@x\r^M", "Call-ID", "", "m@x", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := Header([]byte(tt.msg), tt.header, tt.short)
			if ok != tt.ok || string(v) != tt.want {
				t.Errorf("Header(%q, %q, %q) = %q, %v; want %q, %v", tt.msg, tt.header, tt.short, v, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCallID(t *testing.T) {
	tests := []struct {
		msg  string
		want string
		ok   bool
	}{
		{invite, "890b38520c27737c@10.44.5.9", true},
		{compact, "5e7a11c2b0f94a33@10.44.7.2", true},
		{physical, "abc@host", true},
		{"SIP/2.0 200 OK^MCALL-ID: up@x^M", "up@x", true},
		{"SIP/2.0 200 OK^MCall-ID: whole@x\r\n", "whole@x", true},
		// A header at the very end may have been cut: a fragment's first part is no id.
		{"SIP/2.0 200 OK^MCALL-ID: up@x", "", false},
		{"INVITE sip:a@b SIP/2.0^MVia: x^MCall-ID: 6db7", "", false},
		{"INVITE sip:a@b SIP/2.0^MVia: x^MCall-ID: 6db7f57bfa9d704e@10.44.5.9^", "", false}, // cut inside ^M
		{"INVITE sip:a@b SIP/2.0^Mi: 6db7f57bfa9d704e@10.44.5.9^MCSeq: 9", "6db7f57bfa9d704e@10.44.5.9", true},
		{"SIP/2.0 200 OK^MCall-ID:^M", "", false},     // empty
		{"SIP/2.0 200 OK^MCall-ID:    ^M", "", false}, // blank
		{"SIP/2.0 200 OK^MVia: x^M^Mi: body", "", false},
		{"Stream 0 (audio)^M  RX: rate 54kbps", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		v, ok := CallID([]byte(tt.msg))
		if ok != tt.ok || string(v) != tt.want {
			t.Errorf("CallID(%q) = %q, %v; want %q, %v", tt.msg, v, ok, tt.want, tt.ok)
		}
	}
}

// TestCutAnywhere cuts a message at every byte, as Pexip cuts a long one into fragments:
// the first part gives the whole Call-ID or none, and the header section is seen to end
// only once the blank line is in it.
func TestCutAnywhere(t *testing.T) {
	const id = "890b38520c27737c@10.44.5.9"
	blank := strings.Index(invite, "^M^M") + len("^M^M")
	whole := 0
	for cut := range len(invite) + 1 {
		part := []byte(invite[:cut])
		if v, ok := CallID(part); ok {
			if string(v) != id {
				t.Fatalf("cut at %d: Call-ID %q, want %q or none", cut, v, id)
			}
			whole++
		}
		if v, ok := WholeHeader(part, "From", "f"); ok && string(v) != `"Alice" <sip:alice@example.com>;tag=1928301774` {
			t.Fatalf("cut at %d: From %q", cut, v)
		}
		if got, want := HeadersEnd(part), cut >= blank; got != want {
			t.Fatalf("cut at %d: HeadersEnd %v, want %v", cut, got, want)
		}
	}
	if whole == 0 {
		t.Fatal("no cut gave the Call-ID")
	}
	if HeadersEnd([]byte(compact)) || !HeadersEnd([]byte(physical)) {
		t.Error("HeadersEnd: a message without a blank line has none; one with has one")
	}
}

func TestDoesNotAllocate(t *testing.T) {
	msg := []byte(invite)
	n := testing.AllocsPerRun(100, func() {
		IsMessage(msg)
		CallID(msg)
		HeadersEnd(msg)
		for range Lines(msg) {
		}
	})
	if n != 0 {
		t.Errorf("allocates %v times", n)
	}
}

func FuzzSIP(f *testing.F) {
	for _, s := range []string{invite, compact, physical, "a^M^M^", "^", "\r\n\r", "SIP/2.0 200 OK^MCall-ID:^Mi: x"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		total := 0
		for l := range Lines(msg) {
			if !parsertest.Within(msg, l) {
				t.Fatalf("line %q not inside %q", l, msg)
			}
			if bytes.IndexByte(l, '\n') >= 0 || bytes.Contains(l, []byte("^M")) {
				t.Fatalf("line %q holds a line break", l)
			}
			total += len(l)
		}
		if total > len(msg) {
			t.Fatalf("lines of %q hold %d bytes", msg, total)
		}
		IsMessage(msg)
		if v, ok := CallID(msg); ok {
			if len(v) == 0 || !parsertest.Within(msg, v) {
				t.Fatalf("CallID(%q) = %q", msg, v)
			}
			if bytes.TrimSpace(v) == nil || len(bytes.TrimSpace(v)) != len(v) {
				t.Fatalf("CallID(%q) = %q, not trimmed", msg, v)
			}
		}
	})
}
