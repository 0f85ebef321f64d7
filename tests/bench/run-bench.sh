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
for r in $(seq "$ROUNDS"); do
	for i in 0 1 2 3; do
		c=${cfgs[$(((i + r) % 4))]}
		printf '%s\t%s\t%s\n' "$r" "$c" "$(run_one "$c")" >> "$OUT/ab.tsv"
	done
done
rmmod svmsim

python3 - "$OUT" > "$OUT/result.txt" <<'EOF'
import statistics, sys
out = sys.argv[1]
print("svmtop overhead on the simulated GPU (qemu TCG; see tests/bench/README.md)")
print()
print("(a) per-event cost: kernel run_time_ns / run_cnt, svmtop's program and an")
print("    empty program on the same hook, same run.  Target: ratio <= 3.")
print(f"{'backend':<11} {'hook':<44} {'events':>7} {'svmtop ns':>10} {'empty ns':>9} {'ratio':>6}")
tot = {}
for l in open(f"{out}/progs.tsv"):
    b, sec, name, sr, sn, er, en = l.rstrip("\n").split("\t")
    er, en = int(er), int(en)
    if sr == "-":
        print(f"{b:<11} {sec:<44} {'-':>7} {'(svmtop not attached)':>27}")
        continue
    sr, sn = int(sr), int(sn)
    t = tot.setdefault(b, [0, 0, 0, 0])
    t[0] += sr; t[1] += sn; t[2] += er; t[3] += en
    if not sr or not er:
        print(f"{b:<11} {sec:<44} {sr:>7} {'-':>10} {'-':>9} {'-':>6}")
        continue
    s, e = sn / sr, en / er
    print(f"{b:<11} {sec:<44} {sr:>7} {s:>10.0f} {e:>9.0f} {s / e:>6.2f}")
print()
print(f"{'backend':<11} {'all hooks, per event':<44} {'events':>7} {'svmtop ns':>10} {'empty ns':>9} {'ratio':>6}  target <= 3")
for b, (sr, sn, er, en) in tot.items():
    if sr and er:
        s, e = sn / sr, en / er
        print(f"{b:<11} {'':<44} {sr:>7} {s:>10.0f} {e:>9.0f} {s / e:>6.2f}  {'met' if s / e <= 3 else 'NOT met'}")
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
        q = statistics.median(rounds[r]["none"] / rounds[r][c] for r in rounds if c in rounds[r])
        ratio = f"{q:.3f} {'met' if q >= 0.97 else 'NOT met'}"
    print(f"{c:<8} {statistics.median(v):>9.3f} {min(v):>7.3f} {max(v):>7.3f} {ratio:>17}")
EOF
cat "$OUT/result.txt"
