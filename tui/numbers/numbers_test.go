package numbers

import (
	"fmt"
	"testing"
)

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 134462: "134,462",
		1234567: "1,234,567", -1000: "-1,000", -12: "-12"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

func ExamplePlural() {
	fmt.Println(Plural(1, "call", "calls"))
	fmt.Println(Plural(2000, "entry", "entries"))
	// Output:
	// 1 call
	// 2,000 entries
}
