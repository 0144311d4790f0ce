#!/usr/bin/env bash
# compare.sh — calltail against lnav, grep, ripgrep and (when given) Pexip's logreader.py on
# the same generated Pexip support log: wall time and peak RSS, as ratios from one run.
#
#   scripts/compare.sh                      # 1 GB file (generated once into bench/out/, ~30 s)
#   SIZE_MB=300 scripts/compare.sh
#   FILE=support.log RUNS=1 scripts/compare.sh
#   CALLTAIL=/tmp/calltail-before scripts/compare.sh                 # another build
#   LOGREADER=/tmp/pexip-log-tools/logreader.py scripts/compare.sh   # adds logreader.py
#   ONLY="ui calls" scripts/compare.sh      # some tables: call, level, calls, startup, ui
#
# Needs Go, lnav, ripgrep (Debian ripgrep), tmux (for the UIs) and GNU time (/usr/bin/time).
# Each headless command runs RUNS times (default 3) with the file in the page cache: the
# tables show the median wall time, the largest peak RSS (of every process of the run) and
# each time as a ratio to the table's first row. The UIs run once each in tmux: "loaded" is
# when the program stops using the CPU (less than 2% over a second), its RSS the peak of all
# its processes. Compare ratios from one run: these machines are noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-1024}
RUNS=${RUNS:-3}
ONLY=${ONLY:-call level calls startup ui}
OUT=bench/out
mkdir -p "$OUT"
for tool in lnav rg tmux; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is not installed (apt-get install lnav ripgrep tmux)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "compare.sh: GNU time is not installed (apt-get install time)" >&2; exit 2; }

CT=${CALLTAIL:-$OUT/calltail} # CALLTAIL=path measures another build (an older one, say)
[ -n "${CALLTAIL:-}" ] || go build -o "$CT" .
FILE=${FILE:-$OUT/support-${SIZE_MB}M.log} # FILE=path measures another file
if [ ! -s "$FILE" ]; then
  echo "generating $FILE..." >&2
  # Lines vary in length: generate more than enough, then keep the first SIZE_MB of whole lines.
  "$CT" --generate 100000 > "$OUT/sample.log"
  lines=$(( SIZE_MB * 1024 * 1024 * 100000 / $(stat -c %s "$OUT/sample.log") * 6 / 5 ))
  (set +o pipefail; "$CT" --generate "$lines" --seed 1 | head -c $(( SIZE_MB * 1024 * 1024 )) | sed '$d') > "$FILE"
  rm "$OUT/sample.log"
fi
size=$(stat -c %s "$FILE")
lines=$(wc -l < "$FILE")
# A call from the middle of the file: its id is what a user would paste.
ID=$(set +o pipefail; tail -c +$(( size / 2 )) "$FILE" | grep -o -m1 'Call-Id="[^"]*"' | cut -d'"' -f2)
ONE=$OUT/one-line.log
head -n 1 "$FILE" > "$ONE"
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

# startup NAME CMD... : the median wall time of 21 runs of CMD, in seconds (to 0.1 ms).
startup() {
  local name=$1; shift
  local times=()
  for _ in $(seq 21); do
    local t0 t1
    t0=$(date +%s%N); "$@" > /dev/null; t1=$(date +%s%N)
    times+=("$(( (t1 - t0) / 100000 ))")
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 11p)
  echo "$name $(awk -v t="$median" 'BEGIN { printf "%.4f", t / 10000 }') -"
}

# descendants PID: PID and every process under it.
descendants() {
  local pid=$1
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do descendants "$child"; done
}

# cpu_ticks PIDS...: the CPU time the processes have used, in clock ticks.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [ -r /proc/"$pid"/stat ] || continue
    total=$(( total + $(awk '{ print $14 + $15 }' /proc/"$pid"/stat) ))
  done
  echo "$total"
}

# peak_rss PIDS...: the sum of the processes' peak RSS, in kB.
peak_rss() {
  local total=0 pid
  for pid in "$@"; do
    [ -r /proc/"$pid"/status ] || continue
    total=$(( total + $(awk '/^VmHWM:/ { print $2 }' /proc/"$pid"/status) ))
  done
  echo "$total"
}

