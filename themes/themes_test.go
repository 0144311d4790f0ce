package themes

import (
	"strings"
	"testing"
)

func TestEveryThemeBuilds(t *testing.T) {
	for _, name := range Names() {
		s, err := Get(name)
		if err != nil {
			t.Fatal(err)
		}
		warn, errRow, info := s.WarnRow.Render("x"), s.ErrorRow.Render("x"), s.Text.Render("x")
		if warn == info || errRow == info || warn == errRow {
			t.Errorf("%s: WARNING %q, ERROR %q and INFO %q rows must look different", name, warn, errRow, info)
		}
		if s.Node("conf01").Render("n") != s.Node("conf01").Render("n") {
			t.Errorf("%s: a node's colour changes", name)
		}
	}
	if mono, _ := Get("mono"); strings.Contains(mono.WarnRow.Render("x")+mono.Selected.Render("x"), "38;") {
		t.Error("mono uses colour")
	}
	if _, err := Get("solarized"); err == nil || !strings.Contains(err.Error(), "choose one of") {
		t.Errorf("unknown theme: %v", err)
	}
}
