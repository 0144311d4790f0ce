// Package privateserver parses the tab-separated exports of PrivateServer's log pages
// (PSUM 4.0), one row per entry. There are four exports, told apart by their number of
// columns and the shape of their values, so rows are recognised without the header (a
// file may be cut, or rows pasted):
//
//   - SIP sessions: Timestamp, Event, Source, Peername, Account, Details, Useragent,
//     Remoteaddr, Tlscipher, Reconciled. Times like "2012-05-10 17:12:24.882"; events
//     CONNECT, REGISTER, UNREGISTER, DISCONNECT. The vendor's page spells the Tlscipher
//     header "Tiscipher": both names are accepted.
//   - Registered accounts: Id, Username, IpAddr, Port, Description, Registration Expires,
//     UserAgent. Numbers carry thousands separators ("3,169", port "23,665"), kept as
//     written; the user agent may be empty (its tab sometimes cut off); the expiry carries
//     a zone abbreviation. A row has no event time.
//   - Web authentication events: Date Created, Event Type, Principal, IP Address, with
//     event types such as SUCCESS, SUCCESS_INTERACTIVE and FAIL_BAD_CREDENTIALS.
//   - CDRs: Call Date, Src, Dst, Duration, Disposition, with times like
//     "2012-05-10 12:37:35 CEST", converted to UTC.
//
// A header line is an entry of its own; a sorted column's name carries an arrow ("Call
// Date ▼"). Exports list the newest row first. Lines of no known shape become plain
// records with a guessed level.
package privateserver

import (
	"bytes"
	"iter"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/timestamp"
)

// kind is one of the four exports.
type kind uint8

const (
	sessions kind = iota
	accounts
	webauth
	cdr
	numKinds
)

// layout is an export's columns, and which of them hold the time and the message.
type layout struct {
	module  []byte
	columns [][]byte // the vendor's names, in order
	fewest  int      // the fewest columns a row has: a trailing empty column may be cut off
	time    int      // the event time's column; -1 for none
	message int      // the column Message returns
}

var layouts = [numKinds]layout{
	sessions: {module: []byte("privateserver.sessions"), fewest: 10, time: 0, message: 1,
		columns: names("Timestamp", "Event", "Source", "Peername", "Account", "Details", "Useragent", "Remoteaddr", "Tlscipher", "Reconciled")},
	accounts: {module: []byte("privateserver.accounts"), fewest: 6, time: -1, message: 1,
		columns: names("Id", "Username", "IpAddr", "Port", "Description", "Registration Expires", "UserAgent")},
	webauth: {module: []byte("privateserver.webauth"), fewest: 4, time: 0, message: 1,
		columns: names("Date Created", "Event Type", "Principal", "IP Address")},
	cdr: {module: []byte("privateserver.cdr"), fewest: 5, time: 0, message: 4,
		columns: names("Call Date", "Src", "Dst", "Duration", "Disposition")},
}

// maxColumns is the most columns an export has (the sessions').
const maxColumns = 10

// The sessions' Tlscipher column, and the name the vendor's page gives it ("l" misread
// as "i"), accepted as well.
const (
	tlsCipher = 8
	misread   = "Tiscipher"
)

func names(s ...string) [][]byte {
	b := make([][]byte, len(s))
	for i, name := range s {
		b[i] = []byte(name)
	}
	return b
}

// Parser parses PrivateServer exports. The zero value is ready to use.
type Parser struct{}

var _ model.Parser = (*Parser)(nil)

// StartsEntry reports whether line begins an entry: it is a row or header of an export, or
// a row cut short by a line break inside a value (a time, then a tab; or a number, then
// at least three tabs, as the accounts' rows have).
func (p *Parser) StartsEntry(line []byte) bool {
	if isExportLine(line) {
		return true
	}
	i := bytes.IndexByte(line, '\t')
	if i <= 0 {
		return false
	}
	first := trimSpace(line[:i])
	_, isTime := when(first)
	return isTime || isNumber(first) && bytes.Count(line, []byte{'\t'}) >= 3
}

// isExportLine reports whether line is a row or header of one of the four exports.
func isExportLine(line []byte) bool {
	var cols [maxColumns][]byte
	_, _, ok := match(bytes.TrimRight(line, "\r\n"), &cols)
	return ok
}

// Parse fills r from one entry. Details holds the row (its first line, or the whole entry
// when a value holds a line break) for the Shape to split.
func (p *Parser) Parse(raw []byte, r *model.Record) {
	if !p.ParseShaped(raw, r) {
		r.Plain, r.Details, r.Level = true, raw, model.GuessLevel(raw)
	}
}