# settle SESSION: waits until the processes of the tmux session stop using the CPU (no tick
# for a second, looked at every 50 ms) and prints the seconds from $start to the last look
# that saw them use it.
settle() {
  local pids last now busy
  busy=$(date +%s.%N)
  pids=$(descendants "$(tmux display-message -p -t "$1" '#{pane_pid}')")
  last=$(cpu_ticks $pids)
  while sleep 0.05; do
    pids=$(descendants "$(tmux display-message -p -t "$1" '#{pane_pid}')")
    now=$(cpu_ticks $pids)
    if (( now != last )); then busy=$(date +%s.%N); last=$now
    elif awk -v b="$busy" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - b >= 1) }'; then break; fi
  done
  awk -v s="$start" -v e="$busy" 'BEGIN { printf "%.2f", e - s }'
}

# ui NAME KEYS CMD... : runs CMD in tmux until loaded, prints "NAME seconds peak_rss_kb";
# with KEYS, then types them and prints "NAME+KEYS seconds peak_rss_kb" once it settles.
ui() {
  local name=$1 keys=$2; shift 2
  local session=calltail-compare-$$ took pids
  start=$(date +%s.%N)
  tmux new-session -d -s "$session" -x 200 -y 50 "$*"
  took=$(settle "$session")
  pids=$(descendants "$(tmux display-message -p -t "$session" '#{pane_pid}')")
  echo "$name $took $(peak_rss $pids)"
  if [ -n "$keys" ]; then
    start=$(date +%s.%N)
    tmux send-keys -t "$session" "$keys"
    took=$(settle "$session")
    echo "$name+$keys $took $(peak_rss $pids)"
  fi
  tmux kill-session -t "$session"
}

table() {
  printf '%-24s %10s %14s %14s\n' "" "wall (s)" "peak RSS (MB)" "time / first"
  awk 'NR == 1 { base = ($2 > 0 ? $2 : 0.005) }
       { rss = ($3 == "-" ? "-" : sprintf("%.1f", $3 / 1024))
         printf "%-24s %10.4g %14s %14.2f\n", $1, $2, rss, ($2 > 0 ? $2 : 0.005) / base }'
}

# want TABLE: whether ONLY names the table.
want() { [[ " $ONLY " == *" $1 "* ]]; }

echo "file: $FILE ($(( size / 1024 / 1024 )) MB, $lines lines), call id $ID"
echo
if want call; then
echo "one call's lines"
{
  measure calltail-n "$CT" -n --query "call-id == \"$ID\"" "$FILE"
  measure rg rg -c --no-mmap "$ID" "$FILE"
  measure grep grep -c "$ID" "$FILE"
  measure lnav lnav -n -c ":filter-in $ID" "$FILE"
  measure calltail--call "$CT" --call "$ID" "$FILE"
} | table
echo "(calltail -n printed $(grep -c "^[0-9]" "$OUT/calltail-n.out") entries whose call-id is the id; rg counted $(cat "$OUT/rg.out") lines holding the text)"
echo
fi
if want level; then
echo "warnings and errors"
{
  measure calltail-n "$CT" -n --query "level >= warning" "$FILE"
  measure rg rg -c --no-mmap -e 'Level="(WARNING|ERROR|CRITICAL)"' "$FILE"
  measure grep grep -cE 'Level="(WARNING|ERROR|CRITICAL)"' "$FILE"
} | table
echo
fi
if want calls; then
echo "every call (against a full-parse query of the same file)"
{
  measure calltail-level "$CT" -n --query "level >= warning" "$FILE"
  measure calltail--calls "$CT" --calls "$FILE"
  if [ -n "${LOGREADER:-}" ]; then
    python3 scripts/logreader/compare.py --calltail "$CT" --logreader "$LOGREADER" --sample 0 \
      --json-out "$OUT/logreader.json" "$FILE" > "$OUT/logreader.out"
    python3 -c 'import json, sys; print("logreader.py", json.load(open(sys.argv[1]))["logreader_seconds"], "-")' "$OUT/logreader.json"
  fi
} | table
echo
fi
if want startup; then
echo "start-up on a one-line file"
{
  startup calltail-n "$CT" -n "$ONE"
  startup grep grep -c x "$ONE"
  startup rg rg -c --no-mmap x "$ONE"
} | table
echo
fi
if want ui; then
echo "the UI, the whole file loaded (--no-follow), then the calls list (c) or the picker (:)"
{
  ui calltail c "$CT" --no-follow "$FILE"
  ui calltail : "$CT" --no-follow "$FILE"
  ui lnav "" lnav "$FILE"
} | table
echo
fi
