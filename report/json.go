package report

import (
	"encoding/json"
	"io"

	"github.com/calltail/calltail/model/sanitize"
)

// text is a string from the logs in a JSON report. It is written as the text reports show
// it, on one line: controls, invisible and line-breaking code points and bytes that are not
// UTF-8 made visible (^[, <U+202E>, \xff), so that the string a script decodes holds none
// of them either. encoding/json alone would write C1 controls, U+202E, zero-width and tag
// characters as they are, and the C0 controls as \u escapes that decode back to controls.
type text string

// MarshalJSON writes t in its visible form.
func (t text) MarshalJSON() ([]byte, error) {
	return sanitize.AppendJSON(nil, []byte(t), sanitize.Options{}), nil
}

// lines is a text of several lines, a SIP message: written as text is, but keeping its
// line feeds and tabs (as \n and \t).
type lines []byte

// MarshalJSON writes l in its visible form.
func (l lines) MarshalJSON() ([]byte, error) {
	return sanitize.AppendJSON(nil, l, sanitize.Options{Newlines: true, Tabs: true}), nil
}

// newEncoder returns an encoder for the JSON reports: one value a line, and no HTML
// escapes, so that <U+202E> and <sip:...> read as they are.
func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
