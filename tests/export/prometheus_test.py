#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Debian's real Prometheus server scraping `svmtop export` on loopback.

usage: prometheus_test.py SVMTOP FIXTURE WORKDIR [PROMETHEUS]

Starts svmtop export on the fixture tree (port 0) and /usr/bin/prometheus
with a temporary config and storage, scraping it every second in two jobs:
"svmtop" (Prometheus' own Accept header: OpenMetrics) and "svmtop_text"
(?format=text: text format 0.0.4), so both of Prometheus' parsers read
our output.  Then queries Prometheus' HTTP API for exact values from the
fixture, up == 1, no scrape errors and every sample ingested.  Bounded in
time (60 s at most); both servers are stopped at the end.
"""
import atexit
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

SVMTOP, FIXTURE, WORK = sys.argv[1:4]
PROM = sys.argv[4] if len(sys.argv) > 4 else "/usr/bin/prometheus"
passed = failed = 0
LBL = 'device="0000:03:00.0",driver="xe",tile="0",gt="0"'
procs = []


@atexit.register
def _cleanup():
    for p in procs:
        if p.poll() is None:
            p.kill()


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}{': ' + str(detail) if detail else ''}")
    sys.stdout.flush()
    return cond


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(what, fn, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            v = fn()
            if v:
                return v
        except Exception:
            pass
        time.sleep(0.2)
    return None


t_start = time.time()
# --- the exporter ------------------------------------------------------------
elog = os.path.join(WORK, "export.log")
ef = open(elog, "w")
exp = subprocess.Popen([SVMTOP, "export", "--listen", "127.0.0.1:0", "--debugfs", FIXTURE,
                        "-i", "0.5"], stdout=subprocess.DEVNULL, stderr=ef)
procs.append(exp)
m = wait_for("exporter", lambda: re.search(r"serving http://127.0.0.1:(\d+)/", open(elog).read()), 10)
if not check("svmtop export starts", m, open(elog).read()):
    sys.exit(1)
target = f"127.0.0.1:{m.group(1)}"
direct = urllib.request.urlopen(f"http://{target}/metrics", timeout=5).read().decode()
n_samples = sum(1 for l in direct.splitlines() if l and not l.startswith("#"))

# --- Prometheus --------------------------------------------------------------
pport = free_port()
cfg = os.path.join(WORK, "prometheus.yml")
with open(cfg, "w") as f:
    f.write(f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: svmtop
    static_configs:
      - targets: ['{target}']
  - job_name: svmtop_text
    params:
      format: [text]
    static_configs:
      - targets: ['{target}']
""")
plog = open(os.path.join(WORK, "prometheus.log"), "w")
prom = subprocess.Popen([PROM, f"--config.file={cfg}",
                         f"--storage.tsdb.path={os.path.join(WORK, 'tsdb')}",
                         f"--web.listen-address=127.0.0.1:{pport}",
                         "--log.level=warn"], stdout=plog, stderr=plog)
procs.append(prom)
API = f"http://127.0.0.1:{pport}/api/v1"


def query(q):
    u = f"{API}/query?" + urllib.parse.urlencode({"query": q})
    r = json.load(urllib.request.urlopen(u, timeout=5))
    if r["status"] != "success":
        raise RuntimeError(r)
    return {json.dumps(x["metric"], sort_keys=True): float(x["value"][1])
            for x in r["data"]["result"]}


def one(q):
    r = query(q)
    return list(r.values())[0] if len(r) == 1 else r


t0 = time.time()
up = wait_for("scrapes", lambda: (lambda r: len(r) == 2 and all(v == 1 for v in r.values()) and r)(
    query("up")), 40)
check(f"Prometheus scraped both jobs, up == 1 ({time.time() - t0:.1f} s after start)", up, up)
targets = json.load(urllib.request.urlopen(f"{API}/targets", timeout=5))["data"]["activeTargets"]
check("targets: no scrape error, both healthy",
      len(targets) == 2 and all(t["health"] == "up" and t["lastError"] == "" for t in targets),
      [(t["labels"]["job"], t["health"], t["lastError"]) for t in targets])
