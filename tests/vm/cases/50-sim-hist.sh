#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# svmtop hist on the simulated GPU: the histograms count exactly the GPU
# faults and migrations the workloads made, per process and in all, in
# one report at SIGINT and summed over 1-second interval reports (deltas
# of cumulative snapshots, so nothing is lost between intervals); -p
# keeps only its process.  Two workload processes (stream 4 MiB and
# stream 8 MiB, 2M ranges; one after the other, each wants all VRAM free)
# so the per-process split is tested.
# vm-timeout: 300
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
SVMTOP=$SVMTOP_BUILD/svmtop

check "insmod svmsim vram_mb=32" sim_load vram_mb=32 || { sim_counts; exit 1; }
sim_reset

# Workload B waits for /tmp/go so that its pid is known before `hist -p`.
( while [ ! -e /tmp/go ]; do sleep 0.05; done
  exec "$SIM_WL" -t 4096 -s 8 stream > "$OUT/wl-b.json" 2> "$OUT/wl-b.err" ) &
bpid=$!

start() {	# name, svmtop hist args...
	local n=$1
	shift
	"$SVMTOP" hist --json --ready "/tmp/ready-$n" "$@" > "$OUT/hist-$n.json" \
		2> "$OUT/hist-$n.err" &
	hpids+=($!)
}
hpids=()
start all -P
start iv 1
start mig --migrate -P
start pid -P -p "$bpid"
start gp --get-pages
for n in all iv mig pid gp; do
	for _ in $(seq 600); do [ -e "/tmp/ready-$n" ] && break; sleep 0.1; done
	check "svmtop hist $n attached" test -e "/tmp/ready-$n"
done

# One after the other: an exact workload wants all VRAM free at start.
"$SIM_WL" -t 4096 -s 4 stream > "$OUT/wl-a.json" 2> "$OUT/wl-a.err"
check "workload A (stream 4M)" test $? -eq 0
touch /tmp/go
wait "$bpid"
check "workload B (stream 8M)" test $? -eq 0
sleep 1.5	# let the interval reader report the last events in its own slot
for p in "${hpids[@]}"; do kill -INT "$p"; done
for p in "${hpids[@]}"; do wait "$p"; check "svmtop hist $p exit status" test $? -eq 0; done
cat "$OUT"/hist-*.err
cat "$DRI/gt0/stats" > "$OUT/gt0.stats"
cat "$DRI/gt1/stats" > "$OUT/gt1.stats"

# Human output too: one run reads nothing new, must print and exit cleanly.
"$SVMTOP" hist -m 0.2 1 > "$OUT/hist-text.txt" 2>&1
check "svmtop hist -m 0.2 1 (text) exits 0" test $? -eq 0
grep -q 'no events' "$OUT/hist-text.txt"
check "idle interval says (no events)" test $? -eq 0

python3 - "$OUT" > "$OUT/check.out" 2>&1 <<'EOF'
import json, sys
out = sys.argv[1]
ok = bad = 0
def check(what, cond, detail=""):
    global ok, bad
    if cond:
        ok += 1; print("ok   " + what)
    else:
        bad += 1; print("FAIL " + what + " " + str(detail))
def lines(name):
    r = []
    for i, l in enumerate(open(f"{out}/{name}")):
        try:
            r.append(json.loads(l))
        except Exception as e:
            check(f"{name} line {i+1} is JSON", False, e)
    return r
wl = {n: json.loads(open(f"{out}/wl-{n}.json").read().splitlines()[-1]) for n in "ab"}
stats = {}
for g in (0, 1):
    for l in open(f"{out}/gt{g}.stats"):
        k, v = l.split(":")
        stats[k] = stats.get(k, 0) + int(v)
fa, fb = wl["a"]["faults"], wl["b"]["faults"]
check("workloads made faults (4 + 8)", (fa, fb) == (4, 8), (fa, fb))
check("kernel counted them", stats["svm_pagefault_count"] == fa + fb,
      stats["svm_pagefault_count"])
def per_pid(rec, name="fault"):
    d = {}
    for h in rec["histograms"]:
        if h["name"] == name:
            d[h.get("tgid", 0)] = d.get(h.get("tgid", 0), 0) + h["count"]
            check(f"{name} pid {h.get('tgid')} slots sum to count",
                  sum(s["count"] for s in h["slots"]) == h["count"])
            check(f"{name} p50 <= p90 <= p99, avg within slots",
                  h["p50_ns"] <= h["p90_ns"] <= h["p99_ns"] and
                  h["slots"][0]["low_ns"] <= h["avg_ns"] <= h["p99_ns"], h)
    return d
a, b = wl["a"]["pid"], wl["b"]["pid"]
allr = lines("hist-all.json")
check("hist (no interval) printed one report", len(allr) == 1, len(allr))
d = per_pid(allr[-1])
check("hist -P: workload A's faults", d.get(a) == fa, d)
check("hist -P: workload B's faults", d.get(b) == fb, d)
check("hist -P: no other process", set(d) == {a, b}, d)
comms = {h["tgid"]: h["comm"] for h in allr[-1]["histograms"]}
check("hist -P: comm is svm-workload", comms.get(a) == "svm-workload", comms)
pr = lines("hist-pid.json")
d = per_pid(pr[-1])
check("hist -p B: only B, all its faults", d == {b: fb}, d)
iv = lines("hist-iv.json")
check("hist 1: several interval reports", len(iv) >= 2, len(iv))
tot = sum(sum(per_pid(r).values()) for r in iv)
check("hist 1: interval deltas sum to every fault", tot == fa + fb, tot)
check("hist 1: merged per GT (no tgid)",
      all("tgid" not in h for r in iv for h in r["histograms"]))
mig = lines("hist-mig.json")[-1]
to_vram = per_pid(mig, "migrate to_vram")
to_sys = per_pid(mig, "migrate to_sysmem")
ev = lambda w, k: sum(w["expect"][g].get(k, 0) for g in ("gt0", "gt1"))
for n, p in (("a", a), ("b", b)):
    w = wl[n]
    check(f"--migrate: {n} to_vram = svm_2M_migrate_count",
          to_vram.get(p, 0) == ev(w, "svm_2M_migrate_count"), (to_vram, w["expect"]))
    check(f"--migrate: {n} to_sysmem = CPU-fault migrations + evictions",
          to_sys.get(p, 0) == ev(w, "svmx_cpu_fault_migrate_count") + ev(w, "svmx_evict_count"),
          to_sys)
gp = lines("hist-gp.json")[-1]
n = sum(h["count"] for h in gp["histograms"] if h["name"] == "get_pages")
check("--get-pages: count = kernel svmx_get_pages_count", n == stats["svmx_get_pages_count"],
      (n, stats["svmx_get_pages_count"]))
print(f"passed={ok} failed={bad}")
EOF
grep -v '^ok ' "$OUT/check.out"
add_counts "$OUT/check.out"

check "rmmod svmsim" rmmod svmsim
sim_counts
