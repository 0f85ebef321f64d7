#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the demo VM (scripts/demo.sh).
set -u
svmtop=$SVMTOP_BUILD/svmtop

echo "--- the simulated SVM GPU (svmsim) under a workload mix"
"$SVMTOP_SRC/tests/workload/demo-guest.sh" || exit 1
rmmod svmsim 2>/dev/null

echo
echo "--- the kernel's test_hmm device: hmm-tests watched by svmtop stat --bpf"
insmod "$TEST_HMM_KO" || exit 1
# Trace until SIGINT, then print the cumulative per-process table.
"$svmtop" stat --bpf > /tmp/totals.txt 2>&1 &
totals=$!
sleep 3
for t in migrate migrate_fault migrate_multiple anon_read anon_write; do
	printf '    hmm-tests %-18s ' "$t"
	"$HMM_TESTS" -r "hmm.hmm_device_private.$t" 2>&1 | grep -E '^(ok|not ok) ' | head -n 1
done
kill -INT "$totals"
wait "$totals"
echo
cat /tmp/totals.txt
