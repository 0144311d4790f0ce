package picker

import (
	"slices"

	tea "charm.land/bubbletea/v2"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/tui/common"
)

// maxCallIDs is how many of the most recent call ids the picker offers.
const maxCallIDs = 5000

// Open returns a picker over what the session's store indexes — nodes, modules, the latest
// call ids — and a command that adds the conferences and participants of its calls, which
// may take a while to read on a large log.
func Open(c common.Common) (*Model, tea.Cmd) {
	st, index := c.Session.Store, c.Session.Calls
	var basic []Item
	add := func(items []Item, field string, values []string) []Item {
		for _, v := range values {
			items = append(items, Item{Field: field, Value: v})
		}
		return items
	}
	nodes, modules := st.Nodes(), st.Modules()
	slices.Sort(nodes)
	slices.Sort(modules)
	basic = add(basic, "node", nodes)
	basic = add(basic, "module", modules)
	ids := st.IDs(model.CallID)
	basic = add(basic, "call-id", ids[max(0, len(ids)-maxCallIDs):])
	names := func() tea.Msg {
		conferences, participants := index.Names()
		all := add(slices.Clip(basic), "conference", conferences)
		return ItemsMsg(add(all, "participant", participants))
	}
	return New(c, basic), names
}
