#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The guest is what the other VM cases expect: BTF, the pseudo file systems
# mounted, test_hmm loads and makes /dev/hmm_dmirror0, and the kernel's own
# hmm-tests pass against it.
# vm-timeout: 300
set -u
passed=0 failed=0

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

mounted() { awk -v m="$1" -v t="$2" '$2 == m && $3 == t { f = 1 } END { exit !f }' /proc/mounts; }

check "vmlinux BTF" test -s /sys/kernel/btf/vmlinux
check "debugfs at /sys/kernel/debug" mounted /sys/kernel/debug debugfs
check "tracefs at /sys/kernel/tracing" mounted /sys/kernel/tracing tracefs
check "bpffs at /sys/fs/bpf" mounted /sys/fs/bpf bpf
check "/out writable" sh -c 'echo x > "$OUT/.probe" && rm "$OUT/.probe"'
check "cwd is the repo" test "$PWD" = "$SVMTOP_SRC"
check "fentry possible (DIRECT_CALLS)" sh -c 'zcat /proc/config.gz | grep -qx CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS=y'
check "hmm_range_fault traceable" grep -qw hmm_range_fault /sys/kernel/tracing/available_filter_functions
check "insmod test_hmm" insmod "$TEST_HMM_KO"
check "/dev/hmm_dmirror0 appears" test -c /dev/hmm_dmirror0
check "test_hmm BTF" test -s /sys/kernel/btf/test_hmm

for t in migrate anon_read; do
	# hmm-tests prints a kselftest summary; a test passes when it exits 0
	# and reports exactly one pass.
	o=$("$HMM_TESTS" -r "hmm.hmm_device_private.$t" 2>&1)
	rc=$?
	echo "$o" | sed 's/^/    /'
	check "hmm-tests $t" sh -c "[ $rc -eq 0 ] && echo \"\$1\" | grep -q '^# PASSED: 1 / 1 tests passed'" _ "$o"
done

check "rmmod test_hmm" rmmod test_hmm

echo "passed=$passed failed=$failed skipped=0" > "$OUT/counts"
[ "$failed" -eq 0 ]
