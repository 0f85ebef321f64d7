#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Demo step for the simulated SVM GPU, run inside the test VM
# (tests/vm/vm-run.sh -- tests/workload/demo-guest.sh): load svmsim with
# 16 MiB of VRAM, run a workload mix in the background (streaming on both
# GTs, VRAM oversubscription, munmap churn, atomics, two processes of
# three threads) and watch it with `svmtop stat`, then show the latency
# histograms and a few xe_svm trace events.
set -u
B=${SVMTOP_BUILD:-$SVMTOP_SRC/build}
KO=$B/debugfs-ext/svmsim.ko WL=$B/tests/workload/svm-workload
for f in "$KO" "$WL" "$B/svmtop"; do
	[ -e "$f" ] || { echo "demo: $f missing: make all module workload" >&2; exit 1; }
done
insmod "$KO" vram_mb=16 copy_mbps=2000 || exit 1
dri=$(grep -l '^svmsim ' /sys/kernel/debug/dri/[0-9]*/name | head -n 1)
dri=${dri%/name}
echo 1 > /sys/kernel/tracing/events/xe_svm/enable

(
	"$WL" -s 8 stream; "$WL" -g 1 -s 8 random; "$WL" -t 1024 oversub
	"$WL" -s 4 -n 4 churn; "$WL" -s 4 atomic; "$WL" -s 2 -P 2 -T 3 multi
) > /tmp/demo-truth.json &
wl=$!

echo "== svmtop stat -i 2 while the workloads run (rates per second)"
"$B/svmtop" stat -i 2 -n 3
wait "$wl"
echo 0 > /sys/kernel/tracing/events/xe_svm/enable

echo
echo "== svmtop stat: totals after the mix"
"$B/svmtop" stat
echo
echo "== what the workloads say the kernel must have counted (ground truth)"
cat /tmp/demo-truth.json | sed 's/,"expect".*//'
echo
echo "== $dri/gt0/svm_latency (log2 microsecond buckets)"
cat "$dri/gt0/svm_latency"
echo
echo "== a few xe_svm trace events (tracefs)"
grep -m 8 -E 'xe_svm_(fault_end|migrate|gc|invalidate):' /sys/kernel/tracing/trace
rmmod svmsim
