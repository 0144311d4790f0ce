package logs

// lnav's keys: the next or previous error and warning, marks, the rows scrolled sideways,
// the histogram; and going to a time, which the histogram and the picker ask for.

import (
	"fmt"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/tui/common"
	"github.com/calltail/calltail/tui/pane"
)

// OpenHistogramMsg asks the root to show the histogram of the pane shown.
type OpenHistogramMsg struct{ Pane *pane.Model }

// GoToTimeMsg asks the logs to show the entry at a time: Time (originating, microseconds
// since the epoch), or when Text is set, a time as typed (see ParseTime), read in the zone
// the rows show and on the selected entry's day when it names none.
type GoToTimeMsg struct {
	Time int64
	Text string
}

// lnavKey reports whether msg is one of lnav's keys.
func (m *Model) lnavKey(msg tea.KeyPressMsg) bool {
	for _, b := range []key.Binding{m.NextError, m.PrevError, m.NextWarning, m.PrevWarning,
		m.Bookmark, m.NextMark, m.PrevMark, m.ScrollLeft, m.ScrollRight, m.Histogram} {
		if key.Matches(msg, b) {
			return true
		}
	}
	return false
}

// lnav does what one of lnav's keys asks.
func (m *Model) lnav(msg tea.KeyPressMsg) tea.Cmd {
	p := m.Pane()
	flash := func(s string) tea.Cmd { return common.Ask(common.FlashMsg(s)) }
	level := func(lo, hi model.Level, what string, back bool) tea.Cmd {
		if p.NextAtLevel(lo, hi, back) {
			return nil
		}
		if back {
			return flash("no " + what + " above")
		}
		return flash("no " + what + " below")
	}
	const top = model.Level(127)
	switch {
	case key.Matches(msg, m.NextError), key.Matches(msg, m.PrevError):
		return level(model.LevelError, top, "error", key.Matches(msg, m.PrevError))
	case key.Matches(msg, m.NextWarning), key.Matches(msg, m.PrevWarning):
		return level(model.LevelWarning, model.LevelError, "warning", key.Matches(msg, m.PrevWarning))
	case key.Matches(msg, m.Bookmark):
		marked, ok := p.Mark()
		switch {
		case !ok:
			return flash("nothing to mark yet: the files are still being read")
		case marked:
			return flash(fmt.Sprintf("marked (%d marked; %s and %s move between them)", p.Marks(), m.NextMark.Help().Key, m.PrevMark.Help().Key))
		}
		return flash(fmt.Sprintf("unmarked (%d marked)", p.Marks()))
	case key.Matches(msg, m.NextMark), key.Matches(msg, m.PrevMark):
		back := key.Matches(msg, m.PrevMark)
		switch {
		case p.Marks() == 0:
			return flash("no marks: " + m.Bookmark.Help().Key + " marks a row")
		case p.NextMark(back):
		case back:
			return flash("no mark above")
		default:
			return flash("no mark below")
		}
	case key.Matches(msg, m.ScrollLeft), key.Matches(msg, m.ScrollRight):
		if m.wrap {
			return flash("rows wrap: nothing to scroll (" + m.Wrap.Help().Key + " unwraps)")
		}
		p.ScrollText(key.Matches(msg, m.ScrollRight))
	case key.Matches(msg, m.Histogram):
		return common.Ask(OpenHistogramMsg{Pane: p})
	}
	return nil
}

// goToTime shows the entry at the time asked for, and says where it went.
func (m *Model) goToTime(msg GoToTimeMsg) tea.Cmd {
	p := m.Pane()
	t := msg.Time
	if msg.Text != "" {
		w, ok := ParseTime(msg.Text)
		if !ok {
			return common.Ask(common.FlashMsg("not a time: " + msg.Text))
		}
		ref := time.Now()
		if s := p.SelectedTime(); s != 0 {
			ref = model.TimeOf(s)
		}
		t = w.In(ref, m.zone()).UnixMicro()
	}
	if !p.GoToTime(t) {
		return common.Ask(common.FlashMsg("no entries to go to"))
	}
	return common.Ask(common.FlashMsg("at " + model.TimeOf(t).In(m.zone()).Format("2006-01-02 15:04:05 MST")))
}

// zone is the time zone the rows show their times in.
func (m *Model) zone() *time.Location {
	if m.timeMode == pane.Local {
		return time.Local
	}
	return time.UTC
}
