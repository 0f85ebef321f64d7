#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# svmtop top in a real terminal: tmux (120x40) in the guest, svmsim loaded,
# two svm-workload processes with known different loads (wl-busy: 32 GPU
# accesses per 2M range, wl-light: 2048; both churn mmap/fault/munmap so
# every part of the header moves).  Keys go in with send-keys, the screen
# comes back with capture-pane, and the assertions are on what it shows:
# backend, both processes, the busier first by faults/s, sort and filter
# changes, the histogram, per-GT detail, help, a resize to 80x24, q
# restoring the terminal (signals, NO_COLOR, --ascii: 61-top-term; plain
# reports and exact counts: 62-top-plain).  Timings are not
# asserted: under TCG the loads differ by a factor of about 2, and only the
# order is checked.
# vm-timeout: 240
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need
SVMTOP=$SVMTOP_BUILD/svmtop
. "$SVMTOP_SRC/tests/top/tmux-lib.sh"

check "devpts for tmux" tm_ptys || { sim_counts; exit 1; }
check "insmod svmsim vram_mb=64" sim_load vram_mb=64 || { sim_counts; exit 1; }

# Distinct COMMs: comm is the name the binary was executed under.
ln -s "$SIM_WL" /tmp/wl-light
ln -s "$SIM_WL" /tmp/wl-busy
# nice: the terminal and svmtop must not starve behind two busy vCPUs
nice -n 10 /tmp/wl-light -s 2 -t 1024 -n 1000000 churn > /dev/null 2> "$OUT/wl-light.err" &
LIGHT=$!
nice -n 10 /tmp/wl-busy -s 2 -t 65536 -n 1000000 churn > /dev/null 2> "$OUT/wl-busy.err" &
BUSY=$!
echo "     wl-light pid $LIGHT, wl-busy pid $BUSY"

check "tmux session 120x40" tm_start 120 40
# the first screen: a baseline, no numbers until the first interval ends
tm_keys "$SVMTOP top -i 60; echo EXIT=\$?" Enter
check "first screen says it is measuring the first interval" tm_wait 'measuring the first 60s interval' 40
check "status line names the live backend (tp)" tm_wait 'backend tp 7/7 probes' 10
tm_cap baseline > /dev/null
check "no process rows before the first interval" sh -c "! grep -Eq '^ +($BUSY|$LIGHT) ' '$OUT/screens/baseline.txt'"
tm_keys q
tm_wait '^EXIT=0' 10 > /dev/null
tm_keys clear Enter "$SVMTOP top -i 1; echo EXIT=\$?" Enter
check "both processes in the table" tm_wait "^ +$BUSY +wl-busy .*" 30
tm_wait "^ +$LIGHT +wl-light" 10 > /dev/null
tm_cap first > /dev/null
check "  ... and wl-light" grep -Eq "^ +$LIGHT +wl-light" "$OUT/screens/first.txt"
check "header row per GT: dev0 gt0 and device-wide dev0 all" \
	sh -c "grep -q '^dev0 gt0 ' '$OUT/screens/first.txt' && grep -q '^dev0 all ' '$OUT/screens/first.txt'"
check "header has retries by reason" grep -q 'retries/s by reason: migrate' "$OUT/screens/first.txt"
check "status line: cost and lost events" grep -Eq 'cost .*cpu [0-9.]+%  lost [0-9]+' "$OUT/screens/first.txt"
sleep 3	# a few intervals so the EWMA has seen both loads
rb=$(tm_row "$BUSY" sorted-faults) rl=$(tm_row "$LIGHT")
check "sorted by FAULTS/s: wl-busy (row $rb) above wl-light (row $rl)" \
	test "$rb" -gt 0 -a "$rl" -gt "$rb"
tm_attr > "$OUT/screens/colour.esc"
check "colours by default (SGR colour codes on screen)" has_colour "$OUT/screens/colour.esc"
check "UTF-8 sparklines by default" grep -q $'\xe2\x96' "$OUT/screens/colour.esc"

# the column chooser: from FAULTS/s up two entries to PID, Enter
tm_keys s
check "s opens the column chooser" tm_wait 'Sort by \(Enter picks' 10
tm_keys k k Enter
check "sort by PID in the title" tm_wait 'sort PID' 10
rb=$(tm_row "$BUSY" sorted-pid) rl=$(tm_row "$LIGHT")
check "sorted by PID: wl-light (row $rl, started first) above wl-busy (row $rb)" \
	test "$rl" -gt 0 -a "$rb" -gt "$rl"
