#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run the export fuzzer for a bounded time; write <RESULTS>/export-fuzz.result.
# usage: fuzz.sh FUZZER SECONDS RESULTS_DIR
# Seeds: real requests (Prometheus' own, curl's, malformed ones) and an
# exposition; the corpus grows in build/fuzz-export/corpus across runs.
set -u
fuzzer=$1 secs=$2 results=$3
cd "$(dirname "$0")/../.."
dir=$(dirname "$fuzzer")
corpus=$dir/corpus
mkdir -p "$corpus"
printf 'GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9862\r\nUser-Agent: Prometheus/2.42.0\r\nAccept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\nAccept-Encoding: gzip\r\nX-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n' > "$corpus/seed-prometheus"
printf 'GET /metrics?format=text HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nConnection: close\r\n\r\n' > "$corpus/seed-curl"
printf 'HEAD / HTTP/1.0\n\n' > "$corpus/seed-head10"
printf 'POST /metrics HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc' > "$corpus/seed-post"
printf 'GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n' > "$corpus/seed-folded"
printf '# HELP a_total A.\n# TYPE a_total counter\na_total{x="1"} 3\n\n# TYPE u untyped\nu 1\n# HELP h H.\n# TYPE h histogram\nh_bucket{le="+Inf"} 0\nh_sum 0\nh_count 0\n' > "$corpus/seed-expo"
log=$results/export-fuzz.log
start=$(date +%s.%N)
"$fuzzer" -max_total_time="$secs" -timeout=10 -max_len=10000 -rss_limit_mb=2048 \
	-artifact_prefix="$dir/" -print_final_stats=1 "$corpus" > "$log" 2>&1
rc=$?
secs_run=$(echo "$(date +%s.%N) - $start" | bc)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
if [ "$rc" -eq 0 ]; then p=1 f=0; else p=0 f=1; tail -40 "$log" >&2; fi
printf 'passed=%d\nfailed=%d\nskipped=0\nseconds=%.2f\nruns=%s\n' \
	"$p" "$f" "$secs_run" "${runs:-0}" > "$results/export-fuzz.result"
printf 'export-fuzz: %s after %s executions in %.1fs (log: %s)\n' \
	"$([ "$rc" -eq 0 ] && echo 'no crash' || echo "FAILED (exit $rc)")" \
	"${runs:-?}" "$secs_run" "$log"
[ "$rc" -eq 0 ]
