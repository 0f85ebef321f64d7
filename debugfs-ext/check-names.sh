#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Check the stats names of svmsim (debugfs-ext/svmsim_stats.c) the way
# tools read the file: IGT and scripts find a line with strstr(), so
#   - the upstream names come first, exactly in upstream order;
#   - every svmtop name starts with "svmx_", and no svmtop name contains
#     another name or is contained in one (the upstream pair tlb_inval_count
#     / svm_tlb_inval_count predates us and is left alone).
# Prints passed=/failed=/skipped= for the suite summary; exit 1 on failure.
#   check-names.sh debugfs-ext/svmsim_stats.c        (or a stats file: -f)
set -u
src=${1:?usage: check-names.sh SVMSIM_STATS_C | -f STATS_FILE}
# (no process substitution: the test guest has no /dev/fd)
if [ "$src" = -f ]; then
	list=$(sed -n 's/^\([A-Za-z0-9_]*\): -\{0,1\}[0-9]*$/\1/p' "${2:?}")
else
	list=$(sed -n '/xe_gt_stats_names\[/,/^};/s/.*\] = "\([^"]*\)",$/\1/p' "$src")
fi
names=()
[ -n "$list" ] && mapfile -t names <<< "$list"

upstream=(svm_pagefault_count tlb_inval_count svm_tlb_inval_count svm_tlb_inval_us
	vma_pagefault_count vma_pagefault_kb invalid_prefetch_pagefault_count)
for st in pagefault_count valid_pagefault_count pagefault_us migrate_count migrate_us; do
	for s in 4K 64K 2M; do upstream+=("svm_${s}_$st"); done
done
for st in device_copy_us cpu_copy_us device_copy_kb cpu_copy_kb; do
	upstream+=("svm_$st")
	for s in 4K 64K 2M; do upstream+=("svm_${s}_$st"); done
done
for st in get_pages_us bind_us; do
	for s in 4K 64K 2M; do upstream+=("svm_${s}_$st"); done
done
upstream+=(hw_engine_group_suspend_lr_queue_count hw_engine_group_skip_lr_queue_count
	hw_engine_group_wait_dma_queue_count hw_engine_group_suspend_lr_queue_us
	hw_engine_group_wait_dma_queue_us prl_4k_entry_count prl_64k_entry_count
	prl_2m_entry_count prl_issued_count prl_aborted_count)

passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "check-names: $*" >&2; failed=$((failed + 1)); }

nu=${#upstream[@]}
if [ "${#names[@]}" -le "$nu" ]; then
	bad "only ${#names[@]} names found in $src"
fi
for i in "${!upstream[@]}"; do
	if [ "${names[$i]:-}" = "${upstream[$i]}" ]; then ok; else
		bad "line $((i + 1)) is '${names[$i]:-}', upstream has '${upstream[$i]}'"
	fi
done
for ((i = nu; i < ${#names[@]}; i++)); do
	n=${names[$i]} clash=
	case $n in svmx_*) ;; *) bad "new name '$n' does not start with svmx_"; continue ;; esac
	for m in "${names[@]}"; do
		[ "$m" = "$n" ] && continue
		case $m in *"$n"*) clash="$n is inside $m" ;; esac
		case $n in *"$m"*) clash="$n contains $m" ;; esac
	done
	dups=$(printf '%s\n' "${names[@]}" | grep -cx "$n")
	[ "$dups" -ne 1 ] && clash="$n appears $dups times"
	if [ -n "$clash" ]; then bad "$clash"; else ok; fi
done
printf 'passed=%d\nfailed=%d\nskipped=0\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
