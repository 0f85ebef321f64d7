#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The benchmark's workload on the simulated GPU (svmsim loaded): GPU
# faults that migrate, CPU faults that migrate back, munmap churn for the
# garbage collector, atomics.  Output is thrown away; exit status 0 when
# every scenario's data was right.
set -u
WL=${SIM_WL:-$SVMTOP_BUILD/tests/workload/svm-workload}
rc=0
"$WL" -t 4096 -s 8 stream > /dev/null 2>&1 || rc=1
"$WL" -t 4096 -s 2 -n 3 churn > /dev/null 2>&1 || rc=1
"$WL" -t 4096 -s 4 -g 1 atomic > /dev/null 2>&1 || rc=1
exit $rc
