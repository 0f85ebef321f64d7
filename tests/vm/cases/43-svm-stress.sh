#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The backends agree under contention.  The parallel workload mix of
# 23-sim-stress (streaming on both GTs, processes evicting each other from
# 8 MiB of VRAM, munmap churn, CPU/GPU atomics contention, several
# processes and threads) runs once with the tp, fentry, kprobe and debugfs
# backends attached at once.  Counts depend on timing here, so there is no
# ground truth per process; but every BPF backend must see exactly the
# kernel's GT stats in total, and tp, fentry and kprobe must agree per
# process on everything they all measure (retries and failures included).
# Not in the mix: fork, whose child migrates its parent's VRAM pages back
# (tp charges the VM's owner, the function backends the faulting task).
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

check "insmod svmsim vram_mb=8" sim_load vram_mb=8 || { sim_counts; exit 1; }
sim_reset

dumps=()
for b in tp fentry kprobe debugfs; do
	"$SVMTOP" dump --backend "$b" --ready "/tmp/ready-$b" \
		> "$OUT/dump-$b.json" 2> "$OUT/dump-$b.err" &
	dumps+=($!)
done
for b in tp fentry kprobe debugfs; do
	for _ in $(seq 600); do [ -e "/tmp/ready-$b" ] && break; sleep 0.1; done
	check "svmtop dump --backend $b attached" test -e "/tmp/ready-$b"
done

pids=() names=()
start() { names+=("$1"); shift; "$SIM_WL" "$@" > "$OUT/mix-${names[-1]}.out" 2> "$OUT/mix-${names[-1]}.err" & pids+=($!); }
start stream0 -s 4 -t 1024 stream
start random1 -g 1 -s 4 -t 1024 random
start oversub -t 2048 oversub
start churn -s 2 -n 6 -t 2048 churn
start contend -n 3 contend
start multi -s 2 -P 2 -T 2 -t 2048 multi
start sizes -g 1 sizes
for i in "${!pids[@]}"; do
	wait "${pids[$i]}"
	grep -v 'GPU faults, expected\|VRAM not all free\|more than VRAM\|other GPU faults\|^$' \
		"$OUT/mix-${names[$i]}.err" > "$OUT/mix-${names[$i]}.dataerr"
	check "${names[$i]}: data right" test ! -s "$OUT/mix-${names[$i]}.dataerr"
done

for p in "${dumps[@]}"; do kill -INT "$p"; done
for p in "${dumps[@]}"; do wait "$p"; check "svmtop dump $p exit status" test $? -eq 0; done
cp "$DRI/gt0/stats" "$OUT/gt0.stats"
cp "$DRI/gt1/stats" "$OUT/gt1.stats"
grep -v "^$" "$OUT/gt0.stats" | grep -E "retry|failed|evict" | sed 's/^/     gt0 /'

# no wl-*.json: svm-check.py checks totals and agreement only
SVM_CHECK_RACY_EVICTIONS=1 python3 "$SVMTOP_SRC/tests/vm/svm-check.py" "$OUT" > "$OUT/check.out" 2>&1
grep -v '^ok ' "$OUT/check.out"
add_counts "$OUT/check.out"

check "rmmod svmsim" rmmod svmsim
sim_counts
