#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Debian's Prometheus scraping `svmtop export` in the VM during hmm-tests.

usage: vm_prometheus.py SVMTOP HMM_TESTS OUT

A fresh exporter (HMM collector, fentry) and a fresh Prometheus (scrape
every second, storage in OUT's tmpfs) on the guest's loopback; then
hmm-tests migrate and anon_read run, and Prometheus' HTTP API must return
exactly their counts (tests/vm/hmm-expected.md): the exporter's counters
start at 0, so the totals are the tests' own.  TCG is slow: waits are
generous and bounded.
"""
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

SVMTOP, HMM_TESTS, OUT = sys.argv[1:4]
passed = failed = 0
procs = []


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}{': ' + str(detail)[:600] if detail else ''}")
    sys.stdout.flush()
    return cond


def done():
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
    print(f"passed={passed} failed={failed} skipped=0")
    sys.exit(1 if failed else 0)


def wait_for(fn, timeout):
    end = time.time() + timeout
    while time.time() < end:
        try:
            v = fn()
            if v:
                return v
        except Exception:
            pass
        time.sleep(0.5)
    return None


elog = os.path.join(OUT, "prom-export.log")
x = subprocess.Popen([SVMTOP, "export", "--listen", "127.0.0.1:0", "--collectors", "hmm",
                      "--backend", "fentry", "-i", "0.5"], stdout=subprocess.DEVNULL,
                     stderr=open(elog, "w"))
procs.append(x)
m = wait_for(lambda: re.search(r"serving http://(127.0.0.1:\d+)/", open(elog).read()), 120)
if not check("exporter serving", m, open(elog).read()):
    done()
target = m.group(1)
s = socket.socket()
s.bind(("127.0.0.1", 0))
pport = s.getsockname()[1]
s.close()
cfg = os.path.join(OUT, "prometheus.yml")
open(cfg, "w").write(f"""global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: svmtop
    static_configs:
      - targets: ['{target}']
""")
t0 = time.time()
prom = subprocess.Popen(["prometheus", f"--config.file={cfg}",
                         f"--storage.tsdb.path={os.path.join('/tmp', 'prom-tsdb')}",
                         f"--web.listen-address=127.0.0.1:{pport}", "--log.level=warn"],
                        stdout=open(os.path.join(OUT, "prometheus.log"), "w"),
                        stderr=subprocess.STDOUT)
procs.append(prom)
API = f"http://127.0.0.1:{pport}/api/v1"


def query(q):
    u = f"{API}/query?" + urllib.parse.urlencode({"query": q})
    r = json.load(urllib.request.urlopen(u, timeout=10))
    return [float(e["value"][1]) for e in r["data"]["result"]]


up = wait_for(lambda: query('up{job="svmtop"}') == [1.0], 240)
if not check(f"Prometheus up and scraping the exporter ({time.time() - t0:.0f} s in TCG)", up):
    done()
for t in ("migrate", "anon_read"):
    r = subprocess.run([HMM_TESTS, "-r", f"hmm.hmm_device_private.{t}"], capture_output=True,
                       text=True, timeout=600)
    check(f"hmm-tests {t} passes", r.returncode == 0)
for q, want in [
        ('svmtop_hmm_migrate_pages_migrated_total{direction="to_device"}', 1024),
        ('svmtop_hmm_migrations_total{direction="to_device"}', 16),
        ('svmtop_hmm_range_fault_pages_total', 1024),
        ('svmtop_hmm_range_fault_calls_total{result="ok"}', 16),
        ('svmtop_hmm_migration_seconds_count{direction="to_device"}', 16),
        ('svmtop_hmm_migration_seconds_bucket{direction="to_device",le="+Inf"}', 16),
        ('svmtop_hmm_range_fault_seconds_count', 16),
        ('count(svmtop_probe_attached{collector="hmm",kind="fentry",'
         'probe=~"hmm_range_fault|migrate_vma_(setup|pages|finalize)"} == 1)', 4),
        ('svmtop_collector_up{collector="hmm"}', 1),
        ('svmtop_events_lost_total{collector="hmm"}', 0)]:
    got = wait_for(lambda: (lambda v: v if v == [float(want)] else None)(query(q)), 60)
    check(f"Prometheus: {q} == {want}", got, query(q))
hq = query('histogram_quantile(0.99, svmtop_hmm_migration_seconds_bucket{direction="to_device"})')
check(f"histogram_quantile over the buckets gives a latency ({hq} s)",
      len(hq) == 1 and 0 < hq[0] < 60, hq)
done()
