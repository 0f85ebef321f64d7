#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run cmocka test binaries with TAP output and write <RESULTS>/<suite>.result.
# usage: run-cmocka.sh SUITE RESULTS_DIR BINARY...
# A binary that crashes or exits non-zero without a "not ok" line (a
# sanitizer abort, say) counts as one more failure, so nothing is lost.
set -u
suite=$1 results=$2
shift 2
log=$results/$suite.log
: > "$log"
passed=0 failed=0 skipped=0
start=$(date +%s.%N)
for bin in "$@"; do
	out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$bin" 2>&1)
	rc=$?
	printf '## %s (exit %d)\n%s\n' "$bin" "$rc" "$out" >> "$log"
	p=$(grep -c '^ok ' <<<"$out" | head -1)
	s=$(grep -c '^ok .*# *SKIP' <<<"$out" | head -1)
	f=$(grep -c '^not ok ' <<<"$out" | head -1)
	p=$((p - s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "$suite: $bin exited $rc without a failed test (crash?)" >&2
	fi
	[ "$f" -gt 0 ] && grep -v '^ok ' <<<"$out" >&2
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
secs=$(echo "$(date +%s.%N) - $start" | bc)
printf 'passed=%d\nfailed=%d\nskipped=%d\nseconds=%.2f\n' \
	"$passed" "$failed" "$skipped" "$secs" > "$results/$suite.result"
printf '%s: %d passed, %d failed, %d skipped in %.2fs (log: %s)\n' \
	"$suite" "$passed" "$failed" "$skipped" "$secs" "$log"
[ "$failed" -eq 0 ]
