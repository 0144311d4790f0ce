// Package histogram is lnav's histogram of a log pane: its entries over time, one row per
// bucket of time, with the bucket's entries, warnings and errors counted and drawn as a
// bar. z and Z zoom in and out (a second to a day a row); enter shows the pane at the
// bucket's first entry. Counting runs in the background (filtered.Histogram) and goes on
// as entries arrive.
package histogram

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/filtered"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/keymap"
	"github.com/calltail/calltail/tui/logs"
	"github.com/calltail/calltail/tui/nav"
	"github.com/calltail/calltail/tui/numbers"
	"github.com/calltail/calltail/tui/pane"
)

// KeyMap is what the histogram answers to.
type KeyMap struct {
	nav.Keys
	ZoomIn, ZoomOut, Go, Back, Toggle key.Binding
}

func newKeyMap(k keymap.KeyMap) KeyMap {
	moves := nav.Keys{Up: keymap.With(k.Up, "earlier bucket"), Down: keymap.With(k.Down, "later bucket"),
		PageUp: keymap.With(k.PageUp, "a page earlier"), PageDown: keymap.With(k.PageDown, "a page later"),
		Top: keymap.With(k.Top, "first bucket"), Bottom: keymap.With(k.Bottom, "last bucket, stays there as the log grows")}
	return KeyMap{Keys: moves, ZoomIn: keymap.With(k.ZoomIn, "zooms in"), ZoomOut: keymap.With(k.ZoomOut, "zooms out"),
		Go: keymap.With(k.Accept, "shows the log there"), Back: keymap.With(k.Back, "goes back"),
		Toggle: keymap.With(k.Histogram, "goes back")}
}

// ShortHelp returns the keys the tab bar names.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.ZoomIn, k.ZoomOut, k.Go, k.Back} }

// FullHelp returns every key, for the help screen.
func (k KeyMap) FullHelp() [][]key.Binding {
	return append(k.Keys.FullHelp(), []key.Binding{k.ZoomIn, k.ZoomOut, k.Go, k.Back, k.Toggle})
}

// zooms are the widths of a row, finest first.
var zooms = []time.Duration{time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second,
	time.Minute, 5 * time.Minute, 10 * time.Minute, 30 * time.Minute,
	time.Hour, 4 * time.Hour, 12 * time.Hour, 24 * time.Hour}

// Model is the histogram of one pane.
type Model struct {
	common.Common
	KeyMap
	pane          *pane.Model
	loc           *time.Location // the zone the pane shows its times in
	hist          *filtered.Histogram
	zoom          int   // into zooms
	cursor, top   int64 // the bucket under the cursor, the first bucket shown
	at            int64 // the time the cursor starts on: the pane's selected entry's
	width, height int
	buf           []filtered.Counts
}

// New returns the histogram of the entries p lists, its cursor on the bucket of p's
// selected entry.
func New(c common.Common, p *pane.Model) *Model {
	m := &Model{Common: c, KeyMap: newKeyMap(c.Keys), pane: p, loc: time.UTC, zoom: -1, at: p.SelectedTime()}
	if p.TimeMode() == pane.Local {
		m.loc = time.Local
	}
	return m
}

// Title names the view in the tab bar.
func (m *Model) Title() string { return "histogram of the " + m.pane.Title() }

// Close stops the counting.
func (m *Model) Close() {
	if m.hist != nil {
		m.hist.Close()
	}
}

// SetSize sets the view's size; the first time, it chooses the zoom at which the whole log
// fits on the screen, and starts counting.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, max(2, height)
	if m.hist != nil {
		return
	}
	lo, hi := m.span()
	m.zoom = len(zooms) - 1
	for z, w := range zooms {
		if (hi-lo)/w.Microseconds()+1 <= int64(m.rows()) {
			m.zoom = z
			break
		}
	}
	if m.at == 0 {
		m.at = hi
	}
	m.count(m.at)
}

// rows is how many buckets the screen shows: all but the header line.
func (m *Model) rows() int { return max(1, m.height-1) }

