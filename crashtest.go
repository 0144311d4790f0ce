//go:build crashtest

package main

import (
	"bufio"
	"fmt"
	"os"
	"time"
)

// A build for the tests of crash handling (go build -tags crashtest): a second after the
// UI starts, a goroutine panics with a value that quotes the first line of the first log,
// which the incident report must leave out.
func init() {
	afterUIStart = func(opt options) {
		first := "(no log)"
		if len(opt.paths) > 0 {
			if f, err := os.Open(opt.paths[0]); err == nil {
				sc := bufio.NewScanner(f)
				if sc.Scan() {
					first = sc.Text()
				}
				f.Close()
			}
		}
		time.Sleep(time.Second)
		panic(fmt.Sprintf("crash test while reading %q", first))
	}
}
