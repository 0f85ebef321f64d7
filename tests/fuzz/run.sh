#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the parser fuzzer for a bounded time; write <RESULTS>/fuzz.result.
# usage: run.sh FUZZER SECONDS RESULTS_DIR
# The corpus grows in build/fuzz/corpus across runs; seeds are the
# fixture stats files (copied in each run, so new fixtures count).
set -u
fuzzer=$1 secs=$2 results=$3
cd "$(dirname "$0")/../.."
dir=$(dirname "$fuzzer")
corpus=$dir/corpus
mkdir -p "$corpus"
find tests/fixtures -name stats -type f | while read -r f; do
	cp "$f" "$corpus/seed-$(echo "$f" | tr '/:' '__')"
done
log=$results/fuzz.log
start=$(date +%s.%N)
# -max_total_time bounds the run; -timeout catches hangs (a parse of a few
# KiB takes microseconds); -max_len covers the largest real file x 4.
"$fuzzer" -max_total_time="$secs" -timeout=10 -max_len=16384 \
	-rss_limit_mb=2048 -dict=tests/fuzz/gtstats.dict \
	-artifact_prefix="$dir/" -print_final_stats=1 "$corpus" > "$log" 2>&1
rc=$?
secs_run=$(echo "$(date +%s.%N) - $start" | bc)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ "$rc" -eq 0 ]; then p=1 f=0; else p=0 f=1; tail -40 "$log" >&2; fi
printf 'passed=%d\nfailed=%d\nskipped=0\nseconds=%.2f\nruns=%s\n' \
	"$p" "$f" "$secs_run" "${runs:-0}" > "$results/fuzz.result"
printf 'fuzz: %s after %s executions in %.1fs (corpus %d files, log: %s)\n' \
	"$([ "$rc" -eq 0 ] && echo 'no crash' || echo "FAILED (exit $rc)")" \
	"${runs:-?}" "$secs_run" "$(ls "$corpus" | wc -l)" "$log"
[ "$rc" -eq 0 ]