// span returns the first and last times of the pane's entries, looking a few entries in
// from each end for one with a time (0, 0 if none has one).
func (m *Model) span() (lo, hi int64) {
	const look = 64
	s, v := m.pane.Entries(), m.Session.Store.View()
	timeAt := func(i int) int64 {
		if id := int(s.At(i)); id >= v.First() && id < v.Len() {
			return v.Entry(id).Time
		}
		return 0
	}
	for i := s.First(); i < min(s.Len(), s.First()+look) && lo == 0; i++ {
		lo = timeAt(i)
	}
	for i := s.Len() - 1; i >= max(s.First(), s.Len()-look) && hi == 0; i-- {
		hi = timeAt(i)
	}
	return lo, hi
}

// count starts counting at the zoom chosen, the cursor on the bucket of time at.
func (m *Model) count(at int64) {
	if m.hist != nil {
		m.hist.Close()
	}
	w := zooms[m.zoom].Microseconds()
	_, offset := time.UnixMicro(at).In(m.loc).Zone()
	m.hist = filtered.NewHistogram(m.Session.Store, w, int64(offset)*1e6, m.Session.Notifier.Poke)
	m.hist.Sync(m.pane.Entries())
	m.cursor = m.hist.Bucket(at)
	m.top = m.cursor - int64(m.rows())/2
	m.settle()
}

// bounds returns the first and last buckets to show: those the entries counted so far
// fall in, and the cursor's.
func (m *Model) bounds() (first, last int64) {
	first, last, ok := m.hist.Bounds()
	if !ok {
		return m.cursor, m.cursor
	}
	return first, last
}

// settle keeps the cursor within the buckets and on the screen.
func (m *Model) settle() {
	first, last := m.bounds()
	m.cursor = min(max(m.cursor, first), last)
	rows := int64(m.rows())
	m.top = min(max(m.top, m.cursor-rows+1), m.cursor)
	m.top = max(first, min(m.top, last-rows+1))
}

// Update counts what arrived, moves, zooms, and on enter asks the logs to show the
// cursor's time.
func (m *Model) Update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.SyncMsg:
		if m.hist != nil {
			_, last := m.bounds()
			m.hist.Sync(m.pane.Entries())
			if _, now := m.bounds(); m.cursor == last && now > last {
				m.cursor = now // at the end, the cursor stays there
			}
			m.settle()
		}
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return nil
}

func (m *Model) key(msg tea.KeyPressMsg) tea.Cmd {
	if m.hist == nil {
		return nil
	}
	first, last := m.bounds()
	switch {
	case key.Matches(msg, m.Back), key.Matches(msg, m.Toggle):
		return common.Ask(common.BackMsg{})
	case key.Matches(msg, m.Go):
		return common.Ask(logs.GoToTimeMsg{Time: m.hist.Start(m.cursor)})
	case key.Matches(msg, m.ZoomIn), key.Matches(msg, m.ZoomOut):
		z := m.zoom + 1
		if key.Matches(msg, m.ZoomIn) {
			z = m.zoom - 1
		}
		switch {
		case z < 0:
			return common.Ask(common.FlashMsg("zoomed in as far as it goes: " + name(zooms[0]) + " a row"))
		case z == len(zooms):
			return common.Ask(common.FlashMsg("zoomed out as far as it goes: " + name(zooms[len(zooms)-1]) + " a row"))
		case (last-first+1)*zooms[m.zoom].Microseconds()/zooms[z].Microseconds() > filtered.MaxBuckets:
			return common.Ask(common.FlashMsg("the log spans too long a time for " + name(zooms[z]) + " a row"))
		}
		at := m.hist.Start(m.cursor)
		m.zoom = z
		m.count(at)
	default:
		page := int64(max(1, m.rows()-1))
		switch {
		case key.Matches(msg, m.Up):
			m.cursor--
		case key.Matches(msg, m.Down):
			m.cursor++
		case key.Matches(msg, m.PageUp):
			m.cursor -= page
		case key.Matches(msg, m.PageDown):
			m.cursor += page
		case key.Matches(msg, m.Top):
			m.cursor = first
		case key.Matches(msg, m.Bottom):
			m.cursor = last
		}
		m.settle()
	}
	return nil
}

