#!/bin/sh
# Fuzzes every parser: each Fuzz target in the module, for FUZZTIME each (default 10m).
# An input that makes a target fail is written by go test to the package's
# testdata/fuzz/<Target>/ directory: commit it, and it runs with every go test from then
# on, as a regression case. Not run in CI (it takes FUZZTIME times the number of targets).
#
#   scripts/fuzz.sh                 # every target, 10 minutes each
#   FUZZTIME=30s scripts/fuzz.sh    # a quick pass
#   scripts/fuzz.sh FuzzFraming     # one target
set -u
cd "$(dirname "$0")/.."
time=${FUZZTIME:-10m}
rm -f /tmp/calltail-fuzz.failed
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
	pkg=./$(dirname "${file#./}")
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		if [ $# -gt 0 ] && [ "$1" != "$target" ]; then
			continue
		fi
		echo "== $pkg $target ($time)"
		corpus=$pkg/testdata/fuzz/$target
		before=$(ls "$corpus" 2>/dev/null | wc -l)
		go test -run '^$' -fuzz "^$target\$" -fuzztime "$time" "$pkg" > /tmp/calltail-fuzz.out 2>&1
		# A failing input is always written to the corpus; a failure without one is the
		# fuzzer's own deadline at the very end of a short run, not a finding.
		if [ "$(ls "$corpus" 2>/dev/null | wc -l)" -gt "$before" ]; then
			tail -20 /tmp/calltail-fuzz.out
			echo "FAILED: $pkg $target (the input is in $pkg/testdata/fuzz/$target/)"
			echo "$pkg $target" >> /tmp/calltail-fuzz.failed
		else
			tail -1 /tmp/calltail-fuzz.out
		fi
	done
done
if [ -s /tmp/calltail-fuzz.failed ]; then
	echo "failing targets:"; cat /tmp/calltail-fuzz.failed; rm -f /tmp/calltail-fuzz.failed
	exit 1
fi
