package report

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/calltail/calltail/model/sanitize"
	"github.com/calltail/calltail/model/security"
)

// SecurityColumns are the security table's columns, in order.
var SecurityColumns = []string{"ADDRESS", "EVENTS", "FIRST SEEN", "LAST SEEN", "WHAT", "TRIED"}

// SecurityRow returns a group's cells, in the order of SecurityColumns, made safe for a
// terminal.
func SecurityRow(g *security.Group) []string {
	return []string{sanitize.String(g.Place()), strconv.Itoa(g.Events), seconds(g.First), seconds(g.Last),
		sanitize.String(g.What()), sanitize.String(strings.Join(g.Who, ", "))}
}

// seconds formats an event time: UTC, to the second, "" when unknown.
func seconds(t int64) string {
	if t == 0 {
		return ""
	}
	return time.UnixMicro(t).UTC().Format("2006-01-02 15:04:05")
}

// WriteSecurity writes the groups as an aligned table.
func WriteSecurity(w io.Writer, groups []security.Group) error {
	rows := [][]string{SecurityColumns}
	for i := range groups {
		rows = append(rows, SecurityRow(&groups[i]))
	}
	return writeTable(w, rows)
}

// groupJSON is a group as --json prints it. The strings from the logs are texts (see
// text); the kinds are calltail's own names.
type groupJSON struct {
	Address    text           `json:"address"`
	Conference text           `json:"conference,omitempty"` // of a group without an address
	Alias      text           `json:"alias,omitempty"`
	Events     int            `json:"events"`
	First      string         `json:"first_seen,omitempty"`
	Last       string         `json:"last_seen,omitempty"`
	Kinds      map[string]int `json:"kinds"`
	Tried      []text         `json:"tried,omitempty"`
}

// WriteSecurityJSON writes one JSON object per group, one per line.
func WriteSecurityJSON(w io.Writer, groups []security.Group) error {
	enc := newEncoder(w)
	for _, g := range groups {
		j := groupJSON{Address: text(g.Address), Conference: text(g.Conference), Alias: text(g.Alias), Events: g.Events,
			First: seconds(g.First), Last: seconds(g.Last), Kinds: map[string]int{}}
		if len(g.Who) > 0 {
			j.Tried = texts(g.Who)
		}
		for k, n := range g.Kinds {
			if n > 0 {
				j.Kinds[sanitize.String(security.Kind(k).String())] = n
			}
		}
		if err := enc.Encode(j); err != nil {
			return err
		}
	}
	return nil
}
