package security

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/calltail/calltail/model"
	"github.com/calltail/calltail/model/formats"
	"github.com/calltail/calltail/model/split"
	"github.com/calltail/calltail/model/store"
)

// fail2banExpect is testdata/servers/fail2ban-expect.json: what fail2ban's own asterisk
// and freeswitch filters (mode normal) find, line by line, in fail2ban's own test logs.
type fail2banExpect struct {
	Asterisk, Freeswitch fail2banFile
}

type fail2banFile struct {
	File    string
	Summary struct {
		Matches int
		Hosts   map[string]int
	}
	Lines []struct {
		Line   int
		Normal struct {
			Match bool
			Host  string
			Time  *string // "2012-02-13T17:21:54", as written on the line; null without one
		}
	}
}

// TestFail2banParity reads fail2ban's annotated test logs for Asterisk and FreeSWITCH as
// calltail --security does (the auto parser, a store, Find) and finds what fail2ban's
// filters find in normal mode: the same hosts with the same counts, and nothing else; and
// line by line, each event on a line fail2ban matches, with fail2ban's host and the time
// written on it, and none on the others (the comment lines, which name addresses too, and
// the lines fail2ban does not match: a "SIP auth challenge", an ACL falling back to digest).
func TestFail2banParity(t *testing.T) {
	data, err := os.ReadFile("../../testdata/servers/fail2ban-expect.json")
	if err != nil {
		t.Fatal(err)
	}
	var expect fail2banExpect
	if err := json.Unmarshal(data, &expect); err != nil {
		t.Fatal(err)
	}
	for _, f := range []fail2banFile{expect.Asterisk, expect.Freeswitch} {
		t.Run(f.File, func(t *testing.T) {
			if f.Summary.Matches == 0 || len(f.Lines) == 0 {
				t.Fatalf("no expectations read for %s", f.File)
			}
			text, err := os.ReadFile("../../" + f.File)
			if err != nil {
				t.Fatal(err)
			}
			newParser, _ := formats.New("auto", 2005) // fail2ban's tests run in 2005
			st := store.New()
			src := st.AddOrigin(store.Origin{Name: f.File, Text: bytes.NewReader(text)})
			if err := st.Load(context.Background(), src, bytes.NewReader(text), newParser, split.Options{}); err != nil {
				t.Fatal(err)
			}

			groups, err := Find(context.Background(), st, newParser)
			if err != nil {
				t.Fatal(err)
			}
			hosts := map[string]int{}
			for _, g := range groups {
				hosts[g.Place()] = g.Events
			}
			if !maps.Equal(hosts, f.Summary.Hosts) {
				t.Errorf("hosts and their events:\n got %v\nwant %v", hosts, f.Summary.Hosts)
			}

			got := eventsByLine(t, st, text, newParser)
			lines := map[int]bool{}
			for _, l := range f.Lines {
				lines[l.Line] = true
				e, found := got[l.Line]
				switch {
				case !l.Normal.Match && found:
					t.Errorf("line %d: fail2ban matches nothing, calltail finds %+v", l.Line, e)
				case l.Normal.Match && !found:
					t.Errorf("line %d: fail2ban matches %s, calltail finds nothing", l.Line, l.Normal.Host)
				case l.Normal.Match && e.Address != l.Normal.Host:
					t.Errorf("line %d: fail2ban matches %s, calltail finds %+v", l.Line, l.Normal.Host, e)
				case l.Normal.Match && l.Normal.Time != nil && !sameClock(e.Time, *l.Normal.Time):
					t.Errorf("line %d: time %s, want %s", l.Line, model.TimeOf(e.Time), *l.Normal.Time)
				}
			}
			for _, n := range slices.Sorted(maps.Keys(got)) {
				if !lines[n] {
					t.Errorf("line %d, not one fail2ban reads: calltail finds %+v", n, got[n])
				}
			}
		})
	}
}

// eventsByLine classifies every entry of the store, text its only origin, and returns the
// events by the number of the line their entry starts on. Each event's line must hold
// one of the Needles, or a live view would skip it.
func eventsByLine(t *testing.T, st *store.Store, text []byte, newParser model.NewParserFunc) map[int]Event {
	t.Helper()
	p := newParser()
	v := st.View()
	got := map[int]Event{}
	var rec model.Record
	for i := range v.Len() {
		raw, err := v.Raw(nil, i)
		if err != nil {
			t.Fatal(err)
		}
		p.Parse(raw, &rec)
		v.Label(i, &rec)
		e, ok := Classify(&rec)
		if !ok {
			continue
		}
		n := bytes.Count(text[:v.Entry(i).Offset()], []byte("\n")) + 1
		got[n] = e
		if first, _, _ := bytes.Cut(raw, []byte("\n")); !holdsNeedle(first) {
			t.Errorf("line %d, an event, holds none of the Needles: %s", n, first)
		}
	}
	return got
}

// holdsNeedle reports whether line holds one of the Needles, as the live view looks for them.
func holdsNeedle(line []byte) bool {
	for _, n := range Needles {
		if n.Fold && bytes.Contains(bytes.ToLower(line), []byte(strings.ToLower(n.Text))) ||
			!n.Fold && bytes.Contains(line, []byte(n.Text)) {
			return true
		}
	}
	return false
}

// sameClock reports whether micros is the time fail2ban read ("2012-02-13T17:21:54"), but
// for the year: a line without one is dated in the year the reader assumes.
func sameClock(micros int64, want string) bool {
	return len(want) == len("2006-01-02T15:04:05") && model.TimeOf(micros).Format("01-02T15:04:05") == want[5:]
}
