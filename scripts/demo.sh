#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The README's demo: svmtop doing its job without an Intel GPU.
#  1. `svmtop stat` on a recorded debugfs tree of the newest xe layout
#     (a snapshot, said as such: there is no xe device here).
#  2. In a VM with our test kernel: the kernel's own test_hmm device and
#     hmm-tests migrating memory to "device" memory and back, watched live
#     by `svmtop stat --bpf`, per process.
# Builds what it needs first (the test kernel once, ~10 min, then cached).
set -euo pipefail
cd "$(dirname "$0")/.."
O=${O:-build}

banner() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

make -s O="$O" all

banner "1/2  svmtop stat on a recorded xe debugfs tree (tests/fixtures/newest; a snapshot, not a live GPU)"
"$O/svmtop" stat --debugfs tests/fixtures/newest

banner "2/2  svmtop stat --bpf in a VM while the kernel's hmm-tests migrate memory"
echo "(booting the test kernel under qemu/TCG; the first run builds it, ~10 min)"
tests/vm/vm-run.sh --timeout 600 -- scripts/demo-guest.sh
