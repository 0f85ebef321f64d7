#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `svmtop export` on the simulated SVM GPU (svmsim): the GT collector keeps
# the real debugfs stats files open and re-reads them with pread() after
# dropping its capabilities; it must see resets and the workload's counts,
# and serve the very samples `svmtop stat --prom` prints.  The HMM
# collector runs beside it.  Checks: tests/export/vm_sim.py.
# vm-timeout: 600
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
ip link set lo up || { check "ip link set lo up" false; sim_counts; exit 1; }
check "insmod svmsim" sim_load || { sim_counts; exit 1; }

"$SVMTOP_BUILD/svmtop" export --listen 127.0.0.1:0 -i 0.25 > /dev/null 2> "$OUT/export.log" &
xpid=$!
url=
for _ in $(seq 300); do
	url=$(sed -n 's|.*serving \(http://[^ ]*\)$|\1|p' "$OUT/export.log")
	[ -n "$url" ] && break
	kill -0 "$xpid" 2>/dev/null || break
	sleep 0.1
done
if check "export serves" test -n "$url"; then
	python3 "$SVMTOP_SRC/tests/export/vm_sim.py" "$url" "$SVMTOP_BUILD/svmtop" \
		"$SIM_WL" "$DRI" "$OUT" > "$OUT/vm_sim.out" 2>&1
	cat "$OUT/vm_sim.out"
	add_counts "$OUT/vm_sim.out"
fi
kill -TERM "$xpid"
wait "$xpid"
check "export: SIGTERM exits 0" test $? -eq 0
sed 's/^/    log: /' "$OUT/export.log"
check "rmmod svmsim" rmmod svmsim
sim_counts
