#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`svmtop export` with the HMM BPF backend, in the VM (tests/vm/cases/30-export-hmm.sh).

usage: vm_export.py SVMTOP HMM_TESTS OUT BACKEND TEST...

Starts the exporter (port 0, --per-process=10, collecting every 0.25 s),
runs each hmm-tests TEST (hmm_device_private fixture) while a watcher
scrapes /metrics every 0.1 s, and checks, per test, from the scrapes
before and after it:
- the totals moved by exactly what tests/vm/hmm-expected.md derives for
  the test, and every other HMM counter did not move;
- the test's own process (comm hmm-tests, the harness's forked child) got
  the same counts in the per-process families;
- histograms: cumulative buckets, le = 2^(k+1) ns in seconds, +Inf ==
  _count, and _count moved by one per call (hmm_range_fault calls,
  finalized migrations);
- every counter of every scrape is >= the one before (monotonic), across
  all scrapes of the run;
and once: probes attached with BACKEND, collector_up, no lost events,
capabilities dropped while counting goes on, OpenMetrics and promtool.
"""
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

SVMTOP, HMM_TESTS, OUT, BACKEND = sys.argv[1:5]
TESTS = sys.argv[5:]
passed = failed = 0

# exact counts per test (tests/vm/hmm-expected.md), as Prometheus series
DEV16 = {("svmtop_hmm_migrate_setups_total", "to_device"): 16,
         ("svmtop_hmm_migrations_total", "to_device"): 16,
         ("svmtop_hmm_migrate_pages_requested_total", "to_device"): 1024,
         ("svmtop_hmm_migrate_pages_collected_total", "to_device"): 1024,
         ("svmtop_hmm_migrate_pages_migrated_total", "to_device"): 1024,
         ("svmtop_hmm_page_table_walks_total", None): 16,
         ("svmtop_hmm_walk_operations_total", None): 16}
HRF16 = {("svmtop_hmm_range_fault_calls_total", "ok"): 16,
         ("svmtop_hmm_range_fault_pages_total", None): 1024,
         ("svmtop_hmm_page_table_walks_total", None): 16,
         ("svmtop_hmm_walk_operations_total", None): 16}
WANT = {"migrate": DEV16, "anon_read": HRF16, "anon_write": HRF16,
        "migrate_fault": {
            ("svmtop_hmm_migrate_setups_total", "to_device"): 32,
            ("svmtop_hmm_migrations_total", "to_device"): 32,
            ("svmtop_hmm_migrate_pages_requested_total", "to_device"): 2048,
            ("svmtop_hmm_migrate_pages_collected_total", "to_device"): 1536,
            ("svmtop_hmm_migrate_pages_migrated_total", "to_device"): 1536,
            ("svmtop_hmm_migrate_setups_total", "to_system"): 512,
            ("svmtop_hmm_migrations_total", "to_system"): 512,
            ("svmtop_hmm_migrate_pages_requested_total", "to_system"): 512,
            ("svmtop_hmm_migrate_pages_collected_total", "to_system"): 512,
            ("svmtop_hmm_migrate_pages_migrated_total", "to_system"): 512,
            ("svmtop_hmm_cpu_fault_migrations_total", None): 512,
            ("svmtop_hmm_cpu_fault_pages_total", None): 512,
            ("svmtop_hmm_page_table_walks_total", None): 544,
            ("svmtop_hmm_walk_operations_total", None): 544},
        "exclusive": {}}


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


def parse(text):
    """{(name, ((label, value), ...)): float}, {family: type}"""
    vals, types = {}, {}
    for ln in text.splitlines():
        if ln.startswith("# TYPE "):
            _, _, fam, t = ln.split(" ", 3)
            types[fam] = t
        elif ln and not ln.startswith("#"):
            m = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)", ln)
            labels = tuple(re.findall(r'([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
            vals[(m.group(1), labels)] = float(m.group(4))
    return vals, types


def lab(key, name):
    return dict(key[1]).get(name)


class Exporter:
    def __init__(self):
        self.log = os.path.join(OUT, f"export-{BACKEND}.log")
        self.p = subprocess.Popen([SVMTOP, "export", "--listen", "127.0.0.1:0", "-i", "0.25",
                                   "--per-process=10", "--backend", BACKEND],
                                  stdout=subprocess.DEVNULL, stderr=open(self.log, "w"))
        self.url = None
        t0 = time.time()
        while time.time() - t0 < 120 and self.p.poll() is None:
            m = re.search(r"serving (http://127.0.0.1:\d+)/", open(self.log).read())
            if m:
                self.url = m.group(1) + "/metrics"
                break
            time.sleep(0.1)
        self.attach_s = time.time() - t0

    def scrape(self, om=False):
        req = urllib.request.Request(self.url, headers={
            "Accept": "application/openmetrics-text;version=1.0.0" if om else "text/plain"})
        return urllib.request.urlopen(req, timeout=10).read().decode()


x = Exporter()
if not check(f"export ({BACKEND}) attaches and serves ({x.attach_s:.1f} s)", x.url,
             open(x.log).read()):
    print(f"passed={passed} failed={failed} skipped=0")
    sys.exit(1)

scrapes = []            # every scrape of the watcher, in order
stop = threading.Event()


def watch():
    while not stop.is_set():
        try:
            scrapes.append(parse(x.scrape())[0])
        except Exception as e:
            scrapes.append(e)
        time.sleep(0.1)


def settled():
    """A scrape after the exporter has collected twice since now."""
    time.sleep(0.6)
    return parse(x.scrape())


w = threading.Thread(target=watch)
w.start()
v0, types = settled()
check("collector_up{hmm} 1", v0.get(("svmtop_collector_up", (("collector", "hmm"),))) == 1)
att = {lab(k, "probe"): (lab(k, "kind"), v) for k, v in v0.items()
       if k[0] == "svmtop_probe_attached" and lab(k, "collector") == "hmm"}
# the four probes the counts below come from; the backend may grow more
# (reported too, then they must be attached, by whatever kind)
FOUR = ["hmm_range_fault", "migrate_vma_setup", "migrate_vma_pages", "migrate_vma_finalize"]
check(f"the 4 HMM probes attached as {BACKEND}, every other reported probe attached",
      all(att.get(f) == (BACKEND, 1.0) for f in FOUR) and
      all(v == 1.0 for _, v in att.values()), att)

st = open(f"/proc/{x.p.pid}/status").read()
check("capabilities dropped while serving (CapEff/CapPrm 0)",
      re.search(r"CapEff:\s+0+\n", st) and re.search(r"CapPrm:\s+0+\n", st))

HMM_COUNTERS = [f for f, t in types.items() if t == "counter" and f.startswith("svmtop_hmm_")
                and not f.startswith("svmtop_hmm_process_")]


# Families whose every change tests/vm/hmm-expected.md accounts for; a
# family the backend adds later is printed, not asserted, until its counts
# are derived there too.
KNOWN = {"svmtop_hmm_range_fault_calls_total", "svmtop_hmm_range_fault_pages_total",
         "svmtop_hmm_migrate_setups_total", "svmtop_hmm_migrate_setup_errors_total",
         "svmtop_hmm_migrations_total", "svmtop_hmm_migrate_pages_requested_total",
         "svmtop_hmm_migrate_pages_collected_total", "svmtop_hmm_migrate_pages_migrated_total",
         "svmtop_hmm_cpu_fault_migrations_total", "svmtop_hmm_cpu_fault_pages_total",
         "svmtop_hmm_page_table_walks_total", "svmtop_hmm_walk_operations_total"}
new_fams = sorted(set(HMM_COUNTERS) - KNOWN - {"svmtop_hmm_backend_problems_total"})
if new_fams:
    print(f"     (families not asserted yet: {', '.join(new_fams)})")


def totals(v, known=True):
    """(family, direction|result|None) -> value of the HMM total counters."""
    out = {}
    for k, val in v.items():
        if k[0] in HMM_COUNTERS and (k[0] in KNOWN) == known and \
                k[0] != "svmtop_hmm_backend_problems_total":
            d = dict(k[1])
            out[(k[0], d.get("direction") or d.get("result"))] = val
    return out


def hist_ok(v, fam, sel):
    """Cumulative le = 2^(k+1) ns buckets, +Inf == _count; returns _count."""
    b = sorted(((float(dict(k[1])["le"]), val) for k, val in v.items()
                if k[0] == fam + "_bucket" and all(dict(k[1]).get(a) == b_
                                                   for a, b_ in sel.items())))
    cnt = [val for k, val in v.items() if k[0] == fam + "_count" and
           all(dict(k[1]).get(a) == b_ for a, b_ in sel.items())]
    les = [le for le, _ in b]
    want_les = [2.0 ** (k + 1) / 1e9 for k in range(31)] + [float("inf")]
    ok = (len(cnt) == 1 and les == want_les and
          all(b[i][1] <= b[i + 1][1] for i in range(len(b) - 1)) and b[-1][1] == cnt[0])
    return ok, (cnt[0] if cnt else None), b[-3:]


def hmm_pids(v):
    return {lab(k, "pid") for k in v if k[0].startswith("svmtop_hmm_process_") and
            lab(k, "comm") == "hmm-tests"}


for t in TESTS:
    before, _ = settled()
    t0 = time.time()
    r = subprocess.run([HMM_TESTS, "-r", f"hmm.hmm_device_private.{t}"], capture_output=True,
                       text=True, timeout=600)
    dt = time.time() - t0
    check(f"{t}: hmm-tests passes under export ({dt:.1f} s)",
          r.returncode == 0 and "PASSED: 1 / 1" in r.stdout + r.stderr, r.stdout[-300:])
    after, _ = settled()
    tb, ta = totals(before), totals(after)
    delta = {k: ta.get(k, 0) - tb.get(k, 0) for k in set(ta) | set(tb)}
    want = WANT[t]
    wrong = {k: (d, want.get(k, 0)) for k, d in delta.items() if d != want.get(k, 0)}
    check(f"{t}: totals moved exactly as hmm-expected.md says ({len(want)} nonzero, "
          f"{len(KNOWN)} families)", not wrong and all(k in delta for k in want), wrong)
    ob, oa = totals(before, False), totals(after, False)
    other = {k: oa.get(k, 0) - ob.get(k, 0) for k in set(oa) | set(ob)
             if oa.get(k, 0) != ob.get(k, 0)}
    if other:
        print(f"     {t}: not asserted: {other}")
    # the test's own process: per-process series with comm hmm-tests
    procs = {}
    for k, val in after.items():
        if k[0].startswith("svmtop_hmm_process_") and lab(k, "comm") == "hmm-tests":
            fam = "svmtop_hmm_" + k[0][len("svmtop_hmm_process_"):]
            d = dict(k[1])
            procs.setdefault(lab(k, "pid"), {})[(fam, d.get("direction") or
                                                 d.get("result"))] = val
    mine = [p for p, c in procs.items()
            if all(c.get(k) == v for k, v in want.items())]
    if want:
        check(f"{t}: per-process series of the hmm-tests child carry the counts",
              mine, procs)
    else:
        check(f"{t}: no process got per-process series (nothing counted)",
              hmm_pids(after) == hmm_pids(before), (hmm_pids(before), hmm_pids(after)))
    for fam, sel, calls in [
            ("svmtop_hmm_range_fault_seconds", {},
             ("svmtop_hmm_range_fault_calls_total", None)),
            ("svmtop_hmm_migration_seconds", {"direction": "to_device"},
             ("svmtop_hmm_migrations_total", "to_device")),
            ("svmtop_hmm_migration_seconds", {"direction": "to_system"},
             ("svmtop_hmm_migrations_total", "to_system"))]:
        ok_a, ca, tail = hist_ok(after, fam, sel)
        ok_b, cb, _ = hist_ok(before, fam, sel)
        n_calls = (sum(d for k, d in delta.items() if k[0] == calls[0])
                   if calls[1] is None else delta.get(calls, 0))
        check(f"{t}: {fam}{sel or ''}: cumulative, le=2^(k+1) ns, +Inf == _count, "
              f"_count +{n_calls} (one per call)",
              ok_a and ok_b and ca - cb == n_calls, (ok_a, ok_b, ca, cb, n_calls, tail))

stop.set()
w.join(10)
errs = [s for s in scrapes if isinstance(s, Exception)]
down = []
for i in range(1, len(scrapes)):
    a, b = scrapes[i - 1], scrapes[i]
    if isinstance(a, Exception) or isinstance(b, Exception):
        continue
    for k, val in b.items():
        if (k[0].endswith(("_total", "_bucket", "_count", "_sum")) and k in a and
                val < a[k] and not k[0].startswith("svmtop_hmm_process_")):
            down.append((i, k, a[k], val))
check(f"{len(scrapes)} scrapes during the run, none failed", scrapes and not errs, errs[:3])
check("every total counter and histogram is monotonic across all scrapes", not down, down[:5])

last = x.scrape()
v, _ = parse(last)
check("no lost events, no map overflow",
      v.get(("svmtop_events_lost_total", (("collector", "hmm"),))) == 0 and
      v.get(("svmtop_map_overflow_total", (("collector", "hmm"),))) == 0)
with open(os.path.join(OUT, f"last-{BACKEND}.prom"), "w") as f:
    f.write(last)
p = subprocess.run(["promtool", "check", "metrics"], input=last, capture_output=True, text=True)
check("promtool check metrics on the HMM exposition", p.returncode == 0, p.stdout + p.stderr)
om = x.scrape(om=True)
check("OpenMetrics form ends with # EOF and names counters without _total",
      om.endswith("# EOF\n") and "# TYPE svmtop_hmm_migrations counter\n" in om)
x.p.send_signal(signal.SIGTERM)
check("SIGTERM: exit 0", x.p.wait(20) == 0)
print(f"passed={passed} failed={failed} skipped=0")
sys.exit(1 if failed else 0)
