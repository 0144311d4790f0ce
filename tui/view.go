package tui

import (
	"fmt"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/numbers"
	"github.com/calltail/calltail/tui/pane"
)

// View lays out the screen: the tabs, the body (a pane, the details, the picker or the
// help), a prompt when one is open, and the status line.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Styles.Fill(m.render(), m.width))
	v.AltScreen = true
	if m.opt.Mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	v.WindowTitle = "calltail"
	return v
}

func (m *Model) render() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	body := m.top().View()
	if m.top() == common.Component(m.logs) {
		body = m.explainEmptyAdmin(body)
	}
	return strings.Join([]string{m.tabs(), body, m.status()}, "\n")
}

// tabLabels are the panes' tabs as the tab bar writes them, each followed by a space: the
// active one in brackets where no colour shows it (mono, a dumb terminal).
func (m *Model) tabLabels() []string {
	var labels []string
	for i, p := range m.logs.Panes() {
		open, end := " ", " "
		if i == m.logs.Active() && m.Styles.Mono {
			open, end = "[", "]"
		}
		labels = append(labels, fmt.Sprintf("%s%s (%s)%s", open, p.Title(), numbers.Count(p.Len()), end))
	}
	return labels
}

// tabAt returns the pane whose tab is at column x of the tab bar, or -1.
func (m *Model) tabAt(x int) int {
	at := 0
	for i, label := range m.tabLabels() {
		w := ansi.StringWidth(label)
		if x >= at && x < at+w {
			return i
		}
		at += w + 1
	}
	return -1
}

// tabs is the top line: a tab per pane with its entry count, then what the view on top
// is and the keys it answers to, or what the pane is doing.
func (m *Model) tabs() string {
	st := m.Styles
	var b strings.Builder
	for i, label := range m.tabLabels() {
		if i == m.logs.Active() {
			b.WriteString(st.TabActive.Render(label))
		} else {
			b.WriteString(st.TabInactive.Render(label))
		}
		b.WriteString(st.Bar.Render(" "))
	}
	var right []string
	if v, ok := m.top().(common.Titled); ok {
		right = append(right, m.titled(v.Title(), ansi.StringWidth(b.String())))
	} else if p, live := m.logs.Pane(), m.Session.Live(); p.Following() && live {
		right = append(right, "following")
	} else if p.Following() {
		right = append(right, "at the end") // nothing more will come: files read to their end
	} else if live {
		right = append(right, fmt.Sprintf("paused — %s new (%s to follow)", numbers.Count(p.New()), m.Keys.Bottom.Keys()[0]))
	} else {
		right = append(right, fmt.Sprintf("scrolled up (%s for the end)", m.Keys.Bottom.Keys()[0]))
	}
	if m.logs.Wrapping() {
		right = append(right, "wrap")
	}
	return m.bar(b.String(), st.Bar.Render(strings.Join(right, " · ")))
}

// titled is the view's title and as many of its hints as fit beside tabs that take
// tabsWidth: on a narrow screen the title rather than nothing (the bar cuts a right side
// that does not fit whole).
func (m *Model) titled(title string, tabsWidth int) string {
	room := m.width - tabsWidth - 1
	if m.logs.Wrapping() {
		room -= len(" · wrap")
	}
	text := title
	for _, b := range m.top().ShortHelp() {
		sep := ", "
		if text == title {
			sep = " — "
		}
		if !b.Enabled() {
			continue
		}
		more := text + sep + b.Help().Key + " " + b.Help().Desc
		if ansi.StringWidth(more) > room {
			break
		}
		text = more
	}
	return text
}

