#!/usr/bin/env python3
"""tests/gdb/rsp_test.py ESPSIM FIRMWARE.elf NM [SCENARIO NODE OUT] — drives `espsim run --gdb 0`
(or, with SCENARIO, `espsim run SCENARIO --gdb NODE:0`: one node of a scenario) with a small GDB
remote-protocol client (Debian's gdb-multiarch has no Xtensa): sets a breakpoint on user_init,
continues to it, reads the registers (pc = user_init) and memory (the instruction bytes at pc
equal the ELF's), single-steps (pc moves, time does not run while stopped: CCOUNT-derived a
registers aside, the cycle counter is unchanged between two reads), removes the breakpoint and
continues to the end of the run (the firmware prints "done", espsim exits 0)."""
import re
import socket
import subprocess
import sys

NREGS = 22


class Rsp:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.buf = b""

    def _byte(self):
        while not self.buf:
            d = self.s.recv(4096)
            if not d:
                raise EOFError("stub closed the connection")
            self.buf += d
        c, self.buf = self.buf[:1], self.buf[1:]
        return c

    def send(self, payload):
        data = payload.encode()
        self.s.sendall(b"$" + data + b"#%02x" % (sum(data) & 0xFF))
        ack = self._byte()
        if ack != b"+":
            raise AssertionError(f"no ack for {payload!r}: {ack!r}")

    def recv(self):
        while self._byte() != b"$":
            pass
        body = b""
        while (c := self._byte()) != b"#":
            body += c
        csum = self._byte() + self._byte()
        if int(csum, 16) != sum(body) & 0xFF:
            raise AssertionError(f"bad checksum in {body!r}")
        self.s.sendall(b"+")
        return body.decode()

    def cmd(self, payload):
        self.send(payload)
        return self.recv()


def regs(r):
    g = r.cmd("g")
    assert len(g) == 8 * NREGS, f"g returned {len(g)} hex digits, expected {8 * NREGS}"
    return [int.from_bytes(bytes.fromhex(g[8 * i:8 * i + 8]), "little") for i in range(NREGS)]


def main():
    espsim, elf, nm = sys.argv[1:4]
    scen = sys.argv[4:7]
    syms = subprocess.run([nm, elf], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^([0-9a-f]+) T user_init$", syms, re.M)
    assert m, "user_init not in the ELF"
    ui = int(m.group(1), 16)
    if scen:
        cmd = [espsim, "run", scen[0], "--gdb", f"{scen[1]}:0", "--out", scen[2]]
    else:
        cmd = [espsim, "run", elf, "--gdb", "0", "--until", "done", "--timeout", "5s"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()
    m = re.search(r"127\.0\.0\.1:(\d+)", line)
    assert m, f"no port announced: {line!r}"
    r = Rsp(int(m.group(1)))
    assert "PacketSize" in r.cmd("qSupported:multiprocess+")
    assert r.cmd("?") == "T05"
    assert r.cmd(f"Z0,{ui:x},3") == "OK"
    r.send("c")
    assert r.recv() == "T05", "no stop at the breakpoint"
    g = regs(r)
    assert g[16] == ui, f"pc {g[16]:#x} at the breakpoint, expected user_init {ui:#x}"
    assert r.cmd("p10") == g[16].to_bytes(4, "little").hex()
    # the instruction bytes at pc, as the ELF has them (objdump -s of the same 8 bytes)
    mem = r.cmd(f"m{ui:x},8")
    dump = subprocess.run([nm.replace("-nm", "-objdump"), "-s", f"--start-address={ui:#x}",
                           f"--stop-address={ui + 8:#x}", elf], capture_output=True, text=True,
                          check=True).stdout
    want = "".join(re.findall(r"^ [0-9a-f]+ ((?:[0-9a-f]{2,8} ?){1,4})", dump, re.M)[0].split())
    assert mem == want[:16], f"m at user_init returned {mem}, the ELF has {want}"
    a1 = g[1]
    stack = r.cmd(f"m{a1:x},4")
    assert re.fullmatch(r"[0-9a-f]{8}", stack), f"stack read {stack!r}"
    # frozen while stopped: the same registers twice
    assert regs(r) == g
    assert r.cmd("s") == "T05"
    g2 = regs(r)
    assert g2[16] != ui and 0 < g2[16] - ui <= 3, f"step went from {ui:#x} to {g2[16]:#x}"
    # write a register, read it back, restore it
    old = r.cmd("p5")
    assert r.cmd(f"P5={0x12345678.to_bytes(4, 'little').hex()}") == "OK"
    assert r.cmd("p5") == "78563412"
    assert r.cmd(f"P5={old}") == "OK"
    assert r.cmd(f"z0,{ui:x},3") == "OK"
    r.send("c")
    end = r.recv()
    assert end == "W00", f"expected the run to end (W00), got {end!r}"
    out, err = p.communicate(timeout=20)
    assert p.returncode == 0, f"espsim exit {p.returncode}: {err}"
    assert ("PASS" if scen else "done") in out, "the run did not finish after the debugger continued"
    print("rsp_test: breakpoint, registers, memory, step and continue all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
