#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Real data for the dashboard tests (tests/dashboards/): `svmtop export`
# with every collector (gt, hmm, svm; --per-process) in textfile mode on
# the simulated GPU (svmsim, 16 MiB VRAM) while a workload mix runs that
# exercises each panel: streaming with CPU touches (both directions),
# oversubscription (evictions), atomics, prefetch, munmap churn (garbage
# collector, invalidations), two processes on both GTs, and the retry
# scenario.  A copy of the textfile is kept every ~0.5 s as
# $OUT/dash/<unix ms>.prom (the copy time is the sample's timestamp; the
# collection is at most -i 0.25 s older).  tests/dashboards/dash_test.py
# later backfills them into a real Prometheus and evaluates every query of
# the dashboard and the rules against them.
# vm-timeout: 300
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
SVMTOP=$SVMTOP_BUILD/svmtop

check "insmod svmsim vram_mb=16" sim_load vram_mb=16 || { sim_counts; exit 1; }
mkdir -p "$OUT/dash"
tf=/tmp/svmtop.prom
"$SVMTOP" export --collectors gt,hmm,svm --per-process=5 -i 0.25 \
	--textfile "$tf" 2> "$OUT/export.log" &
xpid=$!
for _ in $(seq 300); do [ -s "$tf" ] && break; sleep 0.1; done
check "export writes its textfile" test -s "$tf"

# one process (forks are slow under TCG): copy, then rename into place
python3 -c '
import os, shutil, sys, time
src, d = sys.argv[1], sys.argv[2]
while True:
    t = int(time.time() * 1000)
    shutil.copyfile(src, d + "/.tmp")
    os.rename(d + "/.tmp", "%s/%d.prom" % (d, t))
    time.sleep(0.5)
' "$tf" "$OUT/dash" &
snap=$!
# python starts slowly under TCG: no workload before the first snapshot
for _ in $(seq 300); do ls "$OUT/dash"/*.prom > /dev/null 2>&1 && break; sleep 0.1; done
check "first snapshot" test -n "$(ls "$OUT/dash")"

wl() {
	local name=$1
	shift
	if "$SIM_WL" "$@" > "$OUT/wl-$name.json" 2> "$OUT/wl-$name.err"; then
		check "workload $name" true
	else
		check "workload $name" false
		cat "$OUT/wl-$name.err"
	fi
}

# a mix, a pause, part of it again: rates with several points that change
t0=$(date +%s)
wl stream1 -s 4 stream
wl oversub1 -t 4096 oversub
wl atomic -g 1 -s 4 -t 1024 atomic
wl prefetch -s 4 -t 1024 prefetch
wl churn1 -s 2 -n 3 -t 1024 churn
wl multi -s 2 -P 2 -T 2 -t 1024 multi
wl retry -d "$DRI" retry
sleep 2
wl stream2 -s 4 stream
wl oversub2 -t 4096 oversub
wl churn2 -s 2 -n 3 -t 1024 churn
echo "     workloads took $(($(date +%s) - t0)) s"
sleep 2
kill "$snap"
wait "$snap" 2>/dev/null
kill -TERM "$xpid"
wait "$xpid"
check "export: SIGTERM exits 0" test $? -eq 0
sed 's/^/    log: /' "$OUT/export.log"

n=$(ls "$OUT/dash" | wc -l)
echo "     $n snapshots"
check "at least 6 snapshots" test "$n" -ge 6
last=$(ls "$OUT/dash"/*.prom | tail -n 1)
check "svm collector up" grep -qx 'svmtop_collector_up{collector="svm"} 1' "$last"
check "svm backend is tp" grep -qx 'svmtop_svm_backend_info{backend="tp"} 1' "$last"
check "gt collector up" grep -qx 'svmtop_collector_up{collector="gt"} 1' "$last"
check "per-process series" grep -q '^svmtop_svm_process_faults_total{pid="[0-9]*",comm="svm-workload"}' "$last"
check "promtool check metrics" promtool check metrics < "$last"
# the svm collector's own test: exact against the kernel's GT stats
python3 "$SVMTOP_SRC/tests/dashboards/svm_expo_check.py" "$last" 5 > "$OUT/svm_expo.out" 2>&1
grep -v '^ok ' "$OUT/svm_expo.out"
add_counts "$OUT/svm_expo.out"
check "rmmod svmsim" rmmod svmsim
sim_counts
