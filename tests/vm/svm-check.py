#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
#
# Exactness checks of svmtop's SVM backends (tests/vm/cases/40-svm-exact.sh).
#
#   svm-check.py DIR
#
# DIR holds, from one run of a workload mix on the simulated GPU:
#   dump-<backend>.json  last NDJSON line of `svmtop dump --backend B`, for
#                        tp, fentry, kprobe, debugfs, all attached at once
#   wl-*.json            svm-workload's ground truth, one per process
#                        ("pid", "expect": {"gtN": {stat: value}})
#   multi.params         "procs threads faults_per_thread" of the multi run
#   gt0.stats, gt1.stats the kernel's GT stats after the run (zeroed before)
#
# Checks, each printed as "ok"/"FAIL" with the numbers:
#   1. per process: every BPF backend's counters equal the workload's
#      ground truth (faults per GT, atomics, valid, failed, retries,
#      migrations and bytes each way, evictions, GC'd ranges and bytes);
#   2. per backend: totals over processes equal the kernel's GT stats;
#   3. across backends: tp, fentry and kprobe agree per process on
#      everything they all measure; debugfs agrees with tp per device.
# Prints "passed=N failed=N" last; exit 1 when anything failed.
import glob
import json
import os
import sys

BPF = ["tp", "fentry", "kprobe"]
ACC = ["read", "write", "atomic", "prefetch", "rw"]
OUT = ["valid", "migrated", "sysmem", "vram", "error"]
RETRY = ["migrate", "get_pages", "bind_eagain", "vma_split", "gc"]
SIZES = ["4K", "64K", "2M"]

passed = failed = 0


def check(what, got, want):
    global passed, failed
    if got == want:
        passed += 1
        print(f"ok   {what}: {got}")
    else:
        failed += 1
        print(f"FAIL {what}: svmtop {got}, expected {want}")


def last_json(path):
    with open(path) as f:
        lines = [ln for ln in f.read().splitlines() if ln.strip()]
    return json.loads(lines[-1])


def read_stats(path):
    st = {}
    with open(path) as f:
        for line in f:
            name, _, value = line.partition(":")
            st[name.strip()] = int(value)
    return st


def flat(e):
    """The counters of one dump entry as a flat dict."""
    m = e["migrations"]
    d = {
        "faults": e["faults_total"],
        "fault_count": e["fault"]["count"],
        "fault_errors": e["fault"]["errors"],
        "atomic": sum(e["faults"].get("atomic", {}).values()),
        "get_pages": e["get_pages"]["count"],
        "get_pages_errors": e["get_pages"]["errors"],
        "bind": e["bind"]["count"],
        "bind_errors": e["bind"]["errors"],
        "gc_runs": e["gc"]["runs"],
        "gc_ranges": e["gc"]["ranges"],
        "gc_bytes": e["gc"]["bytes"],
        "inval": e["invalidate"]["count"],
        "inval_ranges": e["invalidate"]["ranges"],
        "inval_tlb": e["invalidate"]["tlb"],
    }
    for o in OUT:
        d["out_" + o] = e["outcomes"][o]
    # bound without migrating, from VRAM or system memory: tp reads where
    # the pages are as the fault ends, the function backends as get pages
    # returns; pages evicted in between are "vram" to one, "sysmem" to the
    # other, so only the sum is compared across backends
    d["out_bound"] = d["out_sysmem"] + d["out_vram"]
    for r in RETRY:
        d["retry_" + r] = e["retries"][r]
    d["retries"] = sum(e["retries"].values())
    for dr in ("to_vram", "to_sysmem"):
        for t in ("gpu_fault", "cpu_fault", "eviction", "prefetch"):
            for k in ("count", "bytes"):
                d[f"{dr}_{t}_{k}"] = m[dr][t][k]
    return d


def add(a, b):
    for k, v in b.items():
        a[k] = a.get(k, 0) + v
    return a


def totals(dump, pred=lambda e: True):
    t = {}
    for e in dump["entries"]:
        if pred(e):
            add(t, flat(e))
    return t


