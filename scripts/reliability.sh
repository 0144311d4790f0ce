#!/bin/sh
# The reliability suite (issue 17): calltail on a bad day, each part with the numbers it
# measured. The quick versions run in CI with every go test; this runs the long ones and
# prints what BENCHMARKS.md ("Reliability") records.
#
#   scripts/reliability.sh                       # about 10 minutes
#   TORTURE=60s SIGNAL_RUNS=20 scripts/reliability.sh
#
# Parts: rotation torture in every style with inotify and --poll (lines lost and
# duplicated); good syslog peers under starvation by idle and hostile peers from many
# loopback addresses; UDP drops counted at the end of a burst; a full spool disk (a real
# tmpfs: needs root, skipped otherwise); signals to either process during heavy ingest,
# the terminal checked afterwards; many-file snapshots (memory, descriptors); the escape
# corpus through every output; the UI at the entry limit with lines that carry no id.
set -u
cd "$(dirname "$0")/.."
torture=${TORTURE:-20s}
runs=${SIGNAL_RUNS:-9}
show() { grep -E -- "$1" || true; }

echo "== rotation torture ($torture per style and watch mode)"
CALLTAIL_TORTURE=$torture go test -count=1 -timeout 60m -run 'TestRotationTorture$' -v ./source/ 2>&1 | show 'lost|style|---|^ok|FAIL'

echo "== syslog: good peers under starvation, drops at the end of a burst, a full spool disk"
go test -count=1 -run 'TestSyslogServesGoodPeersUnderStarvation|TestSyslogCountsDropsAtTheEndOfABurst|TestSyslogSpoolFullDiskRecovers|TestSyslogNetworkLimit|TestSyslogReservedSlots' -v ./source/ 2>&1 | show 'good peers|sent,|delivered|SKIP|--- |^ok|FAIL'

echo "== signals during ingest ($runs runs of each signal to each process)"
CALLTAIL_SIGNAL_RUNS=$runs go test -count=1 -timeout 30m -run 'TestSignalsEndEveryRun|TestKilledChildRestoresTheTerminal|TestHangupRemovesTempDirs' -v . 2>&1 | show 'ended after|--- |^ok|FAIL'

echo "== many-file snapshots, compressed logs, the escape corpus"
go test -count=1 -run 'TestManyLogsSnapshot|TestCompressedLogLeavesNothing|TestHostileOutputs' -v . 2>&1 | show '^(--- |ok|FAIL)'

echo "== the entry limit with lines that carry no id (3 minutes)"
go build -o /tmp/calltail-reliability . && go run ./scripts/soak -bin /tmp/calltail-reliability -for 3m -max-entries 1000 -idless-every 1 2>&1 | tail -6
