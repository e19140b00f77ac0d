#!/usr/bin/env python3
"""Test firmware_run_budget_demo (docs/profiling.md): every budget violation of budget_demo is
found with the right symbol and duration, the compliant handlers produce none, the flash-resident
ISR is reported as an IRAM risk, per-handler counts are right, a handler override lifts a budget,
trace.json has the trace-event structure and profile.folded the folded-stack syntax.

usage: check_budget_demo.py ESPSIM budget_demo.elf hello.elf budget_demo_crash.elf WORKDIR"""
import json
import os
import re
import subprocess
import sys

espsim, elf, hello, crash, work = sys.argv[1:6]
errors = []


def fail(msg):
    errors.append(msg)
    print("FAIL " + msg)


def run(args, out_dir=None):
    cmd = [espsim, "run"] + args
    if out_dir:
        cmd += ["--profile-out", out_dir]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


out = os.path.join(work, "budget_demo")
rc, so, se = run([elf, "--until", "BUDGET_DEMO DONE", "--timeout", "5s", "--profile",
                  "--budget-fail"], out)
print(se)
if rc != 1:
    fail("exit code %d with --budget-fail and violations, expected 1" % rc)
if "BUDGET_DEMO DONE" not in so:
    fail("the demo did not finish")

viol = re.findall(r"VIOLATION (\w+) (\S+): ([0-9.]+) us > budget (\d+) us", se)
want = [("isr", "isr_slow", 80.0, 81.5, 50)] * 3 + [
    ("task", "demo_task", 20000.0, 20005.0, 15000),
    ("timer", "timer_slow_cb", 17000.0, 17005.0, 15000),
    ("busy", "busy", 600000.0, 601000.0, 500000),
]
got = sorted(viol)
if len(viol) != len(want):
    fail("%d violations, expected %d: %s" % (len(viol), len(want), viol))
for kind, name, lo, hi, budget in want:
    match = [v for v in viol if v[0] == kind and v[1] == name]
    if not match:
        fail("no %s violation for %s" % (kind, name))
        continue
    for v in match:
        d = float(v[2])
        if not lo <= d <= hi:
            fail("%s %s lasted %.3f us, expected %.0f..%.0f" % (kind, name, d, lo, hi))
        if int(v[3]) != budget:
            fail("%s %s budget %s us, expected %d" % (kind, name, v[3], budget))
for ok in ("isr_ok", "isr_flash", "timer_ok_cb"):
    if any(v[1] == ok for v in viol):
        fail("compliant handler %s reported as a violation" % ok)
# the stack at the instant the budget was exceeded: inside the delay, in the slow handler
m = re.search(r"VIOLATION isr isr_slow:.*\n\s+at (\S+)\n\s+in isr_slow\n", se)
if not m or not m.group(1).startswith("ets_delay_us"):
    fail("isr_slow's call stack does not show ets_delay_us called from isr_slow")

risks = re.findall(r"IRAM-RISK interrupt handler (\S+) (executes from|reads)", se)
if not risks or any(r[0] != "isr_flash" for r in risks):
    fail("IRAM risks %s, expected isr_flash only" % risks)
if ("isr_flash", "executes from") not in risks:
    fail("isr_flash executing from the flash window not reported")

for name, count in (("isr_ok", 10), ("isr_slow", 3), ("isr_flash", 2), ("timer_ok_cb", 1),
                    ("timer_slow_cb", 1)):
    m = re.search(r"^\s+\w+\s+%s\s+(\d+)\s" % re.escape(name), se, re.M)
    if not m or int(m.group(1)) != count:
        fail("%s count %s, expected %d" % (name, m.group(1) if m else None, count))

# trace.json: Chrome trace event format, one process (this node), spans nested per track
try:
    with open(os.path.join(out, "trace.json")) as f:
        tr = json.load(f)
    ev = tr["traceEvents"]
    pids = {e["pid"] for e in ev}
    if pids != {1}:
        fail("trace.json processes %s, expected {1}" % pids)
    names = [e for e in ev if e["ph"] == "M" and e["name"] == "process_name"]
    if len(names) != 1:
        fail("trace.json has %d process_name records" % len(names))
    spans = [e for e in ev if e["ph"] == "X"]
    for e in spans:
        for k in ("name", "cat", "ts", "dur", "pid", "tid"):
            if k not in e:
                fail("trace event without %s: %s" % (k, e))
                break
        if e["dur"] < 0:
            fail("negative duration: %s" % e)
    slow = [e for e in spans if e["name"] == "isr_slow"]
    if len(slow) != 3 or not all(80.0 <= e["dur"] <= 81.5 for e in slow):
        fail("trace.json isr_slow spans: %s" % slow)
except (OSError, ValueError, KeyError) as e:
    fail("trace.json: %s" % e)

# profile.folded: "frame;frame;... count"
try:
    lines = open(os.path.join(out, "profile.folded")).read().splitlines()
    if not lines:
        fail("profile.folded is empty")
    for line in lines:
        if not re.match(r"^[^ ;]+(;[^;]+)* \d+$", line):
            fail("profile.folded line not folded syntax: %r" % line)
            break
    if not any(";isr_slow;" in l or l.split()[0].endswith(";isr_slow") for l in lines):
        fail("no sample inside isr_slow in profile.folded")
    if not any("demo_task" in l for l in lines):
        fail("no sample inside demo_task in profile.folded")
except OSError as e:
    fail("profile.folded: %s" % e)

# a per-handler budget lifts isr_slow's violations, a global one moves the task budget
rc, so, se = run([elf, "--until", "BUDGET_DEMO DONE", "--timeout", "5s", "--profile",
                  "--budget", "isr_slow=100us,task=30ms,busy=1s"])
viol2 = re.findall(r"VIOLATION (\w+) (\S+):", se)
if viol2 != []:
    fail("with isr_slow=100us,task=30ms,busy=1s: violations %s, expected none" % viol2)
if rc != 0:
    fail("exit code %d without --budget-fail, expected 0" % rc)

# a compliant firmware: no violations, exit 0 with --budget-fail
rc, so, se = run([hello, "--until", "done", "--budget-fail", "--profile"])
if rc != 0 or "VIOLATION" in se:
    fail("hello with --budget-fail: exit %d, %s" % (rc, re.findall(r"VIOLATION.*", se)))

# the crash the IRAM rule prevents: a flash-resident FRC1 handler during a sector erase
rc, so, se = run([crash, "--timeout", "2s", "--profile"])
if rc != 3:
    fail("budget_demo_crash: exit %d, expected 3 (guest fault)" % rc)
if "Exception (2): InstructionFetchError" not in se or "<hw_isr_flash" not in se:
    fail("budget_demo_crash: no InstructionFetchError in hw_isr_flash:\n" + se[-800:])
if not re.search(r"IRAM-RISK interrupt handler hw_timer_isr_cb executes from the flash window at "
                 r"hw_isr_flash .*faulted with the flash window off", se):
    fail("budget_demo_crash: the crash is not reported as an IRAM risk")
if "survived the erase" in so:
    fail("budget_demo_crash: the firmware survived the erase")

if errors:
    print("check_budget_demo: %d failures" % len(errors))
    sys.exit(1)
print("check_budget_demo: ok")
