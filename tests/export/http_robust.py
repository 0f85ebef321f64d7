#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host tests of `svmtop export` over real loopback sockets (stdlib only).

usage: http_robust.py SVMTOP FIXTURE WORKDIR

Starts its own exporters (port 0: the kernel picks a free port, read back
from the "serving http://..." log line), talks raw HTTP to them, and
checks statuses, headers, bodies, exact values from the fixture and the
exporter's own exact request counters.  Every socket has a timeout and
every exporter is stopped at the end, so the suite ends by itself.
Prints one "ok"/"FAIL" line per check and "passed=N failed=N skipped=N".
"""
import atexit
import os
import re
import resource
import select
import signal
import socket
import subprocess
import sys
import threading
import time

SVMTOP, FIXTURE, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
passed = failed = skipped = 0
PROM_ACCEPT = ("application/openmetrics-text;version=1.0.0,"
               "application/openmetrics-text;version=0.0.1;q=0.75,"
               "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
CT_TEXT = "text/plain; version=0.0.4; charset=utf-8"
CT_OM = "application/openmetrics-text; version=1.0.0; charset=utf-8"
LABELS = 'device="0000:03:00.0",driver="xe",tile="0",gt="0"'


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


running = []


@atexit.register
def _cleanup():
    for p in running:       # only if the script itself died half-way
        if p.poll() is None:
            p.kill()


class Exporter:
    """One `svmtop export` process; port read from its log."""

    def __init__(self, *args, name="exp", nofile=None):
        self.log = os.path.join(WORK, f"{name}.log")
        self.errf = open(self.log, "w")
        pre = (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))) \
            if nofile else None
        self.p = subprocess.Popen([SVMTOP, "export", *args], preexec_fn=pre,
                                  stdout=subprocess.DEVNULL, stderr=self.errf)
        running.append(self.p)
        self.host, self.port = None, None
        deadline = time.time() + 10
        while time.time() < deadline and self.p.poll() is None:
            m = re.search(r"serving http://\[?([0-9a-f.:]+?)\]?:(\d+)/metrics",
                          open(self.log).read())
            if m:
                self.host, self.port = m.group(1), int(m.group(2))
                break
            time.sleep(0.02)
        if self.port is None:
            raise RuntimeError(f"exporter did not start: {open(self.log).read()}")

    def addr(self):
        return (self.host, self.port)

    def stop(self, sig=signal.SIGTERM, timeout=5):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
            rc = f"hung (killed), {rc}"
        self.errf.close()
        return rc


class Sock(socket.socket):
    _leftover = b""


def connect(addr, timeout=5.0, rcvbuf=None):
    fam = socket.AF_INET6 if ":" in addr[0] else socket.AF_INET
    s = Sock(fam, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(timeout)
    s.connect(addr)
    return s


def read_response(s, head_only=False):
    """(status, headers{lower: value}, body) of one response on s."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(65536)
        if not d:
            raise ConnectionError(f"closed before a full head: {buf[:200]!r}")
        buf += d
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for ln in lines[1:]:
        k, v = ln.split(":", 1)
        hdrs[k.strip().lower()] = v.strip()
    n = 0 if head_only else int(hdrs.get("content-length", "0"))
    while len(rest) < n:
        d = s.recv(1 << 20)
        if not d:
            raise ConnectionError(f"closed after {len(rest)} of {n} body bytes")
        rest += d
    s._leftover = rest[n:]
    return status, hdrs, rest[:n]


def request(addr, raw, head_only=False, timeout=5.0):
    s = connect(addr, timeout)
    try:
        s.sendall(raw)
        return read_response(s, head_only)
    finally:
        s.close()


def get(addr, path="/metrics", accept=None, close=True):
    h = f"GET {path} HTTP/1.1\r\nHost: t\r\n"
    if accept:
        h += f"Accept: {accept}\r\n"
    if close:
        h += "Connection: close\r\n"
    return request(addr, (h + "\r\n").encode())


def closed_by_peer(s, within):
    """Does the server close s (EOF or reset) within `within` seconds?"""
    s.settimeout(within)
    try:
        while True:
            d = s.recv(65536)
            if not d:
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def metric(body, name_labels):
    for ln in body.decode().splitlines():
        if ln.startswith(name_labels + " "):
            return float(ln.split(" ")[1])
    return None


