#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The xe_svm tracepoints of the simulated SVM GPU: every event has the
# documented fields (tracefs format files), fires during the workloads that
# exercise it, carries the workload's tgid although faults are serviced in
# kworkers, and fault_end fires exactly once per GPU fault.
# vm-timeout: 600
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
T=/sys/kernel/tracing
E=$T/events/xe_svm

check "insmod svmsim vram_mb=16" sim_load vram_mb=16 || { sim_counts; exit 1; }

# documented fields (debugfs-ext/README.md), common ones first
common="int dev;int gt;u32 asid;int tgid;"
declare -A fields=(
	[xe_svm_fault_begin]="u64 addr;u8 access;"
	[xe_svm_fault_end]="u64 addr;u64 range_start;u64 range_size;u64 duration_ns;int err;u32 retries;u8 access;u8 outcome;"
	[xe_svm_fault_retry]="u64 addr;int err;u32 attempt;u8 reason;"
	[xe_svm_migrate]="u64 start;u64 size;u64 bytes;u64 duration_ns;int result;u8 dir;u8 trigger;"
	[xe_svm_get_pages]="u64 start;u64 size;u64 duration_ns;int result;u8 devmem;"
	[xe_svm_bind]="u64 start;u64 size;u64 duration_ns;int result;"
	[xe_svm_invalidate]="u64 start;u64 end;u64 duration_ns;u32 ranges;u32 tlb_invals;u8 mmu_event;"
	[xe_svm_gc]="u64 bytes;u64 duration_ns;u32 ranges;int result;"
)
has_fields() {
	local ev=$1 f ok=0
	IFS=';' read -ra want <<< "$common${fields[$ev]}"
	for f in "${want[@]}"; do
		grep -q "field:$f;" "$E/$ev/format" || { echo "  $ev: no field '$f'"; ok=1; }
	done
	return $ok
}
for ev in "${!fields[@]}"; do
	check "$ev format has the documented fields" has_fields "$ev"
done
check "exactly 8 xe_svm events" test "$(ls -d "$E"/xe_svm_* | wc -l)" -eq 8

echo 16384 > "$T/buffer_size_kb"
: > "$OUT/trace.txt"
# traced NAME ARGS...: run the workload with the events on, keep its trace
traced() {
	local name=$1 rc
	shift
	echo > "$T/trace"
	echo 1 > "$E/enable"
	"$SIM_WL" "$@" > "$OUT/$name.json"
	rc=$?
	echo 0 > "$E/enable"
	cat "$T/trace" > "$OUT/$name.trace"
	cat "$OUT/$name.trace" >> "$OUT/trace.txt"
	return $rc
}
check "stream workload" traced stream -s 4 stream
check "oversub workload" traced oversub -t 4096 oversub
check "prefetch workload" traced prefetch -s 2 prefetch
check "retry workload (a fault retried)" traced retry -d "$DRI" retry
grep -c ' xe_svm_' "$OUT/trace.txt" | sed 's/^/     events traced: /'

for ev in "${!fields[@]}"; do
	check "$ev fired" grep -q " $ev: " "$OUT/trace.txt"
done
trig() { grep ' xe_svm_migrate: ' "$OUT/trace.txt" | grep -q "dir=$1 trigger=$2 "; }
check "migrate to_vram by gpu_fault" trig to_vram gpu_fault
check "migrate to_sysmem by cpu_fault" trig to_sysmem cpu_fault
check "migrate to_sysmem by eviction" trig to_sysmem eviction
check "migrate to_vram by prefetch" trig to_vram prefetch

# attribution: the stream workload's faults carry its tgid, from a kworker
pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$OUT/stream.json")
faults=$(sed -n 's/.*"faults":\([0-9]*\).*/\1/p' "$OUT/stream.json")
ends=$(grep -c " xe_svm_fault_end: .* tgid=$pid " "$OUT/stream.trace")
check "fault_end once per GPU fault of pid $pid ($ends vs $faults)" test "$ends" -eq "$faults"
check "faults serviced in kworkers, attributed by tgid" \
	sh -c "grep ' xe_svm_fault_end: .* tgid=$pid ' '$OUT/stream.trace' | awk '{ print \$1 }' | grep -v -q '^kworker' && exit 1 || exit 0"
check "CPU-fault migrations run in the process itself" \
	sh -c "grep ' xe_svm_migrate: .* tgid=$pid .*trigger=cpu_fault' '$OUT/stream.trace' | grep -q '^ *svm-workload-$pid '"
check "every fault_end of stream succeeded" \
	sh -c "! grep ' xe_svm_fault_end: .* tgid=$pid ' '$OUT/stream.trace' | grep -v -q 'err=0 '"

# What BPF programs need: the tracepoints' BTF for tp_btf, and the probe
# targets as real functions in the module's BTF and ftrace list (fentry).
btf=$OUT/svmsim.btf
bpftool -B /sys/kernel/btf/vmlinux btf dump file /sys/kernel/btf/svmsim > "$btf" 2>&1
for ev in "${!fields[@]}"; do
	check "BTF has btf_trace_$ev" grep -q "'btf_trace_$ev'" "$btf"
done
for fn in xe_svm_handle_pagefault xe_svm_alloc_vram xe_svm_range_get_pages \
	xe_vm_range_rebind xe_svm_copy_to_devmem xe_svm_copy_to_ram \
	drm_pagemap_migrate_to_devmem drm_pagemap_migrate_to_ram \
	drm_pagemap_evict_to_ram xe_svm_bo_evict xe_svm_invalidate \
	xe_svm_garbage_collector xe_vm_range_unbind drm_gpusvm_range_remove \
	drm_gpusvm_range_get_pages xe_migrate_to_vram xe_migrate_from_vram; do
	check "fentry target $fn: BTF FUNC and ftrace-able" sh -c \
		"grep -q \"FUNC '$fn'\" '$btf' && grep -q '^$fn \\[svmsim\\]' $T/available_filter_functions"
done
for m in "xe_vm:xef" "xe_vm:usm" "xe_vm:svm" "xe_file:pid" "xe_file:process_name" \
	"xe_gt:info" "drm_gpusvm:mm" "drm_gpusvm_range:itree"; do
	check "BTF struct ${m%%:*} has ${m#*:}" sh -c \
		"awk '/STRUCT .${m%%:*}. /{s=1;next} /^\\[/{s=0} s' '$btf' | grep -q \"'${m#*:}'\""
done

check "rmmod svmsim" rmmod svmsim
sim_counts
