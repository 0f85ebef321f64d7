#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# svmtop trace on the simulated GPU.
#  1. A small deterministic workload (stream 4 MiB: 2 ranges of 2M) yields
#     exactly as many events of each type as the kernel's GT stats count
#     (fault_begin = fault_end = faults, migrations, get-pages, binds,
#     invalidations, GC runs), every line valid JSON, lost = 0.
#  2. -p PID: only that process's events; another process runs first.
#  3. Forced loss: a one-page ring buffer that is not read during the
#     workload (--pause-while).  Lost events are counted per type, a
#     "lost" record appears in the stream, and per type
#     delivered + lost = what the kernel emitted, exactly.
#  4. The stock-kernel fallbacks (--backend fentry, kprobe on
#     xe_svm_handle_pagefault): fault_begin = fault_end = faults, with the
#     VM's process, errno 0, a duration, outcome "unknown".
# vm-timeout: 300
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
SVMTOP=$SVMTOP_BUILD/svmtop

check "insmod svmsim vram_mb=32" sim_load vram_mb=32 || { sim_counts; exit 1; }

snap() {	# name: both GTs' stats
	cat "$DRI/gt0/stats" > "$OUT/$1.gt0"
	cat "$DRI/gt1/stats" > "$OUT/$1.gt1"
}

trace_start() {	# name, args...
	local n=$1
	shift
	rm -f "/tmp/ready-$n"
	"$SVMTOP" trace --ready "/tmp/ready-$n" "$@" > "$OUT/trace-$n.json" \
		2> "$OUT/trace-$n.err" &
	tpid=$!
	for _ in $(seq 600); do [ -e "/tmp/ready-$n" ] && break; sleep 0.1; done
	check "svmtop trace $n attached" test -e "/tmp/ready-$n"
}
trace_stop() {	# name
	sleep 0.5
	kill -INT "$tpid"
	wait "$tpid"
	check "svmtop trace $1 exit status" test $? -eq 0
	cat "$OUT/trace-$1.err"
}

# 1. exact counts (not a tty: NDJSON by default)
sim_reset
trace_start exact
"$SIM_WL" -t 4096 -s 4 stream > "$OUT/wl-exact.json" 2> "$OUT/wl-exact.err"
check "workload stream 4M" test $? -eq 0
trace_stop exact
snap exact

# 2. -p: B is traced, A runs at the same time
sim_reset
( while [ ! -e /tmp/go ]; do sleep 0.05; done
  exec "$SIM_WL" -t 4096 -s 4 stream > "$OUT/wl-b.json" 2> "$OUT/wl-b.err" ) &
bpid=$!
trace_start pid -p "$bpid" --json
"$SIM_WL" -t 4096 -s 8 stream > "$OUT/wl-a.json" 2> "$OUT/wl-a.err"
check "workload A" test $? -eq 0
touch /tmp/go	# after A: an exact workload wants all VRAM free
wait "$bpid"
check "workload B" test $? -eq 0
trace_stop pid

# 3. forced loss
sim_reset
touch /tmp/hold
trace_start loss --json --ringbuf-pages 1 --pause-while /tmp/hold --lost-interval 0.2
"$SIM_WL" -t 4096 -s 16 stream > "$OUT/wl-loss.json" 2> "$OUT/wl-loss.err"
check "workload stream 16M" test $? -eq 0
sleep 0.5	# a lost-interval passes while paused: the "lost" record
rm -f /tmp/hold
trace_stop loss
snap loss

# 4. function backends
for b in fentry kprobe; do
	sim_reset
	trace_start "$b" --json --backend "$b"
	"$SIM_WL" -t 4096 -s 4 stream > "$OUT/wl-$b.json" 2> "$OUT/wl-$b.err"
	check "workload stream 4M ($b)" test $? -eq 0
	trace_stop "$b"
done