sent = {}          # status code -> requests this script caused on `main`


def tally(code, n=1):
    sent[code] = sent.get(code, 0) + n


# ---------------------------------------------------------------------------
main = Exporter("--listen", "127.0.0.1:0", "--debugfs", FIXTURE,
                "--collectors", "gt", "-i", "0.2", "--read-timeout", "1",
                "--idle-timeout", "3", name="main")
A = main.addr()

# least privilege: every thread has dropped every capability once serving
if os.geteuid() == 0:
    caps = {}
    for t in os.listdir(f"/proc/{main.p.pid}/task"):
        for ln in open(f"/proc/{main.p.pid}/task/{t}/status"):
            if ln.startswith(("CapPrm", "CapEff", "CapInh", "CapAmb")):
                caps[(t, ln.split(":")[0])] = int(ln.split()[1], 16)
    check(f"root: all {len(caps) // 4} threads hold no capability (CapPrm/Eff/Inh/Amb 0)",
          len(caps) >= 8 and not any(caps.values()), caps)
    check("root: the log says what was dropped",
          "dropped all capabilities (had " in open(main.log).read())
else:
    skip("capability drop", "not root")

# formats and negotiation
st, h, b = get(A); tally(200)
check("GET /metrics: 200, text 0.0.4", st == 200 and h.get("content-type") == CT_TEXT,
      (st, h.get("content-type")))
check("text: exact fixture value (svm_pagefault_count 7001)",
      metric(b, f"svmtop_gt_svm_pagefaults_handled_total{{{LABELS}}}") == 7001)
check("text: seconds converted exactly (svm_tlb_inval_us 70040 -> 0.07004)",
      metric(b, f"svmtop_gt_svm_tlb_invalidation_seconds_total{{{LABELS}}}") == 0.07004)
check("text: bytes converted exactly (vma_pagefault_kb 7006 -> 7174144)",
      metric(b, f"svmtop_gt_vma_pagefault_bytes_total{{{LABELS}}}") == 7006 * 1024)
check("text: ends with a newline, no # EOF, no timestamps",
      b.endswith(b"\n") and b"# EOF" not in b and
      all(len(l.rsplit("} ", 1)[-1].split(" ")) <= 2 for l in b.decode().splitlines()
          if l and not l.startswith("#")))
check("text: build_info, collector_up{gt} 1, scrape duration",
      metric(b, 'svmtop_collector_up{collector="gt"}') == 1 and
      b'svmtop_build_info{version="' in b and
      metric(b, 'svmtop_scrape_duration_seconds{collector="gt"}') is not None)
age = metric(b, "svmtop_collection_age_seconds")
check(f"text: collection age {age} s < 1 s (collecting every 0.2 s; loose: a loaded host)",
      age is not None and 0 <= age < 1.0, age)
check("text: counter families keep _total in TYPE",
      b"# TYPE svmtop_gt_svm_pagefaults_handled_total counter\n" in b)
text_body = b

st, h, b = get(A, accept=PROM_ACCEPT); tally(200)
check("Prometheus' Accept: OpenMetrics 1.0.0", st == 200 and h.get("content-type") == CT_OM,
      h.get("content-type"))
check("OpenMetrics: ends with '# EOF\\n', no blank line",
      b.endswith(b"\n# EOF\n") and b"\n\n" not in b)
check("OpenMetrics: counter family named without _total, samples with",
      b"# TYPE svmtop_gt_svm_pagefaults_handled counter\n" in b and
      metric(b, f"svmtop_gt_svm_pagefaults_handled_total{{{LABELS}}}") == 7001 and
      b"# HELP svmtop_gt_svm_pagefaults_handled SVM" in b)
check("OpenMetrics: untyped family is 'unknown'",
      b"untyped" not in b)
check("OpenMetrics: same samples as text",
      sorted(l.split(" ")[0] for l in b.decode().splitlines() if l and l[0] != "#") ==
      sorted(l.split(" ")[0] for l in text_body.decode().splitlines() if l and l[0] != "#"))
