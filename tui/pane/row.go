package pane

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/model/sip"
	"github.com/charmbracelet/x/ansi"
)

// TimeMode is which time the rows show.
type TimeMode int

// The time modes, in the order t cycles them.
const (
	Originating TimeMode = iota // when the event happened, UTC
	Syslog                      // when syslog logged it, UTC
	Local                       // when the event happened, in the local time zone
)

var timeModeNames = [...]string{"originating time (UTC)", "syslog time (UTC)", "local time"}

// String names the mode for the status line.
func (m TimeMode) String() string { return timeModeNames[m] }

// Next returns the mode after m, cycling.
func (m TimeMode) Next() TimeMode { return (m + 1) % 3 }

// row is an entry formatted for the list, as plain text columns, before any styling.
type row struct {
	level  model.Level
	time   string
	node   string
	badge  string
	mod    string
	text   string // the message, then the most telling fields
	msgEnd int    // where the message ends in text
	hit    string // the text around the search's first hit in the entry, when it has one
	header bool   // the header line of an export: its columns' names, not an entry
}

// rowOptions are how entries are formatted into rows.
type rowOptions struct {
	mode  TimeMode
	wrap  bool // a Detail's first line whole
	years bool // dates with the year: the entries span years
	// firstOf returns the start of the message whose first fragment carries Fragment-id
	// id ("" if unknown); nil knows none.
	firstOf func(id []byte) string
}

// badges are the level names, shortened to one width.
var badges = map[model.Level]string{
	model.LevelDebug: "DEBUG", model.LevelInfo: "INFO", model.LevelNotice: "NOTICE",
	model.LevelWarning: "WARN", model.LevelError: "ERROR", model.LevelCritical: "CRIT",
}

// telling are the fields shown after the message, most telling first. An entry that
// carries none of them shows its own fields instead, in their order, each long value cut.
var telling = []string{
	"Participant", "DisplayName", "Conference", "ConferenceAlias", "Protocol", "Direction", "Call-Id",
	"Reason", "Detail", "Duration", "User", "Remote-Address", "Method", "Status", "Path", "Node", "Alarm",
	"Was", "Now", "Vendor", "Src-address", "Dst-address",
}

// maxFields is how many telling fields a row shows.
const maxFields = 6

// format turns a parsed entry into a row.
func format(r *model.Record, opt rowOptions) row {
	out := row{level: r.Level, badge: badges[r.Level], node: sanitize.String(string(r.Node)), mod: sanitize.String(string(r.Module))}
	if out.badge == "" {
		out.badge = r.Level.String()
	}
	out.time = formatTime(r, opt.mode, opt.years)
	if isHeader(r) {
		var cols []string
		for c := range bytes.SplitSeq(r.Details, []byte{'\t'}) {
			if c = bytes.TrimSpace(c); len(c) > 0 {
				cols = append(cols, clean(c))
			}
		}
		out.header, out.badge = true, ""
		out.text = "columns: " + strings.Join(cols, " · ")
		out.msgEnd = len(out.text)
		return out
	}
	var b strings.Builder
	msg := r.Message()
	b.WriteString(clean(msg))
	out.msgEnd = b.Len()
	wrap := opt.wrap
	if r.Shape != nil { // another format: its SIP message's start line, its own fields
		if d, ok := r.Field("Detail"); ok {
			b.WriteString("  " + detailSummary(d, wrap))
		}
		n := 0
		for key, v := range r.Fields() {
			if len(v) == 0 || bytes.Contains(msg, v) {
				continue
			}
			if n == maxFields {
				break
			}
			n++
			b.WriteString("  " + clean(key) + "=" + clean(v))
		}
	} else if !r.Plain {
		n := 0
		for _, key := range telling {
			v, ok := r.Field(key)
			if !ok || len(v) == 0 {
				continue
			}
			if n == maxFields {
				break
			}
			n++
			b.WriteString("  ")
			if key == "Detail" {
				b.WriteString(fragmentSummary(r, v, opt))
				continue
			}
			b.WriteString(key)
			b.WriteByte('=')
			b.WriteString(clean(v))
		}
		if n == 0 { // none of the telling fields: the entry's own, in their order
			for key, v := range r.Fields() {
				if len(v) == 0 || kv.EqualFold(key, "Message") {
					continue
				}
				if n == maxFields {
					break
				}
				n++
				b.WriteString("  " + clean(key) + "=" + cut(clean(v), wrap))
			}
		}
	}
	out.text = b.String()
	return out
}

