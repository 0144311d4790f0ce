package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
	"time"
)

// TestDefaultUnchanged checks that the default output is byte for byte what it was before
// the options of issue 13 came (golden screens and headless goldens depend on it): the
// SHA-256 of the first lines of the seeds the tests use, and of a busy demo-like run.
func TestDefaultUnchanged(t *testing.T) {
	for _, c := range []struct {
		seed uint64
		n    int
		opt  Options
		want string
	}{
		{3, 2000, Options{}, "ab8160c34ca4cbfe12bfd0d51c1951dac1ac9b98fdb438f54aab05b126c8d0f8"},
		{1, 40000, Options{}, "1436b85d15221d6d39878ec13ff47742d453919e30b50f586770e749aa080eda"},
		{2, 60, Options{}, "9c393094bbe4301de99ed05b890ef35648393e6a2d08274a683e76d67cf6df41"},
		{7, 5000, Options{}, "623f73420fbf2127d444e3a572e380055225d8331340999564f36e93113cdecc"},
		{11, 20000, Options{}, "d14c807eb837677c0cd82ceddcee8b9576afaa8530a2f72440eb67aff09e7a5c"},
		{21, 60000, Options{}, "698a5a6e027bebe3450be3b2e87dadb1e2821b929fb654f2e58ebb267ffc61a6"},
		{9, 10000, Options{}, "7cf1b3f8321a9fba0268954e60bfa7406f9ec6cc081c0a34ee5eee0f063b19db"},
		{5, 30000, Options{Busy: 8, Start: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)},
			"80d0eccaa11e232cc38e25f69c5a74d831573caad121eb0891792efa5ff8f9ba"},
	} {
		h := sha256.New()
		if err := NewWith(c.seed, c.opt).WriteLines(h, c.n); err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != c.want {
			t.Errorf("seed %d, %d lines, %+v: SHA-256 %s, want %s", c.seed, c.n, c.opt, got, c.want)
		}
	}
}
