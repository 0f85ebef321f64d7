#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Every PromQL expression of dashboards/ against a real Prometheus with
real svmtop data.

    dash_test.py SVMTOP CAPTURE_DIR [PROMETHEUS] [PROMTOOL]

Data (both are svmtop's own output, nothing is made up but `up`):
  * CAPTURE_DIR: expositions `svmtop export --collectors gt,hmm,svm
    --per-process=5` wrote in the VM while a workload mix ran on the
    simulated GPU (tests/vm/cases/70-dash-data.sh; a copy is kept in
    tests/dashboards/data/vm-capture/, *.prom or *.prom.gz, named by the
    unix ms of the copy) -> instance "svmsim-vm";
  * the exporter run here on the fixture debugfs tree (gt + svm with the
    debugfs backend) over HTTP, fetched 6 times -> instance "host-fixture"
    (it alone has the HTTP-only families such as collection age).
Both get job="svmtop" and, per snapshot, `up 1` (a snapshot is a
successful scrape: what Prometheus would have recorded).  The VM capture's
timestamps are shifted as a whole so that it ends with the host capture;
spacing is kept.  The samples go into one OpenMetrics file and
`promtool tsdb create-blocks-from openmetrics` backfills them; Debian's
`prometheus` then serves that TSDB on loopback, with the rules loaded
(group interval lowered to 2 s in a test copy).

Checks:
  * promtool check rules; the dashboard JSON is what gen-dashboard.py
    writes; schemaVersion, datasource variable on every panel and target;
  * every metric name an expression uses exists in the captured
    expositions or is a recording rule of the rules file (so a renamed or
    removed family fails here, by name);
  * template variables: each label_values() query, with the variables
    before it substituted, returns values;
  * every range panel target as a range query over the capture (step 1 s);
  * every panel target, evaluated at the last sample's time twice: with
    every variable at "All" (.+) and with a concrete selection (the VM
    instance, its first device, gt 0): a non-empty result
    ($__rate_interval = 1m, $__interval = 15s);
  * every recording rule: Prometheus evaluated it without error and its
    series exist;
  * every alert: Prometheus evaluates it without error; its expression
    as a whole is valid, and each operand of its top-level comparisons and
    set operators (the expression without its thresholds) is non-empty;
    the "something is down" alerts do not fire on this healthy data.
"""
import glob
import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
SVMTOP = sys.argv[1]
CAPTURE = sys.argv[2]
PROM = sys.argv[3] if len(sys.argv) > 3 else "/usr/bin/prometheus"
PROMTOOL = sys.argv[4] if len(sys.argv) > 4 else "/usr/bin/promtool"
DASH = os.path.join(SRC, "dashboards", "svmtop.json")
GEN = os.path.join(SRC, "dashboards", "gen-dashboard.py")
RULES = os.path.join(SRC, "dashboards", "prometheus", "svmtop-rules.yml")
FIXTURE = os.path.join(SRC, "tests", "fixtures", "v6.18")
VM_INST, HOST_INST = "svmsim-vm", "host-fixture"

passed = failed = 0
procs = []
WORK = tempfile.mkdtemp(prefix="svmtop-dash.")


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}" + (f": {detail}" if detail != "" else ""))
    return cond


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    shutil.rmtree(WORK, ignore_errors=True)


def finish():
    cleanup()
    print(f"passed={passed} failed={failed}")
    sys.exit(1 if failed else 0)


def wait_for(fn, timeout):
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


# ---- static checks ---------------------------------------------------------
r = subprocess.run([PROMTOOL, "check", "rules", RULES], capture_output=True, text=True)
check("promtool check rules", r.returncode == 0, r.stdout + r.stderr)
gen = subprocess.run([sys.executable, GEN], capture_output=True, text=True)
check("svmtop.json is what gen-dashboard.py writes",
      gen.returncode == 0 and gen.stdout == open(DASH).read(),
      "run: python3 dashboards/gen-dashboard.py > dashboards/svmtop.json")
dash = json.load(open(DASH))
check("schemaVersion 39", dash.get("schemaVersion") == 39, dash.get("schemaVersion"))
variables = dash["templating"]["list"]
check("datasource variable", any(v["type"] == "datasource" and v["name"] == "datasource"
                                 and v["query"] == "prometheus" for v in variables))
ids = [p["id"] for p in dash["panels"]]
cells = {}
overlap = []
for p in dash["panels"]:
    g = p["gridPos"]
    for x in range(g["x"], g["x"] + g["w"]):
        for y in range(g["y"], g["y"] + g["h"]):
            if (x, y) in cells:
                overlap.append((p["title"], cells[(x, y)]))
            cells[(x, y)] = p["title"]
check(f"{len(ids)} panels and rows: unique ids, within 24 columns, none overlapping",
      len(set(ids)) == len(ids) and not overlap and
      all(p["gridPos"]["x"] + p["gridPos"]["w"] <= 24 for p in dash["panels"]),
      overlap[:3])
check("variables job, instance, device, gt (multi, All = .+)",
      [v["name"] for v in variables if v["type"] == "query"] == ["job", "instance", "device", "gt"]
      and all(v["includeAll"] and v["allValue"] == ".+" for v in variables if v["type"] == "query"))
targets = []
off_ds = []
for p in dash["panels"]:
    if p["type"] == "row":
        continue
    ok = p.get("datasource", {}).get("uid") == "${datasource}" and all(
        t.get("datasource", {}).get("uid") == "${datasource}" for t in p["targets"])
    if not ok or not p["targets"]:
        off_ds.append(p["title"])
    for t in p["targets"]:
        targets.append((p["title"], t["refId"], t["expr"]))
check(f"{len(targets)} panel targets, every panel has some, all on ${{datasource}}",
      not off_ds, off_ds)

# the rules, read without a YAML module: record/alert/expr (plain or |)
rules = []          # dicts: kind, name, expr
cur = None
lines = open(RULES).read().splitlines()
i = 0
while i < len(lines):
    ln = lines[i]
    m = re.match(r"\s*- (record|alert): (\S+)", ln)
    if m:
        cur = {"kind": m.group(1), "name": m.group(2), "expr": ""}
        rules.append(cur)
    m = re.match(r"(\s*)expr: ?(.*)$", ln)
    if m and cur is not None:
        if m.group(2).strip() in ("|", ">-", "|-"):
            ind = None
            body = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or ind is None or
                                      lines[i].startswith(ind)):
                if not lines[i].strip():
                    i += 1
                    continue
                if ind is None:
                    ind = re.match(r"\s*", lines[i]).group(0)
                    if len(ind) <= len(m.group(1)):
                        break
                if not lines[i].startswith(ind):
                    break
                body.append(lines[i].strip())
                i += 1
            cur["expr"] = " ".join(body)
            continue
        cur["expr"] = m.group(2).strip()
    i += 1
records = {r["name"] for r in rules if r["kind"] == "record"}
alerts = [r for r in rules if r["kind"] == "alert"]
check(f"rules file: {len(records)} recording rules, {len(alerts)} alerts, every one with an expr",
      len(records) >= 10 and len(alerts) >= 6 and all(r["expr"] for r in rules))

# ---- the data --------------------------------------------------------------
snaps = sorted(glob.glob(os.path.join(CAPTURE, "*.prom")) +
               glob.glob(os.path.join(CAPTURE, "*.prom.gz")))
if not check(f"VM capture: {len(snaps)} snapshots in {CAPTURE}", len(snaps) >= 6):
    finish()


def read_snap(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt") as f:
        return f.read()


vm = [(int(re.match(r"(\d+)", os.path.basename(p)).group(1)) / 1000.0, read_snap(p))
      for p in snaps]

elog = os.path.join(WORK, "export.log")
exp = subprocess.Popen([SVMTOP, "export", "--collectors", "gt,svm", "--debugfs", FIXTURE,
                        "--listen", "127.0.0.1:0", "-i", "0.2"],
                       stdout=subprocess.DEVNULL, stderr=open(elog, "w"))
procs.append(exp)
m = wait_for(lambda: re.search(r"serving http://(127.0.0.1:\d+)/", open(elog).read()), 10)
if not check("host exporter starts", m, open(elog).read()):
    finish()
host = []
for k in range(6):
    body = urllib.request.urlopen(f"http://{m.group(1)}/metrics?format=text", timeout=5).read()
    host.append((time.time(), body.decode()))
    time.sleep(0.5)
exp.send_signal(signal.SIGTERM)
exp.wait(10)

shift = host[-1][0] - vm[-1][0]
series_names = set()
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)$")


def om_lines(body, ts, inst, out):
    for ln in body.splitlines():
        if not ln or ln.startswith("#"):
            continue
        mm = SAMPLE.match(ln)
        if not mm:
            raise ValueError(f"unparsable sample line: {ln}")
        name, labels, val = mm.groups()
        series_names.add(name)
        extra = f'instance="{inst}",job="svmtop"'
        labels = "{" + extra + ("," + labels[1:] if labels and labels != "{}" else "}")
        out.append(f"{name}{labels} {val} {ts:.3f}")
    out.append(f'up{{instance="{inst}",job="svmtop"}} 1 {ts:.3f}')


# OpenMetrics wants each series' samples together, in time order
per_series = {}
for ts, body in [(t + shift, b) for t, b in vm]:
    tmp = []
    om_lines(body, ts, VM_INST, tmp)
    for ln in tmp:
        per_series.setdefault(ln.rsplit(" ", 2)[0], []).append(ln)
for ts, body in host:
    tmp = []
    om_lines(body, ts, HOST_INST, tmp)
    for ln in tmp:
        per_series.setdefault(ln.rsplit(" ", 2)[0], []).append(ln)
om = os.path.join(WORK, "data.om")
with open(om, "w") as f:
    for k in sorted(per_series, key=lambda s: s.split("{")[0]):
        f.write("\n".join(per_series[k]) + "\n")
    f.write("# EOF\n")
tsdb = os.path.join(WORK, "tsdb")
r = subprocess.run([PROMTOOL, "tsdb", "create-blocks-from", "openmetrics", om, tsdb],
                   capture_output=True, text=True)
if not check(f"promtool backfills {len(per_series)} series", r.returncode == 0,
             (r.stdout + r.stderr)[-2000:]):
    finish()
T = host[-1][0]

# ---- Prometheus ------------------------------------------------------------
rules_copy = os.path.join(WORK, "rules.yml")
with open(rules_copy, "w") as f:
    f.write(re.sub(r"interval: 30s", "interval: 2s", open(RULES).read()))
cfg = os.path.join(WORK, "prometheus.yml")
with open(cfg, "w") as f:
    f.write(f"global:\n  evaluation_interval: 2s\nrule_files:\n  - {rules_copy}\n")
s = socket.socket()
s.bind(("127.0.0.1", 0))
pport = s.getsockname()[1]
s.close()
plog = os.path.join(WORK, "prometheus.log")
prom = subprocess.Popen([PROM, f"--config.file={cfg}", f"--storage.tsdb.path={tsdb}",
                         f"--web.listen-address=127.0.0.1:{pport}", "--log.level=warn"],
                        stdout=open(plog, "w"), stderr=subprocess.STDOUT)
procs.append(prom)
API = f"http://127.0.0.1:{pport}/api/v1"


def api(path, **params):
    u = f"{API}/{path}?" + urllib.parse.urlencode(params)
    try:
        return json.load(urllib.request.urlopen(u, timeout=10))
    except urllib.error.HTTPError as e:
        return json.load(e)


def query(q, at):
    r = api("query", query=q, time=f"{at:.3f}")
    if r.get("status") != "success":
        return None, r.get("error", r)
    return r["data"]["result"], None


if not check("prometheus serves the backfilled TSDB",
             wait_for(lambda: query(f'up{{instance="{VM_INST}"}}', T)[0], 30),
             open(plog).read()[-2000:]):
    finish()

# ---- metric names ----------------------------------------------------------
KEYWORDS = {"sum", "by", "rate", "histogram_quantile", "topk", "count", "min", "max",
            "avg", "and", "or", "unless", "on", "ignoring", "without", "increase",
            "le", "bool", "group_left", "group_right", "offset", "inf", "nan"}


def metric_names(expr):
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    e = re.sub(r"\{[^}]*\}", "", e)
    e = re.sub(r"\[[^\]]*\]", "", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", e)
    names = set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", e))
    return {n for n in names if n.lower() not in KEYWORDS and not re.match(r"^\$", n)
            and not re.search(r"\w\s*\(", n) and (n.startswith("svmtop") or ":" in n or n == "up")}


exprs = [("panel " + t + " " + ref, e) for t, ref, e in targets] + \
        [(r["kind"] + " " + r["name"], r["expr"]) for r in rules] + \
        [("variable " + v["name"], v["query"]["query"] if isinstance(v["query"], dict) else v["query"])
         for v in variables if v["type"] == "query"]
known = series_names | records | {"up"}
missing = {}
for what, e in exprs:
    for n in metric_names(e):
        if n not in known:
            missing.setdefault(n, []).append(what)
check(f"every metric the {len(exprs)} expressions use exists in svmtop's expositions or the rules",
      not missing, missing)

# ---- template variables ----------------------------------------------------
ALL = {"job": ".+", "instance": ".+", "device": ".+", "gt": ".+"}


def subst(e, vals):
    e = e.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace(
        "$__range", "1h")
    for k in sorted(vals, key=len, reverse=True):
        e = e.replace("${" + k + "}", vals[k]).replace("$" + k, vals[k])
    return e


concrete = {}
for v in variables:
    if v["type"] != "query":
        continue
    q = v["query"]["query"]
    m = re.match(r"label_values\((.*),\s*(\w+)\)\s*$", q)
    if not check(f"variable {v['name']}: label_values(selector, label)", m, q):
        continue
    res, err = query(subst(m.group(1), ALL), T)
    vals = sorted({x["metric"].get(m.group(2)) for x in res or []} - {None})
    check(f"variable {v['name']} (All above): values {vals}", vals and not err, err)
    res, err = query(subst(m.group(1), concrete | {k: x for k, x in ALL.items()
                                                   if k not in concrete}), T)
    cvals = sorted({x["metric"].get(m.group(2)) for x in res or []} - {None})
    pick = {"instance": VM_INST, "gt": "0"}.get(v["name"], cvals[0] if cvals else "")
    check(f"variable {v['name']} (selection above): {cvals}, take {pick}", pick in cvals, cvals)
    concrete[v["name"]] = re.escape(pick).replace("\\", "\\\\")

# ---- panels ----------------------------------------------------------------
def fmt(v, unit):
    x = float(v)
    if x != x:
        return "NaN"
    if unit == "s":
        for d, u in ((1, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns")):
            if abs(x) >= d or d == 1e-9:
                return f"{x / d:.3g} {u}"
    if unit in ("Bps",):
        for d, u in ((2**30, "GiB/s"), (2**20, "MiB/s"), (2**10, "KiB/s"), (1, "B/s")):
            if abs(x) >= d or d == 1:
                return f"{x / d:.3g} {u}"
    if unit == "ops":
        return f"{x:.3g}/s"
    if unit == "percentunit":
        return f"{100 * x:.3g}%"
    return f"{x:.4g}"


def write_capture(path, vals):
    """A text rendering of what each panel shows at T (README capture)."""
    out = [f"svmtop: GPU shared virtual memory   instance={VM_INST} "
           f"device={vals.get('device')} gt=0   (values at the last sample)"]
    for p in dash["panels"]:
        if p["type"] == "row":
            out.append("")
            out.append(f"== {p['title']} " + "=" * max(0, 70 - len(p["title"])))
            continue
        unit = p["fieldConfig"]["defaults"].get("unit", "short")
        out.append(f"  {p['title']}" + (" [heatmap]" if p["type"] == "heatmap" else ""))
        for t in p["targets"]:
            res, _ = query(subst(t["expr"], vals), T)
            res = sorted(res or [], key=lambda x: -abs(float(x["value"][1]))
                         if x["value"][1] != "NaN" else 0)
            if p["type"] == "heatmap":
                # what the heatmap draws: per bucket, not cumulative
                res = sorted(res, key=lambda x: float(x["metric"]["le"]))
                prev = 0.0
                for x in res:
                    v = float(x["value"][1])
                    x["value"][1] = str(v - prev)
                    prev = v
                res = [x for x in res if float(x["value"][1]) > 0]
            for x in res[:6]:
                leg = re.sub(r"\{\{\s*(\w+)\s*\}\}",
                             lambda mm: x["metric"].get(mm.group(1), ""),
                             t.get("legendFormat", "")) or str(x["metric"])
                if p["type"] == "heatmap":
                    leg = f"le={fmt(x['metric']['le'], 's')}" if x["metric"]["le"] != "+Inf" \
                        else "le=+Inf"
                    out.append(f"    {leg:<40} {fmt(x['value'][1], 'ops')}")
                else:
                    out.append(f"    {leg:<40} {fmt(x['value'][1], unit)}")
            if len(res) > 6:
                out.append(f"    ... {len(res) - 6} more")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


for mode, vals in (("All", ALL), ("selection", concrete)):
    empty = []
    errors = []
    nan = 0
    for title, ref, e in targets:
        res, err = query(subst(e, vals), T)
        if err:
            errors.append((title, ref, err))
        elif not res:
            empty.append(f"{title} {ref}: {subst(e, vals)}")
        else:
            nan += all(x["value"][1] == "NaN" for x in res)
    if mode == "selection" and os.environ.get("DASH_CAPTURE_OUT"):
        write_capture(os.environ["DASH_CAPTURE_OUT"], vals)
    check(f"{len(targets)} panel queries ({mode}): no error", not errors, errors)
    check(f"{len(targets)} panel queries ({mode}): every one returns data "
          f"({nan} of them only NaN: 0/0 rates)", not empty, "\n  " + "\n  ".join(empty))

# what Grafana sends for time series and heatmaps: range queries over the
# capture (step 1 s), each with at least one series that has 2+ points
span = T - (vm[0][0] + shift)
rempty = []
nrange = 0
for title, ref, e in targets:
    t = next(x for p in dash["panels"] if p["type"] != "row"
             for x in p["targets"] if x["refId"] == ref and p["title"] == title)
    if not t.get("range"):
        continue
    nrange += 1
    r = api("query_range", query=subst(e, ALL), start=f"{T - span:.3f}", end=f"{T:.3f}",
            step="1")
    if r.get("status") != "success" or not any(
            len(x["values"]) >= 2 for x in r["data"]["result"]):
        rempty.append((title, ref, r.get("error")))
check(f"{nrange} range panel queries over the capture's {span:.0f} s: series with 2+ points",
      nrange > 20 and not rempty, rempty)

# the two checks above catch a family that is renamed or gone
e = targets[0][2]
gone = e.replace("svmtop_svm_faults_total", "svmtop_svm_fault_total")
res, err = query(subst(gone, ALL), T)
check("a renamed family is caught: by name and by an empty result",
      gone != e and "svmtop_svm_fault_total" in metric_names(gone) - known and not res,
      (gone, res))


# ---- rules -----------------------------------------------------------------
def rules_state():
    r = api("rules")
    return {x["name"]: x for g in r["data"]["groups"] for x in g["rules"]}


st = wait_for(lambda: (lambda s: len(s) == len(rules) and all(
    x.get("lastEvaluation", "").startswith("2") and not x["lastEvaluation"].startswith("0001")
    for x in s.values()) and s)(rules_state()), 30)
check(f"Prometheus loaded and evaluated all {len(rules)} rules", st,
      open(plog).read()[-1500:])
st = st or {}
now = time.time()
bad = [n for n, x in st.items() if x.get("health") != "ok"]
check("every rule's health is ok", not bad, {n: st[n].get("lastError") for n in bad})
empty = []
for name in sorted(records):
    res, err = query(name, now)
    if err or not res:
        empty.append((name, err))
check(f"{len(records)} recording rules: each recorded series exists", not empty, empty)


def operands(expr):
    """Split at top-level comparison and set operators; drop scalars."""
    out, depth, buf, i = [], 0, "", 0
    e = expr
    while i < len(e):
        c = e[i]
        if c == '"':
            j = i + 1
            while e[j] != '"':
                j += 2 if e[j] == "\\" else 1
            buf += e[i:j + 1]
            i = j + 1
            continue
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        if depth == 0:
            m = re.match(r"(>=|<=|==|!=|>|<|\band\b|\bor\b|\bunless\b)\s*(bool\s+)?"
                         r"((on|ignoring)\s*\([^)]*\)\s*)?", e[i:])
            if m and (m.group(1).isalpha() is False or
                      (i == 0 or not (e[i - 1].isalnum() or e[i - 1] in "_:"))):
                out.append(buf)
                buf = ""
                i += m.end()
                continue
        buf += c
        i += 1
    out.append(buf)
    return [o.strip() for o in out
            if o.strip() and not re.fullmatch(r"[\d.\s*+/eE-]+", o.strip())]


DOWN = {"SvmtopExporterDown", "SvmtopCollectorDown", "SvmtopProbeDetached",
        "SvmtopStale", "SvmtopEventsLost"}
for a in alerts:
    res, err = query(a["expr"], now)
    fired = len(res or [])
    if a["name"] in DOWN:
        check(f"alert {a['name']}: valid, does not fire on healthy data",
              err is None and fired == 0, err or res)
    else:
        check(f"alert {a['name']}: valid ({fired} series above threshold)", err is None, err)
    ops = operands(a["expr"])
    emp = []
    for o in ops:
        res, err = query(o, now)
        if err or not res:
            emp.append((o, err))
    check(f"alert {a['name']}: its {len(ops)} operand(s) without threshold return data",
          ops and not emp, emp)

finish()
