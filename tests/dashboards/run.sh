#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The dashboard tests (tests/dashboards/README.md):
#   run.sh SVMTOP CAPTURE_DIR RESULTS SUITE
# promtool test rules (rules_test.yml), svm_expo_check.py on the capture's last exposition (exact svm collector
# against the kernel's stats), then dash_test.py (every PromQL expression
# of dashboards/ against Debian's Prometheus holding the capture).
# Writes RESULTS/SUITE.result; exit 1 when anything failed.
set -u
svmtop=$1 capture=$2 results=$3 suite=$4
here=$(dirname "$0")
mkdir -p "$results"
log=$results/$suite.log
: > "$log"
passed=0 failed=0 skipped=0
if ! command -v prometheus > /dev/null || ! command -v promtool > /dev/null; then
	echo "SKIP $suite: prometheus/promtool not installed (apt-get install prometheus)"
	printf 'passed=0\nfailed=0\nskipped=1\n' > "$results/$suite.result"
	exit 0
fi
count() {	# add the last "passed=N failed=N" of a checker's output
	local p f
	p=$(sed -n 's/^passed=\([0-9]*\) failed=\([0-9]*\)$/\1/p' "$1" | tail -n 1)
	f=$(sed -n 's/^passed=\([0-9]*\) failed=\([0-9]*\)$/\2/p' "$1" | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
}
# the alerts fire on their conditions (and not beside them): promtool test rules
n=$(grep -c -e '- eval_time:' -e '- expr:' "$here/rules_test.yml")
if (cd "$here" && promtool test rules rules_test.yml) > "$results/$suite.rules.out" 2>&1; then
	echo "ok   promtool test rules: $n alert and recording-rule cases" >> "$results/$suite.rules.out"
	passed=$((passed + 1))
else
	echo "FAIL promtool test rules ($n cases)" >> "$results/$suite.rules.out"
	failed=$((failed + 1))
fi
last=$(ls "$capture"/*.prom "$capture"/*.prom.gz 2>/dev/null | sort | tail -n 1)
if [ -z "$last" ]; then
	echo "FAIL $suite: no capture in $capture"
	failed=1
else
	tmp=$(mktemp)
	case $last in
	*.gz) gzip -dc "$last" > "$tmp" ;;
	*) cp "$last" "$tmp" ;;
	esac
	python3 "$here/svm_expo_check.py" "$tmp" 5 > "$results/$suite.expo.out" 2>&1
	rm -f "$tmp"
	count "$results/$suite.expo.out"
	timeout 300 python3 "$here/dash_test.py" "$svmtop" "$capture" \
		> "$results/$suite.dash.out" 2>&1
	count "$results/$suite.dash.out"
	cat "$results/$suite.rules.out" "$results/$suite.expo.out" "$results/$suite.dash.out" > "$log"
	grep -v '^ok ' "$log"
fi
printf 'passed=%d\nfailed=%d\nskipped=%d\n' "$passed" "$failed" "$skipped" > "$results/$suite.result"
echo "$suite: passed=$passed failed=$failed skipped=$skipped (details: $log)"
[ "$failed" -eq 0 ]
