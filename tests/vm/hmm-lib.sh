# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by the tests/vm/cases/1*-hmm-*.sh cases (sourced, in the guest):
# load test_hmm, run a workload under `svmtop stat --bpf --json`, check
# exact counts with tests/vm/hmm-check.py, count sub-tests.

HMM_DIR=$SVMTOP_SRC/tests/vm
SVMTOP=$SVMTOP_BUILD/svmtop
passed=0 failed=0 skipped=0

# check WHAT CMD...: one sub-test.
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

# checkpy ARGS...: one hmm-check.py verdict (it prints its own ok/FAIL).
checkpy() {
	if python3 "$HMM_DIR/hmm-check.py" "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
}

finish() {
	echo "passed=$passed failed=$failed skipped=$skipped" > "$OUT/counts"
	[ "$failed" -eq 0 ]
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

hmm_setup() {
	[ -x "$SVMTOP" ] || { echo "FAIL no $SVMTOP: run make first"; return 1; }
	grep -qw test_hmm /proc/modules || insmod "$TEST_HMM_KO" ||
		{ echo "FAIL insmod $TEST_HMM_KO"; return 1; }
	[ -c /dev/hmm_dmirror0 ] || { echo "FAIL no /dev/hmm_dmirror0"; return 1; }
}

# Our own test_hmm driver, built against this kernel's test_hmm uapi.
hmm_build_drive() {
	HMM_DRIVE=/tmp/hmm-drive
	cc -O2 -Wall -I"$KDIR/lib" "$HMM_DIR/hmm-drive.c" -o "$HMM_DRIVE" ||
		{ echo "FAIL building hmm-drive"; return 1; }
}

# svm_start BACKEND FILE: svmtop in the background, back once attached
# (its sample 0 is in FILE).  Sets SVM_PID.
svm_start() {
	local b=$1 f=$2 i t0
	t0=$(now)
	"$SVMTOP" stat --bpf --json -i 2 --backend "$b" > "$f" 2> "$f.err" &
	SVM_PID=$! SVM_FILE=$f
	for i in $(seq 600); do
		[ -s "$f" ] && break
		kill -0 "$SVM_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ ! -s "$f" ]; then
		echo "svmtop did not attach ($b):"
		sed 's/^/    /' "$f.err"
		kill "$SVM_PID" 2>/dev/null
		wait "$SVM_PID" 2>/dev/null
		return 1
	fi
	echo "    svmtop attached in $(since "$t0") s: $(cat "$f.err")"
}

# svm_stop: SIGINT makes svmtop write a last sample, then exit 0.
svm_stop() {
	local rc
	kill -INT "$SVM_PID"
	wait "$SVM_PID"
	rc=$?
	[ "$rc" -eq 0 ] || echo "    svmtop exited $rc: $(cat "$SVM_FILE.err")"
	return "$rc"
}