def kernel_totals(gts):
    """The kernel's GT stats in flat() terms, summed over GTs."""
    s = {}
    for st in gts.values():
        add(s, st)

    def g(n):
        return s.get(n, 0)

    k = {
        "faults": g("svm_pagefault_count"),
        "atomic": g("svmx_fault_atomic_count"),
        "out_error": g("svmx_fault_failed_count"),
        "out_valid": sum(g(f"svm_{z}_valid_pagefault_count") for z in SIZES),
        "retries": g("svmx_fault_retry_count"),
        "to_vram_gpu_fault_count": sum(g(f"svm_{z}_migrate_count") for z in SIZES),
        "to_vram_gpu_fault_bytes": g("svmx_gpu_fault_migrate_kb") * 1024,
        "to_vram_prefetch_count": g("svmx_prefetch_migrate_count"),
        "to_vram_prefetch_bytes": g("svmx_prefetch_migrate_kb") * 1024,
        "to_sysmem_cpu_fault_count": g("svmx_cpu_fault_migrate_count"),
        "to_sysmem_cpu_fault_bytes": g("svmx_cpu_fault_migrate_kb") * 1024,
        "to_sysmem_eviction_count": g("svmx_evict_count"),
        "to_sysmem_eviction_bytes": g("svmx_evict_kb") * 1024,
        "gc_runs": g("svmx_gc_run_count"),
        "gc_ranges": g("svmx_gc_range_count"),
        "gc_bytes": g("svmx_gc_kb") * 1024,
        "get_pages": g("svmx_get_pages_count"),
        "bind": g("svmx_bind_count"),
        "inval": g("svmx_invalidate_count"),
        "inval_ranges": g("svmx_invalidate_range_count"),
        "inval_tlb": g("svm_tlb_inval_count"),
    }
    # svmtop says "bind_eagain" where the stats file says "bind".
    for r in RETRY:
        stat = "bind" if r == "bind_eagain" else r
        k["retry_" + r] = g(f"svmx_retry_{stat}_count")
    return k


# ground-truth stat name -> (flat counter, scale)
TRUTH = {
    "svmx_fault_atomic_count": ("atomic", 1),
    "svmx_fault_failed_count": ("out_error", 1),
    "svmx_fault_retry_count": ("retries", 1),
    "svmx_gpu_fault_migrate_kb": ("to_vram_gpu_fault_bytes", 1024),
    "svmx_prefetch_migrate_count": ("to_vram_prefetch_count", 1),
    "svmx_prefetch_migrate_kb": ("to_vram_prefetch_bytes", 1024),
    "svmx_cpu_fault_migrate_count": ("to_sysmem_cpu_fault_count", 1),
    "svmx_cpu_fault_migrate_kb": ("to_sysmem_cpu_fault_bytes", 1024),
    "svmx_evict_count": ("to_sysmem_eviction_count", 1),
    "svmx_evict_kb": ("to_sysmem_eviction_bytes", 1024),
    "svmx_gc_range_count": ("gc_ranges", 1),
    "svmx_gc_kb": ("gc_bytes", 1024),
}

# counters every BPF backend measures the same way
SAME = (["faults", "fault_count", "fault_errors", "atomic", "retries",
         "get_pages", "get_pages_errors", "bind", "bind_errors",
         "gc_runs", "gc_ranges", "gc_bytes"]
        + ["out_" + o for o in ("valid", "migrated", "error", "bound")]
        + ["retry_" + r for r in RETRY]
        + [f"{d}_{t}_{k}" for d, t in (("to_vram", "gpu_fault"),
                                        ("to_vram", "prefetch"),
                                        ("to_sysmem", "cpu_fault"),
                                        ("to_sysmem", "eviction"))
           for k in ("count", "bytes")])
# ... and what the kernel's stats count the same way
KERNEL = [k for k in SAME if not k.startswith(("fault_", "get_pages_e",
                                               "bind_e"))
          and k not in ("out_migrated", "out_bound")]


# SVM_CHECK_RACY_EVICTIONS=1 (case 43, the parallel mix only): fentry and
# kprobe count drm_pagemap_evict_to_ram calls, and under contention an
# eviction can race a CPU fault on the same pages and move fewer (or
# other) pages than the call saw; the tracepoint and the kernel's stats
# count what moved.  Known gap, open in issue 4; case 40 keeps it exact.
RACY_EVICT = os.environ.get("SVM_CHECK_RACY_EVICTIONS") == "1"


def racy(backend, key):
    return (RACY_EVICT and backend in ("fentry", "kprobe")
            and key.startswith("to_sysmem_eviction_"))


def truth_of(wl):
    """Expected per-process counters from one workload's "expect"."""
    want, per_gt = {}, {}
    for gt, exp in wl.get("expect", {}).items():
        g = int(gt[2:])
        for name, v in exp.items():
            if name == "svm_pagefault_count":
                per_gt[g] = per_gt.get(g, 0) + v
                want["faults"] = want.get("faults", 0) + v
            elif name in TRUTH:
                key, scale = TRUTH[name]
                want[key] = want.get(key, 0) + v * scale
            elif name.endswith("_valid_pagefault_count"):
                want["out_valid"] = want.get("out_valid", 0) + v
            elif name.startswith("svm_") and name.endswith("_migrate_count") \
                    and name[4:-14] in SIZES:
                key = "to_vram_gpu_fault_count"
                want[key] = want.get(key, 0) + v
    return want, per_gt


