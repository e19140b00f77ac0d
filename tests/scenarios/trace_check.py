#!/usr/bin/env python3
"""Test scenario_trace_mesh10 (docs/profiling.md): espnow_mesh10 with --profile writes a
trace.json in the Chrome trace event format with one process per node (named after it), CPU
spans properly nested per track, radio airtime on the tx/rx tracks; profiling changes nothing
the nodes do: events.jsonl equals the unprofiled run's except for the added budget reports.

usage: trace_check.py ESPSIM SCENARIO FIRMWARE_DIR OUT_DIR"""
import json
import os
import re
import subprocess
import sys

espsim, scenario, fwdir, out = sys.argv[1:5]
errors = []


def fail(msg):
    errors.append(msg)
    print("FAIL " + msg)


def run(name, extra):
    d = os.path.join(out, name)
    p = subprocess.run([espsim, "run", scenario, "--firmware-path", fwdir, "--out", d,
                        "--timeout-wall", "300s"] + extra, capture_output=True, text=True)
    if p.returncode != 0:
        fail("%s: exit %d: %s" % (name, p.returncode, p.stderr.strip()[-300:]))
    return d


plain = run("plain", [])
prof = run("profiled", ["--profile"])


def events(d, drop):
    with open(os.path.join(d, "events.jsonl")) as f:
        return [l for l in f.read().splitlines() if json.loads(l)["event"] not in drop]


a = events(plain, ())
b = events(prof, ("budget", "iram-risk"))
if a != b:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            fail("events.jsonl differs with --profile at line %d:\n  %s\n  %s" % (i + 1, x, y))
            break
    else:
        fail("events.jsonl has %d lines, %d with --profile" % (len(a), len(b)))

nodes = []
with open(scenario) as f:
    in_nodes = False
    for line in f:
        if re.match(r"^\w", line):
            in_nodes = line.startswith("nodes:")
        m = re.match(r"^\s*- \{?name:\s*([\w.-]+)", line)
        if in_nodes and m:
            nodes.append(m.group(1))
try:
    with open(os.path.join(prof, "trace.json")) as f:
        tr = json.load(f)
except (OSError, ValueError) as e:
    fail("trace.json: %s" % e)
    tr = {"traceEvents": []}
ev = tr.get("traceEvents")
if not isinstance(ev, list) or not ev:
    fail("trace.json has no traceEvents list")
    ev = []
procs = {e["pid"]: e["args"]["name"] for e in ev if e.get("ph") == "M" and e.get("name") == "process_name"}
if sorted(procs.values()) != sorted(nodes) or len(procs) != len(nodes):
    fail("processes %s, expected one per node %s" % (sorted(procs.values()), nodes))
for e in ev:
    if e.get("ph") not in ("M", "X", "i"):
        fail("unexpected phase: %s" % e)
        break
    if e["pid"] not in procs:
        fail("event of an unnamed process: %s" % e)
        break
    if e["ph"] in ("X", "i") and not (isinstance(e.get("ts"), (int, float)) and e["ts"] >= 0):
        fail("bad ts: %s" % e)
        break
    if e["ph"] == "X" and not (isinstance(e.get("dur"), (int, float)) and e["dur"] >= 0):
        fail("bad dur: %s" % e)
        break
spans = [e for e in ev if e.get("ph") == "X"]
for pid in procs:
    for tid in (1, 2, 3, 4, 5):
        s = sorted((e["ts"], -e["dur"], e["ts"] + e["dur"]) for e in spans
                   if e["pid"] == pid and e["tid"] == tid)
        stack = []
        for ts, _, end in s:
            while stack and stack[-1] <= ts + 1e-6:
                stack.pop()
            if stack and end > stack[-1] + 1e-6:
                fail("pid %d tid %d: span at %.6f us overlaps its parent" % (pid, tid, ts))
                break
            stack.append(end)
    tx = [e for e in spans if e["pid"] == pid and e["tid"] == 6]
    rx = [e for e in spans if e["pid"] == pid and e["tid"] == 9]
    if not tx or not rx:
        fail("node %s: %d radio tx and %d rx spans" % (procs[pid], len(tx), len(rx)))
    if not any(e["tid"] == 2 for e in spans if e["pid"] == pid):
        fail("node %s: no task spans" % procs[pid])
    if not any(e["tid"] == 1 for e in spans if e["pid"] == pid):
        fail("node %s: no interrupt spans" % procs[pid])
for f in ("profile.txt", "profile.folded"):
    if not os.path.getsize(os.path.join(prof, f)):
        fail("%s is empty" % f)
if errors:
    sys.exit(1)
print("trace_check: ok (%d events, %d processes)" % (len(ev), len(procs)))
