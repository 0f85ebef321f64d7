#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# svmtop top in a real terminal on the host: tmux with a fixed size, the
# debugfs backend on a copy of a fixture tree whose GT stats this script
# bumps by known amounts.  Asserts what the screen shows (exact FAULTS
# count, header rows, status line), the keys, a resize, the terminal after
# q, SIGTERM and SIGHUP, NO_COLOR and --ascii.  The BPF backends and real
# processes are covered in the VM (tests/vm/cases/60-top-tmux.sh).
#   usage: tmux-host.sh SVMTOP RESULTS_DIR
set -u
SVMTOP=$(realpath "$1")
RESULTS=$2
OUT=$(realpath -m "$RESULTS/top-tmux")
rm -rf "$OUT" && mkdir -p "$OUT"
passed=0 failed=0 skipped=0
start=$(date +%s.%N)

check() {
	local what=$1
	shift
	if "$@"; then
		echo "ok   $what"
		passed=$((passed + 1))
	else
		echo "FAIL $what"
		failed=$((failed + 1))
	fi
}

finish() {
	$TM kill-server 2>/dev/null
	printf 'passed=%d\nfailed=%d\nskipped=%d\nseconds=%.2f\n' "$passed" \
		"$failed" "$skipped" "$(echo "$(date +%s.%N) - $start" | bc)" \
		> "$RESULTS/top-tmux.result"
	echo "top-tmux: $passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}

if ! command -v tmux > /dev/null; then
	echo "SKIP: no tmux"
	skipped=1
	TM=true
	finish
	exit
fi
# One private temporary directory (tmux socket, fixture copy), removed by
# its own saved name only.
TOP_TMP=$(mktemp -d /tmp/svmtop-top.XXXXXX) || exit 1
case $TOP_TMP in /tmp/svmtop-top.?*) ;; *) echo "bad temp dir '$TOP_TMP'"; exit 1 ;; esac
trap 'rm -rf -- "$TOP_TMP"' EXIT
export TMUX_TMPDIR=$TOP_TMP
. "$(dirname "$0")/tmux-lib.sh"
TM="tmux -f /dev/null -L svmtop-host"

FX=$TOP_TMP/fx
mkdir -p "$FX"
cp -r "$(dirname "$0")/../fixtures/newest/." "$FX/"
STATS=$(find "$FX" -path '*gt0/stats' -type f | head -n 1)
bump() {	# add $1 GPU faults (and $1 migrations of 2M) to gt0
	awk -v n="$1" '
		/^svm_pagefault_count:/ || /^svm_2M_pagefault_count:/ ||
		/^svm_2M_migrate_count:/ { $2 = $2 + n }
		/^svmx_gpu_fault_migrate_kb:/ { $2 = $2 + 2048 * n }
		{ print }' "$STATS" > "$STATS.new" && mv "$STATS.new" "$STATS"
}
run="$SVMTOP top --backend debugfs --debugfs $FX"

check "tmux session 120x40" tm_start 120 40
tm_keys "$run -i 1; echo EXIT=\$?" Enter
check "first screen: measuring the first interval" tm_wait 'measuring the first 1s interval' 10
check "status line: backend debugfs, 1/1 probes, no BPF cost" tm_wait 'backend debugfs 1/1 probes +cost no BPF, cpu [0-9.]+%  lost 0' 10
bump 1000
sleep 1.5
bump 234
check "header row dev0 gt0" tm_wait '^dev0 gt0 +[0-9.]+' 10
check "FAULTS since start: exactly 1234" tm_wait '^ +- +\(unattributed\) +[0-9.k]+ +1234 ' 10
tm_attr > "$OUT/screens/colour.esc"
check "colours by default" has_colour "$OUT/screens/colour.esc"
check "UTF-8 sparkline and rule by default" grep -q $'\xe2\x94\x80' "$OUT/screens/colour.esc"
check "  ... which the ASCII check catches" eval '! ascii_only "$OUT/screens/colour.esc"'
tm_keys s
check "s: the column chooser" tm_wait 'Sort by \(Enter picks' 10
tm_keys k k Enter
check "chooser: sort PID" tm_wait 'sort PID' 10
tm_keys /
tm_keys -l xyz
check "filter as you type hides the row" tm_wait 'no process matches the filter' 10
tm_keys Escape Escape
check "Esc: row back" tm_wait '\(unattributed\)' 10
tm_keys h
check "h: histogram screen" tm_wait 'Fault latency histogram of PID 0' 10
check "h: the debugfs backend says it has no histograms" tm_wait 'debugfs backend has no histograms' 10
tm_keys Escape d
check "d: per-GT detail" tm_wait '^  since start: 1234 faults' 10
tm_keys d '?'
check "?: help" tm_wait 'svmtop top: keys' 10
tm_keys Space
tm_keys p
check "p: paused" tm_wait 'PAUSED' 10
tm_keys p +
check "+: refresh 2s" tm_wait 'every 2s' 10
tm_keys -
$TM resize-window -t top -x 80 -y 24
check "80x24: header, table and status line" tm_wait 'backend debugfs' 10
tm_cap small > /dev/null
check "80x24: 24 lines, none wider than 80" \
	sh -c "test \$(wc -l < '$OUT/screens/small.txt') -eq 24 && test \$(LC_ALL=C.UTF-8 wc -L < '$OUT/screens/small.txt') -le 80 && grep -q '^ *PID  COMM' '$OUT/screens/small.txt'"
