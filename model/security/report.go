package security

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/model/table"
)

// Columns are the security table's columns, in order.
var Columns = []string{"ADDRESS", "EVENTS", "FIRST SEEN", "LAST SEEN", "WHAT", "TRIED"}

// Row returns a group's cells, in the order of Columns, made safe for a terminal.
func (g *Group) Row() []string {
	return []string{sanitize.String(g.Place()), strconv.Itoa(g.Events), clock(g.First), clock(g.Last), g.What(),
		sanitize.String(strings.Join(g.Who, ", "))}
}

// Place is the group's address, or says that none was logged.
func (g *Group) Place() string {
	if g.Address == "" {
		return "(no address logged)"
	}
	return g.Address
}

// clock formats an event time: UTC, to the second, "" when unknown.
func clock(t int64) string {
	if t == 0 {
		return ""
	}
	return time.UnixMicro(t).UTC().Format("2006-01-02 15:04:05")
}

// WriteTable writes the groups as an aligned table.
func WriteTable(w io.Writer, groups []Group) error {
	rows := [][]string{Columns}
	for i := range groups {
		rows = append(rows, groups[i].Row())
	}
	return table.Write(w, rows)
}

// groupJSON is a group as --json prints it.
type groupJSON struct {
	Address string         `json:"address"`
	Events  int            `json:"events"`
	First   string         `json:"first_seen,omitempty"`
	Last    string         `json:"last_seen,omitempty"`
	Kinds   map[string]int `json:"kinds"`
	Tried   []string       `json:"tried,omitempty"`
}

// WriteJSON writes one JSON object per group, one per line.
func WriteJSON(w io.Writer, groups []Group) error {
	enc := json.NewEncoder(w)
	for _, g := range groups {
		j := groupJSON{Address: g.Address, Events: g.Events, First: clock(g.First), Last: clock(g.Last), Kinds: map[string]int{}, Tried: g.Who}
		for k, n := range g.Kinds {
			if n > 0 {
				j.Kinds[Kind(k).String()] = n
			}
		}
		if err := enc.Encode(j); err != nil {
			return err
		}
	}
	return nil
}
