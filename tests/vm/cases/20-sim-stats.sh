#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The simulated SVM GPU's GT stats equal the workload's ground truth
# exactly: for each scenario the stats are zeroed, svm-workload runs and
# prints what the kernel must have counted (faults, migrations, copies,
# evictions, garbage collection, TLB invalidations per GT), and every
# expected line of gt0/stats and gt1/stats must match.  The workload also
# checks that the GPU and the CPU see each other's data.
# vm-timeout: 600
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need

# 16 MiB of VRAM: "oversub" moves 32 MiB through it.
check "insmod svmsim vram_mb=16" sim_load vram_mb=16 || { sim_counts; exit 1; }
cp "$DRI/gt0/stats" "$OUT/stats.gt0"
check "stats file has the extended names" "$SVMTOP_SRC/debugfs-ext/check-names.sh" -f "$OUT/stats.gt0"
check "stats reset by writing 1" sh -c "echo 1 > $DRI/gt0/stats && ! grep -qv ': 0\$' $DRI/gt0/stats"

run() {
	local name=$1 t0 t1
	shift
	sim_reset
	t0=$(date +%s.%N)
	if "$SIM_WL" "$@" > "$OUT/$name.json" 2> "$OUT/$name.err"; then
		t1=$(date +%s.%N)
		check "$name: workload data and job results" true
	else
		check "$name: workload data and job results" false
		cat "$OUT/$name.err"
	fi
	python3 "$SIM_LIB_DIR/check-stats.py" "$DRI" "$OUT/$name.json" > "$OUT/$name.check" 2>&1
	grep -v '^passed=' "$OUT/$name.check"
	add_counts "$OUT/$name.check"
	echo "     $name: $(tail -n 1 "$OUT/$name.check") ($(awk -v a="$t0" -v b="${t1:-$t0}" 'BEGIN { printf "%.1f", b - a }')s)"
}

run stream-gt0 -s 8 stream
run stream-gt1 -g 1 -s 8 stream
run random -s 8 -t 512 random
run oversub -t 1024 oversub
run sizes sizes
run atomic -s 4 -t 1024 atomic
run prefetch -s 4 prefetch
run madvise -s 4 madvise
run churn -s 4 -n 3 -t 1024 churn
run multi -s 2 -P 2 -T 3 -t 1024 multi

# The copy-engine throttle: at 100 MB/s each 2M blit sleeps >= 20972 us,
# so 4 MiB to VRAM cannot take less than 41943 us (a lower bound only:
# TCG time is slow and coarse, upper bounds would be flaky).
echo 100 > /sys/module/svmsim/parameters/copy_mbps
run throttled -s 4 -t 4096 stream
us=$(sed -n 's/^svm_device_copy_us: //p' "$DRI/gt0/stats")
check "copy_mbps=100: svm_device_copy_us $us >= 41943" test "${us:-0}" -ge 41943
echo 0 > /sys/module/svmsim/parameters/copy_mbps

check "histograms counted every fault" sh -c "awk '/pagefault/ { for (i = 2; i <= NF; i++) s += \$i } END { exit !(s > 0) }' $DRI/gt0/svm_latency"
check "rmmod svmsim" rmmod svmsim
sim_counts