// status is the bottom line: sources and their state, counts, rates and drops, indexing
// progress, the pane's filter and search, and messages.
func (m *Model) status() string {
	st := m.Styles
	var parts []string
	for _, s := range m.Session.States() {
		part := st.BarValue.Render(sanitize.String(shortName(s.Name))+" ") + st.BarKey.Render(s.State.String())
		if s.Format != "" {
			part += st.BarValue.Render(" " + s.Format)
		}
		for _, c := range []struct {
			n    int64
			what string
		}{{s.Stats.Dropped, "dropped"}, {s.Stats.Truncated, "cut"}, {s.Stats.Rejected, "refused"}} {
			if c.n > 0 {
				part += st.BarKey.Render(fmt.Sprintf(" %s %s", numbers.Count(int(c.n)), c.what))
			}
		}
		parts = append(parts, part)
	}
	if m.rate.perSec > 0 {
		parts = append(parts, st.BarValue.Render(fmt.Sprintf("%.0f msg/s", m.rate.perSec)))
	}
	store := m.Session.Store
	warnings := store.AtLevel(model.LevelWarning).Len()
	errors := store.AtLevel(model.LevelError).Len() + store.AtLevel(model.LevelCritical).Len()
	entries := numbers.Plural(store.Len(), "entry", "entries")
	if gone := store.First(); gone > 0 {
		entries += fmt.Sprintf(" (%s let go)", numbers.Count(gone))
	}
	parts = append(parts, st.BarValue.Render(entries+", "+numbers.Plural(warnings, "warning", "warnings")+", "+numbers.Plural(errors, "error", "errors")))
	ambient := len(parts) // what is always said: the sources, the rate, the counts; then what is set or going on
	if done, total := m.Session.Indexing(); done < total {
		parts = append(parts, st.BarKey.Render(fmt.Sprintf("indexing %d%%", done*100/total)))
	}
	p := m.logs.Pane()
	if done, total := p.Progress(); done < total {
		parts = append(parts, st.BarKey.Render(fmt.Sprintf("filtering %d%%", done*100/total)))
	}
	if tm := m.logs.TimeMode(); tm != pane.Originating {
		parts = append(parts, st.BarKey.Render(tm.String()))
	}
	if f := p.Filter(); f != "" {
		parts = append(parts, st.BarKey.Render("filter: ")+st.BarValue.Render(sanitize.String(f)))
	}
	if l := p.MinLevel(); l > model.LevelDebug {
		parts = append(parts, st.BarKey.Render("level ≥ ")+st.BarValue.Render(l.String()))
	}
	if q := p.Search(); q != nil {
		// "match 3 of 12" on a match, "12 matches" off one, "+" while counting
		parts = append(parts, st.BarKey.Render(q.Mode().String()+" /")+st.BarValue.Render(sanitize.String(q.Text())+" "+p.MatchStatus()))
	}
	help := m.Keys.Help.Help()
	sep, right := st.Bar.Render(" │ "), st.BarHelp.Render(help.Key+" "+help.Desc)
	if m.flash == "" {
		return m.bar(strings.Join(parts, sep), right)
	}
	return m.withFlash(strings.Join(parts[:ambient], sep), strings.Join(parts[ambient:], sep), sep, right,
		st.Accent.Render(sanitize.String(m.flash)))
}

// withFlash lays out the status line with a message that must show. What gives way for it,
// in turn: the help's hint, the sources and counts (ambient), what is set or going on
// (state: a search, a filter), and the message's own end (its start says what happened).
func (m *Model) withFlash(ambient, state, sep, right, flash string) string {
	join := func(parts ...string) string {
		var kept []string
		for _, p := range parts {
			if p != "" {
				kept = append(kept, p)
			}
		}
		return strings.Join(kept, sep)
	}
	line := join(ambient, state, flash)
	w := ansi.StringWidth
	if w(line)+1+w(right) <= m.width {
		return m.bar(line, right)
	}
	if w(line) <= m.width {
		return m.bar(line, "")
	}
	const least = 12 // narrower than this, a part says nothing
	if room := m.width - w(join(state, flash)) - w(sep); room >= least {
		return m.bar(join(ansi.Truncate(ambient, room, "…"), state, flash), "")
	}
	if room := m.width - w(flash) - w(sep); state != "" && room >= least {
		return m.bar(join(ansi.Truncate(state, room, "…"), flash), "")
	}
	return m.bar(ansi.Truncate(flash, m.width, "…"), "")
}

// bar lays out a line of the bar colours: left text, right text (each styled as a bar's
// text), filled to the width.
func (m *Model) bar(left, right string) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if gap := min(rw, 1); lw+rw+gap > m.width {
		return ansi.Truncate(left, m.width, "…")
	}
	return left + m.Styles.Bar.Render(strings.Repeat(" ", m.width-lw-rw)) + right
}

// shortName is a source's name for the status line: a path's file name.
func shortName(name string) string {
	if strings.Contains(name, "://") {
		return name
	}
	return filepath.Base(name)
}

// explainEmptyAdmin says, in place of the administrator log's "no entries yet", why it is
// empty although entries were read: what the tab holds, and that none of them is that.
func (m *Model) explainEmptyAdmin(body string) string {
	p, n := m.logs.Pane(), m.Session.Store.Len()
	if m.logs.Active() != 0 || p.Len() > 0 || n == 0 || p.Filter() != "" || p.MinLevel() > model.LevelDebug {
		return body
	}
	lines := strings.Split(body, "\n")
	text := fmt.Sprintf("No administrator entries among the %s read. This tab holds Pexip's administrator log "+
		"(its administrator.* modules) and what other servers log about administration and security: logins "+
		"and failed logins, authentications, registrations, accounts, configuration, and the attacks the security "+
		"view (%s) counts.", numbers.Plural(n, "entry", "entries"), m.Keys.Security.Help().Key)
	explained := strings.Split(ansi.Wordwrap(text, max(20, m.width), ""), "\n")
	for i := 0; i < len(explained) && i < len(lines)-1; i++ { // the last line may be a prompt
		lines[i] = m.Styles.Faint.Render(explained[i])
	}
	return strings.Join(lines, "\n")
}
