#!/usr/bin/env python3
"""tests/cpu/rangen/tracecmp.py — find the first instruction whose effects differ between a QEMU
per-instruction log and an espsim trace (docs/random-testing.md).

    tracecmp.py QEMU_LOG ESPSIM_TRACE

QEMU_LOG comes from `qemu-system-xtensa ... -singlestep -d cpu,nochain -D QEMU_LOG` (one
"PC=..." block with A00..A15 and SAR= per executed instruction, logged before it runs);
ESPSIM_TRACE from `espsim run --trace ESPSIM_TRACE` (one line per instruction, before it runs:
"pc=... a0=... a15=... sar=.. ps=... ; disasm"). Record k of either file is the state before
instruction k, so the effects of instruction k are record k+1. The traces are aligned by
instruction count and compared on pc, a0..a15 and SAR. Both files are read lazily, so huge logs
cost only up to the divergence.

Exit status: 0 identical, 1 divergence found (reported on stdout), 2 usage or unreadable input.
"""
import re
import sys

FIELDS = ["pc"] + ["a%d" % i for i in range(16)] + ["sar"]

_QEMU_AREG = re.compile(r"\bA(\d\d)=([0-9a-fA-F]{8})")
_QEMU_SAR = re.compile(r"\bSAR=([0-9a-fA-F]+)")
_ESP_FIELD = re.compile(r"\b(pc|a\d+|sar|ps)=([0-9a-fA-F]+)")


def qemu_records(path):
    """Yields (state dict, None) for each PC= block of a QEMU -d cpu log."""
    cur = None
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("PC="):
                if cur is not None:
                    yield cur, None
                cur = {"pc": int(line[3:11], 16)}
            elif cur is None:
                continue
            elif line.startswith(" A"):
                for num, val in _QEMU_AREG.findall(line):
                    cur["a%d" % int(num)] = int(val, 16)
            elif " SAR=" in line:
                m = _QEMU_SAR.search(line)
                if m:
                    cur["sar"] = int(m.group(1), 16)
    if cur is not None:
        yield cur, None


def espsim_records(path):
    """Yields (state dict, disassembly) for each line of an espsim trace."""
    with open(path, errors="replace") as f:
        for line in f:
            if not line.startswith("pc="):
                continue
            regs, _, dis = line.rstrip("\n").partition(" ; ")
            st = {k: int(v, 16) for k, v in _ESP_FIELD.findall(regs)}
            yield st, dis.replace("\t", " ").strip()


def fmt(field, value):
    if value is None:
        return "--------"
    return ("%02x" if field == "sar" else "%08x") % value


def operands(dis):
    """Register names an instruction's disassembly mentions, in order, without repeats."""
    seen = []
    for r in re.findall(r"\ba(\d+)\b", dis.partition(" ")[2]):
        name = "a" + r
        if name not in seen:
            seen.append(name)
    return seen


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: tracecmp.py QEMU_LOG ESPSIM_TRACE\n")
        return 2
    try:
        q = qemu_records(argv[1])
        e = espsim_records(argv[2])
        prev_e = None
        prev_dis = ""
        n = 0
        while True:
            rq = next(q, None)
            re_ = next(e, None)
            if rq is None and re_ is None:
                print("traces identical (%d instructions)" % n)
                return 0
            if rq is None or re_ is None:
                who, other = ("QEMU", "espsim") if rq is None else ("espsim", "QEMU")
                last = prev_e[0]["pc"] if prev_e else 0
                print("%s's trace ends after %d instructions (last pc=%08x: %s); %s continues"
                      % (who, n, last, prev_dis, other))
                if re_ is not None:
                    print("  espsim's next: pc=%08x %s" % (re_[0].get("pc", 0), re_[1]))
                if rq is not None:
                    print("  QEMU's next:   pc=%08x" % rq[0].get("pc", 0))
                return 1
            sq, se = rq[0], re_[0]
            diff = [f for f in FIELDS if sq.get(f) != se.get(f)]
            if diff:
                if prev_e is None:
                    print("initial states differ: " + ", ".join(
                        "%s qemu=%s espsim=%s" % (f, fmt(f, sq.get(f)), fmt(f, se.get(f)))
                        for f in diff))
                    return 1
                before = prev_e[0]
                print("first divergence: instruction #%d pc=%08x  %s" % (n - 1, before["pc"],
                                                                          prev_dis))
                ins = operands(prev_dis) + ["sar"]
                print("  before: " + " ".join("%s=%s" % (r, fmt(r, before.get(r))) for r in ins))
                for f in diff:
                    print("  after:  %-4s qemu=%s espsim=%s (was %s)"
                          % (f, fmt(f, sq.get(f)), fmt(f, se.get(f)), fmt(f, before.get(f))))
                return 1
            prev_e, prev_dis = re_, re_[1]
            n += 1
    except OSError as ex:
        sys.stderr.write("tracecmp.py: %s\n" % ex)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
