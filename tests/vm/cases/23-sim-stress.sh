#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The whole workload mix at once on the simulated SVM GPU: streaming on
# both GTs, VRAM oversubscription (processes evict each other), munmap
# churn, CPU/GPU atomics contention, fork, several processes and threads,
# all in parallel, twice.  Counts depend on timing here, so only the data
# is checked (every workload verifies what the GPU and the CPU read); the
# kernel must stay free of warnings and lockdep reports (vm-run.sh), and
# the module must unload cleanly afterwards.
# vm-timeout: 900
set -u
. "$SVMTOP_SRC/tests/workload/sim-lib.sh"
sim_need

check "insmod svmsim vram_mb=8" sim_load vram_mb=8 || { sim_counts; exit 1; }

mix() {
	local round=$1 pids=() names=() i rc
	start() { names+=("$1"); shift; "$SIM_WL" "$@" > "$OUT/r$round-${names[-1]}.json" 2> "$OUT/r$round-${names[-1]}.err" & pids+=($!); }
	start stream0 -s 4 -t 1024 stream
	start random1 -g 1 -s 4 -t 1024 random
	start oversub -t 2048 oversub
	start churn -s 2 -n 6 -t 2048 churn
	start contend -n 3 contend
	start fork -s 2 fork
	start multi -s 2 -P 2 -T 2 -t 2048 multi
	start sizes -g 1 sizes
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}"
		rc=$?
		# under contention exact stats expectations do not hold; data must
		grep -v 'GPU faults, expected\|VRAM not all free\|more than VRAM\|other GPU faults\|^$' \
			"$OUT/r$round-${names[$i]}.err" > "$OUT/r$round-${names[$i]}.dataerr"
		check "round $round ${names[$i]}: data right" test ! -s "$OUT/r$round-${names[$i]}.dataerr"
		[ -s "$OUT/r$round-${names[$i]}.dataerr" ] && cat "$OUT/r$round-${names[$i]}.dataerr"
		: "$rc"
	done
}
mix 1
mix 2
check "all VRAM free again" sh -c "python3 - <<'PY'
import fcntl, glob, os, struct
# DRM_IOCTL_SVMSIM_QUERY = DRM_IOWR(0x40, struct drm_svmsim_query: 88 bytes)
req = (3 << 30) | (88 << 16) | (ord('d') << 8) | 0x40
for n in glob.glob('/dev/dri/renderD*'):
    fd = os.open(n, os.O_RDWR)
    try:
        buf = fcntl.ioctl(fd, req, bytes(88))
    except OSError:
        continue
    ver, ngt, size, free = struct.unpack_from('IIQQ', buf)
    raise SystemExit(0 if size == free else 1)
raise SystemExit(1)
PY"
check "rmmod svmsim" rmmod svmsim
sim_counts
