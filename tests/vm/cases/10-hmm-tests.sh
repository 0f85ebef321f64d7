#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The kernel's own hmm-tests (hmm_device_private fixture) under
# `svmtop stat --bpf`, once with fentry/fexit and once with
# kprobe/kretprobe: svmtop must count exactly what each test does (the
# numbers are derived from the tests' source in tests/vm/hmm-expected.md),
# both backends must agree, the counts must land on the test's own process
# (the harness's forked child, comm hmm-tests), and every test must give the
# same result as without svmtop.
# vm-timeout: 900
set -u
. "$SVMTOP_SRC/tests/vm/hmm-lib.sh"
hmm_setup || { failed=$((failed + 1)); finish; exit 1; }

# Transparent huge pages as Debian ships them (madvise).  With "always",
# 6.12's make_device_exclusive_range() rejects the tail pages of the THPs
# that back hmm-tests' buffers, and hmm-tests' own "exclusive" fails with
# -EBUSY whether svmtop runs or not.  The counts below do not depend on it.
thp=/sys/kernel/mm/transparent_hugepage/enabled
[ -w "$thp" ] && echo madvise > "$thp"
echo "    THP: $(cat "$thp" 2>/dev/null)"

# Exact counts per test; every counter not named must stay 0.
declare -A want
dev16="to_device_setups=16 to_device_pages_requested=1024 to_device_pages_collected=1024 to_device_pages_calls=16 to_device_finalizes=16 to_device_pages_migrated=1024"
want[migrate]="$dev16 walks=16 walk_ops=16"
want[migrate_fault]="to_device_setups=32 to_device_pages_requested=2048 to_device_pages_collected=1536 to_device_pages_calls=32 to_device_finalizes=32 to_device_pages_migrated=1536 to_system_setups=512 to_system_pages_requested=512 to_system_pages_collected=512 to_system_pages_calls=512 to_system_finalizes=512 to_system_pages_migrated=512 cpu_faults=512 cpu_fault_pages=512 walks=544 walk_ops=544"
want[migrate_multiple]="to_device_setups=160 to_device_pages_requested=10240 to_device_pages_collected=10240 to_device_pages_calls=160 to_device_finalizes=160 to_device_pages_migrated=10240 to_system_setups=10240 to_system_pages_requested=10240 to_system_pages_collected=10240 to_system_pages_calls=10240 to_system_finalizes=10240 to_system_pages_migrated=10240 cpu_faults=10240 cpu_fault_pages=10240 walks=10400 walk_ops=10400"
want[anon_read]="hrf_calls=16 hrf_pages=1024 hrf_ok=16 walks=16 walk_ops=16"
want[anon_write]="hrf_calls=16 hrf_pages=1024 hrf_ok=16 walks=16 walk_ops=16"
want[migrate_release]="$dev16 walks=16 walk_ops=16"
want[exclusive]=""
# Closing the device file evicts device 0's one 256 MiB chunk (65536 pages)
# with migrate_device_*; only migrate_release's HMM_DMIRROR_RELEASE finds
# pages in it (and removes the chunk, so its close evicts nothing).
ev0="evict_ranges=1 evict_pages_requested=65536 evict_pages_calls=1 evict_finalizes=1"
for t in migrate migrate_fault migrate_multiple anon_read anon_write exclusive; do
	want[$t]="${want[$t]} $ev0"
done
want[migrate_release]="${want[migrate_release]} $ev0 evict_pages_collected=1024 evict_pages_migrated=1024"
tests=(migrate migrate_fault migrate_multiple anon_read anon_write migrate_release exclusive)
[ -n "${SVMTOP_HMM_TESTS:-}" ] && read -ra tests <<< "$SVMTOP_HMM_TESTS"

# Every run starts from a fresh test_hmm: one chunk per device.  Reload
# before svmtop attaches: rmmod evicts every device's chunks.
reload() {
	rmmod test_hmm && insmod "$TEST_HMM_KO" || echo "    reloading test_hmm failed"
}

# run_test NAME TAG: hmm-tests for one test; sets RC, SUMMARY, HPID.
run_test() {
	local t0
	t0=$(now)
	"$HMM_TESTS" -r "hmm.hmm_device_private.$1" > "$OUT/$1-$2.log" 2>&1 &
	HPID=$!
	wait "$HPID"
	RC=$?
	SUMMARY=$(grep -E '^(ok|not ok) [0-9]+ |^# (PASSED|FAILED)' "$OUT/$1-$2.log" |
		  sed 's/ # .*//' | tr '\n' ' ')
	echo "    hmm-tests $1 ($2): exit $RC in $(since "$t0") s: $SUMMARY"
}

for t in "${tests[@]}"; do
	reload
	run_test "$t" plain
	base_rc=$RC base_sum=$SUMMARY
	check "$t: passes without svmtop" \
		sh -c '[ "$1" -eq 0 ] && echo "$2" | grep -q "PASSED: 1 / 1"' _ "$RC" "$SUMMARY"
	for b in fentry kprobe; do
		f=$OUT/$t-$b.json
		reload
		if ! svm_start "$b" "$f"; then
			check "$t ($b): svmtop attaches" false
			continue
		fi
		check "$t ($b): all seven probes are $b" \
			test "$(grep -o "=$b" "$f.err" | wc -l)" -eq 7
		run_test "$t" "$b"
		check "$t ($b): svmtop stops cleanly" svm_stop
		check "$t ($b): same hmm-tests result as without svmtop" \
			test "$RC/$SUMMARY" = "$base_rc/$base_sum"
		# shellcheck disable=SC2086
		checkpy "$t ($b)" "$f" --comm hmm-tests --not-tgid "$HPID,$SVM_PID" \
			--save "$OUT/$t-$b.counts" ${want[$t]}
	done
	[ -s "$OUT/$t-fentry.counts" ] && [ -s "$OUT/$t-kprobe.counts" ] &&
		checkpy --same "$t: fentry and kprobe agree" \
			"$OUT/$t-fentry.counts" "$OUT/$t-kprobe.counts"
done

finish
