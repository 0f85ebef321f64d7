#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`svmtop export` on the simulated SVM GPU's real debugfs (31-export-sim.sh).

usage: vm_sim.py URL SVMTOP WORKLOAD DRI OUT

The exporter opened the GT stats files once (before dropping privileges)
and re-reads them with pread() from offset 0; on a real debugfs seq_file
that must see every change: zero after a reset, the workload's counts
after it ran, and byte-for-byte the same Prometheus samples as
`svmtop stat --prom` reading the files afresh.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

URL, SVMTOP, WL, DRI, OUT = sys.argv[1:6]
passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}{': ' + str(detail)[:800] if detail else ''}")
    sys.stdout.flush()
    return cond


def scrape():
    time.sleep(0.6)     # two collections (-i 0.25) after whatever came before
    return urllib.request.urlopen(URL, timeout=10).read().decode()


def val(body, fam, gt):
    m = re.search(rf'^{fam}\{{[^}}]*driver="svmsim"[^}}]*gt="{gt}"\}} (\S+)$', body, re.M)
    return float(m.group(1)) if m else None


def reset():
    for g in (0, 1):
        with open(f"{DRI}/gt{g}/stats", "w") as f:
            f.write("1")


reset()
b = scrape()
check("collectors gt and hmm up", 'svmtop_collector_up{collector="gt"} 1' in b and
      'svmtop_collector_up{collector="hmm"} 1' in b)
check("after a reset: svm faults 0 on gt0 and gt1",
      val(b, "svmtop_gt_svm_pagefaults_handled_total", 0) == 0 and
      val(b, "svmtop_gt_svm_pagefaults_handled_total", 1) == 0)
t0 = time.time()
r = subprocess.run([WL, "-s", "8", "stream"], capture_output=True, text=True, timeout=300)
check(f"svm-workload stream ({time.time() - t0:.1f} s)", r.returncode == 0, r.stderr[-300:])
b = scrape()
s = subprocess.run([SVMTOP, "stat", "--prom"], capture_output=True, text=True, timeout=60)
want = [l for l in s.stdout.splitlines() if l.startswith("svmtop_gt_")]
missing = [l for l in want if l not in b.splitlines()]
with open(os.path.join(OUT, "export-after.prom"), "w") as f:
    f.write(b)
with open(os.path.join(OUT, "stat-after.prom"), "w") as f:
    f.write(s.stdout)
check(f"every svmtop_gt_ sample of stat --prom ({len(want)}) is in the scrape, same value",
      len(want) >= 40 and not missing, missing[:5])
n0 = val(b, "svmtop_gt_svm_pagefaults_handled_total", 0)
truth = json.loads(r.stdout.strip().splitlines()[-1]).get("expect", {})
want0 = truth.get("gt0", {}).get("svm_pagefault_count")
check(f"the re-read (pread on the kept fd) sees the workload: gt0 faults {n0}, "
      f"ground truth {want0}", n0 and want0 and n0 == want0)
reset()
b = scrape()
check("reset while serving: the next collection reads 0 again",
      val(b, "svmtop_gt_svm_pagefaults_handled_total", 0) == 0)
hm = re.search(r'^svmtop_hmm_migrations_total\{direction="to_device"\} (\S+)$', b, re.M)
check("the HMM collector saw svmsim's migrations to the device",
      hm and float(hm.group(1)) > 0, hm and hm.group(0))
print(f"passed={passed} failed={failed} skipped=0")
sys.exit(1 if failed else 0)