om_body = b
for acc, want in [("text/plain", CT_TEXT), ("*/*", CT_TEXT),
                  ("application/openmetrics-text", CT_OM),
                  ("application/openmetrics-text;q=0.1, text/plain", CT_TEXT),
                  ("text/plain;q=0.2, application/openmetrics-text;version=1.0.0;q=0.9", CT_OM)]:
    st, h, b = get(A, accept=acc); tally(200)
    check(f"Accept: {acc} -> {want.split(';')[0]}", h.get("content-type") == want,
          h.get("content-type"))
st, h, b = get(A, "/metrics?format=openmetrics"); tally(200)
check("?format=openmetrics", h.get("content-type") == CT_OM and b.endswith(b"# EOF\n"))
st, h, b = get(A, "/metrics?format=text", accept=PROM_ACCEPT); tally(200)
check("?format=text beats Accept", h.get("content-type") == CT_TEXT)

# other paths and methods
st, h, b = request(A, b"HEAD /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                   head_only=True); tally(200)
s = connect(A)
s.sendall(b"HEAD /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"); tally(200)
raw = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    raw += d
s.close()
check("HEAD: 200, Content-Length of the body, no body bytes",
      st == 200 and int(h["content-length"]) > 1000 and raw.endswith(b"\r\n\r\n"),
      (st, h.get("content-length"), raw[-40:]))
st, h, b = get(A, "/"); tally(200)
check("GET /: 200 HTML index linking /metrics",
      st == 200 and h["content-type"].startswith("text/html") and b'href="/metrics"' in b)
st, h, b = get(A, "/nope"); tally(404)
check("GET /nope: 404", st == 404 and h.get("connection") == "close")
st, h, b = get(A, "/metrics/x"); tally(404)
check("GET /metrics/x: 404", st == 404)
for m in ("POST", "PUT", "DELETE", "OPTIONS"):
    st, h, b = request(A, f"{m} /metrics HTTP/1.1\r\nHost: t\r\n\r\n".encode()); tally(405)
    check(f"{m}: 405 with Allow: GET, HEAD", st == 405 and h.get("allow") == "GET, HEAD")

# malformed requests: 400 (or 505), connection closed, server fine
for name, raw, code in [
        ("garbage line", b"GARBAGE\r\n\r\n", 400),
        ("method only", b"GET\r\n\r\n", 400),
        ("HTTP/0.9 style", b"GET /metrics\r\n\r\n", 400),
        ("binary junk", b"\x00\x01\x02\xff\xfe\r\n\r\n", 400),
        ("target without /", b"GET metrics HTTP/1.1\r\n\r\n", 400),
        ("header without colon", b"GET /metrics HTTP/1.1\r\nHost t\r\n\r\n", 400),
        ("control char in header", b"GET /metrics HTTP/1.1\r\nX: a\x01b\r\n\r\n", 400),
        ("folded header", b"GET /metrics HTTP/1.1\r\nX: a\r\n b\r\n\r\n", 400),
        ("bad Content-Length", b"GET /metrics HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400),
        ("HTTP/2.0", b"GET /metrics HTTP/2.0\r\n\r\n", 505),
        ("HTTP/1.7x", b"GET /metrics HTTP/1.7\r\n\r\n", 505)]:
    try:
        st, h, b = request(A, raw); tally(code)
        check(f"malformed ({name}): {code}, closed", st == code and h.get("connection") == "close",
              (st, h))
    except Exception as e:
        check(f"malformed ({name}): {code}", False, e)

# oversized heads: 431, and the client really gets it (no reset)
big = b"GET /metrics HTTP/1.1\r\nHost: t\r\n" + b"X-Pad: " + b"a" * 20000 + b"\r\n\r\n"
try:
    st, h, b = request(A, big); tally(431)
    check("20 KB header: 431", st == 431, st)
except Exception as e:
    check("20 KB header: 431", False, e)
try:
    st, h, b = request(A, b"GET /" + b"m" * 9000 + b" HTTP/1.1\r\n\r\n"); tally(431)
    check("9 KB request line: 431", st == 431, st)
except Exception as e:
    check("9 KB request line: 431", False, e)
many = b"GET /metrics HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(2000)) + b"\r\n"
try:
    st, h, b = request(A, many); tally(431)
    check("2000 header lines: 431", st == 431, st)
except Exception as e:
    check("2000 header lines: 431", False, e)

# keep-alive and pipelining
s = connect(A)
s.sendall(b"GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
st1, h1, b1 = read_response(s); tally(200)
s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
st2, h2, b2 = read_response(s); tally(200)
check("keep-alive: two requests on one connection",
      st1 == 200 and st2 == 200 and h1.get("connection") == "keep-alive")
s.sendall(b"GET /metrics HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\n")
st3, _, _ = read_response(s); tally(200)
s.settimeout(5)
pre = s._leftover
s2 = s
buf = pre
while b"\r\n\r\n" not in buf:
    buf += s.recv(65536)
check("pipelined: both answered in order", st3 == 200 and buf.startswith(b"HTTP/1.1 404"),
      buf[:40]); tally(404)
s.close()
st, h, b = request(A, b"GET /metrics HTTP/1.0\r\n\r\n"); tally(200)
check("HTTP/1.0: answered and closed", st == 200 and h.get("connection") == "close")

# slow-loris: a client trickling its head does not hold up a scrape
loris = {}


def trickle():
    s = connect(A, timeout=10)
    t0 = time.time()
    st = None
    try:
        s.sendall(b"GET /metrics HTTP/1.1\r\n")
        for _ in range(40):
            s.sendall(b"X")
            if select.select([s], [], [], 0.1)[0]:     # an answer: read it
                st, _, _ = read_response(s)
                break
    except Exception as e:
        st = repr(e)
    loris["status"], loris["after"] = st, time.time() - t0
    s.close()


th = threading.Thread(target=trickle)
th.start()
time.sleep(0.3)
t0 = time.time()
st, h, b = get(A); tally(200)
dt = time.time() - t0
th.join(15)
tally(408)
check(f"slow-loris: a parallel scrape is served at once ({dt * 1000:.0f} ms)",
      st == 200 and dt < 0.9, dt)
check(f"slow-loris: 408 after --read-timeout 1 s ({loris.get('after', 0):.1f} s)",
      loris.get("status") == 408 and 0.9 <= loris["after"] < 2.5, loris)

# a connection that never sends is closed after --read-timeout
s = connect(A)
t0 = time.time()
c = closed_by_peer(s, 4)
check(f"silent connection closed after {time.time() - t0:.1f} s (read timeout 1 s)",
      c and time.time() - t0 < 3.5)
s.close()

# exact request counters of the exporter itself
st, h, b = get(A); tally(200)
counts = {int(m.group(1)): int(m.group(2)) for m in
          re.finditer(rb'svmtop_http_requests_total\{code="(\d+)"\} (\d+)', b)}
want = {c: sent.get(c, 0) for c in counts}
check("svmtop_http_requests_total equals the requests sent, by code", counts == want,
      (counts, want))
check("svmtop_http_connections_closed_total{reason=\"timeout\"} = 1 (the slow-loris)",
      metric(b, 'svmtop_http_connections_closed_total{reason="timeout"}') == 1)

# SIGTERM with connections open: clean exit 0
held = [connect(A) for _ in range(5)]
held[0].sendall(b"GET /met")
t0 = time.time()
rc = main.stop()
check(f"SIGTERM with 5 connections open: exit 0 in {time.time() - t0:.2f} s", rc == 0, rc)
for s in held:
    s.close()
log = open(main.log).read()
check("log: the stop is said once", log.count("stopping") == 1, log)

# --keep-caps keeps them (for debugging)
if os.geteuid() == 0:
    kc = Exporter("--listen", "127.0.0.1:0", "--debugfs", FIXTURE, "--collectors", "gt",
                  "--keep-caps", name="keepcaps")
    eff = [int(ln.split()[1], 16) for ln in open(f"/proc/{kc.p.pid}/status")
           if ln.startswith("CapEff")][0]
    check("--keep-caps: capabilities kept", eff != 0, hex(eff))
    kc.stop()

# 200 parallel scrapes, all connected before any sends (its own exporter
# with the default 10 s read timeout: starting 200 threads on a loaded
# host can take longer than main's 1 s)
par = Exporter("--listen", "127.0.0.1:0", "--debugfs", FIXTURE, "--collectors", "gt",
               name="parallel")
N = 200
res = [None] * N
bar = threading.Barrier(N)


def one(i):
    try:
        s = connect(par.addr(), timeout=20)
        bar.wait(20)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        st, h, b = read_response(s)
        res[i] = (st, len(b) == int(h["content-length"]) and b.endswith(b"\n"))
        s.close()
    except Exception as e:
        res[i] = repr(e)


t0 = time.time()
ths = [threading.Thread(target=one, args=(i,)) for i in range(N)]
for t in ths:
    t.start()
for t in ths:
    t.join(30)
dt = time.time() - t0
ok = sum(1 for r in res if r == (200, True))
check(f"{N} parallel connections: all 200 with whole bodies ({dt:.2f} s)", ok == N,
      [r for r in res if r != (200, True)][:3])
st, h, b = get(par.addr())
check(f"{N} parallel: the exporter counted {N} + 1 requests with 200, closed none",
      metric(b, 'svmtop_http_requests_total{code="200"}') == N + 1 and
      metric(b, 'svmtop_http_connections_closed_total{reason="limit"}') == 0)
check("parallel exporter: SIGTERM exits 0", par.stop() == 0)



# ---------------------------------------------------------------------------
# connection cap: the oldest idle connection makes room
cap = Exporter("--listen", "127.0.0.1:0", "--debugfs", FIXTURE, "--collectors", "gt",
               "--max-connections", "4", "--read-timeout", "10", name="cap")
idle = []
for _ in range(4):
    idle.append(connect(cap.addr()))
    time.sleep(0.05)
st, h, b = get(cap.addr())
check("cap 4: a 5th client is served", st == 200)
check("cap 4: the oldest idle connection was closed", closed_by_peer(idle[0], 2))
still = 0
for s in idle[1:]:
    s.setblocking(False)
    try:
        still += s.recv(1) != b""
    except BlockingIOError:
        still += 1
check("cap 4: the three younger ones stay open", still == 3, still)
check("cap 4: svmtop_http_connections_closed_total{reason=\"limit\"} 1",
      metric(b, 'svmtop_http_connections_closed_total{reason="limit"}') == 1)
for s in idle:
    s.close()
check("cap exporter: SIGINT exits 0", cap.stop(signal.SIGINT) == 0)

# few descriptors: the cap shrinks to fit, so the oldest is closed rather
# than accept() failing
few = Exporter("--listen", "127.0.0.1:0", "--debugfs", FIXTURE, "--collectors", "gt",
               "--read-timeout", "10", name="nofile", nofile=100)
check("RLIMIT_NOFILE 100: the log says the cap is 36",
      "open files limited to 100: at most 36 connections" in open(few.log).read(),
      open(few.log).read())
idle = [connect(few.addr()) for _ in range(60)]
st, h, b = get(few.addr())
check("RLIMIT_NOFILE 100, 60 idle connections: a scrape is served, 25 oldest closed",
      st == 200 and metric(b, 'svmtop_http_connections_closed_total{reason="limit"}') == 25,
      (st, metric(b, 'svmtop_http_connections_closed_total{reason="limit"}')))
for s_ in idle:
    s_.close()
check("RLIMIT_NOFILE exporter: SIGTERM exits 0", few.stop() == 0)

# ---------------------------------------------------------------------------
# partial writes: a 0.7 MB exposition to a reader that stalls, then reads
bigtree = os.path.join(WORK, "bigtree")
stats = open(os.path.join(FIXTURE, "dri/0000:03:00.0/tile0/gt0/stats")).read()
for m in range(64):
    d = os.path.join(bigtree, "dri", str(m))
    for g in (0, 1):
        os.makedirs(os.path.join(d, f"gt{g}"), exist_ok=True)
        open(os.path.join(d, f"gt{g}", "stats"), "w").write(stats)
    open(os.path.join(d, "name"), "w").write(f"xe dev=0000:{m:02x}:00.0 unique=0000:{m:02x}:00.0\n")
bigx = Exporter("--listen", "127.0.0.1:0", "--debugfs", bigtree, "--collectors", "gt",
                "-i", "0.1", name="big")
st, h, full = get(bigx.addr())
check(f"128 GTs: {len(full)} bytes, 128 read_ok series",
      st == 200 and len(full) > 500000 and
      full.count(b"svmtop_gt_stats_read_ok{") == 128, len(full))
slow = connect(bigx.addr(), timeout=20, rcvbuf=4096)
slow.sendall(b"GET /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
time.sleep(1.0)      # the server's send buffer is full by now: EAGAIN
t0 = time.time()
st2, _, b2 = get(bigx.addr())
dt = time.time() - t0
check(f"stalled reader: another scrape is served meanwhile ({dt * 1000:.0f} ms)",
      st2 == 200 and len(b2) > 500000 and dt < 2.0)
time.sleep(0.5)      # newer collections publish while the old one is sent
got = b""
t0 = time.time()
while True:
    d = slow.recv(8192)
    if not d:
        break
    got += d
    time.sleep(0.0002)
slow.close()
head, _, body = got.partition(b"\r\n\r\n")
cl = int(re.search(rb"Content-Length: (\d+)", head).group(1))
check(f"stalled reader: whole body after partial writes ({len(body)} bytes in {time.time() - t0:.2f} s)",
      len(body) == cl and body.endswith(b"svmtop_http_open_connections 1\n") or
      (len(body) == cl and body.endswith(b"\n")), (len(body), cl))
check("big exporter: SIGTERM exits 0", bigx.stop() == 0)

# ---------------------------------------------------------------------------
# IPv6 loopback
try:
    socket.socket(socket.AF_INET6).bind(("::1", 0))
    has6 = True
except OSError:
    has6 = False
if has6:
    v6 = Exporter("--listen", "[::1]:0", "--debugfs", FIXTURE, "--collectors", "gt", name="v6")
    st, h, b = get(v6.addr())
    check("[::1]: serves /metrics", st == 200 and v6.host == "::1" and
          metric(b, f"svmtop_gt_svm_pagefaults_handled_total{{{LABELS}}}") == 7001)
    # port in use: one clear line, exit 1
    p = subprocess.run([SVMTOP, "export", "--listen", f"[::1]:{v6.port}", "--debugfs",
                        FIXTURE, "--collectors", "gt"], capture_output=True, text=True,
                       timeout=10)
    lines = p.stderr.strip().splitlines()
    check("port in use: exit 1, one line saying so",
          p.returncode == 1 and len(lines) == 1 and "in use" in lines[0], (p.returncode, lines))
    check("v6 exporter: SIGTERM exits 0", v6.stop() == 0)
else:
    skip("IPv6", "no ::1 on this host")

# usage errors
for args in (["--listen", "x"], ["--listen", "1.2.3.4"], ["--listen", "::1:80"],
             ["--collectors", "gpu"], ["-i", "0"], ["--per-process=1000"],
             ["--textfile", "/tmp/x", "--listen", "127.0.0.1:0"], ["extra"]):
    p = subprocess.run([SVMTOP, "export", *args], capture_output=True, text=True, timeout=10)
    check(f"usage error {' '.join(args)}: exit 2, one line",
          p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1,
          (p.returncode, p.stderr))

# a source that is not there: served, collector_up 0, reason logged once
down = Exporter("--listen", "127.0.0.1:0", "--debugfs", os.path.join(WORK, "nonexistent"),
                "--collectors", "gt", "-i", "0.05", name="down")
time.sleep(0.5)
st, h, b = get(down.addr())
check("no debugfs tree: still serving, svmtop_collector_up{gt} 0, no GT series",
      st == 200 and metric(b, 'svmtop_collector_up{collector="gt"}') == 0 and
      b"svmtop_gt_" not in b)
down.stop()
log = open(down.log).read()
check("no debugfs tree: the reason is logged once in 10 collections",
      log.count("collector gt is down") == 1 and "no debugfs tree there" in log, log)

print(f"passed={passed} failed={failed} skipped={skipped}")
sys.exit(1 if failed else 0)
