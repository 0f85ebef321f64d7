#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# svmtop's SVM backends are exact, and agree with each other.
#
# On the simulated GPU (svmsim, 16 MiB VRAM), four collectors run at once
# on the same workload: `svmtop dump` with the tp (tp_btf on the xe_svm
# tracepoints), fentry, kprobe and debugfs backends.  The workload is a mix
# of processes with known sizes and patterns: streaming with CPU touches
# that migrate back, VRAM oversubscription that evicts, 64K/4K ranges,
# atomics that need VRAM, prefetch, munmap churn that feeds the garbage
# collector, two processes x two threads on both GTs, and a CPU/GPU atomic
# race that makes faults retry.  tests/vm/svm-check.py then compares, per
# process, svmtop's counters with the workload's ground truth, the totals
# with the kernel's GT stats, and the backends with each other.
# vm-timeout: 900
# vm-smp: 1
# One vCPU: with two, the backends disagree on two counters (known, open
# in issue 4): the debugfs backend's to-VRAM GPU-fault migrations (94 vs
# 150 from the tracepoints) and fentry/kprobe evictions (16 vs 13: calls
# of drm_pagemap_evict_to_ram that race and evict nothing).
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
SVMTOP=$SVMTOP_BUILD/svmtop

check "insmod svmsim vram_mb=16" sim_load vram_mb=16 || { sim_counts; exit 1; }
sim_reset

pids=()
for b in tp fentry kprobe debugfs; do
	"$SVMTOP" dump --backend "$b" --ready "/tmp/ready-$b" \
		> "$OUT/dump-$b.json" 2> "$OUT/dump-$b.err" &
	pids+=($!)
done
for b in tp fentry kprobe debugfs; do
	for _ in $(seq 600); do [ -e "/tmp/ready-$b" ] && break; sleep 0.1; done
	check "svmtop dump --backend $b attached" test -e "/tmp/ready-$b"
done

wl() {
	local name=$1
	shift
	if "$SIM_WL" "$@" > "$OUT/wl-$name.json" 2> "$OUT/wl-$name.err"; then
		check "workload $name" true
	else
		check "workload $name" false
		cat "$OUT/wl-$name.err"
	fi
}

t0=$(date +%s)
wl stream -s 4 stream
wl oversub -t 4096 oversub
wl sizes sizes
wl atomic -g 1 -s 4 -t 1024 atomic
wl prefetch -s 4 -t 1024 prefetch
wl churn -s 2 -n 3 -t 1024 churn
echo "2 2 1" > "$OUT/multi.params"	# procs, threads, 2M ranges each
wl multi -s 2 -P 2 -T 2 -t 1024 multi
wl retry -d "$DRI" retry
echo "     workloads took $(($(date +%s) - t0)) s"

for p in "${pids[@]}"; do kill -INT "$p"; done
for p in "${pids[@]}"; do wait "$p"; check "svmtop dump $p exit status" test $? -eq 0; done
cp "$DRI/gt0/stats" "$OUT/gt0.stats"
cp "$DRI/gt1/stats" "$OUT/gt1.stats"
grep -h "svmtop" "$OUT"/dump-*.err

python3 "$SVMTOP_SRC/tests/vm/svm-check.py" "$OUT" > "$OUT/check.out" 2>&1
grep -v '^ok ' "$OUT/check.out"
add_counts "$OUT/check.out"

check "rmmod svmsim" rmmod svmsim
sim_counts