# text mode
"$SVMTOP" trace --text -d 0.3 > "$OUT/trace-text.txt" 2>&1
check "svmtop trace --text -d 0.3 exits 0" test $? -eq 0

python3 - "$OUT" "$bpid" > "$OUT/check.out" 2>&1 <<'EOF'
import json, sys
out, bpid = sys.argv[1], int(sys.argv[2])
ok = bad = 0
def check(what, cond, detail=""):
    global ok, bad
    if cond:
        ok += 1; print("ok   " + what)
    else:
        bad += 1; print("FAIL " + what + " " + str(detail))
def lines(name):
    r, good = [], True
    for i, l in enumerate(open(f"{out}/trace-{name}.json")):
        try:
            r.append(json.loads(l))
        except Exception as e:
            good = False
            print(f"  line {i+1}: {e}: {l!r}")
    check(f"trace {name}: every line is one JSON object", good and r)
    return r
def stats(name):
    s = {}
    for g in (0, 1):
        for l in open(f"{out}/{name}.gt{g}"):
            k, v = l.split(":")
            s[k] = s.get(k, 0) + int(v)
    return s
def emitted(s):	# what the kernel emitted, per event type (same code paths)
    mig = sum(s.get(f"svm_{z}_migrate_count", 0) for z in ("4K", "64K", "2M"))
    mig += s["svmx_prefetch_migrate_count"] + s["svmx_cpu_fault_migrate_count"]
    mig += s["svmx_evict_count"] + s["svmx_migrate_failed_count"]
    return {"fault_begin": s["svm_pagefault_count"], "fault_end": s["svm_pagefault_count"],
            "fault_retry": s["svmx_fault_retry_count"], "migrate": mig,
            "get_pages": s["svmx_get_pages_count"], "bind": s["svmx_bind_count"],
            "invalidate": s["svmx_invalidate_count"], "gc": s["svmx_gc_run_count"]}
def count(recs):
    c = {}
    for r in recs:
        c[r["event"]] = c.get(r["event"], 0) + 1
    return c
TYPES = ("fault_begin", "fault_end", "fault_retry", "migrate", "get_pages", "bind",
         "invalidate", "gc")

# 1. exact
r = lines("exact")
wl = json.loads(open(f"{out}/wl-exact.json").read().splitlines()[-1])
ev = [x for x in r if x["event"] in TYPES]
c, e = count(ev), emitted(stats("exact"))
summ = [x for x in r if x["event"] == "summary"]
check("exact: one summary record, last", len(summ) == 1 and r[-1]["event"] == "summary")
check("exact: lost = 0", summ and summ[0]["lost"] == 0, summ)
check("exact: summary delivered = event lines", summ and summ[0]["delivered"] == len(ev))
check("exact: fault_begin = workload faults (4)", c.get("fault_begin", 0) == wl["faults"] == 4, c)
check("exact: fault_end = workload faults", c.get("fault_end", 0) == wl["faults"], c)
for t in TYPES:
    check(f"exact: {t} events = kernel stats ({e[t]})", c.get(t, 0) == e[t], (c.get(t, 0), e[t]))
mig = [x for x in ev if x["event"] == "migrate"]
dirs = sorted((x["direction"], x["trigger"], x["bytes"]) for x in mig)
check("exact: migrations 2 to_vram by gpu_fault + 2 to_sysmem by cpu_fault, 2M each",
      dirs == [("to_sysmem", "cpu_fault", 2 << 20)] * 2 + [("to_vram", "gpu_fault", 2 << 20)] * 2, dirs)
ends = [x for x in ev if x["event"] == "fault_end"]
check("exact: fault_end ranges are 2M, outcomes migrated x2 then sysmem x2",
      [x["range_size"] for x in ends] == [2 << 20] * 4 and
      sorted(x["outcome"] for x in ends) == ["migrated", "migrated", "sysmem", "sysmem"],
      [(x["range_size"], x["outcome"]) for x in ends])
