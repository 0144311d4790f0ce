package pane

// Drawing the rows: only the visible ones are read, formatted and styled.

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/sanitize"
)

// rowBytes is how much of an entry a row reads: more than a screen's width of any line,
// and little enough that a huge line draws as fast as any other.
const rowBytes = 64 << 10

// options returns how the pane formats its rows.
func (m *Model) options() rowOptions {
	return rowOptions{mode: m.timeMode, wrap: m.wrap, years: m.years, firstOf: m.firstFragment}
}

// row returns the formatted row at position i of the list.
func (m *Model) row(i int) row {
	if m.previewing() {
		rec := &m.preview[m.previewRows[i]]
		r := format(rec, m.options())
		if m.query != nil {
			r.hit = hitContext(m.query, rec.Raw)
		}
		return r
	}
	id := m.list.Snap().At(i)
	if r, ok := m.rows[id]; ok {
		return r
	}
	var err error
	v := m.cfg.Store.View()
	m.buf, err = v.RawHead(m.buf[:0], int(id), rowBytes)
	if err != nil {
		return row{text: fmt.Sprintf("(%v)", err)}
	}
	var rec model.Record
	m.parser.Parse(m.buf, &rec)
	v.Label(int(id), &rec)
	r := format(&rec, m.options())
	if m.query != nil {
		r.hit = hitContext(m.query, m.buf)
	}
	if len(m.rows) > 8192 {
		clear(m.rows)
		clear(m.firstOf)
	}
	m.rows[id] = r
	return r
}

// firstFragment returns the start of the message whose first fragment carries Fragment-id
// id: its SIP start line, read from that fragment; "" if the store holds no such fragment.
func (m *Model) firstFragment(id []byte) string {
	if s, ok := m.firstOf[string(id)]; ok {
		return s
	}
	found := ""
	v := m.cfg.Store.View()
	var buf []byte
	var rec model.Record
	p := m.cfg.NewParser()
	for _, e := range m.cfg.Store.ByID(model.FragmentID, string(id)) {
		var err error
		if buf, err = v.RawHead(buf[:0], int(e), rowBytes); err != nil {
			continue
		}
		p.Parse(buf, &rec)
		if n, _, ok := fragment(&rec); ok && n == 0 {
			if d, ok := rec.Field("Detail"); ok {
				found = detailSummary(d, false)
			}
			break
		}
	}
	m.firstOf[string(id)] = found
	return found
}