// ParseShaped fills r from an export's row (see model.Shaped).
func (p *Parser) ParseShaped(raw []byte, r *model.Record) bool {
	*r = model.Record{Raw: raw}
	row := bytes.TrimRight(raw, "\r\n")
	first := row
	if i := bytes.IndexByte(row, '\n'); i >= 0 {
		first = bytes.TrimRight(row[:i], "\r")
	}
	var cols [maxColumns][]byte
	k, header, ok := match(first, &cols)
	if ok {
		row = first
	} else if len(first) < len(row) {
		k, header, ok = match(row, &cols)
	}
	if !ok {
		return false
	}
	l := &layouts[k]
	r.Module, r.Details, r.Level = l.module, row, model.LevelInfo
	if header {
		r.Shape = &headerShapes[k]
		return true
	}
	r.Shape = &rowShapes[k]
	if l.time >= 0 {
		r.Time, _ = when(cols[l.time])
	}
	r.Level = level(k, &cols)
	return true
}

// match reads row as a row or header of an export, splitting it into cols. It reports the
// export, whether row is its header, and whether row is either.
func match(row []byte, cols *[maxColumns][]byte) (kind, bool, bool) {
	n := split(row, cols)
	for k := range numKinds {
		l := &layouts[k]
		if n < l.fewest || n > len(l.columns) {
			continue
		}
		if n == len(l.columns) && isHeader(k, cols[:n]) {
			return k, true, true
		}
		return k, false, isRow(k, cols)
	}
	return 0, false, false
}

// split cuts row at its tabs into cols, values trimmed of spaces, and reports how many
// columns it has; more than maxColumns means more than any export has.
func split(row []byte, cols *[maxColumns][]byte) int {
	for n := range maxColumns {
		i := bytes.IndexByte(row, '\t')
		if i < 0 {
			cols[n] = trimSpace(row)
			return n + 1
		}
		cols[n], row = trimSpace(row[:i]), row[i+1:]
	}
	return maxColumns + 1
}

func isHeader(k kind, cols [][]byte) bool {
	for i, c := range cols {
		if !isName(k, i, bytes.TrimRight(c, " ▼▲")) {
			return false
		}
	}
	return true
}

// isRow checks the columns whose shape tells a row of kind k: times, event words, numbers.
func isRow(k kind, cols *[maxColumns][]byte) bool {
	switch k {
	case sessions, webauth:
		return isTime(cols[0]) && isWord(cols[1])
	case accounts:
		return isNumber(cols[0]) && isNumber(cols[3]) && (len(cols[5]) == 0 || isTime(cols[5]))
	default:
		return isTime(cols[0]) && isNumber(cols[3]) && isWord(cols[4])
	}
}

// level tells a row's severity from its event, details or disposition.
func level(k kind, cols *[maxColumns][]byte) model.Level {
	switch k {
	case sessions:
		if string(cols[1]) == "DISCONNECT" && string(cols[5]) == "NETWORK_ERROR" || isSIPFailure(cols[5]) {
			return model.LevelWarning
		}
	case webauth:
		if bytes.HasPrefix(cols[1], []byte("FAIL_")) {
			return model.LevelWarning
		}
	case cdr:
		switch string(cols[4]) {
		case "FAILED", "CONGESTION":
			return model.LevelError
		case "BUSY", "NO_ANSWER", "NO ANSWER":
			return model.LevelWarning
		}
	}
	return model.LevelInfo
}

// isSIPFailure reports details that start with a SIP failure status ("403 Forbidden").
func isSIPFailure(b []byte) bool {
	return len(b) >= 3 && '4' <= b[0] && b[0] <= '6' && isDigit(b[1]) && isDigit(b[2]) && (len(b) == 3 || b[3] == ' ')
}

// when reads a whole value as a time: "2012-05-10 17:12:24.882", or with a zone
// abbreviation, "2012-05-10 12:37:35 CEST", converted to UTC (an unknown one is taken as UTC).
func when(b []byte) (int64, bool) {
	ts, ok := timestamp.DateTime(b)
	if !ok {
		return 0, false
	}
	zone := b[ts.Len:]
	if len(zone) == 0 {
		return ts.Micros, true
	}
	if ts.Zone || zone[0] != ' ' || !isAbbreviation(zone[1:]) {
		return 0, false
	}
	return ts.Micros - int64(offset(zone[1:]))*60e6, true
}

func isTime(b []byte) bool {
	_, ok := when(b)
	return ok
}

