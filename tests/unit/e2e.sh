#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# End-to-end tests of the real binary: `svmtop stat` on the fixture trees.
# Output must equal the golden files the unit tests check (time and build
# revision masked), exit codes must be the documented ones, --reset and
# intervals run against writable copies in a temporary directory.
# usage: e2e.sh SVMTOP RESULTS_DIR
set -u
svmtop=$(realpath "$1") results=$(realpath "$2")
cd "$(dirname "$0")/../.."
FX=tests/fixtures EXP=tests/fixtures/expected
passed=0 failed=0 skipped=0
suite=${E2E_SUITE:-e2e}
log=$results/$suite.log
: > "$log"
start=$(date +%s.%N)
tmp=$(mktemp -d /tmp/svmtop-e2e.XXXXXX)
chmod 755 "$tmp"	# the not-root test runs as nobody
trap 'rm -rf "$tmp"' EXIT

ok()   { passed=$((passed + 1)); echo "ok   $1" >> "$log"; }
bad()  { failed=$((failed + 1)); echo "FAIL $1" | tee -a "$log" >&2; }
skip() { skipped=$((skipped + 1)); echo "skip $1" | tee -a "$log" >&2; }
# expect NAME WANT GOT
expect() { if [ "$2" == "$3" ]; then ok "$1"; else bad "$1: want '$2', got '$3'"; fi; }
# run: sets rc, out (stdout), err (stderr)
run() {
	"$svmtop" "$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	out=$(cat "$tmp/out") err=$(cat "$tmp/err")
}

# Same masking as the unit tests: wall clock and build identity.
mask() {
	sed -E -e 's/"time":[0-9]+\.[0-9]{3}/"time":1700000000.250/' \
	       -e 's/^([0-9]+),[0-9]+\.[0-9]{3},/\1,1700000000.250,/' \
	       -e 's/\{version="[^"]*",revision="[^"]*"\}/{version="VERSION",revision="REV"}/'
}

# 1. every format of every fixture equals its golden file
for t in v6.15 v6.18 newest two-tile two-devices malformed; do
	for f in table json prom csv; do
		opt=--$f
		[ "$f" = table ] && opt=
		run stat --debugfs "$FX/$t" $opt
		if [ "$rc" -ne 0 ]; then bad "$t.$f: exit $rc: $err"; continue; fi
		if diff -u "$EXP/$t.$f" <(mask < "$tmp/out") >> "$log"; then
			ok "$t.$f golden"
		else
			bad "$t.$f differs from $EXP/$t.$f (diff in $log)"
		fi
	done
done
# default command: `svmtop --debugfs DIR` runs stat
run --debugfs "$FX/v6.15"
expect "no subcommand runs stat" "$(cat "$EXP/v6.15.table")" "$out"

# snapshots: the recipe of the man page (FILES), and a tree copied with
# cp -rL (links dereferenced): same GTs, same numbers as the original
mkdir "$tmp/snap"
( cd "$FX/two-tile" && find dri -name name -o -path "*/gt*/stats" |
	xargs cp --parents -t "$tmp/snap" )
strip_paths() { sed -E 's/\(.*\/stats\)$//; s/"path":"[^"]*"//g'; }
run stat --debugfs "$FX/two-tile" --json
want=$(mask <<<"$out" | strip_paths)
run stat --debugfs "$tmp/snap" --json
expect "man page snapshot recipe: same GTs and values" \
	"$(sed 's/"minor":0/"minor":null/g' <<<"$want")" "$(mask <<<"$out" | strip_paths)"
run stat --debugfs "$FX/snapshot-cp-L" --json
expect "cp -rL snapshot: each GT once" "$want" "$(mask <<<"$out" | strip_paths)"

# 2. malformed lines: one message each, with file and line, then carry on
run stat --debugfs "$FX/malformed" --json
expect "malformed: exit 0" 0 "$rc"
expect "malformed: 10 messages" 10 "$(wc -l < "$tmp/err")"
expect "malformed: first message" \
	"svmtop: $FX/malformed/dri/0/gt0/stats:2: expected ':' after the stat name" \
	"$(head -1 "$tmp/err")"
expect "malformed: truncated gt2" \
	"svmtop: $FX/malformed/dri/0/gt2/stats:3: last line has no newline (file truncated?)" \
	"$(tail -1 "$tmp/err")"

