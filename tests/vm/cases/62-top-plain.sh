#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# svmtop top when stdout is not a terminal: a plain report per interval,
# flushed as it goes, no escape sequences; `svmtop > file` (no command)
# keeps stat's periodic report.  And exactness: the FAULTS column of a
# process equals the GPU faults svm-workload itself counted.
# vm-timeout: 180
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
SVMTOP=$SVMTOP_BUILD/svmtop

check "insmod svmsim vram_mb=64" sim_load vram_mb=64 || { sim_counts; exit 1; }

# wait_reports FILE N SECS: until FILE holds N reports
wait_reports() {
	local end=$((SECONDS + $3))
	while [ "$(grep -c '^svmtop .* interval ' "$1")" -lt "$2" ]; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.2
	done
}

# Exact: svmtop attached (first report out) before the workload starts,
# and two more reports after it ended.
"$SVMTOP" top -i 1 > "$OUT/exact.txt" 2> "$OUT/exact.err" &
p=$!
check "top > file: first report within 60s" wait_reports "$OUT/exact.txt" 1 60
"$SIM_WL" -s 8 stream > "$OUT/stream.json"
check "stream workload" test $? -eq 0
n=$(grep -c '^svmtop .* interval ' "$OUT/exact.txt")
check "top > file: reports flushed while running ($n so far)" wait_reports "$OUT/exact.txt" $((n + 2)) 30
kill -TERM $p
wait $p
check "top > file: SIGTERM exits 0" test $? -eq 0
pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$OUT/stream.json")
want=$(sed -n 's/.*"faults":\([0-9]*\).*/\1/p' "$OUT/stream.json")
got=$(awk -v p="$pid" '$1 == p { v = $4 } END { print v + 0 }' "$OUT/exact.txt")
check "FAULTS of stream pid $pid: $got = the workload's $want" test "$got" -eq "$want" -a "$want" -gt 0
rows=$(awk -v p="$pid" '$1 == p && $2 == "svm-workload"' "$OUT/exact.txt" | wc -l)
check "the process row names svm-workload ($rows reports)" test "$rows" -ge 2
no_esc() { ! grep -q $'\e' "$1"; }
check "top > file: no escape sequences" no_esc "$OUT/exact.txt"
check "top > file: header rows dev0 gt0 and dev0 all" \
	sh -c "grep -q '^dev0 gt0 ' '$OUT/exact.txt' && grep -q '^dev0 all ' '$OUT/exact.txt'"

"$SVMTOP" top -i 1 -n 3 > "$OUT/count.txt" 2>&1
check "top -n 3 > file: exit 0 after 3 reports" \
	sh -c "test $? -eq 0 && test \$(grep -c '^svmtop .* interval ' '$OUT/count.txt') -eq 3"
"$SVMTOP" -i 1 -n 2 > "$OUT/default-notty.txt" 2>&1
check "svmtop > file (no command): stat's report, twice" \
	test "$(grep -c '^--- sample' "$OUT/default-notty.txt")" -eq 2
check "rmmod svmsim" rmmod svmsim
sim_counts
