#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The socket-level suites of `svmtop export` (see tests/export/README.md).
# usage: run.sh SVMTOP ASAN_SVMTOP RESULTS_DIR
# Every suite starts its own servers on loopback (port 0 or a free port),
# bounds every wait, and stops what it started.  Output: RESULTS/export.log,
# counts in RESULTS/export.result.
set -u
svmtop=$(realpath "$1") asan=$(realpath "$2") results=$3
cd "$(dirname "$0")/../.."
fixture=tests/fixtures/newest
log=$results/export.log
: > "$log"
passed=0 failed=0 skipped=0
start=$(date +%s.%N)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# suite NAME TIMEOUT CMD...: run one suite, add its counts.
suite() {
	local name=$1 t=$2 out rc p f s t0
	shift 2
	mkdir -p "$work/$name"
	t0=$(date +%s.%N)
	out=$(timeout -k 5 "$t" "$@" "$work/$name" 2>&1)
	rc=$?
	printf '## %s (exit %d, %.1f s)\n%s\n' "$name" "$rc" \
		"$(echo "$(date +%s.%N) - $t0" | bc)" "$out" >> "$log"
	p=$(sed -n 's/^passed=\([0-9]*\) .*/\1/p' <<<"$out" | tail -1)
	f=$(sed -n 's/.* failed=\([0-9]*\) .*/\1/p' <<<"$out" | tail -1)
	s=$(sed -n 's/.* skipped=\([0-9]*\)$/\1/p' <<<"$out" | tail -1)
	if [ -z "$p" ]; then	# died before its summary (timeout, crash)
		p=0 f=1 s=0
		echo "export: $name ended without a summary (exit $rc):" >&2
		tail -5 <<<"$out" >&2
	elif [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		f=1
	fi
	grep -E '^(FAIL|SKIP)' <<<"$out" | sed "s/^/export: $name: /" >&2
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}

if ! command -v python3 >/dev/null; then
	echo "export: python3 not installed: skipped" >&2
	skipped=$((skipped + 1))
else
	suite http 120 python3 tests/export/http_robust.py "$svmtop" "$fixture"
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		suite http-asan 180 python3 tests/export/http_robust.py "$asan" "$fixture"
	# a sanitizer report in any exporter's log fails the run
	if grep -l "ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:" \
		"$work"/http-asan/*.log >> "$log" 2>/dev/null; then
		failed=$((failed + 1))
		echo "export: sanitizer report in the http-asan logs (see $log)" >&2
	else
		passed=$((passed + 1))
	fi
	suite textfile 60 python3 tests/export/textfile_test.py "$svmtop" "$fixture"
	suite service 90 python3 tests/export/service_test.py "$svmtop" "$fixture"
	if [ -x /usr/bin/prometheus ] || command -v prometheus >/dev/null; then
		suite prometheus 90 python3 tests/export/prometheus_test.py "$svmtop" "$fixture"
	else
		echo "export: prometheus not installed (Debian package prometheus): skipped" >&2
		skipped=$((skipped + 1))
	fi
fi

secs=$(echo "$(date +%s.%N) - $start" | bc)
printf 'passed=%d\nfailed=%d\nskipped=%d\nseconds=%.2f\n' \
	"$passed" "$failed" "$skipped" "$secs" > "$results/export.result"
printf 'export: %d passed, %d failed, %d skipped in %.2fs (log: %s)\n' \
	"$passed" "$failed" "$skipped" "$secs" "$log"
[ "$failed" -eq 0 ]
