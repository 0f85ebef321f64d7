#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Exact checks of `svmtop export`'s svm collector against the kernel.

    svm_expo_check.py EXPOSITION [PER_PROCESS_N]

EXPOSITION is one text-format exposition of `svmtop export --collectors
gt,hmm,svm`, taken on svmsim after the workload went quiet, with the
exporter started right after insmod (so the BPF counters and the kernel's
GT stats count the same events).  The svm families (tp backend) must equal
the kernel's own counters in the gt families (svmsim's svmx_* extension
stats come as svmtop_gt_stat{name=...}) exactly, summed over GTs (the
kernel charges device-wide work to GT 0, svmtop to gt="none"); per GT for
faults.  Histograms: le = 2^(k+1) ns, cumulative, +Inf == _count, fault
_count == faults.  Used by tests/vm/cases/70-dash-data.sh; runs on the
host on the kept capture too (tests/dashboards/build.mk).
"""
import re
import sys

path = sys.argv[1]
nproc = int(sys.argv[2]) if len(sys.argv) > 2 else 5
passed = failed = 0


def check(name, got, want):
    global passed, failed
    if got == want:
        passed += 1
        print(f"ok   {name} ({got})")
    else:
        failed += 1
        print(f"FAIL {name}: got {got}, want {want}")


S = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
L = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
samples = []
types = {}
for ln in open(path):
    ln = ln.rstrip("\n")
    if ln.startswith("# TYPE "):
        _, _, n, t = ln.split(" ", 3)
        types[n] = t
    if not ln or ln.startswith("#"):
        continue
    m = S.match(ln)
    samples.append((m.group(1), dict(L.findall(m.group(2) or "")), float(m.group(3))))


def total(family, **want):
    return sum(v for n, l, v in samples
               if n == family and all(l.get(k) == x for k, x in want.items()))


def kstat(name):
    return total("svmtop_gt_stat", name=name)


def i(x):
    return int(round(x))


check("svm collector up", total("svmtop_collector_up", collector="svm"), 1)
check("svm backend tp", total("svmtop_svm_backend_info", backend="tp"), 1)
probes = [(l["probe"], v) for n, l, v in samples
          if n == "svmtop_probe_attached" and l.get("collector") == "svm"]
check("svm probes reported, all attached", (len(probes) > 0, all(v == 1 for _, v in probes)),
      (True, True))
check("svm events lost", total("svmtop_events_lost_total", collector="svm"), 0)
for k in ("key_overflow", "key_lost", "state_full", "orphan_return", "unattributed"):
    check(f"svm backend problems {k}", total("svmtop_svm_backend_problems_total", kind=k), 0)

F = "svmtop_svm_faults_total"
faults = total(F)
check("faults > 0 (the workload ran)", faults > 0, True)
check("faults = kernel svm_pagefault_count", i(faults),
      i(total("svmtop_gt_svm_pagefaults_handled_total")))
for gt in sorted({l["gt"] for n, l, v in samples if n == F}):
    check(f"gt {gt}: faults = kernel", i(total(F, gt=gt)),
          i(total("svmtop_gt_svm_pagefaults_handled_total", gt=gt)))
check("atomic faults = kernel", i(total(F, access="atomic")), i(kstat("svmx_fault_atomic_count")))
check("failed faults = kernel", i(total(F, outcome="error")), i(kstat("svmx_fault_failed_count")))
check("already-valid faults = kernel", i(total(F, outcome="valid")),
      i(total("svmtop_gt_svm_valid_pagefaults_total")))
check("retries = kernel", i(total("svmtop_svm_retries_total")), i(kstat("svmx_fault_retry_count")))
for r, k in (("migrate", "migrate"), ("get_pages", "get_pages"), ("bind_eagain", "bind"),
             ("vma_split", "vma_split"), ("gc", "gc")):
    check(f"retries {r} = kernel svmx_retry_{k}_count",
          i(total("svmtop_svm_retries_total", reason=r)), i(kstat(f"svmx_retry_{k}_count")))
reasons = {l["reason"] for n, l, v in samples if n == "svmtop_svm_retries_total"}
check("retry reasons", sorted(reasons), sorted(["migrate", "get_pages", "bind_eagain",
                                                "vma_split", "gc"]))
MC, MB = "svmtop_svm_migrations_total", "svmtop_svm_migrated_bytes_total"
check("to_vram gpu_fault migrations = kernel svm_*_migrate_count",
      i(total(MC, direction="to_vram", trigger="gpu_fault")), i(total("svmtop_gt_svm_migrations_total")))
for d, t, stat in (("to_vram", "gpu_fault", "svmx_gpu_fault_migrate"),
                   ("to_vram", "prefetch", "svmx_prefetch_migrate"),
                   ("to_sysmem", "cpu_fault", "svmx_cpu_fault_migrate"),
                   ("to_sysmem", "eviction", "svmx_evict")):
    check(f"{d} {t} bytes = kernel {stat}_kb * 1024", i(total(MB, direction=d, trigger=t)),
          i(kstat(stat + "_kb")) * 1024)
    if t != "gpu_fault":
        check(f"{d} {t} migrations = kernel", i(total(MC, direction=d, trigger=t)),
              i(kstat(stat + "_count")))
check("failed migrations = kernel", i(total("svmtop_svm_migration_failures_total")),
      i(kstat("svmx_migrate_failed_count")))
check("gc runs = kernel", i(total("svmtop_svm_gc_runs_total")), i(kstat("svmx_gc_run_count")))
check("gc ranges = kernel", i(total("svmtop_svm_gc_ranges_total")), i(kstat("svmx_gc_range_count")))
check("gc bytes = kernel", i(total("svmtop_svm_gc_bytes_total")), i(kstat("svmx_gc_kb")) * 1024)
check("invalidations = kernel", i(total("svmtop_svm_invalidations_total")),
      i(kstat("svmx_invalidate_count")))
check("invalidated ranges = kernel", i(total("svmtop_svm_invalidated_ranges_total")),
      i(kstat("svmx_invalidate_range_count")))
check("TLB invalidations = kernel", i(total("svmtop_svm_tlb_invalidations_total")),
      i(total("svmtop_gt_svm_tlb_invalidations_total")))
check("get_pages _count = kernel", i(total("svmtop_svm_get_pages_latency_seconds_count")),
      i(kstat("svmx_get_pages_count")))
check("bind _count = kernel", i(total("svmtop_svm_bind_latency_seconds_count")),
      i(kstat("svmx_bind_count")))
check("fault latency _count = faults", i(total("svmtop_svm_fault_latency_seconds_count")), i(faults))

# histograms: le = 2^(k+1) ns, cumulative, +Inf == _count
want_le = [f"{(2 << k) / 1e9:.9f}".rstrip("0").rstrip(".") for k in range(31)] + ["+Inf"]
hists = [n for n, t in types.items() if t == "histogram" and n.startswith("svmtop_svm_")]
check("histogram families", sorted(hists), sorted([
    "svmtop_svm_fault_latency_seconds", "svmtop_svm_migration_latency_seconds",
    "svmtop_svm_get_pages_latency_seconds", "svmtop_svm_bind_latency_seconds"]))
bad = []
nh = 0
for h in hists:
    series = {}
    for n, l, v in samples:
        if n == h + "_bucket":
            key = tuple(sorted((k, x) for k, x in l.items() if k != "le"))
            series.setdefault(key, []).append((l["le"], v))
    for key, b in series.items():
        nh += 1
        les = [le for le, _ in b]
        vals = [v for _, v in b]
        cnt = total(h + "_count", **dict(key))
        if les != want_le or vals != sorted(vals) or vals[-1] != cnt:
            bad.append((h, key, les[:3], vals[-1], cnt))
check(f"{nh} histograms: le = 2^(k+1) ns, cumulative, +Inf == _count", bad, [])

procs = [(l["pid"], v) for n, l, v in samples if n == "svmtop_svm_process_faults_total"]
check(f"per-process series: 1..{nproc} processes", 1 <= len(procs) <= nproc, True)
check("per-process faults in descending order, each <= total",
      ([v for _, v in procs] == sorted([v for _, v in procs], reverse=True),
       all(v <= faults for _, v in procs)), (True, True))
print(f"passed={passed} failed={failed}")
sys.exit(1 if failed else 0)