check("exact: every event is the workload's (tgid, comm)",
      all(x["tgid"] == wl["pid"] and x["comm"] == "svm-workload" for x in ev),
      {(x["tgid"], x["comm"]) for x in ev})
check("exact: faults ran in a kworker (task_tgid != tgid)",
      all(x["task_tgid"] != x["tgid"] for x in ends))
check("exact: fault_end after its fault_begin",
      all(e["ts"] >= min(b["ts"] for b in ev if b["event"] == "fault_begin" and b["addr"] == e["addr"])
          for e in ends))
keys = {"fault_end": {"addr", "access", "range_start", "range_size", "outcome", "retries",
                      "duration_ns", "errno", "dev", "gt", "asid", "tgid", "comm", "ts"},
        "migrate": {"start", "size", "bytes", "direction", "trigger", "duration_ns", "errno"}}
for t, k in keys.items():
    x = next(x for x in ev if x["event"] == t)
    check(f"exact: {t} has its fields", k <= set(x), k - set(x))

# 2. -p
r = lines("pid")
wb = json.loads(open(f"{out}/wl-b.json").read().splitlines()[-1])
ev = [x for x in r if x["event"] in TYPES]
check("-p: only the chosen process", {x["tgid"] for x in ev} == {bpid}, {x["tgid"] for x in ev})
check("-p: all its faults (4)", count(ev).get("fault_end", 0) == wb["faults"] == 4, count(ev))

# 3. loss
r = lines("loss")
ev = [x for x in r if x["event"] in TYPES]
summ = r[-1]
e = emitted(stats("loss"))
check("loss: summary is last", summ["event"] == "summary", summ)
check("loss: events were lost", summ["lost"] > 0, summ)
check("loss: one page holds at most 4096/112 records", len(ev) <= 4096 // 112, len(ev))
lost_recs = [x for x in r if x["event"] == "lost"]
check("loss: a periodic lost record in the stream", lost_recs and lost_recs[-1]["lost_total"] > 0,
      lost_recs)
check("loss: lost records add up to at most the summary",
      sum(x["lost"] for x in lost_recs) <= summ["lost"])
c = count(ev)
for t in TYPES:
    d, l = c.get(t, 0), summ["lost_by_event"][t]
    check(f"loss: {t} delivered {d} + lost {l} = emitted {e[t]}", d + l == e[t])
    check(f"loss: summary delivered_by_event {t}", summ["delivered_by_event"][t] == d)

# 4. function backends
for b in ("fentry", "kprobe"):
    r = lines(b)
    w = json.loads(open(f"{out}/wl-{b}.json").read().splitlines()[-1])
    c = count(x for x in r if x["event"] in TYPES)
    check(f"{b}: fault_begin = fault_end = workload faults (4)",
          c == {"fault_begin": w["faults"], "fault_end": w["faults"]} and w["faults"] == 4, c)
    ends = [x for x in r if x["event"] == "fault_end"]
    check(f"{b}: the workload's process, errno 0, outcome unknown, retries null",
          all(x["tgid"] == w["pid"] and x["errno"] == 0 and
              x["outcome"] == "unknown" and x["retries"] is None and x["comm"] == "svm-workload"
              for x in ends), ends)
    # The test kernel's clock is jiffies under TCG (4 ms steps): a single
    # short fault may last "0 ns"; the migrating ones take several steps.
    check(f"{b}: durations measured", sum(x["duration_ns"] for x in ends) > 0,
          [x["duration_ns"] for x in ends])
    check(f"{b}: summary names the backend", r[-1].get("backend") == b, r[-1])

# text
t = open(f"{out}/trace-text.txt").read()
check("text: summary on stderr", "svmtop trace: 0 events, 0 lost" in t, t)
print(f"passed={ok} failed={bad}")
EOF
grep -v '^ok ' "$OUT/check.out"
add_counts "$OUT/check.out"

check "rmmod svmsim" rmmod svmsim
sim_counts