for job in ("svmtop", "svmtop_text"):
    # every sample line of our exposition was ingested (+ our own 9 http ones are in it)
    check(f"{job}: scrape_samples_scraped == {n_samples} sample lines",
          one(f'scrape_samples_scraped{{job="{job}"}}') == n_samples,
          one(f'scrape_samples_scraped{{job="{job}"}}'))
    sel = f'job="{job}",{LBL}'
    for q, want in [
            (f"svmtop_gt_svm_pagefaults_handled_total{{{sel}}}", 7001),
            (f"svmtop_gt_tlb_invalidations_total{{{sel}}}", 7002),
            (f"svmtop_gt_svm_tlb_invalidation_seconds_total{{{sel}}}", 0.07004),
            (f"svmtop_gt_vma_pagefault_bytes_total{{{sel}}}", 7006 * 1024),
            (f'svmtop_gt_svm_pagefaults_total{{{sel},page_size="64K"}}', 6401),
            (f'svmtop_gt_svm_copy_bytes_total{{{sel},direction="to_ram"}}', 9004 * 1024),
            (f'svmtop_gt_svm_copy_seconds_total{{{sel},direction="to_vram"}}', 0.009001),
            (f'sum(svmtop_gt_svm_migrations_total{{{sel}}})', 4004 + 6404 + 2004),
            (f'svmtop_gt_stats_read_ok{{{sel}}}', 1),
            (f'svmtop_collector_up{{job="{job}",collector="gt"}}', 1),
            (f'svmtop_collector_up{{job="{job}",collector="hmm"}}', 0),
            (f'count(svmtop_build_info{{job="{job}",version="{open("VERSION").read().strip()}"}})', 1),
            (f'svmtop_http_requests_total{{job="{job}",code="200"}} > 0', None)]:
        v = one(q)
        check(f"{job}: {q} == {want if want is not None else 'present'}",
              (v == want) if want is not None else isinstance(v, float), v)
meta = json.load(urllib.request.urlopen(f"{API}/metadata?metric=svmtop_gt_svm_pagefaults_handled_total",
                                        timeout=5))
meta_om = json.load(urllib.request.urlopen(f"{API}/metadata?metric=svmtop_gt_svm_pagefaults_handled",
                                           timeout=5))
# The OpenMetrics parser files a counter's metadata under the family name
# without _total, the text parser under the sample name: both present
# proves each job went through its own parser.
types = [m["type"] for v in (meta["data"], meta_om["data"]) for ms in v.values() for m in ms]
check("metadata: a counter under both names (OpenMetrics and text parsers both used)",
      meta["data"] and meta_om["data"] and set(types) == {"counter"}, (meta, meta_om))

# counters stay the same across scrapes of an unchanged source (no reset)
time.sleep(2.2)
r = query(f'changes(svmtop_gt_svm_pagefaults_handled_total{{{LBL}}}[30s])')
check("no counter change or reset over the scrapes so far", r and all(v == 0 for v in r.values()), r)
n = one('count_over_time(up{job="svmtop"}[30s])')
check(f"several scrapes happened ({n:.0f})", isinstance(n, float) and n >= 3, n)

prom.send_signal(signal.SIGTERM)
check("Prometheus stops", prom.wait(20) == 0)
exp.send_signal(signal.SIGTERM)
check("svmtop export stops cleanly (exit 0)", exp.wait(10) == 0)
log = open(elog).read().splitlines()
reasons = [l for l in log if not l.startswith("svmtop: export: ")]
check("export log: one line says why hmm is down, nothing else complains",
      len(reasons) == 1 and "collector gt is down" not in "\n".join(log), log)
print(f"prometheus test: {time.time() - t_start:.1f} s")
print(f"passed={passed} failed={failed} skipped=0")
sys.exit(1 if failed else 0)