def main():
    d = sys.argv[1]
    dumps = {}
    for b in BPF + ["debugfs"]:
        p = os.path.join(d, f"dump-{b}.json")
        if os.path.exists(p) and os.path.getsize(p):
            dumps[b] = last_json(p)
            check(f"{b}: dump read, backend {dumps[b]['backend']}",
                  dumps[b]["backend"], b)
        else:
            check(f"{b}: dump present", False, True)
    gts = {g: read_stats(os.path.join(d, f"gt{g}.stats")) for g in (0, 1)}
    kern = kernel_totals(gts)

    wls = []
    for p in sorted(glob.glob(os.path.join(d, "wl-*.json"))):
        wl = last_json(p)
        wl["name"] = os.path.basename(p)[3:-5]
        wls.append(wl)
    known = {wl["pid"] for wl in wls}

    # 1. per process against the workload's ground truth
    for b in BPF:
        if b not in dumps:
            continue
        dump = dumps[b]
        check(f"{b}: no events lost or overflowed",
              (dump["health"]["key_lost"], dump["health"]["key_overflow"],
               dump["health"]["state_full"]), (0, 0, 0))
        for wl in wls:
            if wl["scenario"] in ("multi", "retry"):
                continue
            want, per_gt = truth_of(wl)
            got = totals(dump, lambda e: e["tgid"] == wl["pid"])
            for key in sorted(want):
                check(f"{b}: {wl['name']} (pid {wl['pid']}) {key}",
                      got.get(key, 0), want[key])
            for g, v in sorted(per_gt.items()):
                gotg = totals(dump, lambda e: e["tgid"] == wl["pid"]
                              and e["gt"] == g)
                check(f"{b}: {wl['name']} faults on gt{g}",
                      gotg.get("faults", 0), v)
            comm = {e["comm"] for e in dump["entries"] if e["tgid"] == wl["pid"]}
            check(f"{b}: {wl['name']} comm", comm, {"svm-workload"})
        # multi: its children are the processes no JSON names
        multi = [wl for wl in wls if wl["scenario"] == "multi"]
        if multi:
            with open(os.path.join(d, "multi.params")) as f:
                procs, threads, per_thread = map(int, f.read().split())
            kids = sorted({e["tgid"] for e in dump["entries"]
                           if e["tgid"] not in known})
            check(f"{b}: multi: one entry per child process", len(kids), procs)
            for t in kids:
                got = totals(dump, lambda e: e["tgid"] == t)
                check(f"{b}: multi child {t} faults", got.get("faults", 0),
                      threads * per_thread)
                check(f"{b}: multi child {t} CPU-fault migrations back",
                      got.get("to_sysmem_cpu_fault_count", 0),
                      threads * per_thread)
                check(f"{b}: multi child {t} GC'd ranges",
                      got.get("gc_ranges", 0), threads * per_thread)
            want, _ = truth_of(multi[0])
            got = totals(dump, lambda e: e["tgid"] in kids)
            for key in sorted(want):
                check(f"{b}: multi children together {key}",
                      got.get(key, 0), want[key])
        retry = [wl for wl in wls if wl["scenario"] == "retry"]
        for wl in retry:
            got = totals(dump, lambda e: e["tgid"] == wl["pid"])
            check(f"{b}: retry (pid {wl['pid']}) saw retries",
                  got.get("retries", 0) > 0, True)

    # 2. per backend, totals against the kernel's GT stats
    for b in BPF:
        if b not in dumps:
            continue
        got = totals(dumps[b])
        for key in KERNEL:
            if racy(b, key):
                continue
            check(f"{b}: total {key} = kernel stats", got.get(key, 0),
                  kern.get(key, 0))
        for g in (0, 1):
            gotg = totals(dumps[b], lambda e: e["gt"] == g)
            check(f"{b}: gt{g} faults = kernel svm_pagefault_count",
                  gotg.get("faults", 0), gts[g].get("svm_pagefault_count", 0))
    if "tp" in dumps:
        got = totals(dumps["tp"])
        for key in ("inval", "inval_ranges", "inval_tlb"):
            check(f"tp: total {key} = kernel stats", got.get(key, 0), kern[key])

    # 3. across backends, per process
    tgids = set()
    for b in BPF:
        if b in dumps:
            tgids |= {e["tgid"] for e in dumps[b]["entries"]}
    for t in sorted(tgids):
        per = {b: totals(dumps[b], lambda e: e["tgid"] == t)
               for b in BPF if b in dumps}
        for key in SAME:
            vals = {b: per[b].get(key, 0) for b in per if not racy(b, key)}
            if not any(vals.values()):
                continue
            ref = vals.get("tp", next(iter(vals.values())))
            check(f"agree: pid {t} {key} " +
                  " ".join(f"{b}={v}" for b, v in vals.items()),
                  set(vals.values()), {ref})
    if "debugfs" in dumps and "tp" in dumps:
        dt, tt = totals(dumps["debugfs"]), totals(dumps["tp"])
        # debugfs knows atomics only as a total, not per outcome
        for key in [k for k in KERNEL if k != "atomic"] + \
                ["inval", "inval_ranges", "inval_tlb"]:
            check(f"agree: device {key} debugfs={dt.get(key, 0)} "
                  f"tp={tt.get(key, 0)}", dt.get(key, 0), tt.get(key, 0))

    print(f"passed={passed} failed={failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
