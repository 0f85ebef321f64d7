#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# svmtop's HMM backend on patterns of our own (tests/vm/hmm-drive.c), with
# fentry and with kprobe: attribution to the process that owns the memory
# when another process does the work (as a driver's kworker would), walks
# per operation (one range looked at, migrated and looked at again), error
# results, the -p filter, and the Prometheus form (promtool-clean, exact).
# Expected numbers: tests/vm/hmm-expected.md.
# vm-timeout: 600
set -u
. "$SVMTOP_SRC/tests/vm/hmm-lib.sh"
hmm_setup && hmm_build_drive || { failed=$((failed + 1)); finish; exit 1; }

dev64="to_device_setups=1 to_device_pages_requested=64 to_device_pages_collected=64 to_device_pages_calls=1 to_device_finalizes=1 to_device_pages_migrated=64"
want_attrib="$dev64 hrf_calls=1 hrf_pages=64 hrf_ok=1 to_system_setups=64 to_system_pages_requested=64 to_system_pages_collected=64 to_system_pages_calls=64 to_system_finalizes=64 to_system_pages_migrated=64 cpu_faults=64 cpu_fault_pages=64 walks=66 walk_ops=66"
want_rewalk="$dev64 hrf_calls=3 hrf_pages=192 hrf_ok=3 walks=4 walk_ops=2"
want_errors="hrf_calls=1 hrf_pages=16 hrf_efault=1 to_device_setups=1 to_device_setup_errors=1 to_device_pages_requested=4 walks=1 walk_ops=1"

# Closing the device file evicts device 0's chunk (65536 pages); rewalk
# leaves 64 pages on the device, which that eviction brings back.
ev="evict_ranges=1 evict_pages_requested=65536 evict_pages_calls=1 evict_finalizes=1"
want_attrib="$want_attrib $ev"
want_rewalk_solo="$want_rewalk $ev evict_pages_collected=64 evict_pages_migrated=64"
want_errors="$want_errors $ev"

val() { sed -n "s/^$1=//p" "$2"; }

for b in fentry kprobe; do
	# Attribution: the child works on the parent's mm.
	f=$OUT/attrib-$b.json
	svm_start "$b" "$f" || { check "attrib ($b): svmtop attaches" false; continue; }
	check "attrib ($b): hmm-drive ok" sh -c "'$HMM_DRIVE' attrib > '$OUT/attrib-$b.out'"
	check "attrib ($b): svmtop stops cleanly" svm_stop
	parent=$(val parent "$OUT/attrib-$b.out") child=$(val child "$OUT/attrib-$b.out")
	echo "    parent $parent, child $child"
	# shellcheck disable=SC2086
	checkpy "attrib ($b): all on the parent, none on the child" "$f" \
		--tgid "${parent:-0}" --save "$OUT/attrib-$b.counts" $want_attrib

	for s in rewalk errors; do
		f=$OUT/$s-$b.json
		svm_start "$b" "$f" || { check "$s ($b): svmtop attaches" false; continue; }
		check "$s ($b): hmm-drive ok" sh -c "'$HMM_DRIVE' $s > '$OUT/$s-$b.out'"
		check "$s ($b): svmtop stops cleanly" svm_stop
		w=$want_errors
		[ "$s" = rewalk ] && w=$want_rewalk_solo
		# shellcheck disable=SC2086
		checkpy "$s ($b)" "$f" --tgid "$(val pid "$OUT/$s-$b.out")" \
			--save "$OUT/$s-$b.counts" $w
	done
done
for s in attrib rewalk errors; do
	[ -s "$OUT/$s-fentry.counts" ] && [ -s "$OUT/$s-kprobe.counts" ] &&
		checkpy --same "$s: fentry and kprobe agree" \
			"$OUT/$s-fentry.counts" "$OUT/$s-kprobe.counts"
done

# -p: only the chosen process counts, while another one works too.
f=$OUT/filter.json
mkfifo /tmp/go
sh -c 'read x < /tmp/go; exec "$0" rewalk' "$HMM_DRIVE" > "$OUT/filter.out" &
fpid=$!
t0=$(now)
"$SVMTOP" stat --bpf --json -i 2 -p "$fpid" > "$f" 2> "$f.err" &
SVM_PID=$! SVM_FILE=$f
while [ ! -s "$f" ] && kill -0 "$SVM_PID" 2>/dev/null; do sleep 0.1; done
check "filter: other process runs" sh -c "'$HMM_DRIVE' errors > /dev/null"
echo go > /tmp/go
wait "$fpid"
check "filter: svmtop stops cleanly" svm_stop
# shellcheck disable=SC2086
checkpy "filter: -p $fpid counts that process only" "$f" --tgid "$fpid" $want_rewalk \
	evict_ranges=2 evict_pages_requested=131072 evict_pages_calls=2 evict_finalizes=2 \
	evict_pages_collected=64 evict_pages_migrated=64

# Prometheus: the last exposition is valid and exact.
f=$OUT/prom.txt
"$SVMTOP" stat --bpf --prom -i 2 --per-process=3 > "$f" 2> "$f.err" &
SVM_PID=$! SVM_FILE=$f
while [ ! -s "$f" ] && kill -0 "$SVM_PID" 2>/dev/null; do sleep 0.1; done
"$HMM_DRIVE" rewalk > "$OUT/prom.out"
check "prom: svmtop stops cleanly" svm_stop
awk -v RS= 'END { print }' "$f" > "$OUT/prom-last.txt"
check "prom: promtool check metrics" sh -c "promtool check metrics < '$OUT/prom-last.txt'"
pid=$(val pid "$OUT/prom.out")
check "prom: exact totals and per-process series" sh -c '
	for l in "$@"; do grep -qxF "$l" "$0" || { echo "    missing: $l"; exit 1; }; done' \
	"$OUT/prom-last.txt" \
	'svmtop_hmm_range_fault_calls_total{result="ok"} 3' \
	'svmtop_hmm_range_fault_pages_total 192' \
	'svmtop_hmm_migrate_pages_migrated_total{direction="to_device"} 64' \
	'svmtop_hmm_page_table_walks_total 4' \
	'svmtop_hmm_walk_operations_total 2' \
	"svmtop_hmm_process_page_table_walks_total{pid=\"$pid\",comm=\"hmm-drive\"} 4" \
	'svmtop_hmm_range_fault_seconds_count 3' \
	'svmtop_hmm_device_evictions_total 1' \
	'svmtop_hmm_device_eviction_pages_total{stage="migrated"} 64' \
	'svmtop_hmm_probe_attached{probe="hmm_range_fault",kind="fentry"} 1'

finish