# 3. errors: one line with the fix, documented exit code
run stat --debugfs "$FX/no-dri"
expect "no dri: exit 5 (EXIT_NODEVICE)" 5 "$rc"
expect "no dri: message" \
	"svmtop: no DRM device under $FX/no-dri/dri: load the GPU driver (modprobe xe) or check that a GPU is present" "$err"
run stat --debugfs "$FX/no-device"
expect "no device: exit 5" 5 "$rc"
run stat --debugfs "$FX/i915-only"
expect "i915 only: exit 6 (EXIT_NOSTATS)" 6 "$rc"
expect "i915 only: message" \
	"svmtop: no GT stats under $FX/i915-only/dri (driver i915, minor 0): they need the xe driver and a kernel built with CONFIG_DEBUG_FS" "$err"
run stat --debugfs "$FX/nonexistent"
expect "missing --debugfs dir: exit 4" 4 "$rc"
for args in "--json --prom" "-i 0" "-i abc" "-n 3" "--bogus" "1 2 3" "-i 1 -n 0"; do
	run stat --debugfs "$FX/v6.15" $args
	expect "usage error '$args': exit 2" 2 "$rc"
	expect "usage error '$args': one line" 1 "$(wc -l < "$tmp/err")"
done
run stat --help
expect "stat --help: exit 0" 0 "$rc"
case "$out" in *Examples:*"Exit codes:"*) ok "stat --help has examples and exit codes";;
	*) bad "stat --help lacks examples or exit codes";; esac
run --help
expect "svmtop --help: exit 0" 0 "$rc"

# debugfs root by default: when it is not a debugfs mount, say how to mount
if [ "$(stat -f -c %T /sys/kernel/debug 2>/dev/null)" != debugfs ]; then
	run stat
	expect "debugfs not mounted: exit 4 (EXIT_NODEBUGFS)" 4 "$rc"
	expect "debugfs not mounted: message" \
		"svmtop: debugfs is not mounted at /sys/kernel/debug; mount it: mount -t debugfs none /sys/kernel/debug" "$err"
else
	skip "debugfs not mounted (it is mounted on this host)"
fi

# not root: debugfs is 0700 root; a copy with the same mode, read as nobody
cp -a "$FX/v6.18" "$tmp/perm"
chmod 700 "$tmp/perm/dri"
# nobody may not reach the checkout (e.g. under /root): run a copy from $tmp
cp "$svmtop" "$tmp/svmtop" && chmod 755 "$tmp/svmtop"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$tmp/svmtop" stat --debugfs "$tmp/perm" > "$tmp/out" 2> "$tmp/err"
	rc=$? err=$(cat "$tmp/err")
else
	chmod 000 "$tmp/perm/dri"
	run stat --debugfs "$tmp/perm"
fi
expect "not root: exit 3 (EXIT_NOPERM)" 3 "$rc"
expect "not root: message" \
	"svmtop: permission denied reading $tmp/perm/dri: run as root (sudo svmtop stat)" "$err"
chmod 755 "$tmp/perm/dri"

# 4. --reset: writes "1" where the file is writable, says so where not
cp -a "$FX/two-tile" "$tmp/reset"
run stat --debugfs "$tmp/reset" --reset
expect "reset: exit 0" 0 "$rc"
expect "reset: reports both GTs" 2 "$(grep -c '^reset ' "$tmp/out")"
expect "reset: wrote 1" 1 "$(head -c1 "$tmp/reset/dri/0000:8c:00.0/tile1/gt1/stats")"
chmod 400 "$tmp/reset/dri/0000:8c:00.0/tile0/gt0/stats"
run stat --debugfs "$tmp/reset" --reset
expect "reset one read-only: exit 0" 0 "$rc"
expect "reset one read-only: message" \
	"svmtop: $tmp/reset/dri/0/tile0/gt0/stats is read-only (mode 0400): this kernel does not support resetting GT stats" "$err"
chmod 400 "$tmp/reset/dri/0000:8c:00.0/tile1/gt1/stats"
run stat --debugfs "$tmp/reset" --reset
expect "reset all read-only: exit 7 (EXIT_NORESET)" 7 "$rc"
expect "reset all read-only: two messages" 2 "$(wc -l < "$tmp/err")"