// isHeader reports whether an entry is the header line of a PrivateServer export (its
// columns' names): no time, no fields. The parser reads it as an entry of its own; the
// pane draws it as the header it is.
func isHeader(r *model.Record) bool {
	if r.Shape == nil || r.Time != 0 || r.Format() != "privateserver" {
		return false
	}
	for range r.Fields() {
		return false
	}
	return true
}

// formatTime writes the entry's time in the mode, with the year when years is set;
// entries without one show blanks.
func formatTime(r *model.Record, mode TimeMode, years bool) string {
	layout := "01-02 15:04:05.000"
	if years {
		layout = "2006-01-02 15:04:05.000"
	}
	t := r.Time
	if mode == Syslog {
		t = r.SyslogTime
	}
	if t == 0 {
		return strings.Repeat(" ", len(layout))
	}
	tm := time.UnixMicro(t).UTC()
	if mode == Local {
		tm = tm.Local()
	}
	return tm.Format(layout)
}

// fragmentSummary is what a row shows of a Detail: for the later fragments of a message
// logged in fragments, which fragment of which message it is ("fragment 2/3 of [INVITE
// sip:alice@example.com SIP/2.0]") rather than the middle of a SIP message; for the first,
// the message's start line and that more follows.
func fragmentSummary(r *model.Record, detail []byte, opt rowOptions) string {
	n, total, ok := fragment(r)
	switch {
	case !ok:
		return detailSummary(detail, opt.wrap)
	case n == 0:
		return detailSummary(detail, opt.wrap) + " (fragment 1/" + strconv.Itoa(total) + ")"
	}
	of := ""
	if id, ok := r.Field("Fragment-id"); ok && opt.firstOf != nil {
		of = opt.firstOf(id)
	}
	if of == "" {
		of = "a message whose first fragment is not in the log"
	}
	return "fragment " + strconv.Itoa(n+1) + "/" + strconv.Itoa(total) + " of " + of
}

// fragment returns the number (from 0) and count of the fragments of a message logged
// in fragments that the entry is; ok is false for an entry that is no fragment.
func fragment(r *model.Record) (n, total int, ok bool) {
	nv, ok1 := r.Field("Fragment-number")
	tv, ok2 := r.Field("Fragment-total")
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	n, err1 := strconv.Atoi(string(nv))
	total, err2 := strconv.Atoi(string(tv))
	if err1 != nil || err2 != nil || n < 0 || total < 2 || n >= total {
		return 0, 0, false
	}
	return n, total, true
}

// detailShown is how much of a long value a row shows when it is not wrapped: of a
// Detail, of its first line.
const detailShown = 80

// cut shortens a long value to detailShown cells, with an ellipsis, unless the row wraps.
func cut(text string, wrap bool) string {
	if !wrap && ansi.StringWidth(text) > detailShown {
		return ansi.Truncate(text, detailShown, "…")
	}
	return text
}

// detailSummary is the telling part of a Detail: a SIP message's start line, or the
// first line of a multi-line value — cut, with an ellipsis, unless the row wraps.
func detailSummary(v []byte, wrap bool) string {
	if sip.IsMessage(v) {
		for line := range sip.Lines(v) {
			return "[" + clean(line) + "]"
		}
	}
	for line := range sip.Lines(v) {
		return "Detail=" + cut(clean(line), wrap)
	}
	return ""
}

// clean decodes a value's \" escapes and makes it safe and one line for a row.
func clean(v []byte) string {
	if kv.NeedsUnescape(v) {
		v = kv.Unescape(nil, v)
	}
	s := string(sanitize.Append(nil, v, sanitize.Options{Newlines: true}))
	return strings.ReplaceAll(s, "\n", "⏎")
}
