#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Self-test of the VM runner, run on the host by run-suite.sh (or alone):
#  - scan-log.sh against canned kernel logs: each kind of kernel report is
#    caught, a clean boot and the command's own output are not;
#  - real guests: the command's status, stdout and /out files come back,
#    the time limit gives 124, and a real kernel WARNING (lkdtm) gives 125
#    although the command itself succeeded.
# Writes "passed=N failed=N skipped=N" to $SELFTEST_COUNTS when set.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/svmtop-vm-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1"; failed=$((failed + 1)); }
expect() { # NAME EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected '$2', got '$3'"; fi
}

# --- 1. the log scanner ------------------------------------------------------
clean_boot() {
	cat <<-'EOF'
	[    0.000000] Linux version 6.12.0-svmtop (root@host) #1 SMP PREEMPT_DYNAMIC
	[    0.120000] Memory: 2000000K/2096632K available
	[    0.500000] clocksource: Switched to clocksource tsc-early
	[    2.100000] 9pnet_virtio: no channels available for device svmctl
	[    3.400000] svmtop-vm: init start
	[    4.000000] test_hmm: loading out-of-tree module taints kernel.
	[    4.200000] HMM test module loaded. This is only for testing HMM.
	[    5.000000] svmtop-vm: exit=0
	EOF
}
scan() { "$HERE/scan-log.sh" "$1" > /dev/null; echo $?; }

clean_boot > "$tmp/clean.log"
expect "scanner: clean boot log passes" 1 "$(scan "$tmp/clean.log")"
{ clean_boot; echo "---- vm-run.sh: command output (ttyS1) ----";
  echo "WARNING: this line was printed by the test, not the kernel"; } > "$tmp/cmd.log"
expect "scanner: command output is not scanned" 1 "$(scan "$tmp/cmd.log")"

i=0
while IFS= read -r splat; do
	i=$((i + 1))
	{ clean_boot | head -n 6; echo "$splat"; clean_boot | tail -n 2; } > "$tmp/bad$i.log"
	expect "scanner catches: ${splat#\[*\] }" 0 "$(scan "$tmp/bad$i.log")"
done <<-'EOF'
	[    4.300000] WARNING: CPU: 1 PID: 80 at drivers/misc/lkdtm/bugs.c:112 lkdtm_WARNING+0x9/0x10 [lkdtm]
	[    4.300000] WARNING: possible recursive locking detected
	[    4.300000] WARNING: possible circular locking dependency detected
	[    4.300000] WARNING: inconsistent lock state
	[    4.300000] BUG: sleeping function called from invalid context at mm/memory.c:6000
	[    4.300000] BUG: kernel NULL pointer dereference, address: 0000000000000008
	[    4.300000] Oops: general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] PREEMPT SMP
	[    4.300000] kernel BUG at mm/migrate_device.c:100!
	[    4.300000] UBSAN: array-index-out-of-bounds in lib/test_hmm.c:300:5
	[    4.300000] BUG: KASAN: slab-use-after-free in dmirror_fops_release+0x10/0x20
	[    4.300000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100
	[    4.300000] INFO: task hmm-tests:90 blocked for more than 120 seconds.
	[    4.300000] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
	[    4.300000] ---[ end trace 0000000000000000 ]---
EOF
expect "scanner: unreadable log is an error" 2 "$("$HERE/scan-log.sh" "$tmp/none.log" 2>/dev/null; echo $?)"

# --- 2. real guests ----------------------------------------------------------
mkdir "$tmp/out"
"$HERE/vm-run.sh" --log "$tmp/a.log" --out "$tmp/out" -- bash -c \
	'echo "hello from $(uname -r)"; echo 42 > "$OUT/answer"; echo "$PWD|$SVMTOP_SRC|$OUT"
	 echo "$KERNEL_RELEASE" > "$OUT/release"; exit 3' \
	> "$tmp/a.stdout" 2> "$tmp/a.stderr"
expect "guest: command status comes back" 3 "$?"
expect "guest: stdout is streamed" "hello from $(cat "$tmp/out/release" 2>/dev/null)" \
	"$(head -n 1 "$tmp/a.stdout")"
expect "guest: cwd is the repo, OUT=/out" "$(cd "$HERE/../.." && pwd)|$(cd "$HERE/../.." && pwd)|/out" \
	"$(sed -n 2p "$tmp/a.stdout")"
expect "guest: files written to \$OUT come back" 42 "$(cat "$tmp/out/answer" 2>/dev/null)"
expect "guest: log kept with the exit line" 1 "$(grep -c 'svmtop-vm: exit=3' "$tmp/a.log")"

start=$(date +%s)
"$HERE/vm-run.sh" --log "$tmp/b.log" --timeout 5 -- sleep 600 > /dev/null 2>&1
expect "guest: time limit gives 124" 124 "$?"
took=$(($(date +%s) - start))
if [ "$took" -lt 100 ]; then ok "guest: time limit ends the run early (${took}s)"
else bad "guest: time limit took ${took}s"; fi

"$HERE/vm-run.sh" --log "$tmp/c.log" -- bash -c \
	'insmod "$KDIR/drivers/misc/lkdtm/lkdtm.ko" &&
	 echo WARNING > /sys/kernel/debug/provoke-crash/DIRECT; echo survived' \
	> "$tmp/c.stdout" 2> "$tmp/c.stderr"
expect "guest: kernel WARNING gives 125" 125 "$?"
expect "guest: ... although the command succeeded" "1|survived" \
	"$(grep -c 'svmtop-vm: exit=0' "$tmp/c.log")|$(cat "$tmp/c.stdout")"
expect "guest: ... and vm-run.sh names it" 1 \
	"$(grep -c 'WARNING: CPU: .* lkdtm' "$tmp/c.stderr")"

echo "runner self-test: $passed passed, $failed failed"
[ -n "${SELFTEST_COUNTS:-}" ] &&
	echo "passed=$passed failed=$failed skipped=0" > "$SELFTEST_COUNTS"
[ "$failed" -eq 0 ]
