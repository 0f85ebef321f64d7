#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`svmtop export --textfile` (node_exporter's textfile collector).

usage: textfile_test.py SVMTOP FIXTURE WORKDIR

One-shot mode writes the file and exits 0; interval mode replaces it
atomically (PATH.tmp in the same directory, then rename): a reader that
opens the file in a tight loop while svmtop rewrites it every 50 ms must
only ever see whole expositions, and must see the file replaced.  No
timestamps, trailing newline, nothing left behind, clear errors.
"""
import os
import re
import signal
import subprocess
import sys
import time

SVMTOP, FIXTURE, WORK = sys.argv[1:4]
passed = failed = 0
LINE = ('svmtop_gt_svm_pagefaults_handled_total{device="0000:03:00.0",driver="xe",'
        'tile="0",gt="0"} 7001\n')


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name}{': ' + str(detail) if detail else ''}")
    sys.stdout.flush()


def whole(body):
    return (body.startswith("# HELP svmtop_build_info ") and body.endswith("\n") and
            LINE in body and body.rstrip("\n").splitlines()[-1].startswith("svmtop_gt_"))


d = os.path.join(WORK, "textfile")
os.makedirs(d, exist_ok=True)
path = os.path.join(d, "svmtop.prom")

t0 = time.time()
p = subprocess.run([SVMTOP, "export", "--collectors", "gt", "--debugfs", FIXTURE,
                    "--textfile", path], capture_output=True, text=True, timeout=20)
check(f"one shot: exit 0 in {time.time() - t0:.2f} s", p.returncode == 0, p.stderr)
body = open(path).read() if os.path.exists(path) else ""
check("one shot: a whole exposition with the fixture's values", whole(body), body[-300:])
check("one shot: no timestamps (name{labels} value, nothing after)",
      all(re.fullmatch(r'[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [^ ]+', l)
          for l in body.splitlines() if l and l[0] != "#"))
check("one shot: no .tmp left, only svmtop.prom", os.listdir(d) == ["svmtop.prom"], os.listdir(d))
check("one shot: no HTTP families in a textfile", "svmtop_http_" not in body)
check("one shot: mode 0644", (os.stat(path).st_mode & 0o777) == 0o644, oct(os.stat(path).st_mode))
pm = subprocess.run(["promtool", "check", "metrics"], input=body, capture_output=True,
                    text=True)
check("one shot: promtool check metrics", pm.returncode == 0, pm.stdout + pm.stderr)

# interval mode: atomic replacement under a reader
log = open(os.path.join(WORK, "textfile.log"), "w")
x = subprocess.Popen([SVMTOP, "export", "--collectors", "gt", "--debugfs", FIXTURE,
                      "--textfile", path, "-i", "0.05"], stdout=subprocess.DEVNULL, stderr=log)
reads = bad = 0
changes, last = 0, None
t_end = time.time() + 2.0
while time.time() < t_end:
    try:
        with open(path) as f:
            ino = os.fstat(f.fileno()).st_ino
            changes += last is not None and ino != last
            last = ino
            b = f.read()
    except FileNotFoundError:
        b = ""
    reads += 1
    if not whole(b):
        bad += 1
x.send_signal(signal.SIGTERM)
rc = x.wait(10)
check(f"interval: {reads} reads during rewrites, all whole expositions", reads > 100 and bad == 0,
      f"{bad} partial")
# (inode numbers are reused, so count changes between consecutive reads)
check(f"interval: the file was replaced under the reader ({changes} times in 2 s, every 50 ms)",
      changes >= 10)
check("interval: SIGTERM exits 0, no .tmp left", rc == 0 and os.listdir(d) == ["svmtop.prom"],
      (rc, os.listdir(d)))

# errors: one clear line, exit 1
p = subprocess.run([SVMTOP, "export", "--collectors", "gt", "--debugfs", FIXTURE,
                    "--textfile", os.path.join(WORK, "no/such/dir/x.prom")],
                   capture_output=True, text=True, timeout=20)
lines = p.stderr.strip().splitlines()
named = [l for l in lines if "x.prom" in l]
check("unwritable directory: exit 1, one line naming the file",
      p.returncode == 1 and len(named) == 1 and "cannot write" in named[0],
      (p.returncode, lines))
print(f"passed={passed} failed={failed} skipped=0")
sys.exit(1 if failed else 0)