// name writes a zoom's width: "1 s", "5 min", "4 h", "1 day".
func name(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		return fmt.Sprintf("%d day", d/(24*time.Hour))
	case d >= time.Hour:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d >= time.Minute:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d s", d/time.Second)
}

// layout is how a bucket's time is written at the zoom: to the second below a minute a
// row, to the minute below a day, the date alone from a day; with the year when the
// buckets span years.
func (m *Model) layout(first, last int64) string {
	years := m.timeOf(first).Year() != m.timeOf(last).Year()
	d := zooms[m.zoom]
	switch {
	case d >= 24*time.Hour:
		return "2006-01-02"
	case d >= time.Minute && years:
		return "2006-01-02 15:04"
	case d >= time.Minute:
		return "01-02 15:04"
	case years:
		return "2006-01-02 15:04:05"
	}
	return "01-02 15:04:05"
}

// timeOf returns the start of bucket k in the pane's zone.
func (m *Model) timeOf(k int64) time.Time { return model.TimeOf(m.hist.Start(k)).In(m.loc) }

// View draws the header and a row per bucket: its time, its counts and its bar.
func (m *Model) View() string {
	if m.hist == nil {
		return ""
	}
	m.settle() // the counting runs on: the buckets may have grown since the last message
	st := m.Styles
	first, last := m.bounds()
	layout := m.layout(first, last)
	labelW := len(layout)
	barW := max(4, m.width-(2+labelW+1+8+1+7+1+7+2))
	glyph := [3]string{"█", "█", "█"} // entries, warnings, errors
	if st.Mono {
		glyph = [3]string{"█", "▒", "▓"}
	}
	barStyle := [3]func(...string) string{st.Badge("INFO").Render, st.Badge("WARNING").Render, st.Badge("ERROR").Render}
	// What matters most first, as a narrow screen cuts the line: the zoom, the counting.
	legend := name(zooms[m.zoom]) + " a row"
	if done, total := m.hist.Progress(); done < total {
		legend += fmt.Sprintf(" · counting %d%%", done*100/max(total, 1))
	}
	if untimed, outside := m.hist.Uncounted(); untimed+outside > 0 {
		legend += fmt.Sprintf(" · %s without a time", numbers.Count(untimed+outside))
	}
	legend += " · " + barStyle[0](glyph[0]) + " entries " + barStyle[1](glyph[1]) + " warnings " + barStyle[2](glyph[2]) + " errors"
	header := st.Faint.Render(fmt.Sprintf("  %-*s %8s %7s %7s  ", labelW, "TIME", "ENTRIES", "WARN", "ERR")) + legend
	lines := []string{ansi.Truncate(header, m.width, "…")}
	peak := max(1, m.hist.Peak())
	cells := func(n int) int {
		if n == 0 {
			return 0
		}
		return max(1, (n*barW+peak-1)/peak)
	}
	m.buf = m.hist.Range(m.buf[:0], m.top, min(last, m.top+int64(m.rows())-1))
	for i, c := range m.buf {
		k := m.top + int64(i)
		text := fmt.Sprintf("%-*s %8s %7s %7s", labelW, m.timeOf(k).Format(layout), blank(c.Entries), blank(c.Warnings), blank(c.Errors))
		prefix := "  "
		if k == m.cursor {
			prefix = "› "
			text = st.Selected.Render(text)
		}
		e, w := cells(c.Errors), cells(c.Warnings)
		n := max(cells(c.Entries), e+w)
		bar := barStyle[0](strings.Repeat(glyph[0], n-e-w)) + barStyle[1](strings.Repeat(glyph[1], w)) + barStyle[2](strings.Repeat(glyph[2], e))
		lines = append(lines, prefix+text+"  "+bar)
	}
	for len(lines) < m.height {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// blank writes n with thousands separators, or nothing for 0.
func blank(n int) string {
	if n == 0 {
		return ""
	}
	return numbers.Count(n)
}