$TM resize-window -t top -x 120 -y 40
tm_keys q
check "q: exit status 0" tm_wait '^EXIT=0' 10
check "q: alternate screen off, cursor visible" \
	test "$($TM display -p -t top '#{alternate_on} #{cursor_flag}')" = "0 1"
tm_keys 'stty -a | tr " " "\n" | grep -Ex -- "-?(icanon|echo)" | tr "\n" " "; echo' Enter
check "q: tty canonical with echo" tm_wait '^icanon echo *$' 10

for sig in TERM HUP INT; do
	tm_keys clear Enter "$run -i 1; echo EXIT=\$?" Enter
	tm_wait 'backend debugfs' 10 > /dev/null
	pid=$(pgrep -f -n "^$SVMTOP top --backend debugfs --debugfs $FX")
	kill -"$sig" "$pid"
	check "SIG$sig: exit status 0" tm_wait '^EXIT=0' 10
	check "SIG$sig: alternate screen off, cursor visible" \
		test "$($TM display -p -t top '#{alternate_on} #{cursor_flag}')" = "0 1"
	tm_keys 'stty -a | tr " " "\n" | grep -Ex -- "-?(icanon|echo)" | tr "\n" " "; echo' Enter
	check "SIG$sig: tty canonical with echo" tm_wait '^icanon echo *$' 10
done

tm_keys clear Enter "NO_COLOR=1 $run -i 1; echo EXIT=\$?" Enter
tm_wait '\(unattributed\)' 10 > /dev/null
tm_attr > "$OUT/screens/nocolor.esc"
check "NO_COLOR: no colour codes" eval '! has_colour "$OUT/screens/nocolor.esc"'
check "NO_COLOR: the selected row still stands out (reverse)" grep -q $'\e\\[7m' "$OUT/screens/nocolor.esc"
tm_keys q
tm_wait '^EXIT=0' 10 > /dev/null

tm_keys clear Enter "$run -i 1 --ascii; echo EXIT=\$?" Enter
tm_wait '\(unattributed\)' 10 > /dev/null
bump 1
sleep 1.2
tm_attr > "$OUT/screens/ascii.esc"
check "--ascii: only ASCII on the screen" ascii_only "$OUT/screens/ascii.esc"
check "--ascii: the rule is ASCII" grep -q -- '--------' "$OUT/screens/ascii.esc"
tm_keys q
tm_wait '^EXIT=0' 10 > /dev/null

tm_keys clear Enter "LANG=C $run -i 1; echo EXIT=\$?" Enter
tm_wait '\(unattributed\)' 10 > /dev/null
tm_attr > "$OUT/screens/clocale.esc"
check "a non-UTF-8 locale draws ASCII" ascii_only "$OUT/screens/clocale.esc"
tm_keys q
tm_wait '^EXIT=0' 10 > /dev/null

# not a terminal: plain reports, one per interval
$run -i 0.3 -n 3 > "$OUT/plain.txt" 2>&1
check "top > file: 3 plain reports, no escapes" \
	sh -c "test \$(grep -c '^svmtop .* interval 0\.[0-9]*s backend debugfs' '$OUT/plain.txt') -eq 3 && ! grep -q $'\e' '$OUT/plain.txt'"
finish
