package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/calls"
	"github.com/calltail/calltail/model/media"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/model/security"
)

// hostile holds a control, an escape sequence or an invisible character of every class.
const hostile = "x\x1b]52;c;eA==\x07\x1b[2J\u009b\u202e\u200b\u200c\u200d\u00ad\u2028\u3164\ufe0f\U000e0041\ufff9\ue000\u0378\x7f\xff\ty\nz"

// fill sets every string in v, a pointer to a struct, to hostile: fields, lists and the
// strings of nested structs and lists of structs.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		fill(v.Elem())
	case reflect.String:
		v.SetString(hostile)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		}
		for i := range v.Len() {
			fill(v.Index(i))
		}
	}
}

// checkVisible fails if s holds a byte that is not UTF-8, U+FFFD in place of one, or a
// code point that sanitize shows, but line feeds (and tabs, if tabs); it reports whether
// s passed.
func checkVisible(t *testing.T, where, s string, tabs bool) bool {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s holds bytes that are not UTF-8: %q", where, s)
		return false
	}
	for _, r := range s {
		if r == utf8.RuneError || sanitize.IsControl(r) && r != '\n' && !(r == '\t' && tabs) {
			t.Errorf("%s holds %U: %q", where, r, s)
			return false
		}
	}
	return true
}

// checkJSONLines decodes each line of out and checks every string in it.
func checkJSONLines(t *testing.T, where, out string) {
	t.Helper()
	checkVisible(t, where, out, false)
	ok := true // report the first string that fails, not every one
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			ok = ok && checkVisible(t, where+", decoded", v, true) // a SIP message keeps its tabs
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
			t.Fatalf("%s: not JSON: %v: %s", where, err, line)
		}
		walk(v)
	}
	if !strings.Contains(out, "<U+202E>") {
		t.Errorf("%s does not show the text: %s", where, out)
	}
}

// TestEveryStringIsShown sets every string of a call, its streams, changes and SIP
// messages, and of a security group, to hostile text, and finds it shown as text in every
// report, table, line and cell: a field added to a call later cannot reach the terminal or
// a JSON string raw.
func TestEveryStringIsShown(t *testing.T) {
	var c calls.Call
	fill(reflect.ValueOf(&c))
	c.Number, c.Start, c.End = 1, 1_778_745_600_000_000, 1_778_745_660_000_000
	c.Streams = []media.Stream{{}}
	fill(reflect.ValueOf(&c.Streams[0]))
	var m calls.Message
	fill(reflect.ValueOf(&m))
	m.Text, m.Time, m.Src, m.Dst = []byte(hostile), c.Start, "10.0.0.1"+hostile, "10.0.0.2:5060"
	ladder := []calls.Message{m, m}
	var s calls.Series
	fill(reflect.ValueOf(&s))
	s.Samples = []calls.Sample{{Time: c.Start, Value: 3}, {Time: c.End, Value: 1}}
	var rec model.Record
	newParser().Parse([]byte(`2026-05-14 10:00:00,000 Level="INFO" Name="support.`+hostile+`" Message="`+hostile+`" `+hostile+`="`+hostile+`" Detail="`+hostile+`"`), &rec)
	plain := model.Record{Raw: []byte(hostile), Plain: true, Details: []byte(hostile), Node: []byte(hostile)}
	d := calls.Detail{Call: c, Records: []model.Record{rec, plain}, Signalling: ladder, Media: []calls.Series{s, s}}
	g := security.Group{Events: 3}
	fill(reflect.ValueOf(&g))

	var out bytes.Buffer
	WriteCalls(&out, []calls.Call{c})
	checkVisible(t, "WriteCalls", out.String(), false)
	out.Reset()
	WriteCall(&out, &d, 120)
	checkVisible(t, "WriteCall", out.String(), false)
	out.Reset()
	WriteCallsJSON(&out, []calls.Call{c})
	checkJSONLines(t, "WriteCallsJSON", out.String())
	out.Reset()
	WriteCallJSON(&out, &d)
	checkJSONLines(t, "WriteCallJSON", out.String())
	out.Reset()
	WriteSecurity(&out, []security.Group{g})
	checkVisible(t, "WriteSecurity", out.String(), false)
	out.Reset()
	WriteSecurityJSON(&out, []security.Group{g})
	checkJSONLines(t, "WriteSecurityJSON", out.String())

	// What the UI draws from.
	var cells []string
	cells = append(cells, CallRow(&c)...)
	cells = append(cells, StreamRow(c.Streams[0])...)
	cells = append(cells, SecurityRow(&g)...)
	for _, r := range CallSummary(&c) {
		cells = append(cells, r[:]...)
	}
	for _, l := range RenderLadder(ladder, LadderNames(&c), 100) {
		cells = append(cells, l.Text)
		cells = append(cells, MessageNotes(l.Message)...)
	}
	for i := range d.Records {
		cells = append(cells, TimelineLine(&d.Records[i]))
	}
	head, rows := MediaChart(d.Media, c.Start, c.End, 100)
	cells = append(cells, head)
	for _, r := range rows {
		cells = append(cells, r.Text())
	}
	for _, cell := range cells {
		checkVisible(t, "a cell", cell, false)
		if strings.Contains(cell, "\n") {
			t.Errorf("a cell breaks the line: %q", cell)
		}
	}
}