// View renders the visible rows.
func (m *Model) View() string {
	n := m.n
	if n == m.first {
		msg := "no entries yet"
		if done, total := m.Progress(); done < total {
			msg = fmt.Sprintf("searching… %d%%", done*100/max(total, 1))
		} else if m.filter != nil || m.minLevel > model.LevelDebug {
			msg = "no entries match the pane's filter (esc clears it)"
		}
		return m.cfg.Styles.Faint.Render(msg) + strings.Repeat("\n", m.height-1)
	}
	lines := make([]string, 0, m.height)
	nodeW, modW := m.columnWidths()
	for i := m.top; i < n && len(lines) < m.height; i++ {
		for _, l := range m.renderRow(m.row(i), i == m.cursor, m.marked(i), nodeW, modW) {
			if len(lines) < m.height {
				lines = append(lines, l)
			}
		}
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// measure takes in what sizes the rows: the names of nodes and modules the store has
// seen, which the columns are made wide enough for, and whether the entries span years.
func (m *Model) measure() {
	st := m.cfg.Store
	if n := st.Len(); n != m.namesAt {
		m.namesAt = n
		for _, s := range st.Nodes() {
			m.nodeW = max(m.nodeW, ansi.StringWidth(sanitize.String(s)))
		}
		for _, s := range st.Modules() {
			m.modW = max(m.modW, ansi.StringWidth(sanitize.String(s)))
		}
	}
	if years := m.spansYears(); years != m.years {
		m.years = years
		clear(m.rows)
	}
}

// spansYears reports whether the pane's first and last entries (the first and last that
// have a time) fall in different years, as the rows show them.
func (m *Model) spansYears() bool {
	const look = 64 // entries looked past at each end for one with a time
	timeAt := func(i int) int64 {
		if m.previewing() {
			r := &m.preview[m.previewRows[i]]
			if m.timeMode == Syslog && r.SyslogTime != 0 {
				return r.SyslogTime
			}
			return r.Time
		}
		return m.cfg.Store.View().Entry(int(m.list.Snap().At(i))).Time
	}
	first, n := m.bounds()
	var lo, hi int64
	for i := first; i < min(n, first+look) && lo == 0; i++ {
		lo = timeAt(i)
	}
	for i := n - 1; i >= max(first, n-look) && hi == 0; i-- {
		hi = timeAt(i)
	}
	if lo == 0 || hi == 0 {
		return false
	}
	year := func(t int64) int {
		tm := model.TimeOf(t)
		if m.timeMode == Local {
			tm = tm.Local()
		}
		return tm.Year()
	}
	return year(lo) != year(hi)
}

// columnWidths returns the widths of the node and module columns: wide enough for every
// name seen so far, so that they do not shift as entries arrive and rows scroll by, and
// no wider than leaves the text room (a module column at most a fifth of the width).
func (m *Model) columnWidths() (nodeW, modW int) {
	for i := m.top; i < min(m.n, m.top+m.height); i++ {
		r := m.row(i) // the preview's names, which the store may not have seen yet
		m.nodeW, m.modW = max(m.nodeW, ansi.StringWidth(r.node)), max(m.modW, ansi.StringWidth(r.mod))
	}
	return min(m.nodeW, 16), min(m.modW, 32, max(12, m.width/5))
}

// renderRow styles one row: WARNING and ERROR rows highlighted whole, the node in its
// colour, the level badge, a mark, search matches — and where a match lies in what the
// row does not show, the text around it — and the selection. It returns one line, or
// several when wrapping.
func (m *Model) renderRow(r row, selected, marked bool, nodeW, modW int) []string {
	st := m.cfg.Styles
	sep := " "
	if marked {
		sep = markGlyph
	}
	head := r.time + sep + fit(r.node, nodeW) + " " + fit(r.badge, 6) + " " + fit(r.mod, modW) + " "
	compose := func(text string) string {
		if !m.wrap && m.xoff > 0 {
			text = ansi.TruncateLeft(text, m.xoff, "…")
		}
		plain := head + text
		if !m.wrap {
			plain = fit(plain, m.width)
		}
		return plain
	}
	plain := compose(r.text)
	var hits [][2]int
	if m.query != nil {
		hits = m.query.Highlights(plain)
		if len(hits) == 0 && r.hit != "" { // the match lies in what the row does not show
			plain = compose(r.text[:r.msgEnd] + "  " + hitGlyph + " " + r.hit + r.text[r.msgEnd:])
			hits = m.query.Highlights(plain)
		}
	}
	base := st.Text
	var spans []span
	nodeAt := len(r.time) + len(sep)
	switch {
	case r.header:
		base = st.Faint
	case r.level >= model.LevelError:
		base = st.ErrorRow
	case r.level >= model.LevelWarning:
		base = st.WarnRow
	default:
		badgeAt := nodeAt + len(fit(r.node, nodeW)) + 1
		spans = append(spans, span{nodeAt, nodeAt + len(r.node), st.Node(r.node)},
			span{badgeAt, badgeAt + len(r.badge), st.Badge(r.level.String())})
	}
	if marked {
		spans = append(spans, span{len(r.time), nodeAt, st.Accent})
	}
	for _, h := range hits {
		spans = append(spans, span{h[0], h[1], st.Match})
	}
	if selected {
		base = st.Selected.Inherit(base)
	}
	out := paint(plain, spans, base)
	if !m.wrap {
		return []string{out}
	}
	// Wrapped, the row's further lines start under its text, not at column 0.
	indent := ansi.StringWidth(head)
	if m.width-indent < 20 {
		indent = 0
	}
	lines := []string{ansi.Cut(out, 0, m.width)}
	for at, total := m.width, ansi.StringWidth(out); at < total; at += m.width - indent {
		lines = append(lines, strings.Repeat(" ", indent)+ansi.Cut(out, at, at+m.width-indent))
	}
	return lines
}

// The glyphs of a marked row (between its time and its node) and of the text around a
// match that the row would not show.
const (
	markGlyph = "•"
	hitGlyph  = "»"
)
