#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Writes dashboards/svmtop.json, the Grafana dashboard (schemaVersion 39).

The JSON is generated so that every panel follows the same rules (the
datasource variable, the instance/device/gt filters, $__rate_interval);
edit this file, run it, commit both (tests/dashboards checks they agree):

    python3 dashboards/gen-dashboard.py > dashboards/svmtop.json
"""
import json
import sys

DS = {"type": "prometheus", "uid": "${datasource}"}
# filters: faults are per GT; device-wide work (GC, invalidations,
# CPU-fault and eviction migrations) is gt="none" and filtered by device
F_GT = 'instance=~"$instance",device=~"$device",gt=~"$gt"'
F_DEV = 'instance=~"$instance",device=~"$device"'
F_INST = 'instance=~"$instance"'
RI = "$__rate_interval"

panels = []
_id = [0]
_y = [0]


def row(title, collapsed=False):
    _id[0] += 1
    panels.append({"type": "row", "id": _id[0], "title": title,
                   "collapsed": collapsed, "panels": [],
                   "gridPos": {"h": 1, "w": 24, "x": 0, "y": _y[0]}})
    _y[0] += 1


_x = [0]


def panel(title, targets, unit="short", kind="timeseries", w=8, h=8,
          desc="", stack=False, extra=None):
    """targets: list of (expr, legendFormat) or dicts."""
    _id[0] += 1
    if _x[0] + w > 24:
        _x[0] = 0
        _y[0] += h
    p = {
        "type": kind, "id": _id[0], "title": title, "description": desc,
        "datasource": DS,
        "gridPos": {"h": h, "w": w, "x": _x[0], "y": _y[0]},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {},
        "targets": [],
    }
    if kind == "timeseries":
        p["fieldConfig"]["defaults"]["custom"] = {
            "drawStyle": "line", "lineWidth": 1, "fillOpacity": 10,
            "stacking": {"mode": "normal" if stack else "none"},
            "spanNulls": False}
        p["options"] = {"legend": {"displayMode": "table",
                                   "placement": "bottom",
                                   "calcs": ["mean", "max"]},
                        "tooltip": {"mode": "multi"}}
    for i, t in enumerate(targets):
        if isinstance(t, tuple):
            t = {"expr": t[0], "legendFormat": t[1]}
        t = dict(t)
        t.setdefault("datasource", DS)
        t.setdefault("refId", chr(ord("A") + i))
        t.setdefault("range", kind not in ("table", "stat", "bargauge"))
        t.setdefault("instant", kind in ("table", "stat", "bargauge"))
        p["targets"].append(t)
    if extra:
        p.update(extra)
    panels.append(p)
    _x[0] += w
    if _x[0] >= 24:
        _x[0] = 0
        _y[0] += h


def newrow(title):
    if _x[0]:
        _x[0] = 0
        _y[0] += 8
    row(title)


# ---- faults ---------------------------------------------------------------
newrow("GPU faults (SVM collector: BPF)")
panel("Fault rate per GT",
      [(f'sum by (device, gt) (rate(svmtop_svm_faults_total{{{F_GT}}}[{RI}]))',
        "{{device}} gt{{gt}}")], "ops",
      desc="GPU faults handled per second (one per handler call, retries not counted again).")
panel("Faults by outcome",
      [(f'sum by (outcome) (rate(svmtop_svm_faults_total{{{F_GT}}}[{RI}]))',
        "{{outcome}}")], "ops", stack=True,
      desc="valid: already valid, nothing to do; migrated: moved to VRAM; sysmem/vram: bound where the pages were; error: the handler failed.")
panel("Faults by access",
      [(f'sum by (access) (rate(svmtop_svm_faults_total{{{F_GT}}}[{RI}]))',
        "{{access}}")], "ops", stack=True,
      desc="rw: read or write, when the backend cannot tell them apart (fentry, kprobe).")
panel("Fault latency heatmap",
      [{"expr": f'sum by (le) (rate(svmtop_svm_fault_latency_seconds_bucket{{{F_GT}}}[{RI}]))',
        "legendFormat": "{{le}}", "format": "heatmap"}], "s", kind="heatmap",
      w=12, desc="Faults per second in each log2 latency bucket (le = the bucket's upper bound).",
      extra={"options": {"calculate": False, "yAxis": {"unit": "s"},
                         "color": {"scheme": "Oranges", "mode": "scheme"},
                         "cellGap": 1, "tooltip": {"show": True}}})
panel("Fault latency p50 / p99",
      [(f'histogram_quantile(0.5, sum by (device, gt, le) (rate(svmtop_svm_fault_latency_seconds_bucket{{{F_GT}}}[{RI}])))',
        "p50 {{device}} gt{{gt}}"),
       (f'histogram_quantile(0.99, sum by (device, gt, le) (rate(svmtop_svm_fault_latency_seconds_bucket{{{F_GT}}}[{RI}])))',
        "p99 {{device}} gt{{gt}}")], "s", w=12,
      desc="Upper bounds of log2 buckets: at most 2x above the true value, never below it.")
panel("Already-valid faults",
      [(f'sum by (device, gt) (rate(svmtop_svm_faults_total{{{F_GT},outcome="valid"}}[{RI}])) / sum by (device, gt) (rate(svmtop_svm_faults_total{{{F_GT}}}[{RI}]))',
        "{{device}} gt{{gt}}")], "percentunit",
      desc="Share of faults that found the range valid already (another thread or GT got there first).")
panel("Retries by reason",
      [(f'sum by (reason) (rate(svmtop_svm_retries_total{{{F_GT}}}[{RI}]))',
        "{{reason}}")], "ops", stack=True,
      desc="Passes of the fault handler's retry loop, by the step that failed before it.")
panel("Handler steps: get pages / bind p99",
      [(f'histogram_quantile(0.99, sum by (le) (rate(svmtop_svm_get_pages_latency_seconds_bucket{{{F_GT}}}[{RI}])))',
        "get pages p99"),
       (f'histogram_quantile(0.99, sum by (le) (rate(svmtop_svm_bind_latency_seconds_bucket{{{F_GT}}}[{RI}])))',
        "bind p99")], "s")

# ---- migrations -------------------------------------------------------------
newrow("Migrations, garbage collector, invalidations")
panel("Migration throughput by direction",
      [(f'sum by (direction) (rate(svmtop_svm_migrated_bytes_total{{{F_DEV}}}[{RI}]))',
        "{{direction}}")], "Bps", w=12,
      desc="Bytes per second moved to VRAM and back to system memory, every trigger.")
panel("Migrations by trigger",
      [(f'sum by (direction, trigger) (rate(svmtop_svm_migrations_total{{{F_DEV}}}[{RI}]))',
        "{{direction}} {{trigger}}")], "ops", w=12,
      desc="gpu_fault, cpu_fault (CPU touched VRAM pages), eviction, prefetch.")
panel("Migration latency p99",
      [(f'histogram_quantile(0.99, sum by (direction, le) (rate(svmtop_svm_migration_latency_seconds_bucket{{{F_DEV}}}[{RI}])))',
        "{{direction}}")], "s")
panel("Evictions",
      [(f'sum by (device) (rate(svmtop_svm_migrated_bytes_total{{{F_DEV},trigger="eviction"}}[{RI}]))',
        "{{device}} bytes/s")], "Bps",
      desc="VRAM pressure: bytes evicted from VRAM to system memory.")
panel("Failed migrations",
      [(f'sum by (direction, trigger) (rate(svmtop_svm_migration_failures_total{{{F_DEV}}}[{RI}]))',
        "{{direction}} {{trigger}}")], "ops")
panel("Garbage collector",
      [(f'sum by (device) (rate(svmtop_svm_gc_runs_total{{{F_DEV}}}[{RI}]))',
        "runs/s {{device}}"),
       (f'sum by (device) (rate(svmtop_svm_gc_ranges_total{{{F_DEV}}}[{RI}]))',
        "ranges/s {{device}}")], "ops",
      desc="Runs that removed at least one range, and ranges removed (unmapped by the application).")
panel("Garbage collector bytes",
      [(f'sum by (device) (rate(svmtop_svm_gc_bytes_total{{{F_DEV}}}[{RI}]))',
        "{{device}}")], "Bps")
panel("Invalidations",
      [(f'sum by (device) (rate(svmtop_svm_invalidations_total{{{F_DEV}}}[{RI}]))',
        "callbacks/s {{device}}"),
       (f'sum by (device) (rate(svmtop_svm_invalidated_ranges_total{{{F_DEV}}}[{RI}]))',
        "ranges/s {{device}}")], "ops",
      desc="MMU-notifier callbacks that hit SVM ranges (munmap, migration back, fork...).")

# ---- processes ----------------------------------------------------------------
newrow("Top processes (export --per-process)")
panel("Top processes by fault rate",
      [{"expr": f'topk(10, sum by (pid, comm) (rate(svmtop_svm_process_faults_total{{{F_INST}}}[{RI}])))',
        "legendFormat": "{{pid}} {{comm}}", "format": "table"}], "ops",
      kind="table", w=12,
      desc="Only with svmtop export --per-process[=N] (PID labels are opt-in).")
panel("Top processes by bytes migrated",
      [{"expr": f'topk(10, sum by (pid, comm, direction) (rate(svmtop_svm_process_migrated_bytes_total{{{F_INST}}}[{RI}])))',
        "legendFormat": "{{pid}} {{comm}} {{direction}}", "format": "table"}],
      "Bps", kind="table", w=12)
panel("Fault rate of the busiest processes",
      [(f'topk(5, sum by (pid, comm) (rate(svmtop_svm_process_faults_total{{{F_INST}}}[{RI}])))',
        "{{pid}} {{comm}}")], "ops", w=12)
panel("Average fault time of the busiest processes",
      [(f'sum by (pid, comm) (rate(svmtop_svm_process_fault_seconds_total{{{F_INST}}}[{RI}])) / sum by (pid, comm) (rate(svmtop_svm_process_faults_total{{{F_INST}}}[{RI}]))',
        "{{pid}} {{comm}}")], "s", w=12)

# ---- GT stats ---------------------------------------------------------------
newrow("Kernel GT stats (no BPF needed)")
panel("SVM page faults by page size",
      [(f'sum by (device, gt, page_size) (rate(svmtop_gt_svm_pagefaults_total{{{F_GT}}}[{RI}]))',
        "{{device}} gt{{gt}} {{page_size}}")], "ops",
      desc="The kernel's own counters (xe GT stats in debugfs): svm_*_pagefault_count.")
panel("Average fault time by page size",
      [(f'sum by (device, gt, page_size) (rate(svmtop_gt_svm_pagefault_seconds_total{{{F_GT}}}[{RI}])) / sum by (device, gt, page_size) (rate(svmtop_gt_svm_pagefaults_total{{{F_GT}}}[{RI}]))',
        "{{device}} gt{{gt}} {{page_size}}")], "s")
panel("Copy throughput",
      [(f'sum by (device, gt, direction) (rate(svmtop_gt_svm_copy_bytes_total{{{F_GT}}}[{RI}]))',
        "{{device}} gt{{gt}} {{direction}}")], "Bps")
panel("Valid faults (GT stats)",
      [(f'sum by (device, gt) (rate(svmtop_gt_svm_valid_pagefaults_total{{{F_GT}}}[{RI}]))',
        "{{device}} gt{{gt}}")], "ops")
panel("Migrations by page size (GT stats)",
      [(f'sum by (device, gt, page_size) (rate(svmtop_gt_svm_migrations_total{{{F_GT}}}[{RI}]))',
        "{{device}} gt{{gt}} {{page_size}}")], "ops")
panel("TLB invalidations (GT stats)",
      [(f'sum by (device, gt) (rate(svmtop_gt_tlb_invalidations_total{{{F_GT}}}[{RI}]))',
        "{{device}} gt{{gt}}")], "ops")

# ---- health -------------------------------------------------------------------
newrow("svmtop health")
panel("Collectors up",
      [(f'svmtop_collector_up{{{F_INST}}}', "{{instance}} {{collector}}")],
      kind="stat", w=6,
      desc="0: the source is missing or its last read failed; its families are then absent, not zero.",
      extra={"options": {"colorMode": "background", "graphMode": "none",
                         "reduceOptions": {"calcs": ["lastNotNull"]}},
             "fieldConfig": {"defaults": {"unit": "short", "thresholds": {
                 "mode": "absolute", "steps": [{"color": "red", "value": None},
                                               {"color": "green", "value": 1}]}},
                 "overrides": []}})
panel("Exporter scraped",
      [(f'up{{{F_INST},job=~"$job"}}', "{{instance}}")], kind="stat", w=6,
      extra={"options": {"colorMode": "background", "graphMode": "none",
                         "reduceOptions": {"calcs": ["lastNotNull"]}},
             "fieldConfig": {"defaults": {"unit": "short", "thresholds": {
                 "mode": "absolute", "steps": [{"color": "red", "value": None},
                                               {"color": "green", "value": 1}]}},
                 "overrides": []}})
panel("Probes not attached",
      [(f'count by (instance, collector) (svmtop_probe_attached{{{F_INST}}} == 0) or count by (instance, collector) (svmtop_probe_attached{{{F_INST}}}) * 0',
        "{{instance}} {{collector}}")], kind="stat", w=6,
      desc="Probes of the running backends that are not attached: what they count stays 0.")
panel("SVM backend",
      [{"expr": f'svmtop_svm_backend_info{{{F_INST}}}', "legendFormat": "{{instance}} {{backend}}",
        "format": "table"}], kind="table", w=6)
panel("Lost / overflowed events",
      [(f'sum by (instance, collector) (rate(svmtop_events_lost_total{{{F_INST}}}[{RI}]))',
        "lost {{instance}} {{collector}}"),
       (f'sum by (instance, collector) (rate(svmtop_map_overflow_total{{{F_INST}}}[{RI}]))',
        "overflow {{instance}} {{collector}}")], "ops",
      desc="Events the BPF collectors could not count, or counted in the shared overflow entry.")
panel("Collector read duration",
      [(f'svmtop_scrape_duration_seconds{{{F_INST}}}', "{{instance}} {{collector}}")], "s")
panel("Problems by kind",
      [(f'sum by (instance, kind) (rate(svmtop_svm_backend_problems_total{{{F_INST}}}[{RI}]))',
        "{{instance}} {{kind}}")], "ops")


def var(name, label, query, multi=True, hide=0):
    return {
        "name": name, "label": label, "type": "query", "datasource": DS,
        "query": {"query": query, "refId": f"{name}-var"},
        "definition": query, "refresh": 2, "sort": 1,
        "includeAll": True, "allValue": ".+", "multi": multi,
        "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
        "hide": hide, "options": [], "regex": "",
    }


dash = {
    "__inputs": [{"name": "DS_PROMETHEUS", "label": "Prometheus",
                  "type": "datasource", "pluginId": "prometheus",
                  "pluginName": "Prometheus"}],
    "__requires": [{"type": "grafana", "id": "grafana", "name": "Grafana",
                    "version": "10.4.0"},
                   {"type": "datasource", "id": "prometheus",
                    "name": "Prometheus", "version": "1.0.0"}],
    "uid": "svmtop-svm",
    "title": "svmtop: GPU shared virtual memory",
    "description": "GPU faults, migrations, retries, garbage collection and invalidations of GPU shared virtual memory, from svmtop export.",
    "tags": ["svmtop", "gpu", "svm"],
    "schemaVersion": 39,
    "version": 1,
    "editable": True,
    "graphTooltip": 1,
    "time": {"from": "now-1h", "to": "now"},
    "refresh": "30s",
    "timezone": "",
    "links": [],
    "annotations": {"list": []},
    "templating": {"list": [
        {"name": "datasource", "label": "Data source", "type": "datasource",
         "query": "prometheus", "current": {"text": "${DS_PROMETHEUS}",
                                            "value": "${DS_PROMETHEUS}"},
         "hide": 0, "regex": "", "refresh": 1, "options": []},
        var("job", "Job", "label_values(svmtop_build_info, job)"),
        var("instance", "Instance",
            'label_values(svmtop_build_info{job=~"$job"}, instance)'),
        var("device", "Device",
            'label_values(svmtop_gt_stats_read_ok{instance=~"$instance"}, device)'),
        var("gt", "GT",
            'label_values(svmtop_gt_stats_read_ok{instance=~"$instance",device=~"$device"}, gt)'),
    ]},
    "panels": panels,
}

json.dump(dash, sys.stdout, indent=1, sort_keys=False)
sys.stdout.write("\n")
