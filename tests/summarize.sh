#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Add up the result files that each test suite writes to $1 (one file per
# suite, "<suite>.result", holding lines passed=N failed=N skipped=N) and
# print the closing line CI reads: "N passed, N failed[, N skipped]".
# Exits non-zero when anything failed or no suite reported at all.
set -u
dir=${1:?usage: summarize.sh RESULT_DIR}
p=0 f=0 s=0 n=0
for r in "$dir"/*.result; do
	[ -e "$r" ] || continue
	n=$((n + 1))
	rp=$(sed -n 's/^passed=//p' "$r"); rf=$(sed -n 's/^failed=//p' "$r")
	rs=$(sed -n 's/^skipped=//p' "$r")
	printf '  %-24s %4d passed %4d failed %4d skipped\n' \
		"$(basename "$r" .result)" "${rp:-0}" "${rf:-0}" "${rs:-0}"
	p=$((p + ${rp:-0})); f=$((f + ${rf:-0})); s=$((s + ${rs:-0}))
done
if [ "$n" -eq 0 ]; then
	echo "summarize: no suite reported results in $dir" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
