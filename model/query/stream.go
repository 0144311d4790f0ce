package query

import "github.com/calltail/calltail/model/filter"

// Stream selects the entries of text that arrives over time, one at a time, in the order
// they arrive: a followed file, syslog, a pipe. A SIP message that Pexip logged in
// fragments is selected whole, as Run selects it.
type Stream struct {
	sel   *selector
	whole *wholeMessages
	out   []byte
}

// NewStream returns a Stream that selects what opt's filter selects (every entry if nil)
// and writes it as opt says.
func NewStream(opt Options) *Stream {
	if opt.Filter == nil {
		opt.Filter, _ = filter.Compile("")
	}
	return &Stream{sel: newSelector(opt, ""), whole: newWholeMessages(opt, "")}
}

// StartsEntry reports whether a line starts an entry, for the splitter that cuts the
// stream's text into entries.
func (s *Stream) StartsEntry(line []byte) bool { return s.sel.p.StartsEntry(line) }

// Add takes the next entry and returns its text as written out if it is selected (the
// filter selects it, or it is a fragment of a message that was), or nil. The text is
// valid until the next call.
func (s *Stream) Add(raw []byte) []byte {
	var selected bool
	s.out, _, selected = s.sel.add(s.out[:0], raw)
	var frag string
	if selected || len(s.whole.selected) > 0 {
		frag = string(s.sel.fragmentID(raw))
	}
	if !s.whole.keep(frag, selected) {
		return nil
	}
	if !selected {
		s.out, _ = s.sel.write(s.out[:0], raw)
	}
	return s.out
}
