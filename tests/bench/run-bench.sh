#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Runs inside the VM (make bench): svmtop's overhead on the simulated GPU.
#  (a) bench-progs per backend: svmtop's programs and empty programs on the
#      same hooks, kernel run_time_ns / run_cnt, during tests/bench/workload.sh;
#  (b) tests/bench/workload.sh timed without svmtop and with `svmtop dump`
#      attached (tp, fentry, kprobe backends), BENCH_ROUNDS rounds (9), the
#      order rotated every round; ratio = median over rounds of
#      time(without) / time(with), i.e. throughput with / without.
# Writes $OUT/progs.tsv, $OUT/ab.tsv and the table $OUT/result.txt.
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
B=$SVMTOP_BUILD/tests/bench
WORK=$SVMTOP_SRC/tests/bench/workload.sh
ROUNDS=${BENCH_ROUNDS:-9}
export SIM_WL

insmod "$SIM_KO" vram_mb=64 || { echo "insmod svmsim failed"; exit 1; }
: > "$OUT/progs.tsv"
for b in tp fentry kprobe; do
	"$B/bench-progs" --backend "$b" --empty "$B/empty_svm.bpf.o" -- "$WORK" \
		>> "$OUT/progs.tsv"
done
for b in hmm-fentry hmm-kprobe; do
	"$B/bench-progs" --backend "$b" --empty "$B/empty_hmm.bpf.o" -- "$WORK" \
		>> "$OUT/progs.tsv"
done

now() { date +%s.%N; }
run_one() {	# config: none, tp, fentry, kprobe -> prints seconds
	local cfg=$1 pid t0 t1
	if [ "$cfg" != none ]; then
		rm -f /tmp/ready
		"$SVMTOP_BUILD/svmtop" dump --backend "$cfg" --ready /tmp/ready \
			> /dev/null 2>&1 &
		pid=$!
		for _ in $(seq 600); do [ -e /tmp/ready ] && break; sleep 0.1; done
	fi
	t0=$(now)
	"$WORK"
	t1=$(now)
	if [ "$cfg" != none ]; then
		kill -INT "$pid"
		wait "$pid"
	fi
	echo "$t1 - $t0" | bc -l
}
cfgs=(none tp fentry kprobe)
: > "$OUT/ab.tsv"
"$WORK"		# warm-up: page cache, first allocations
for r in $(seq "$ROUNDS"); do
	for i in 0 1 2 3; do
		c=${cfgs[$(((i + r) % 4))]}
		printf '%s\t%s\t%s\n' "$r" "$c" "$(run_one "$c")" >> "$OUT/ab.tsv"
		# Detaching fentry/kprobe programs waits for RCU grace periods
		# in the background; let that end before the next run.
		sleep 2
	done
done
rmmod svmsim

python3 - "$OUT" > "$OUT/result.txt" <<'EOF'
import statistics, sys
out = sys.argv[1]
print("svmtop overhead on the simulated GPU (qemu TCG; see tests/bench/README.md)")
print()
print("(a) per-event cost: kernel run_time_ns / run_cnt of svmtop's program and of")
print("    an empty program on the same hook, same events; median over the measured")
print("    passes (after a warm-up).  Target: ratio <= 3.")
print(f"{'backend':<11} {'hook':<44} {'events':>7} {'svmtop ns':>10} {'empty ns':>9} {'ratio':>6}")
med = statistics.median
hooks, order = {}, []
for l in open(f"{out}/progs.tsv"):
    b, ps, sec, name, sr, sn, er, en = l.rstrip("\n").split("\t")
    if (b, sec) not in hooks:
        hooks[(b, sec)] = []
        order.append((b, sec))
    if sr == "-":
        continue
    sr, sn, er, en = int(sr), int(sn), int(er), int(en)
    hooks[(b, sec)].append((sr, sn, er, en))
def row(b, label, v):
    v = [x for x in v if x[0] and x[2]]
    if not v:
        return None
    s, e = med(x[1] / x[0] for x in v), med(x[3] / x[2] for x in v)
    r = med((x[1] / x[0]) / (x[3] / x[2]) for x in v)
    n = med(x[0] for x in v)
    print(f"{b:<11} {label:<44} {n:>7.0f} {s:>10.0f} {e:>9.0f} {r:>6.2f}", end="")
    return r
for b, sec in order:
    v = hooks[(b, sec)]
    if not v:
        print(f"{b:<11} {sec:<44} {'-':>7}   (svmtop not attached here)")
    elif row(b, sec, v) is None:
        print(f"{b:<11} {sec:<44} {0:>7}   (no events)")
    else:
        print()
print()
print("All hooks of a backend: the per-hook medians weighted by their events")
agg = {}
for b, sec in order:
    v = [x for x in hooks[(b, sec)] if x[0] and x[2]]
    if not v:
        continue
    n = med(x[0] for x in v)
    a = agg.setdefault(b, [0, 0, 0])
    a[0] += n
    a[1] += n * med(x[1] / x[0] for x in v)
    a[2] += n * med(x[3] / x[2] for x in v)
for b, (n, s, e) in agg.items():
    r = s / e
    print(f"{b:<11} {'':<44} {n:>7.0f} {s / n:>10.0f} {e / n:>9.0f} {r:>6.2f}"
          f"  {'met' if r <= 3 else 'NOT met'}")
print()
runs = {}
rounds = {}
for l in open(f"{out}/ab.tsv"):
    r, c, t = l.split()
    runs.setdefault(c, []).append(float(t))
    rounds.setdefault(r, {})[c] = float(t)
print("(b) workload time without / with svmtop dump attached, interleaved rounds")
print(f"    ({len(rounds)} rounds, order rotated).  Throughput ratio = median over rounds")
print("    of time(none) / time(config).  Target: >= 0.97.")
print(f"{'config':<8} {'median s':>9} {'min s':>7} {'max s':>7} {'throughput ratio':>17}")
for c in ("none", "tp", "fentry", "kprobe"):
    v = runs.get(c, [])
    if not v:
        continue
    if c == "none":
        ratio = "1 (reference)"
    else:
        q = statistics.median(rounds[r]["none"] / rounds[r][c] for r in rounds if c in rounds[r] and "none" in rounds[r])
        ratio = f"{q:.3f} {'met' if q >= 0.97 else 'NOT met'}"
    print(f"{c:<8} {statistics.median(v):>9.3f} {min(v):>7.3f} {max(v):>7.3f} {ratio:>17}")
EOF
cat "$OUT/result.txt"
