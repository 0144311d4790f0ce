package tui

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/export"
	"github.com/calltail/calltail/model/filtered"
	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/model/store"
	"github.com/calltail/calltail/session"
	"github.com/calltail/calltail/tui/picker"
)

// exportedMsg reports an export's outcome.
type exportedMsg struct {
	path string
	n    int
	err  error
}

// exportPane writes the entries of a pane, as filtered, to path: their raw text with
// control characters made visible, as calltail -n prints them.
func exportPane(st *store.Store, entries filtered.Snap, path string) tea.Cmd {
	return func() tea.Msg {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return exportedMsg{path: path, err: fmt.Errorf("%v (choose another path)", err)}
		}
		w := bufio.NewWriterSize(f, 256<<10)
		v := st.View()
		var raw, out []byte
		var rec model.Record
		n := 0
		for i := entries.First(); i < entries.Len(); i++ {
			id := int(entries.At(i))
			if id < v.First() {
				continue // let go since the pane was read
			}
			if raw, err = v.Raw(raw[:0], id); err != nil {
				break
			}
			n++
			rec.Raw = raw
			out = export.Append(out[:0], &rec, export.Plain)
			if _, err = w.Write(out); err != nil {
				break
			}
		}
		if ferr := w.Flush(); err == nil {
			err = ferr
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return exportedMsg{path: path, n: n, err: err}
	}
}

// copy puts an entry's text on the clipboard with OSC 52, which works over SSH; inside
// tmux the sequence is wrapped so that tmux passes it on. The text is made safe first.
func (m *Model) copy(raw []byte) tea.Cmd {
	text := sanitize.Append(nil, raw, sanitize.Options{Newlines: true, Tabs: true})
	seq := "\x1b]52;c;" + base64.StdEncoding.EncodeToString(text) + "\a"
	if m.opt.Tmux {
		seq = "\x1bPtmux;" + strings.ReplaceAll(seq, "\x1b", "\x1b\x1b") + "\x1b\\"
	}
	m.flash = fmt.Sprintf("copied %d bytes to the clipboard", len(text))
	return tea.Raw(seq)
}

// maxCallIDs is how many of the most recent call ids the picker offers.
const maxCallIDs = 5000

// basicItems are the picker's items that the store indexes: nodes, modules, call ids.
func basicItems(st *store.Store) []picker.Item {
	var items []picker.Item
	add := func(field string, values []string) {
		for _, v := range values {
			items = append(items, picker.Item{Field: field, Value: v})
		}
	}
	nodes, modules := st.Nodes(), st.Modules()
	slices.Sort(nodes)
	slices.Sort(modules)
	add("node", nodes)
	add("module", modules)
	calls := st.IDs(model.CallID)
	add("call-id", calls[max(0, len(calls)-maxCallIDs):])
	return items
}

// pickerItemsMsg carries the picker's items once names have been collected.
type pickerItemsMsg []picker.Item

// namesScanned is how many of the latest administrator entries are read for names.
const namesScanned = 20000

// collectNames reads the latest administrator entries for the conferences and
// participants in them, in the background, and sends every item to the picker.
func collectNames(st *store.Store, newParser model.NewParserFunc) tea.Cmd {
	return func() tea.Msg {
		items := basicItems(st)
		admin := st.Admin()
		v := st.View()
		p := newParser()
		var rec model.Record
		var raw []byte
		seen := map[[2]string]bool{}
		for i := admin.Len() - 1; i >= max(admin.First(), admin.Len()-namesScanned); i-- {
			var err error
			if raw, err = v.Raw(raw[:0], int(admin.At(i))); err != nil {
				continue
			}
			p.Parse(raw, &rec)
			for _, field := range []string{"Conference", "Participant"} {
				val, ok := rec.Field(field)
				key := [2]string{field, string(val)}
				if ok && len(val) > 0 && !seen[key] {
					seen[key] = true
					items = append(items, picker.Item{Field: strings.ToLower(field), Value: string(val)})
				}
			}
		}
		return pickerItemsMsg(items)
	}
}

// rateMeter turns the sources' message counters into messages per second.
type rateMeter struct {
	at       time.Time
	messages int64
	perSec   float64
}

func (r *rateMeter) add(now time.Time, states []session.SourceState) {
	var total int64
	for _, s := range states {
		total += s.Stats.Messages
	}
	if !r.at.IsZero() {
		if d := now.Sub(r.at).Seconds(); d > 0 {
			r.perSec = float64(total-r.messages) / d
		}
	}
	r.at, r.messages = now, total
}
