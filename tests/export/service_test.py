#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The systemd unit packaging/systemd/svmtop-export.service, for real.

usage: service_test.py SVMTOP FIXTURE WORKDIR

- systemd-analyze verify accepts it, and its offline security exposure
  stays at 3.0 or below ("OK");
- svmtop run as an unprivileged user with exactly the unit's
  AmbientCapabilities= (via setpriv) reads GT stats that only root may
  read (a copy of the fixture with debugfs' modes: 0700 dirs, 0600 files),
  serves the fixture's exact values, and holds no capability at all once
  serving; without those capabilities it still serves, reports the
  collector down and says why in one line.
Needs root (to switch users); skipped otherwise.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

SVMTOP, FIXTURE, WORK = sys.argv[1:4]
UNIT = "packaging/systemd/svmtop-export.service"
passed = failed = skipped = 0


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


def skip(name, why):
    global skipped
    skipped += 1
    print(f"SKIP {name}: {why}")


unit = open(UNIT).read()
copy = os.path.join(WORK, "svmtop-export.service")
with open(copy, "w") as f:
    f.write(unit.replace("/usr/local/sbin/svmtop", os.path.realpath(SVMTOP)))
if shutil.which("systemd-analyze"):
    p = subprocess.run(["systemd-analyze", "verify", "--man=no", copy],
                       capture_output=True, text=True, timeout=60)
    check("systemd-analyze verify", p.returncode == 0 and not p.stderr.strip(), p.stderr)
    p = subprocess.run(["systemd-analyze", "security", "--offline=true", copy],
                       capture_output=True, text=True, timeout=60)
    m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", p.stdout)
    check(f"systemd-analyze security: exposure {m.group(1) if m else '?'} <= 3.0",
          m and float(m.group(1)) <= 3.0, p.stdout[-300:])
else:
    skip("systemd-analyze", "not installed")

amb = re.search(r"^AmbientCapabilities=(.*)$", unit, re.M).group(1).split()
bnd = re.search(r"^CapabilityBoundingSet=(.*)$", unit, re.M).group(1).split()
check("unit: bounding set == ambient set", sorted(amb) == sorted(bnd), (amb, bnd))
check("unit: NoNewPrivileges, ProtectSystem=strict, ProtectHome, PrivateTmp",
      all(re.search(f"^{k}$", unit, re.M) for k in
          ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes")))

if os.geteuid() != 0 or not shutil.which("setpriv"):
    skip("as nobody with the unit's capabilities", "needs root and setpriv")
    print(f"passed={passed} failed={failed} skipped={skipped}")
    sys.exit(1 if failed else 0)

# a root-only copy of the fixture, like debugfs (0700 directories, 0600 files)
dbg = os.path.join(WORK, "debugfs")
shutil.copytree(os.path.join(FIXTURE, "dri"), os.path.join(dbg, "dri"), symlinks=True)
for root, dirs, files in os.walk(dbg):
    os.chmod(root, 0o700)
    for f in files:
        if not os.path.islink(os.path.join(root, f)):
            os.chmod(os.path.join(root, f), 0o600)
os.chmod(WORK, 0o755)
caps = ",".join("+" + c.lower().removeprefix("cap_") for c in amb)


def run_as_nobody(capset, name):
    log = os.path.join(WORK, f"{name}.log")
    cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if capset:
        cmd += [f"--inh-caps=-all,{capset}", f"--ambient-caps=-all,{capset}",
                f"--bounding-set=-all,{capset}"]
    else:
        cmd += ["--inh-caps=-all", "--bounding-set=-all"]
    cmd += [os.path.realpath(SVMTOP), "export", "--listen", "127.0.0.1:0", "--debugfs", dbg,
            "-i", "0.2"]
    errf = open(log, "w")
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errf)
    port = None
    for _ in range(200):
        m = re.search(r"serving http://127.0.0.1:(\d+)/", open(log).read())
        if m or p.poll() is not None:
            port = m and int(m.group(1))
            break
        time.sleep(0.05)
    return p, port, log


LINE = ('svmtop_gt_svm_pagefaults_handled_total{device="0000:03:00.0",driver="xe",'
        'tile="0",gt="0"} 7001')
p, port, log = run_as_nobody(caps, "with-caps")
if check(f"nobody + {' '.join(amb)}: serving", port, open(log).read()):
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    check("nobody + caps: root-only GT stats read, exact value", LINE in body and
          'svmtop_collector_up{collector="gt"} 1' in body)
    st = {}
    for t in os.listdir(f"/proc/{p.pid}/task"):
        for ln in open(f"/proc/{p.pid}/task/{t}/status"):
            if ln.startswith(("CapPrm", "CapEff", "CapInh", "CapAmb", "Uid")):
                st[(t, ln.split(":")[0])] = ln.split()[1]
    check("nobody + caps: uid 65534, every thread without capabilities once serving",
          all(v == "65534" if k[1] == "Uid" else int(v, 16) == 0 for k, v in st.items()), st)
p.send_signal(signal.SIGTERM)
check("nobody + caps: SIGTERM exits 0", p.wait(10) == 0)
check("nobody + caps: log lists what was dropped",
      "dropped all capabilities (had " in open(log).read(), open(log).read())

p, port, log = run_as_nobody(None, "no-caps")
if check("nobody, no capabilities: still serving", port, open(log).read()):
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    check("nobody, no capabilities: collector_up{gt} 0 and no GT series",
          'svmtop_collector_up{collector="gt"} 0' in body and "svmtop_gt_" not in body)
p.send_signal(signal.SIGTERM)
check("nobody, no capabilities: SIGTERM exits 0", p.wait(10) == 0)
txt = open(log).read()
check("nobody, no capabilities: one line each for gt and hmm saying why",
      txt.count("collector gt is down: permission denied") == 1 and
      txt.count("needs root") == 1, txt)
print(f"passed={passed} failed={failed} skipped={skipped}")
sys.exit(1 if failed else 0)
