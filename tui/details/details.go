// Package details shows one entry in full: its header, every field in a table with ^M
// shown as real line breaks, SIP messages with their header names styled and the SDP set
// apart, JSON values pretty-printed, and the raw text. It scrolls.
package details

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/kv"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/model/sip"
	"github.com/calltail/calltail/themes"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/nav"
)

// KeyMap is what the details answer to.
type KeyMap struct {
	nav.Keys
	Back, Copy, OpenCall key.Binding
}

func newKeyMap(k keymap.KeyMap) KeyMap {
	return KeyMap{Keys: k.Keys, Back: keymap.With(k.Back, "to go back"), Copy: keymap.With(k.Copy, "to copy"),
		OpenCall: keymap.With(k.OpenCall, "for its call")}
}

// ShortHelp returns the keys the tab bar names.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Back, k.Copy, k.OpenCall} }

// FullHelp returns every key, for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.Keys.FullHelp(), k.ShortHelp())
}

// Model is the details of one entry.
type Model struct {
	common.Common
	KeyMap
	raw           []byte
	rec           model.Record
	lines         []string
	offset        int
	width, height int
}

// New shows the entry raw, logged by node if its text names none.
func New(c common.Common, raw []byte, node string) *Model {
	m := &Model{Common: c, KeyMap: newKeyMap(c.Keys), raw: raw}
	c.NewParser().Parse(raw, &m.rec)
	if len(m.rec.Node) == 0 {
		m.rec.Node = []byte(node)
	}
	return m
}

// Title names the view in the tab bar.
func (m *Model) Title() string { return "entry details" }

// SetSize sets the view's size and lays the text out again.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = max(20, width), max(1, height)
	m.lines = m.layout()
	m.offset = min(m.offset, max(0, len(m.lines)-m.height))
}

// Update scrolls; it asks to go back, to copy the entry or to open its call.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	switch {
	case !ok:
	case key.Matches(k, m.Back):
		return common.Ask(common.BackMsg{})
	case key.Matches(k, m.Copy):
		return common.Ask(common.CopyMsg{Raw: m.raw})
	case key.Matches(k, m.OpenCall):
		if n := m.CallOf(m.raw); n != 0 { // the call replaces the details
			return tea.Sequence(common.Ask(common.BackMsg{}), common.Ask(common.OpenCallMsg{Number: n}))
		}
		return common.Ask(common.FlashMsg("this entry carries no id of a known call"))
	default:
		m.offset, _ = m.Move(k, m.offset, m.height-1, len(m.lines)-m.height)
	}
	return nil
}

// View renders the visible part.
func (m *Model) View() string {
	end := min(len(m.lines), m.offset+m.height)
	out := append([]string(nil), m.lines[m.offset:end]...)
	for len(out) < m.height {
		out = append(out, "")
	}
	return strings.Join(out, "\n")
}

