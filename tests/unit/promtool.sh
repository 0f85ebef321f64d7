#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# promtool check metrics on `svmtop stat --prom` of every fixture tree, and
# on each exposition of an interval run (-i prints one per interval,
# separated by a blank line).  promtool lints too: counters must end in
# _total, every family needs HELP, units must be base units.
# usage: promtool.sh SVMTOP RESULTS_DIR
set -u
svmtop=$1 results=$2
cd "$(dirname "$0")/../.."
passed=0 failed=0 skipped=0
start=$(date +%s.%N)
log=$results/promtool.log
: > "$log"

if ! command -v promtool >/dev/null; then
	echo "promtool: not installed (Debian package prometheus): skipped" >&2
	printf 'passed=0\nfailed=0\nskipped=1\n' > "$results/promtool.result"
	exit 0
fi

check() {	# name, file
	if out=$(promtool check metrics < "$2" 2>&1) && [ -s "$2" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		printf 'FAIL %s\n%s\n' "$1" "$out" | tee -a "$log" >&2
	fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in v6.15 v6.18 newest two-tile two-devices malformed; do
	"$svmtop" stat --debugfs "tests/fixtures/$t" --prom > "$tmp/$t.prom" 2>/dev/null
	check "$t" "$tmp/$t.prom"
done
# interval mode: 3 expositions, each valid on its own
"$svmtop" stat --debugfs tests/fixtures/newest --prom -i 0.05 -n 3 > "$tmp/iv.prom"
n=$(awk -v d="$tmp" 'BEGIN{f=d"/iv.0"} /^$/{k++; f=d"/iv."k; next} {print > f} END{print k+1}' "$tmp/iv.prom")
if [ "$n" -eq 3 ]; then passed=$((passed + 1)); else
	failed=$((failed + 1)); echo "FAIL interval: $n expositions, want 3" | tee -a "$log" >&2; fi
for i in 0 1 2; do check "interval exposition $i" "$tmp/iv.$i"; done

secs=$(echo "$(date +%s.%N) - $start" | bc)
printf 'passed=%d\nfailed=%d\nskipped=%d\nseconds=%.2f\n' \
	"$passed" "$failed" "$skipped" "$secs" > "$results/promtool.result"
printf 'promtool: %d passed, %d failed in %.2fs\n' "$passed" "$failed" "$secs"
[ "$failed" -eq 0 ]
