#!/usr/bin/env bash
# compare.sh — calltail's calls side by side with the vendor's logreader.py digests.
#
#   LOGREADER=/path/to/logreader.py scripts/logreader/compare.sh [options] FILE...
#   scripts/logreader/compare.sh --logreader /path/to/logreader.py FILE...
#
# logreader.py is Pexip's per-call digest tool, in the pexip-log-tools repository
# (github.com/pexip/pexip-log-tools, Apache-2.0). It is not part of calltail and is never
# copied into this tree: fetch it yourself, e.g.
#   git clone --depth 1 https://github.com/pexip/pexip-log-tools /tmp/pexip-log-tools
#   LOGREADER=/tmp/pexip-log-tools/logreader.py scripts/logreader/compare.sh support.log
# It needs Python 3 and lxml (python3-lxml); without lxml it runs with a stand-in made of
# the standard library's ElementTree.
#
# For each FILE: builds calltail (into $CALLTAIL_BIN, default /tmp/calltail-cmp), runs
# `calltail --calls --json FILE` and logreader.py on the same file, and prints the calls
# found by both, by calltail only and by logreader only, the fields that disagree on the
# calls found by both (counts per field, a few examples), SIP ladders of a sample of calls
# (calltail --call ID --json) against logreader's, and what logreader shows that
# calltail's --calls --json has no field for. Run by hand: CI has no logreader.py.
#
# Options (before the files):
#   --logreader PATH   logreader.py (else $LOGREADER)
#   --sample N         calls whose ladders to compare (default 20; 0: none)
#   --examples N       examples per disagreement (default 3)
#   --json-out FILE    also write the numbers as JSON (one file: the last FILE's)
#   --keep DIR         keep logreader's input and output there (default: a new /tmp dir)
#   --harden           first re-cut the file's SIP messages into fragments at random
#                      offsets, half of them through the Call-ID, and send all remote
#                      signalling through one SBC address: harden.py $HARDEN, by default
#                      HARDEN="--sbc 192.0.2.10" (see harden.py --help)
# Environment: PYTHON (default python3) runs both logreader.py and the comparison.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PYTHON=${PYTHON:-python3}
CALLTAIL_BIN=${CALLTAIL_BIN:-/tmp/calltail-cmp}
args=()
harden=0
keep=
HARDEN=${HARDEN---sbc 192.0.2.10}
while [ $# -gt 0 ]; do
  case $1 in
    --logreader) LOGREADER=$2; shift 2 ;;
    --keep) keep=$2; args+=("$1" "$2"); shift 2 ;;
    --sample|--examples|--json-out) args+=("$1" "$2"); shift 2 ;;
    --harden) harden=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ]; then
  echo "usage: LOGREADER=/path/to/logreader.py $0 [options] FILE... (see --help)" >&2
  exit 2
fi
if [ -z "${LOGREADER:-}" ] || [ ! -f "$LOGREADER" ]; then
  echo "compare.sh: set LOGREADER (or --logreader) to pexip-log-tools' logreader.py; see --help" >&2
  exit 2
fi
command -v "$PYTHON" >/dev/null || { echo "compare.sh: $PYTHON not found" >&2; exit 2; }

(cd "$root" && go build -o "$CALLTAIL_BIN" .)
status=0
for file in "$@"; do
  hard=
  if [ "$harden" = 1 ]; then
    hard=$(mktemp "${keep:-/tmp}/hardened-XXXXXX.log")
    # shellcheck disable=SC2086 # HARDEN is a list of options
    "$PYTHON" "$here/harden.py" $HARDEN "$file" > "$hard"
    echo "== $file, hardened (harden.py $HARDEN) into $hard"
    file=$hard
  else
    echo "== $file"
  fi
  "$PYTHON" "$here/compare.py" --calltail "$CALLTAIL_BIN" --logreader "$LOGREADER" ${args[@]+"${args[@]}"} "$file" || status=$?
  if [ -n "$hard" ] && [ -z "$keep" ]; then rm -f "$hard"; fi
  echo
done
exit $status