// layout renders every line of the details at the current width.
func (m *Model) layout() []string {
	st := m.Styles
	r := &m.rec
	var lines []string
	add := func(s string) { lines = append(lines, wrap(s, m.width)...) }
	add(st.Title.Render("Entry"))
	if r.Time != 0 {
		add(row(st, "Time", model.TimeOf(r.Time).Format("2006-01-02 15:04:05.000000 UTC")))
	}
	if r.SyslogTime != 0 {
		add(row(st, "Syslog time", model.TimeOf(r.SyslogTime).Format("2006-01-02 15:04:05.000000 UTC")))
	}
	add(row(st, "Node", clean(r.Node)))
	add(row(st, "Level", st.Badge(r.Level.String()).Render(r.Level.String())))
	add(row(st, "Module", clean(r.Module)))
	add(row(st, "Format", r.Format()))
	if r.Plain {
		add("")
		add(st.Title.Render("Text"))
		text, more := shown(r.Details)
		for _, l := range strings.Split(cleanLines(text), "\n") {
			add("  " + l)
		}
		if more > 0 {
			add(st.Faint.Render(fmt.Sprintf("  … %d more bytes (y copies the whole entry)", more)))
		}
	} else {
		add("")
		add(st.Title.Render("Fields"))
		fields := 0
		for k, v := range r.Fields() {
			if fields++; fields > maxFields {
				add(st.Faint.Render(fmt.Sprintf("  … more than %d fields: the rest are in the raw text (y copies it)", maxFields)))
				break
			}
			name := clean(k)
			v, more := shown(v)
			val := unescape(v)
			if more > 0 {
				val = append(val, fmt.Sprintf("… (%d more bytes)", more)...)
			}
			switch {
			case sip.IsMessage(val):
				add(row(st, name, "SIP message"))
				for _, l := range SIPLines(m.Styles, val) {
					add("    " + l)
				}
			case isJSON(val) || isJSON(pythonBytes(val)):
				var b bytes.Buffer
				if !isJSON(val) {
					val = pythonBytes(val)
				}
				json.Indent(&b, bytes.TrimSpace(val), "", "  ")
				add(row(st, name, ""))
				for _, l := range strings.Split(cleanLines(b.Bytes()), "\n") {
					add("    " + l)
				}
			default:
				text := cleanLines(breaks(val))
				first, rest, _ := strings.Cut(text, "\n")
				add(row(st, name, first))
				if rest != "" {
					for _, l := range strings.Split(rest, "\n") {
						add(strings.Repeat(" ", keyWidth+2) + l)
					}
				}
			}
		}
	}
	add("")
	add(st.Title.Render("Raw"))
	raw, more := shown(m.raw)
	for _, l := range strings.Split(cleanLines(raw), "\n") {
		add(st.Faint.Render(l))
	}
	if more > 0 {
		add(st.Faint.Render(fmt.Sprintf("… %d more bytes (y copies the whole entry)", more)))
	}
	return lines
}

// What the details show of a huge entry, so that opening it stays quick: its first
// fields, and of long values and of the raw text their first bytes.
const (
	maxFields = 1000
	maxShown  = 64 << 10
)

// shown returns the part of b that is shown, and how many bytes are left out.
func shown(b []byte) ([]byte, int) {
	if len(b) <= maxShown {
		return b, 0
	}
	return b[:maxShown], len(b) - maxShown
}

// SIPLines renders a SIP message, made safe for a terminal: the start line, header names
// styled, and the SDP body after a rule.
func SIPLines(st *themes.Styles, msg []byte) []string {
	var out []string
	first, body := true, false
	for line := range sip.Lines(msg) {
		l := clean(line)
		switch {
		case first:
			out = append(out, st.Bold.Render(l))
			first = false
		case body:
			out = append(out, st.SDP.Render("  "+l))
		case l == "":
			body = true
			out = append(out, st.Faint.Render("── SDP ──"))
		default:
			if name, value, ok := strings.Cut(l, ":"); ok {
				out = append(out, st.HeaderName.Render(name)+":"+value)
			} else {
				out = append(out, l)
			}
		}
	}
	return out
}

const keyWidth = 20

func row(st *themes.Styles, key, value string) string {
	return st.FieldKey.Render(fmt.Sprintf("  %-*s", keyWidth, key)) + value
}

func unescape(v []byte) []byte {
	if kv.NeedsUnescape(v) {
		return kv.Unescape(nil, v)
	}
	return v
}

// breaks turns the ^M line breaks of Pexip values into real ones.
func breaks(v []byte) []byte { return bytes.ReplaceAll(v, []byte("^M"), []byte("\n")) }

// pythonBytes returns what a Python bytes literal holds, as Pexip writes some event
// contents (b'{"uuid": …}'), or nil if v is not one.
func pythonBytes(v []byte) []byte {
	t := bytes.TrimSpace(v)
	if len(t) < 3 || t[0] != 'b' || t[1] != '\'' || t[len(t)-1] != '\'' {
		return nil
	}
	return t[2 : len(t)-1]
}

func isJSON(v []byte) bool {
	t := bytes.TrimSpace(v)
	return len(t) > 1 && (t[0] == '{' || t[0] == '[') && json.Valid(t)
}

// clean makes text one safe line.
func clean(b []byte) string { return sanitize.String(string(b)) }

// cleanLines makes text safe, keeping its line breaks.
func cleanLines(b []byte) string {
	return string(sanitize.Append(nil, b, sanitize.Options{Newlines: true}))
}

func wrap(s string, width int) []string {
	if ansi.StringWidth(s) <= width {
		return []string{s}
	}
	return strings.Split(ansi.Hardwrap(s, width, true), "\n")
}
