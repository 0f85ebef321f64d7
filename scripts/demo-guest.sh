#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the demo VM (scripts/demo.sh): load test_hmm, watch the HMM
# layer with svmtop while hmm-tests moves pages to the device and back.
set -eu
svmtop=$SVMTOP_BUILD/svmtop

insmod "$TEST_HMM_KO"

# Live view: per-second rates every 2 s while the workload runs.
"$svmtop" stat --bpf -i 2 -n 3 &
live=$!
sleep 1

# Trace until SIGINT, then print the cumulative per-process table.
"$svmtop" stat --bpf > /tmp/totals.txt 2>&1 &
totals=$!
sleep 1

for t in migrate migrate_fault migrate_multiple anon_read anon_write; do
	echo "--- hmm-tests $t"
	"$HMM_TESTS" -r "hmm.hmm_device_private.$t" 2>&1 | grep -E '^(ok|not ok) ' || true
done

wait "$live"
kill -INT "$totals"
wait "$totals" || true
echo
echo "--- totals since svmtop attached (svmtop stat --bpf, Ctrl-C)"
cat /tmp/totals.txt
