#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `svmtop stat --bpf` shows the SVM collector's totals beside the kernel's
# GT stats: on a stream + atomic + churn mix both columns hold the
# workloads' ground truth, no line differs, and the per-process rows name
# the workload processes.
# vm-timeout: 600
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
SVMTOP=$SVMTOP_BUILD/svmtop

check "insmod svmsim" sim_load vram_mb=16 || { sim_counts; exit 1; }
"$SVMTOP" stat --bpf > "$OUT/stat.txt" 2> "$OUT/stat.err" &
sp=$!
# attached when it says so on stderr
for _ in $(seq 600); do grep -q "attached" "$OUT/stat.err" 2>/dev/null && break; sleep 0.1; done
sleep 1
"$SIM_WL" -s 4 stream > "$OUT/wl-stream.json"
check "stream workload" test $? -eq 0
"$SIM_WL" -g 1 -s 4 atomic > "$OUT/wl-atomic.json"
check "atomic workload" test $? -eq 0
"$SIM_WL" -s 2 -n 3 churn > "$OUT/wl-churn.json"
check "churn workload" test $? -eq 0
kill -INT $sp
wait $sp
check "stat --bpf exit status 0" test $? -eq 0
cat "$OUT/stat.txt"

# stream -s 4: 2 ranges, 4 faults; atomic -s 4: 2; churn 3 x 1
val() { awk -v w="$1" '{ l = $0; sub(/^  /, "", l) } index(l, w) == 1 { print $(NF-1) " " $NF; exit }' "$OUT/stat.txt"; }
check "GPU faults: svmtop 9, kernel 9" test "$(val 'GPU faults')" = "9 9"
check "atomic faults: 2" test "$(val '  atomic' | cut -d' ' -f1)" = 2
check "CPU-fault migrations back: 4 and 4" test "$(val 'CPU-fault migrations back')" = "4 4"
check "KiB back on CPU faults: 8192 and 8192" test "$(val 'KiB back on CPU faults')" = "8192 8192"
check "KiB to VRAM on GPU faults: 14336 and 14336" test "$(val 'KiB to VRAM on GPU faults')" = "14336 14336"
check "garbage-collected ranges: 7 and 7" test "$(val 'garbage-collected ranges')" = "7 7"
check "no line differs from the kernel" sh -c "! grep -q 'differs' $OUT/stat.txt"
for s in stream atomic churn; do
	pid=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["pid"])' "$OUT/wl-$s.json")
	check "a row for $s (pid $pid, svm-workload)" grep -Eq "^ +$pid svm-workload " "$OUT/stat.txt"
done
check "rmmod svmsim" rmmod svmsim
sim_counts