# not root: --reset on a tree readable by all, writable by root only
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	cp -a "$FX/two-tile" "$tmp/reset-nr" && chmod -R a+rX "$tmp/reset-nr"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$tmp/svmtop" stat --debugfs "$tmp/reset-nr" --reset > "$tmp/out" 2> "$tmp/err"
	expect "reset as non-root: exit 3 (EXIT_NOPERM)" 3 "$?"
	expect "reset as non-root: message" \
		"svmtop: $tmp/reset-nr/dri/0/tile0/gt0/stats: Permission denied: run as root" \
		"$(head -1 "$tmp/err")"
else
	skip "reset as non-root (needs root to switch user)"
fi

# 5. intervals: rates right from the first report, resets flagged.  The
# change lands in one of the intervals; which one depends on scheduling,
# so the test adds rate * interval over all reports: exactly the change.
cp -a "$FX/v6.18" "$tmp/iv"
stats=$tmp/iv/dri/0/gt0/stats
( sleep 0.7
  sed -i -e 's/^svm_pagefault_count: 1000$/svm_pagefault_count: 1100/' \
	 -e 's/^tlb_inval_count: 2000$/tlb_inval_count: 5/' "$stats" ) &
run stat --debugfs "$tmp/iv" --json -i 0.5 -n 3
wait
expect "interval json: exit 0" 0 "$rc"
if python3 - "$tmp/out" >> "$log" 2>&1 <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert [r["sample"] for r in recs] == [1, 2, 3], recs
for r in recs:
    assert 0.4 < r["interval_s"] < 2.0, r["interval_s"]   # scheduling noise
    g = r["gts"][0]
    assert g["ok"] and "rates" in g, g
total = sum(r["gts"][0]["rates"]["svm_pagefault_count"] * r["interval_s"]
            for r in recs)
assert abs(total - 100) < 0.5, total    # rates are rounded to 3 decimals
resets = [r["gts"][0]["resets"] for r in recs]
assert sorted(map(tuple, resets)) == [(), (), ("tlb_inval_count",)], resets
assert sum("tlb_inval_count" in r["gts"][0]["rates"] for r in recs) == 2
EOF
then ok "interval json: rates add up to the change, one reset flagged"
else bad "interval json: see $log"; fi

# CSV over intervals: one header, 3 reports
run stat --debugfs "$FX/v6.15" --csv -i 0.05 -n 3
expect "interval csv: one header" 1 "$(grep -c '^sample,' "$tmp/out")"
expect "interval csv: rows" $((3 * 8)) "$(grep -vc '^sample,' "$tmp/out")"
expect "interval csv: last sample is 3" 3 "$(tail -1 "$tmp/out" | cut -d, -f1)"

# Table over intervals: one block per report
run stat --debugfs "$FX/two-tile" -i 0.05 -n 2
expect "interval table: 2 reports" 2 "$(grep -c '^--- sample' "$tmp/out")"

# 6. killed or piped: every NDJSON line stays whole, exit 0
"$svmtop" stat --debugfs "$FX/newest" --json -i 0.1 > "$tmp/kill" 2>&1 &
pid=$!
sleep 0.75
kill -INT "$pid"
wait "$pid"
expect "SIGINT: exit 0" 0 "$?"
if python3 -c 'import json,sys; n=[json.loads(l) for l in open(sys.argv[1])]; assert len(n) >= 2, len(n)' "$tmp/kill" 2>> "$log"
then ok "SIGINT: every line is a JSON object"; else bad "SIGINT: bad NDJSON (see $log)"; fi
timeout 10 "$svmtop" stat --debugfs "$FX/newest" -i 0.05 | head -1 > /dev/null
expect "pipe closed by reader: exit 0" 0 "${PIPESTATUS[0]}"

secs=$(echo "$(date +%s.%N) - $start" | bc)
printf 'passed=%d\nfailed=%d\nskipped=%d\nseconds=%.2f\n' \
	"$passed" "$failed" "$skipped" "$secs" > "$results/$suite.result"
printf '%s: %d passed, %d failed, %d skipped in %.2fs (log: %s)\n' \
	"$suite" "$passed" "$failed" "$skipped" "$secs" "$log"
[ "$failed" -eq 0 ]
