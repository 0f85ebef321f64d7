#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Robustness of the simulated SVM GPU: every ioctl rejects bad input with
# the documented errno (and random garbage never oopses), CPU/GPU atomics
# contention and fork keep the data right, unloading is refused while a
# process has the device open and, once it closed it, moves the data it
# left in VRAM back to system memory.  vm-run.sh fails the case on any
# kernel WARNING, BUG or lockdep report.
# vm-timeout: 600
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need

check "insmod svmsim vram_mb=16" sim_load vram_mb=16 || { sim_counts; exit 1; }

"$SIM_WL" badinput > "$OUT/badinput.json" 2> "$OUT/badinput.err"
cat "$OUT/badinput.err"
add_counts "$OUT/badinput.json"
echo "     badinput: $(cat "$OUT/badinput.json")"

"$SIM_WL" -n 4 contend > "$OUT/contend.json" 2> "$OUT/contend.err"
check "CPU/GPU atomics contention: every add lands once" test $? -eq 0
"$SIM_WL" -s 4 fork > "$OUT/fork.json" 2> "$OUT/fork.err"
check "fork: GPU data survives, child's writes stay private" test $? -eq 0
cat "$OUT/contend.err" "$OUT/fork.err"

# unload while a process has the device (and a VM) open: refused
coproc HOLD { "$SIM_WL" -s 4 holdopen 2> "$OUT/holdopen.err"; }
read -r -t 120 line <&"${HOLD[0]}"
check "holdopen ready" test "${line:-}" = ready
check "rmmod refused while the device is open" sh -c '! rmmod svmsim 2>/dev/null'
echo go >&"${HOLD[1]}"
wait "$HOLD_PID"
check "holdopen: VM and data intact after the refused unload" test $? -eq 0

# unload after close with data still in VRAM: the data comes back
coproc HOLD2 { "$SIM_WL" -s 4 hold 2> "$OUT/hold.err"; }
read -r -t 120 line <&"${HOLD2[0]}"
check "hold ready" test "${line:-}" = ready
check "rmmod with pages still in VRAM" rmmod svmsim
echo go >&"${HOLD2[1]}"
wait "$HOLD2_PID"
check "hold: data moved back to system memory at unload" test $? -eq 0
cat "$OUT/holdopen.err" "$OUT/hold.err"

# no VRAM at all: everything stays in system memory, atomics included
check "insmod vram_mb=0" sim_load vram_mb=0
"$SIM_WL" -s 2 -t 1024 atomic > "$OUT/novram.json" 2> "$OUT/novram.err"
check "vram_mb=0: GPU atomics on system memory, data right" test $? -eq 0
cat "$OUT/novram.err"
check "vram_mb=0: nothing migrated" grep -qx 'svm_2M_migrate_count: 0' "$DRI/gt0/stats"
check "rmmod again" rmmod svmsim
sim_counts
