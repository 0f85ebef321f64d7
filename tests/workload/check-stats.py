#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Compare svm-workload's ground truth with the kernel's GT stats.
#   check-stats.py DRI_DIR JSON_FILE
# DRI_DIR is /sys/kernel/debug/dri/<minor> of svmsim; JSON_FILE holds the
# workload's output line, whose "expect" maps gtN -> {stat: value}.  The
# stats must have been zeroed before the workload ran.  Every expected value
# must match exactly.  Prints one line per mismatch and "passed=N failed=N"
# at the end; exit 1 when anything differs.
import json
import sys


def read_stats(path):
    stats = {}
    with open(path) as f:
        for line in f:
            name, _, value = line.partition(":")
            stats[name.strip()] = int(value)
    return stats


def main():
    dri, jfile = sys.argv[1], sys.argv[2]
    with open(jfile) as f:
        truth = json.loads(f.read().strip().splitlines()[-1])
    passed = failed = 0
    for gt, expect in sorted(truth.get("expect", {}).items()):
        stats = read_stats(f"{dri}/{gt}/stats")
        for name, want in sorted(expect.items()):
            got = stats.get(name)
            if got == want:
                passed += 1
            else:
                failed += 1
                print(f"{truth['scenario']}: {gt}/{name} = {got}, ground truth {want}")
    print(f"passed={passed} failed={failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
