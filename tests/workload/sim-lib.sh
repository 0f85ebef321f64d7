# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by the simulated-GPU VM cases (tests/vm/cases/2*-sim-*.sh):
# find the module and the workload, load the module, find its debugfs dir,
# count sub-tests.  Source it; it defines SIM_KO, SIM_WL, DRI after sim_load.

SIM_KO=$SVMTOP_BUILD/debugfs-ext/svmsim.ko
SIM_WL=$SVMTOP_BUILD/tests/workload/svm-workload
SIM_LIB_DIR=$SVMTOP_SRC/tests/workload
passed=0 failed=0 skipped=0

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

# Add a checker's "passed=N failed=N" (or JSON "passed":N) to the counts.
add_counts() {
	local p f
	p=$(sed -n 's/.*passed"\{0,1\}[=:]\([0-9]*\).*/\1/p' "$1" | tail -n 1)
	f=$(sed -n 's/.*failed"\{0,1\}[=:]\([0-9]*\).*/\1/p' "$1" | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
}

sim_counts() {
	printf 'passed=%d failed=%d skipped=%d\n' "$passed" "$failed" "$skipped" > "$OUT/counts"
	echo "passed=$passed failed=$failed skipped=$skipped"
	[ "$failed" -eq 0 ]
}

sim_need() {
	if [ ! -f "$SIM_KO" ] || [ ! -x "$SIM_WL" ]; then
		echo "SKIP: $SIM_KO or $SIM_WL missing (make module workload)"
		exit 77
	fi
}

# sim_load [module params]: insmod and set DRI to its debugfs directory.
sim_load() {
	local d
	insmod "$SIM_KO" "$@" || return 1
	DRI=
	for d in /sys/kernel/debug/dri/[0-9]*; do
		if grep -q '^svmsim ' "$d/name" 2>/dev/null; then DRI=$d; break; fi
	done
	[ -n "$DRI" ]
}

sim_reset() {
	echo 1 > "$DRI/gt0/stats" && echo 1 > "$DRI/gt1/stats"
}
