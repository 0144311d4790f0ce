#!/usr/bin/env bash
# compare.sh — time calltail against lnav and grep on the same generated Pexip support log.
#
#   scripts/compare.sh            # 1 GB file (generated once into bench/out/, ~30 s)
#   SIZE_MB=300 scripts/compare.sh
#
# Needs Go, lnav (Debian package lnav) and GNU time (/usr/bin/time). Each command runs RUNS
# times (default 3) with the file in the page cache; the table shows the median wall time,
# the largest peak RSS, and each time as a ratio to calltail's. Compare ratios from one run:
# these machines are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-3}
OUT=bench/out
mkdir -p "$OUT"
command -v lnav >/dev/null || { echo "compare.sh: lnav is not installed (apt-get install lnav)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "compare.sh: GNU time is not installed (apt-get install time)" >&2; exit 2; }

go build -o "$OUT/calltail" .
FILE="$OUT/support-${SIZE_MB}M.log"
if [ ! -s "$FILE" ]; then
  echo "generating $FILE..." >&2
  # Lines vary in length: generate more than enough, then keep the first SIZE_MB of whole lines.
  "$OUT/calltail" --generate 100000 > "$OUT/sample.log"
  lines=$(( SIZE_MB * 1024 * 1024 * 100000 / $(stat -c %s "$OUT/sample.log") * 6 / 5 ))
  (set +o pipefail; "$OUT/calltail" --generate "$lines" --seed 1 | head -c $(( SIZE_MB * 1024 * 1024 )) | sed '$d') > "$FILE"
  rm "$OUT/sample.log"
fi
size=$(stat -c %s "$FILE")
lines=$(wc -l < "$FILE")
# A call from the middle of the file: its id is what a user would paste.
ID=$(set +o pipefail; tail -c +$(( size / 2 )) "$FILE" | grep -o -m1 'Call-Id="[^"]*"' | cut -d'"' -f2)
cat "$FILE" > /dev/null # into the page cache

# measure NAME CMD... : runs CMD RUNS times, prints "NAME median_seconds max_rss_kb".
measure() {
  local name=$1; shift
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    read -r t m < <( { /usr/bin/time -f "%e %M" "$@" > "$OUT/$name.out"; } 2>&1 | tail -n 1 )
    times+=("$t"); (( m > rss )) && rss=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  echo "$name $median $rss"
}

results=$(
  measure calltail "$OUT/calltail" -n --query "call-id == \"$ID\"" "$FILE"
  measure lnav lnav -n -c ":filter-in $ID" "$FILE"
  measure grep grep -c "$ID" "$FILE"
)
# A filter with no text to search for: calltail parses every entry.
levels=$(
  measure calltail-level "$OUT/calltail" -n --query "level >= warning" "$FILE"
  measure grep-level grep -cE 'Level="(WARNING|ERROR)"' "$FILE"
)

echo "file: $FILE ($(( size / 1024 / 1024 )) MB, $lines lines), call id $ID"
echo "calltail printed $(grep -c "^[0-9]" "$OUT/calltail.out") entries whose call-id is the id; grep -c counted $(cat "$OUT/grep.out") lines holding the text (REST payloads mention it too)"
echo
base=$(echo "$results" | awk '$1=="calltail"{print $2}')
printf '%-15s %10s %14s %16s\n' tool "wall (s)" "peak RSS (MB)" "time / calltail"
table() {
  awk -v base="$1" '{ printf "%-15s %10.2f %14.1f %16.2f\n", $1, $2, $3/1024, ($2 > 0 ? $2 : 0.005) / (base > 0 ? base : 0.005) }'
}
echo "$results" | table "$base"
echo
echo "level >= warning: calltail printed $(grep -c "^[0-9]" "$OUT/calltail-level.out") entries; grep -cE counted $(cat "$OUT/grep-level.out") lines"
echo "$levels" | table "$(echo "$levels" | awk '$1=="calltail-level"{print $2}')"
