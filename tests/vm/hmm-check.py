#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check one `svmtop stat --bpf --json` run against exact expected counts.

  hmm-check.py LABEL FILE (--tgid N | --comm NAME [--not-tgid N,...])
               [--save OUT] [counter=value ...]

FILE holds the NDJSON samples; the last one (written when svmtop got
SIGINT after the workload) is checked.  Exactly one process may have
counted anything: the one chosen by --tgid, or else the only process with
counts, whose comm must be NAME and whose tgid none of --not-tgid.  Every
counter not named on the command line must be 0; the named ones must be
exact.  Latency sums are not checked (timings), but every histogram must
hold exactly as many entries as calls it describes, and the backend's
health counters must all be 0.  The device-wide eviction counters
(migrate_device_*, no process) are named evict_<counter>.

  hmm-check.py --same LABEL A B     the saved counters of two runs agree

Prints one "ok"/"FAIL" line; exit status 0 on ok.
"""
import json
import sys

TIMING = ("ns_sum",)


def counters(obj):
    return {k: v for k, v in obj.items()
            if isinstance(v, int) and not k.endswith(TIMING) and k != "tgid"}


def fail(label, msgs):
    print("FAIL %s: %s" % (label, "; ".join(msgs)))
    sys.exit(1)


def same(label, a, b):
    x = json.load(open(a))
    y = json.load(open(b))
    diff = ["%s %s vs %s" % (k, x.get(k), y.get(k))
            for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]
    if diff:
        fail(label, diff)
    print("ok   %s" % label)


def main(argv):
    if argv[:1] == ["--same"]:
        return same(*argv[1:4])
    label, path = argv[0], argv[1]
    tgid = comm = save = None
    not_tgid = set()
    want = {}
    i = 2
    while i < len(argv):
        a = argv[i]
        if a in ("--tgid", "--comm", "--not-tgid", "--save"):
            v = argv[i + 1]
            i += 2
            if a == "--tgid":
                tgid = int(v)
            elif a == "--comm":
                comm = v
            elif a == "--not-tgid":
                not_tgid |= {int(t) for t in v.split(",") if t}
            else:
                save = v
            continue
        k, v = a.split("=", 1)
        want[k] = int(v)
        i += 1

    lines = [l for l in open(path) if l.strip()]
    if not lines:
        fail(label, ["no sample in %s" % path])
    s = json.loads(lines[-1])
    msgs = []
    busy = [p for p in s["processes"] if any(counters(p).values())]
    if tgid is not None:
        mine = [p for p in busy if p["tgid"] == tgid]
        others = [p for p in busy if p["tgid"] != tgid]
    else:
        mine = busy[:1]
        others = busy[1:]
        if mine and mine[0]["comm"] != comm:
            msgs.append("counts on %s[%s], want comm %s" %
                        (mine[0]["comm"], mine[0]["tgid"], comm))
        if mine and mine[0]["tgid"] in not_tgid:
            msgs.append("counts on tgid %s, which must not have any" %
                        mine[0]["tgid"])
    for p in others:
        msgs.append("unexpected counts on %s[%s]" % (p["comm"], p["tgid"]))
    got = counters(mine[0]) if mine else {k: 0 for k in counters(s["total"])}
    if counters(s["total"]) != got:
        msgs.append("total differs from the process's counts")
    # Device-wide eviction counters (no process): evict_<name>.
    got.update({"evict_" + k: v for k, v in counters(s["evictions"]).items()})
    for k in sorted(set(got) | set(want)):
        if k not in got:
            msgs.append("no counter %s" % k)
        elif got[k] != want.get(k, 0):
            msgs.append("%s=%d want %d" % (k, got[k], want.get(k, 0)))
    p = mine[0] if mine else s["total"]
    for h, n in (("hrf_hist_ns", "hrf_calls"),
                 ("to_device_hist_ns", "to_device_finalizes"),
                 ("to_system_hist_ns", "to_system_finalizes")):
        if sum(p.get(h, [])) != p.get(n, 0):
            msgs.append("%s holds %d, %s=%d" % (h, sum(p.get(h, [])), n,
                                                p.get(n, 0)))
    bad = {k: v for k, v in s["health"].items() if v}
    if bad:
        msgs.append("backend health %s" % bad)
    if save:
        json.dump(got, open(save, "w"), sort_keys=True)
    if msgs:
        fail(label, msgs)
    shown = " ".join("%s=%d" % (k, v) for k, v in sorted(got.items()) if v)
    print("ok   %s: %s" % (label, shown or "all 0"))


if __name__ == "__main__":
    main(sys.argv[1:])
