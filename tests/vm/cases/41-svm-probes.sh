#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# `svmtop probes` tells the truth on the test kernel, with and without the
# simulated GPU: without svmsim no backend works (no xe_svm tracepoints, no
# xe functions, no GT stats) and it exits 8; with it loaded every probe of
# every backend would attach and auto picks tp; after rmmod it is back to
# none.  Forcing a backend that cannot work exits 8 with a one-line reason;
# -p PID counts only that process; auto falls back to fentry, kprobe and
# debugfs in turn is what probes prints (checked by forcing each).
# vm-timeout: 600
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
SVMTOP=$SVMTOP_BUILD/svmtop

probes() {
	"$SVMTOP" probes > "$OUT/probes-$1.txt" 2>&1
	echo $? > "$OUT/probes-$1.rc"
}

has() { grep -Eq -- "$2" "$OUT/probes-$1.txt"; }
lines() { grep -Ec -- "$2" "$OUT/probes-$1.txt"; }

probes none
check "no module: exit 8" test "$(cat "$OUT/probes-none.rc")" = 8
check "no module: tp says no such tracepoint (7 probes)" \
	test "$(lines none '^  tp_btf  xe_svm_[a-z_]+ +no  no such tracepoint')" = 7
check "no module: fentry says not in this kernel (11 probes)" \
	test "$(lines none '^  fentry  [a-z_]+ +no  not in this kernel')" = 11
check "no module: kprobe says not in kallsyms (11 probes)" \
	test "$(lines none '^  kprobe  [a-z_]+ +no  not in kallsyms')" = 11
check "no module: debugfs says no DRM device" has none '^  debugfs .* no  no GT stats'
check "no module: auto none" has none '^auto: none'
"$SVMTOP" dump --backend tp -n 1 -i 0.1 > "$OUT/dump-none.json" 2> "$OUT/dump-none.err"
check "no module: dump --backend tp exits 8" test $? -eq 8
check "no module: ... saying why in one line" \
	grep -q "svmtop: the tp backend cannot run here; 'svmtop probes' tells why" "$OUT/dump-none.err"

check "insmod svmsim" sim_load vram_mb=16 || { sim_counts; exit 1; }
probes sim
check "svmsim: exit 0" test "$(cat "$OUT/probes-sim.rc")" = 0
check "svmsim: 7 tracepoints would attach, in svmsim" \
	test "$(lines sim '^  tp_btf  xe_svm_[a-z_]+ +yes in svmsim')" = 7
check "svmsim: 11 fentry targets would attach, in svmsim" \
	test "$(lines sim '^  fentry  [a-z_]+ +yes in svmsim')" = 11
check "svmsim: 11 kprobe targets in kallsyms" \
	test "$(lines sim '^  kprobe  [a-z_]+ +yes in kallsyms')" = 11
check "svmsim: debugfs finds 2 GT stats files" \
	has sim '^  debugfs gt\*/stats +yes 2 GT stats files'
check "svmsim: auto picks tp" has sim '^auto: tp$'

# -p: a process filter keeps exactly that process.  The filtered workload
# waits for a go file so its pid is known before the filter is set; an
# unfiltered one runs at the same time.
rm -f /tmp/ready /tmp/go
( while [ ! -e /tmp/go ]; do sleep 0.05; done; exec "$SIM_WL" -s 2 stream > "$OUT/wl-p.json" 2> "$OUT/wl-p.err" ) &
wp=$!
"$SVMTOP" dump --backend fentry -p $wp --ready /tmp/ready > "$OUT/dump-p.json" 2>&1 &
dp=$!
for _ in $(seq 300); do [ -e /tmp/ready ] && break; sleep 0.1; done
touch /tmp/go
"$SIM_WL" -g 1 -s 4 stream > /dev/null 2>&1
wait $wp
kill -INT $dp; wait $dp
check "dump -p PID: only that process, its 2 faults on 1 range, 1 migration back" \
	python3 -c 'import json,sys
d = json.loads(open(sys.argv[1]).read().splitlines()[-1])
t = {e["tgid"] for e in d["entries"]}
f = sum(e["faults_total"] for e in d["entries"])
b = sum(e["migrations"]["to_sysmem"]["cpu_fault"]["count"] for e in d["entries"])
print("tgids", t, "faults", f, "back", b)
sys.exit(not (t == {int(sys.argv[2])} and f == 2 and b == 1))' "$OUT/dump-p.json" $wp

# every backend can be forced, and reports itself
for b in tp fentry kprobe debugfs; do
	"$SVMTOP" dump --backend $b -i 0.2 -n 1 > "$OUT/dump-$b.json" 2> "$OUT/dump-$b.err"
	check "dump --backend $b runs" test $? -eq 0
	check "dump --backend $b reports $b" grep -q "\"backend\":\"$b\"" "$OUT/dump-$b.json"
done

check "rmmod svmsim" rmmod svmsim
probes gone
check "after rmmod: exit 8 again" test "$(cat "$OUT/probes-gone.rc")" = 8
check "after rmmod: auto none" has gone '^auto: none'
sim_counts
