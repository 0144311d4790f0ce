package tui

import (
	"fmt"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/sanitize"
)

// View lays out the screen: the tabs, the body (a pane, the details, the picker or the
// help), a prompt when one is open, and the status line.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
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
	var body string
	switch m.mode {
	case detailing:
		body = m.details.View()
	case picking:
		body = m.picker.View()
	case helping:
		body = m.helpView()
	case listingCalls:
		body = m.callsList.View()
	case viewingSecurity:
		body = m.security.View()
	case viewingCall:
		body = m.callView.View()
	default:
		body = m.pane().View()
	}
	parts := []string{m.tabs(), body}
	if m.prompting() {
		parts = append(parts, m.promptView())
	}
	parts = append(parts, m.status())
	return strings.Join(parts, "\n")
}

// tabs is the top line: a tab per pane with its entry count, then what the active pane
// is doing.
func (m *Model) tabs() string {
	st := &m.styles
	var b strings.Builder
	for i, p := range m.panes {
		label := fmt.Sprintf(" %s (%s) ", p.Title(), count(p.Len()))
		if i == m.active {
			b.WriteString(st.TabActive.Render(label))
		} else {
			b.WriteString(st.TabInactive.Render(label))
		}
		b.WriteString(st.Bar.Render(" "))
	}
	p := m.pane()
	var right []string
	switch {
	case m.mode == detailing:
		right = append(right, "entry details — esc to go back, y to copy, o for its call")
	case m.mode == viewingSecurity:
		right = append(right, "security — enter searches the logs for the address, esc goes back")
	case m.mode == listingCalls:
		right = append(right, "calls — enter opens, / filters, s sorts, esc goes back")
	case m.mode == viewingCall:
		right = append(right, "call — tab for the next tab, esc goes back")
	case p.Following():
		right = append(right, "following")
	default:
		right = append(right, fmt.Sprintf("paused — %s new (G to follow)", count(p.New())))
	}
	if m.wrap {
		right = append(right, "wrap")
	}
	return m.bar(b.String(), strings.Join(right, " · "))
}

// status is the bottom line: sources and their state, counts, rates and drops, indexing
// progress, the pane's filter and search, and messages.
func (m *Model) status() string {
	st := &m.styles
	var parts []string
	for _, s := range m.sess.States() {
		part := st.BarValue.Render(sanitize.String(shortName(s.Name))+" ") + st.BarKey.Render(s.State.String())
		if s.Format != "" {
			part += st.BarValue.Render(" " + s.Format)
		}
		for _, c := range []struct {
			n    int64
			what string
		}{{s.Stats.Dropped, "dropped"}, {s.Stats.Truncated, "cut"}, {s.Stats.Rejected, "refused"}} {
			if c.n > 0 {
				part += st.BarKey.Render(fmt.Sprintf(" %s %s", count(int(c.n)), c.what))
			}
		}
		parts = append(parts, part)
	}
	if m.rate.perSec > 0 {
		parts = append(parts, st.BarValue.Render(fmt.Sprintf("%.0f msg/s", m.rate.perSec)))
	}
	store := m.sess.Store
	warnings := store.AtLevel(model.LevelWarning).Len()
	errors := store.AtLevel(model.LevelError).Len() + store.AtLevel(model.LevelCritical).Len()
	entries := plural(store.Len(), "entry", "entries")
	if gone := store.First(); gone > 0 {
		entries += fmt.Sprintf(" (%s let go)", count(gone))
	}
	parts = append(parts, st.BarValue.Render(entries+", "+plural(warnings, "warning", "warnings")+", "+plural(errors, "error", "errors")))
	if done, total := m.sess.Indexing(); done < total {
		parts = append(parts, st.BarKey.Render(fmt.Sprintf("indexing %d%%", done*100/total)))
	}
	p := m.pane()
	if done, total := p.Progress(); done < total {
		parts = append(parts, st.BarKey.Render(fmt.Sprintf("filtering %d%%", done*100/total)))
	}
	if f := p.Filter(); f != "" {
		parts = append(parts, st.BarKey.Render("filter: ")+st.BarValue.Render(sanitize.String(f)))
	}
	if l := p.MinLevel(); l > model.LevelDebug {
		parts = append(parts, st.BarKey.Render("level ≥ ")+st.BarValue.Render(l.String()))
	}
	if q := p.Search(); q != nil {
		n, complete := p.Matches()
		more := ""
		if !complete {
			more = "+"
		}
		parts = append(parts, st.BarKey.Render(q.Mode().String()+" /")+st.BarValue.Render(sanitize.String(q.Text())+" "+plural(n, "match", "matches")+more))
	}
	if m.flash != "" {
		parts = append(parts, st.Accent.Render(sanitize.String(m.flash)))
	}
	return m.bar(strings.Join(parts, st.Bar.Render(" │ ")), st.Help.Render("? help"))
}

// bar lays out a line of the bar colours: left text, right text, filled to the width.
func (m *Model) bar(left, right string) string {
	lw, rw := ansi.StringWidth(left), ansi.StringWidth(right)
	if lw+rw+1 > m.width {
		return ansi.Truncate(left, m.width, "…")
	}
	return left + m.styles.Bar.Render(strings.Repeat(" ", m.width-lw-rw)) + right
}

func (m *Model) promptView() string {
	line := m.input.View()
	if m.mode == searching {
		line += m.styles.Faint.Render("  (" + m.searchMode.String() + ", ctrl+r to change)")
	}
	if m.inputErr != "" {
		line += "  " + m.styles.PromptError.Render(sanitize.String(m.inputErr))
	}
	return ansi.Truncate(line, m.width, "…")
}

func (m *Model) helpView() string {
	h := m.help
	h.ShowAll = true
	lines := strings.Split(h.View(m.keys), "\n")
	lines = append([]string{m.styles.Title.Render("calltail — keys"), ""}, lines...)
	lines = append(lines, "", m.styles.Faint.Render("Filter language: level >= warning, module ^= \"administrator.\", call-id == \"…\", node == conf01,"),
		m.styles.Faint.Render("  participant contains alice, message ~ \"regex\", words, \"quoted text\", combined with && || ! ( )."),
		"", m.styles.Faint.Render("Press any key to go back."))
	for len(lines) < m.bodyHeight() {
		lines = append(lines, "")
	}
	return strings.Join(lines[:m.bodyHeight()], "\n")
}

// count writes n with thousands separators.
func count(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// shortName is a source's name for the status line: a path's file name.
func shortName(name string) string {
	if strings.Contains(name, "://") {
		return name
	}
	return filepath.Base(name)
}

// plural writes n and the word that goes with it.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return count(n) + " " + many
}
