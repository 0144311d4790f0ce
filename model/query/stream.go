package query

import (
	"bytes"
	"slices"

	"github.com/calltail/calltail/model/filter"
	"github.com/calltail/calltail/model/sip"
)

// Stream selects the entries of text that arrives over time, one at a time, in the order
// they arrive: a followed file, syslog, a pipe. A SIP message that Pexip logged in
// fragments is selected whole, as Run selects it; when the filter compares a Call-ID, one
// whose Call-ID: header is cut between two fragments is put together first: the entries
// that arrive meanwhile (its fragments come within milliseconds) are held, at most
// holdEntries of them, and written in order.
type Stream struct {
	sel   *selector
	whole *wholeMessages
	out   []byte
	held  [][]byte               // entries held while a cut message is put together, in order
	cut   map[string]*cutMessage // those messages, by Fragment-id
}

// cutMessage is a SIP message whose Call-ID no fragment held whole so far.
type cutMessage struct {
	first  []byte // its first fragment, as logged
	detail []byte // its fragments' parts put together, in order
	next   int    // the Fragment-number that comes next
	left   int    // entries still to wait for it
}

// holdEntries is how many entries a Stream holds back, at most, for a cut message.
const holdEntries = 64

// NewStream returns a Stream that selects what opt's filter selects (every entry if nil)
// and writes it as opt says.
func NewStream(opt Options) *Stream {
	if opt.Filter == nil {
		opt.Filter, _ = filter.Compile("")
	}
	return &Stream{sel: newSelector(opt, ""), whole: newWholeMessages(opt, ""), cut: map[string]*cutMessage{}}
}

// StartsEntry reports whether a line starts an entry, for the splitter that cuts the
// stream's text into entries.
func (s *Stream) StartsEntry(line []byte) bool { return s.sel.p.StartsEntry(line) }

// Add takes the next entry and returns the text to write out: the entry's if it is
// selected (the filter selects it, or it is a fragment of a message that was), and that
// of the entries held before it once they are no longer held; nil if none. The text is
// valid until the next call.
func (s *Stream) Add(raw []byte) []byte {
	s.putTogether(raw)
	if len(s.cut) == 0 && len(s.held) == 0 {
		return s.selected(s.out[:0], raw)
	}
	s.held = append(s.held, slices.Clone(raw))
	for id, m := range s.cut {
		if m.left--; m.left <= 0 {
			delete(s.cut, id) // its other fragments did not come: it is let go unselected
		}
	}
	if len(s.cut) > 0 {
		return nil
	}
	return s.Flush()
}

// Flush returns the text of the entries held, and holds none: at the end of the input.
func (s *Stream) Flush() []byte {
	s.out = s.out[:0]
	for _, raw := range s.held {
		s.out = s.selected(s.out, raw)
	}
	s.held, s.cut = s.held[:0], map[string]*cutMessage{}
	return s.out
}

// selected appends raw's text to dst if it is selected.
func (s *Stream) selected(dst, raw []byte) []byte {
	out, _, selected := s.sel.add(dst, raw)
	var frag string
	if selected || len(s.whole.selected) > 0 {
		frag = string(s.sel.fragmentID(raw))
	}
	if !s.whole.keep(frag, selected) {
		return dst
	}
	if !selected {
		out, _ = s.sel.write(dst, raw)
	}
	return out
}

// putTogether notes a fragment of a message whose Call-ID is cut, and once the Call-ID is
// whole asks the filter about the message: if it selects it, its fragments are.
func (s *Stream) putTogether(raw []byte) {
	if !s.sel.filter.ComparesCallID() || !bytes.Contains(raw, fragmentKey) {
		return
	}
	id, number, detail, ok := fragmentParts(raw)
	if !ok {
		return
	}
	m := s.cut[string(id)]
	switch {
	case number == 0:
		if _, whole := sip.CallID(detail); whole {
			return
		}
		s.cut[string(id)] = &cutMessage{first: slices.Clone(raw), detail: slices.Clone(detail), next: 1, left: holdEntries}
		return
	case m == nil || number != m.next:
		return
	}
	m.detail, m.next = append(m.detail, detail...), m.next+1
	if _, whole := sip.CallID(m.detail); !whole {
		return
	}
	delete(s.cut, string(id))
	at := bytes.LastIndex(m.first, detailKey) + len(detailKey)
	s.sel.parse(slices.Concat(m.first[:at], m.detail, []byte(`"`)))
	if s.sel.filter.Match(&s.sel.rec) {
		s.whole.keep(string(id), true)
	}
}
