#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Debian's real Prometheus server in the guest, scraping `svmtop export`
# (HMM collector) every second while hmm-tests migrate and anon_read run;
# its HTTP API must return exactly the tests' counts, the histogram
# buckets must feed histogram_quantile().  Slow under TCG (Prometheus'
# start-up), hence its own case.  Checks: tests/export/vm_prometheus.py.
# vm-timeout: 900
set -u
. "$SVMTOP_SRC/tests/vm/hmm-lib.sh"
command -v prometheus > /dev/null || { echo "SKIP: prometheus not installed"; exit 77; }
hmm_setup || { failed=$((failed + 1)); finish; exit 1; }
ip link set lo up || { echo "FAIL ip link set lo up"; failed=$((failed + 1)); finish; exit 1; }
thp=/sys/kernel/mm/transparent_hugepage/enabled
[ -w "$thp" ] && echo madvise > "$thp"

out=$(python3 "$SVMTOP_SRC/tests/export/vm_prometheus.py" "$SVMTOP" "$HMM_TESTS" "$OUT" 2>&1)
echo "$out"
p=$(sed -n 's/^passed=\([0-9]*\) .*/\1/p' <<<"$out" | tail -1)
f=$(sed -n 's/.* failed=\([0-9]*\) .*/\1/p' <<<"$out" | tail -1)
[ -n "$p" ] || { p=0 f=1; echo "FAIL vm_prometheus.py ended without a summary"; }
passed=$((passed + p)) failed=$((failed + f))
finish