// offset returns a zone abbreviation's offset east of UTC in minutes: 0 for UTC, GMT and
// WET, and for an unknown one.
func offset(abbreviation []byte) int {
	switch string(abbreviation) {
	case "CET", "WEST", "BST":
		return 60
	case "CEST", "EET":
		return 120
	case "EEST":
		return 180
	case "EST", "CDT":
		return -300
	case "EDT":
		return -240
	case "CST", "MDT":
		return -360
	case "MST", "PDT":
		return -420
	case "PST":
		return -480
	}
	return 0
}

func isAbbreviation(b []byte) bool {
	if len(b) == 0 || len(b) > 5 {
		return false
	}
	for _, c := range b {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// isWord reports an upper-case event word: "REGISTER", "FAIL_BAD_CREDENTIALS", "NO ANSWER".
func isWord(b []byte) bool {
	if len(b) == 0 || b[0] < 'A' || b[0] > 'Z' {
		return false
	}
	for _, c := range b {
		if (c < 'A' || c > 'Z') && !isDigit(c) && c != '_' && c != ' ' {
			return false
		}
	}
	return true
}

// isNumber reports digits with optional thousands separators: "575", "3,169", "3.169".
func isNumber(b []byte) bool {
	if len(b) == 0 || !isDigit(b[0]) || !isDigit(b[len(b)-1]) {
		return false
	}
	for _, c := range b {
		if !isDigit(c) && c != ',' && c != '.' {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// isName reports whether name names column i of kind k: its vendor name (or, for
// Tlscipher, the misread one) in any letter case, ignoring spaces, '_' and '-', so that
// "IP Address", "ip_address" and "IPADDRESS" all name the same column.
func isName[S ~string | ~[]byte](k kind, i int, name S) bool {
	return sameName(layouts[k].columns[i], name) || k == sessions && i == tlsCipher && sameName(misread, name)
}

func sameName[A, B ~string | ~[]byte](a A, b B) bool {
	i, j := 0, 0
	for {
		for i < len(a) && isSeparator(a[i]) {
			i++
		}
		for j < len(b) && isSeparator(b[j]) {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		if a[i] != b[j] && (a[i]|0x20 != b[j]|0x20 || !isLetter(a[i])) {
			return false
		}
		i++
		j++
	}
}

func isSeparator(c byte) bool { return c == ' ' || c == '_' || c == '-' }

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// shape lays out the fields of a row, or of a header line, of one export.
type shape struct {
	kind   kind
	header bool
}

var (
	rowShapes    = [numKinds]shape{{kind: sessions}, {kind: accounts}, {kind: webauth}, {kind: cdr}}
	headerShapes = [numKinds]shape{{sessions, true}, {accounts, true}, {webauth, true}, {cdr, true}}
)

var _ model.Shape = (*shape)(nil)

// Format names the format.
func (s *shape) Format() string { return "privateserver" }

// Field returns the value of the column called name; a header line has none.
func (s *shape) Field(r *model.Record, name string) ([]byte, bool) {
	if s.header {
		return nil, false
	}
	for i := range layouts[s.kind].columns {
		if isName(s.kind, i, name) {
			return column(r.Details, i), true
		}
	}
	return nil, false
}

// Fields yields every column's name and value in order, but for the time and message
// columns and empty values; a header line has none.
func (s *shape) Fields(r *model.Record) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		if s.header {
			return
		}
		l := &layouts[s.kind]
		row := r.Details
		for i, name := range l.columns {
			end := bytes.IndexByte(row, '\t')
			if end < 0 {
				end = len(row)
			}
			value := trimSpace(row[:end])
			if i != l.time && i != l.message && len(value) > 0 && !yield(name, value) {
				return
			}
			if end == len(row) {
				return
			}
			row = row[end+1:]
		}
	}
}

// Message returns the event column (the Username for accounts), or a header's whole line.
func (s *shape) Message(r *model.Record) []byte {
	if s.header {
		return r.Details
	}
	return column(r.Details, layouts[s.kind].message)
}

// IDs reports a CDR row's own id, its Call Date, Src and Dst as written: each CDR is a
// call of its own in the calls list. Other rows carry none.
func (s *shape) IDs(r *model.Record, fn func(model.IDKind, []byte)) {
	if s.header || s.kind != cdr {
		return
	}
	end := -1
	for range 3 {
		t := bytes.IndexByte(r.Details[end+1:], '\t')
		if t < 0 {
			return
		}
		end += t + 1
	}
	fn(model.CallID, r.Details[:end])
}

// column returns column i of row, trimmed of spaces; nil if the row has fewer columns.
func column(row []byte, i int) []byte {
	for ; i > 0; i-- {
		t := bytes.IndexByte(row, '\t')
		if t < 0 {
			return nil
		}
		row = row[t+1:]
	}
	if t := bytes.IndexByte(row, '\t'); t >= 0 {
		row = row[:t]
	}
	return trimSpace(row)
}
