#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `svmtop export` with the HMM BPF backend while the kernel's hmm-tests run:
# scraped over HTTP every 0.1 s, the totals and the test process's own
# series must move by exactly the counts of tests/vm/hmm-expected.md, the
# histograms must be cumulative with +Inf == _count and one entry per call,
# every counter must stay monotonic across scrapes, the probes must show as
# attached, nothing lost, capabilities dropped while counting goes on.
# fentry on four tests, kprobe on one.  The checks are in
# tests/export/vm_export.py (the real Prometheus server is tested on the
# host: tests/export/prometheus_test.py).
# vm-timeout: 900
set -u
. "$SVMTOP_SRC/tests/vm/hmm-lib.sh"
hmm_setup || { failed=$((failed + 1)); finish; exit 1; }
# the guest's init leaves the loopback interface down
ip link set lo up || { echo "FAIL ip link set lo up"; failed=$((failed + 1)); finish; exit 1; }
thp=/sys/kernel/mm/transparent_hugepage/enabled
[ -w "$thp" ] && echo madvise > "$thp"

# run_py BACKEND TESTS...: one exporter, its checks counted here.
run_py() {
	local out p f
	out=$(python3 "$SVMTOP_SRC/tests/export/vm_export.py" "$SVMTOP" "$HMM_TESTS" \
		"$OUT" "$@" 2>&1)
	echo "$out"
	p=$(sed -n 's/^passed=\([0-9]*\) .*/\1/p' <<<"$out" | tail -1)
	f=$(sed -n 's/.* failed=\([0-9]*\) .*/\1/p' <<<"$out" | tail -1)
	[ -n "$p" ] || { p=0 f=1; echo "FAIL vm_export.py $1 ended without a summary"; }
	passed=$((passed + p)) failed=$((failed + f))
}

run_py fentry migrate anon_read migrate_fault exclusive
run_py kprobe migrate
finish
