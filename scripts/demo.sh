#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The README's demo: svmtop doing its job without an Intel GPU.
#  1. `svmtop stat` on a recorded debugfs tree of the newest xe layout
#     (a snapshot, said as such: there is no xe device here).
#  2. In a VM with our test kernel: the simulated SVM GPU (svmsim) under a
#     workload mix, watched by svmtop (GT stats, BPF totals, histograms),
#     then the kernel's own test_hmm device and hmm-tests watched by the
#     vendor-neutral HMM backend.
# Builds what it needs first (the test kernel once, then cached).
set -euo pipefail
cd "$(dirname "$0")/.."
O=${O:-build}

banner() { printf '\n== %s\n' "$*"; }

make -s O="$O" all

banner "1/2  svmtop stat on a recorded xe debugfs tree (tests/fixtures/newest; a snapshot, not a live GPU)"
"$O/svmtop" stat --debugfs tests/fixtures/newest

banner "2/2  svmtop in a VM: the simulated SVM GPU, then the kernel's test_hmm"
echo "(the first run builds the test kernel from linux-source-6.12: 15+ min; then cached)"
make -s O="$O" module workload
tests/vm/vm-run.sh --timeout 900 -- scripts/demo-guest.sh
