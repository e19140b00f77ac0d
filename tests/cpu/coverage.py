#!/usr/bin/env python3
"""tests/cpu/coverage.py — which instructions the CPU test programs execute.

Runs every test ELF on espsim with --trace (the trace goes through a pipe, never to disk),
collects the mnemonics of the executed instructions and checks that:
  * every op of sim/xt_ops.h (except ILLEGAL) was executed at least once, and
  * every special-register access the SR table of sim/xt_config.h allows was executed:
    rsr.<name> for readable SRs, wsr.<name> for writable ones, xsr.<name> for swappable ones.
Undefined encodings do not appear in the list: they are executed as raw bytes by exc.S.

Prints the coverage list (count and first program per op) and exits 1 listing what is
missing, 2 on a usage or run error.

usage: coverage.py --espsim ESPSIM --ops sim/xt_ops.h --config sim/xt_config.h ELF...
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys


def parse_ops(path):
    """(ID, mnemonic) for every X(...) row of XT_OPS, in table order, without ILLEGAL."""
    text = open(path, encoding="utf-8").read()
    ops = re.findall(r'^\s*X\(\s*(\w+)\s*,\s*"([^"]+)"', text, re.M)
    if not ops:
        sys.exit(f"coverage: no X(...) rows found in {path}")
    return [(i, m) for i, m in ops if i != "ILLEGAL"]


def parse_srs(path):
    """Required SR accesses from XT_SRS: list of mnemonics such as 'rsr.sar'."""
    text = open(path, encoding="utf-8").read()
    rows = re.findall(r'^\s*X\(\s*(\d+)\s*,\s*"([^"]*)"\s*,\s*"([^"]*)"\s*,\s*([^,]+),', text,
                      re.M)
    if not rows:
        sys.exit(f"coverage: no XT_SRS rows found in {path}")
    need = []
    for num, rname, wname, flags in rows:
        f = set()
        for tok in re.findall(r"XT_SR_(RWX|R|W|X)\b", flags):
            f |= set(tok)
        if "R" in f:
            need.append(f"rsr.{rname}")
        if "W" in f:
            need.append(f"wsr.{wname}")
        if "X" in f:
            need.append(f"xsr.{rname}")
    return need


def trace_mnemonics(espsim, elf):
    """Runs elf with the trace on a pipe (fd 3); returns {mnemonic: count}."""
    rfd, wfd = os.pipe()
    proc = subprocess.Popen(
        [espsim, "run", "--machine", "qemu-sim", "--trace", f"/dev/fd/{wfd}", elf],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        pass_fds=(wfd,))
    os.close(wfd)
    counts = {}
    with os.fdopen(rfd, "rb", buffering=1 << 20) as f:
        for line in f:
            i = line.rfind(b"; ")
            if i < 0:
                continue
            mn = line[i + 2:].split(b"\t", 1)[0].strip()
            counts[mn] = counts.get(mn, 0) + 1
    err = proc.stderr.read().decode(errors="replace")
    rc = proc.wait()
    return {k.decode(): v for k, v in counts.items()}, rc, err


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--espsim", required=True)
    ap.add_argument("--ops", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--quiet", action="store_true", help="print only the summary")
    ap.add_argument("elfs", nargs="+")
    a = ap.parse_args()

    ops = parse_ops(a.ops)
    srs = parse_srs(a.config)
    seen = {}   # mnemonic -> count
    first = {}  # mnemonic -> first program that ran it
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        results = list(ex.map(lambda e: (e, trace_mnemonics(a.espsim, e)), a.elfs))
    for elf, (counts, rc, err) in results:
        name = os.path.basename(elf)
        if not counts:
            print(f"coverage: {name}: no trace (exit {rc}): {err.strip()}", file=sys.stderr)
            return 2
        for mn, n in counts.items():
            seen[mn] = seen.get(mn, 0) + n
            first.setdefault(mn, name)

    def sr_family(mn):
        return sum(n for k, n in seen.items() if k.startswith(mn + "."))

    missing = []
    if not a.quiet:
        print(f"{'op':<12} {'executed':>10}  first program")
    for op_id, mn in ops:
        if mn in ("rsr", "wsr", "xsr"):
            n = sr_family(mn)
            prog = next((first[k] for k in first if k.startswith(mn + ".")), "-")
        else:
            n = seen.get(mn, 0)
            prog = first.get(mn, "-")
        if not a.quiet:
            print(f"{mn:<12} {n:>10}  {prog if n else 'MISSING'}")
        if n == 0:
            missing.append(mn)
    if not a.quiet:
        print(f"\n{'sr access':<20} {'executed':>10}  first program")
    for mn in srs:
        n = seen.get(mn, 0)
        if not a.quiet:
            print(f"{mn:<20} {n:>10}  {first.get(mn, '-') if n else 'MISSING'}")
        if n == 0:
            missing.append(mn)

    total = len(ops) + len(srs)
    print(f"\ncoverage: {total - len(missing)}/{total} ({len(ops)} ops, {len(srs)} SR accesses)"
          f" over {len(a.elfs)} programs")
    if missing:
        print("coverage: MISSING: " + " ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
