#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The VM suite: the runner's own self-test (on the host), then every
# tests/vm/cases/*.sh in name order, each in a fresh guest (vm-run.sh).
#
#   tests/vm/run-suite.sh [--results DIR] [--build DIR] [CASE...]
#
# One line per item: ok / FAIL / SKIP, its test counts and its time.  A case
# exits 0 (pass), 77 (skip) or anything else (fail); it may report the counts
# of its sub-tests in $OUT/counts ("passed=N failed=N skipped=N"), otherwise
# it counts as one test.  Header comments "# vm-timeout: SECS", "# vm-mem:
# SIZE" and "# vm-smp: N" in a case override the defaults.  Totals go to
# RESULTS/vm.result; the exit status is 1 when anything failed.
# Per-case output, kernel log and /out: build/vm-logs/<case>.{out,log},
# build/vm-out/<case>/.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${SVMTOP_BUILD:-$REPO/build}
RESULTS=${RESULTS:-}

while [ $# -gt 0 ]; do
	case $1 in
	--results) RESULTS=${2:?}; shift 2 ;;
	--build) BUILD=${2:?}; shift 2 ;;
	-h|--help) sed -n '3,17s/^# \{0,1\}//p' "$0"; exit 0 ;;
	--) shift; break ;;
	-*) echo "run-suite.sh: unknown option '$1'" >&2; exit 2 ;;
	*) break ;;
	esac
done
BUILD=$(realpath -m "$BUILD")
RESULTS=$(realpath -m "${RESULTS:-$BUILD/results}")
export SVMTOP_BUILD=$BUILD
mkdir -p "$RESULTS" "$BUILD/vm-logs" "$BUILD/vm-out"

if [ $# -gt 0 ]; then
	cases=("$@")
else
	mapfile -t cases < <(find "$HERE/cases" -maxdepth 1 -name '*.sh' | LC_ALL=C sort)
fi

P=0 F=0 S=0
# Add one item's counts; $1 = status word, $2 = counts file (may be absent).
account() {
	local st=$1 file=$2 p=0 f=0 s=0
	if [ -s "$file" ]; then
		p=$(sed -n 's/.*passed=\([0-9]*\).*/\1/p' "$file" | head -n 1)
		f=$(sed -n 's/.*failed=\([0-9]*\).*/\1/p' "$file" | head -n 1)
		s=$(sed -n 's/.*skipped=\([0-9]*\).*/\1/p' "$file" | head -n 1)
		p=${p:-0} f=${f:-0} s=${s:-0}
		# A failed case whose sub-tests all passed failed for a reason
		# of its own (kernel splat, crash, time-out): count that too.
		[ "$st" = FAIL ] && [ "$f" -eq 0 ] && f=1
	else
		case $st in ok) p=1 ;; FAIL) f=1 ;; SKIP) s=1 ;; esac
	fi
	P=$((P + p)) F=$((F + f)) S=$((S + s))
	counts="$p passed, $f failed, $s skipped"
}

line() { printf '  vm %-28s %-4s %6.1fs  (%s)\n' "$1" "$2" "$3" "$4"; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Make sure the kernel exists before timing anything (a cold build takes
# about 10 minutes and says so on stderr).
if [ -z "${SVMTOP_KERNEL_ENV:-}" ] && ! "$HERE/build-kernel.sh"; then
	echo "run-suite.sh: no test kernel, no VM tests" >&2
	printf 'passed=0\nfailed=1\nskipped=0\n' > "$RESULTS/vm.result"
	exit 1
fi

# 1. The runner's self-test, on the host (it boots its own guests).
if [ $# -eq 0 ] && [ -z "${SVMTOP_VM_NO_SELFTEST:-}" ]; then
	t=$(now)
	st_counts=$BUILD/vm-out/selftest.counts
	rm -f "$st_counts"
	if SELFTEST_COUNTS=$st_counts "$HERE/selftest.sh" > "$BUILD/vm-logs/selftest.out" 2>&1; then
		st=ok
	else
		st=FAIL
	fi
	account "$st" "$st_counts"
	line runner-selftest "$st" "$(elapsed "$t")" "$counts"
	[ "$st" = FAIL ] && sed 's/^/      /' "$BUILD/vm-logs/selftest.out" | tail -n 20
fi

# 2. The cases, each in its own guest.
for c in "${cases[@]}"; do
	[ -f "$c" ] || c=$HERE/cases/${c%.sh}.sh
	name=$(basename "$c" .sh)
	outdir=$BUILD/vm-out/$name
	rm -rf "$outdir" && mkdir -p "$outdir"
	to=$(sed -n 's/^# vm-timeout: *\([0-9]*\).*/\1/p' "$c" | head -n 1)
	mem=$(sed -n 's/^# vm-mem: *\([0-9A-Za-z]*\).*/\1/p' "$c" | head -n 1)
	smp=$(sed -n 's/^# vm-smp: *\([0-9]*\).*/\1/p' "$c" | head -n 1)
	t=$(now)
	"$HERE/vm-run.sh" --timeout "${to:-600}" --mem "${mem:-2G}" --smp "${smp:-2}" \
		--out "$outdir" --log "$BUILD/vm-logs/$name.log" -- "$(realpath "$c")" \
		> "$BUILD/vm-logs/$name.out" 2>&1
	rc=$?
	case $rc in
	0) st=ok ;;
	77) st=SKIP ;;
	*) st=FAIL ;;
	esac
	# A case that exited 0 but reported failed sub-tests still failed.
	if [ $st = ok ] && grep -qE 'failed=[1-9]' "$outdir/counts" 2>/dev/null; then
		st=FAIL
	fi
	account "$st" "$outdir/counts"
	[ $rc -ne 0 ] && counts+=", exit $rc"
	line "$name" "$st" "$(elapsed "$t")" "$counts"
	if [ "$st" = FAIL ]; then
		tail -n 25 "$BUILD/vm-logs/$name.out" | sed 's/^/      /'
		echo "      (output: $BUILD/vm-logs/$name.out, kernel log: $BUILD/vm-logs/$name.log)"
	fi
done

printf 'passed=%d\nfailed=%d\nskipped=%d\n' "$P" "$F" "$S" > "$RESULTS/vm.result"
echo "  vm suite: $P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