tm_keys r
check "r reverses (title arrow up)" tm_wait 'sort PID (\^|▲)' 10
rb=$(tm_row "$BUSY" sorted-pid-rev) rl=$(tm_row "$LIGHT")
check "reversed: wl-busy (row $rb) above wl-light (row $rl)" \
	test "$rb" -gt 0 -a "$rl" -gt "$rb"
tm_keys '>' '>'
check "> > moves the sort to FAULTS/s" tm_wait 'sort FAULTS/s' 10
tm_keys r

# filter
tm_keys /
check "/ prompts for a filter" tm_wait '^filter \(comm or PID' 10
tm_keys -l light
tm_keys Enter
check "filter in the title" tm_wait "filter 'light'" 10
tm_cap filtered > /dev/null
check "filter shows wl-light" grep -Eq "^ +$LIGHT +wl-light" "$OUT/screens/filtered.txt"
check "filter hides wl-busy" sh -c "! grep -Eq '^ +$BUSY ' '$OUT/screens/filtered.txt'"
tm_keys Escape
check "Esc clears the filter: wl-busy back" tm_wait "^ +$BUSY +wl-busy" 10

# histogram of the selected (first) process, per-GT detail, help
tm_keys g h
check "h: latency histogram of the selected process" tm_wait 'Fault latency histogram of PID [0-9]+' 10
tm_cap hist > /dev/null
check "histogram has log2 rows with bars" grep -Eq '^ +[0-9.]+[mun]?s -> [0-9.]+[mun]?s +: [0-9]+ +\|\*+ *\|' "$OUT/screens/hist.txt"
check "histogram has p50/p99 of GPU faults" grep -Eq 'GPU fault +count [1-9][0-9]* +avg .* p50 .* p99 ' "$OUT/screens/hist.txt"
tm_keys Escape
tm_keys d
check "d: per-GT detail" tm_wait 'Per-GT detail' 10
tm_cap detail > /dev/null
check "detail: dev0 gt0 with faults/s and p99 rows" \
	sh -c "grep -q '^dev0 gt0' '$OUT/screens/detail.txt' && grep -q '^  faults/s ' '$OUT/screens/detail.txt' && grep -q '^  p99 latency ' '$OUT/screens/detail.txt'"
check "detail: device-wide block with GC and invalidations" \
	sh -c "grep -q '^dev0 all (device-wide' '$OUT/screens/detail.txt' && awk '/^  GC runs\/s / && \$3 > 0 { f = 1 } END { exit !f }' '$OUT/screens/detail.txt' && awk '/^  invalidations\/s / && \$2 > 0 { f = 1 } END { exit !f }' '$OUT/screens/detail.txt'"
tm_keys d
tm_keys '?'
check "?: help" tm_wait 'svmtop top: keys' 10
tm_cap help > /dev/null
check "help lists the keys" grep -q 'filter by COMM substring' "$OUT/screens/help.txt"
tm_keys x
check "any key leaves help" tm_wait 'FAULTS/s' 10

# resize
$TM resize-window -t top -x 80 -y 24
check "resized to 80x24: still renders header, table, status" \
	tm_wait '^ +PID  COMM' 10
sleep 1.2
tm_cap small > /dev/null
check "80x24: backend in the status line, no line wider than 80" \
	sh -c "grep -q 'backend tp' '$OUT/screens/small.txt' && test \$(LC_ALL=C.UTF-8 wc -L < '$OUT/screens/small.txt') -le 80 && test \$(wc -l < '$OUT/screens/small.txt') -eq 24"
check "80x24: both processes" sh -c "grep -Eq '^ +$BUSY ' '$OUT/screens/small.txt' && grep -Eq '^ +$LIGHT ' '$OUT/screens/small.txt'"
$TM resize-window -t top -x 120 -y 40

# q restores the terminal
tm_keys q
check "q exits with status 0" tm_wait '^EXIT=0' 10
check "q: alternate screen off, cursor visible" \
	test "$($TM display -p -t top '#{alternate_on} #{cursor_flag}')" = "0 1"
tm_keys 'stty -a | tr " " "\n" | grep -Ex -- "-?(icanon|echo)" | tr "\n" " "; echo' Enter
check "q: tty back in canonical mode with echo" tm_wait '^icanon echo *$' 10

$TM kill-server
kill $BUSY $LIGHT
wait $BUSY $LIGHT 2>/dev/null
check "rmmod svmsim" rmmod svmsim
sim_counts
