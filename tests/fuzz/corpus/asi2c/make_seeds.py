#!/usr/bin/env python3
"""Writes the fuzz_asi2c seeds here: Responder scripts in the format of tests/fuzz/fuzz_asi2c.c
(2 config bytes, then ops): a clean exchange, headers announcing too much, the maximum and zero,
payloads that do not match their header, a Responder that crashes mid-transfer or never raises
ACK, NACKs and clock stretches, a header of the wrong length or direction, a full send queue,
the Initiator's faults, and the micropython-v3 compat mode without a reset line."""
import os

here = os.path.dirname(os.path.abspath(__file__))

# c0 (Initiator config) and c1 (Responder config) bits
V3, NO_RST, RST_HIGH, ARM0, APP_READ, FAST = 1, 2, 4, 32, 64, 128
RXBUF_1, RXBUF_MAX, RXBUF_33 = 1 << 3, 2 << 3, 3 << 3
STO_5MS, STO_100MS, STO_10S = 1 << 2, 2 << 2, 3 << 2
DUP_ACK, MANUAL_BOOT = 64, 128


def op(code, a=0):
    return bytes([code | a << 4])


def delay_us(us):
    """DELAY: (m + 1) << a us, the smallest a that fits."""
    a = 0
    while (us >> a) > 256:
        a += 1
    return op(0, a) + bytes([max((us >> a) - 1, 0)])


def wait_syn(level, t):
    """t: index into {1, 10, 100 ms, 1, 2, 6, 20, 30 s}."""
    return op(1, (level & 1) | t << 1)


def ack(level, glitch=False):
    return op(2, (level & 1) | (2 if glitch else 0))


def xfer(read, n, data=None, abort_bits=None, nack_at=None, addr=None, no_stop=False):
    a = (1 if read else 0) | (2 if data is not None else 0) | (8 if no_stop else 0)
    ext = abort_bits is not None or nack_at is not None or addr is not None
    out = b""
    if ext:
        a |= 4
        e = (1 if abort_bits is not None else 0) | (2 if nack_at is not None else 0) \
            | (4 if addr is not None else 0)
        p = abort_bits if abort_bits is not None else (nack_at or 0)
        out = bytes([e, p]) + (bytes([addr]) if addr is not None else b"")
    return op(3, a) + bytes([n]) + out + (data or b"")


def exch(h0, h1, p2_len=None, payload=None, hl=None, wrong_dir=False):
    a = (1 if p2_len is not None else 0) | (2 if payload is not None else 0) \
        | (4 if hl is not None else 0) | (8 if wrong_dir else 0)
    out = op(4, a)
    if p2_len is not None:
        out += bytes([p2_len & 0xFF, p2_len >> 8])
    if hl is not None:
        out += bytes([hl])
    return out + bytes([h0, h1]) + (payload or b"")


def send(n, newline=True):
    return op(5, (n >> 8) & 7 | (0 if newline else 8)) + bytes([n & 0xFF])


NACK, STRETCH, STUCK_LOW, STUCK_HIGH, OVERSIZE = range(5)


def fault(kind, p):
    return op(6, kind) + bytes([p])


def raw(scl, level):
    return op(7, (1 if scl else 0) | (2 if level else 0))


def crash(freeze=False, float_ack=False, hang_ms=None):
    a = (1 if freeze else 0) | (2 if float_ack else 0) | (4 if hang_ms is not None else 0)
    return op(8, a) + (bytes([hang_ms // 10]) if hang_ms is not None else b"")


def line(text):
    return exch(len(text), 0, payload=text)


quiet = exch(0, 0)
seeds = {
    # a line each way, then quiet exchanges (default timing: the first exchange at 1.3 s)
    "clean.bin": bytes([0, 0]) + send(6) + line(b"pong!\n") + quiet * 3,
    # fast timing, several lines both ways, the app reading late (hold-off bits)
    "fast_lines.bin": bytes([FAST | APP_READ, 0]) + send(12) + send(40) + line(b"one\n")
    + line(b"two\ntwo\n") + exch(20, 0x80, payload=b"held off line 20...\n") + quiet * 4
    + send(100) + line(b"a partial line") + line(b" ends here\n") + quiet * 2,
    # H2 announces 201 (> rxbufsize 200): OVERSIZE, reboot, then clean
    "too_long.bin": bytes([FAST, 0]) + exch(201, 0) + quiet + exch(0xFF, 0x7F) + quiet * 2,
    # the same in micropython-v3 mode: ValueError kills _run (no reboot)
    "too_long_v3.bin": bytes([FAST | V3, 0]) + exch(0x00, 0x04) + quiet,
    # the largest accepted (rxbufsize 1024) and one past it
    "max_len.bin": bytes([FAST | RXBUF_MAX, 0]) + exch(0x00, 0x04) + exch(0x01, 0x04) + quiet,
    # zero length, zero with hold-off, zero header but a payload written anyway
    "zero.bin": bytes([FAST, 0]) + exch(0, 0) + exch(0, 0x80) + exch(0, 0, p2_len=5) + quiet,
    # header and payload disagree: 10 announced, 4 written (short), 30 written (overwrite)
    "mismatch.bin": bytes([FAST, 0]) + exch(10, 0, p2_len=4) + quiet + exch(10, 0, p2_len=30)
    + quiet + exch(3, 0, p2_len=3, payload=b"ok\n"),
    # the Responder crashes mid-byte of H1 with the lines frozen; reset; recovers
    "crash_mid.bin": bytes([FAST, 0]) + send(8) + wait_syn(1, 6) + delay_us(70)
    + xfer(True, 2, abort_bits=12, no_stop=True) + crash(freeze=True) + line(b"back\n") + quiet,
    # crash in P2 (after its header), ACK floating, then a hang that outlives the timeout
    "crash_p2.bin": bytes([FAST, 0]) + wait_syn(1, 6) + delay_us(70) + xfer(True, 2) + ack(1)
    + wait_syn(0, 4) + ack(0) + ack(1) + wait_syn(1, 4) + delay_us(20)
    + xfer(False, 2, data=bytes([8, 0])) + ack(0) + wait_syn(0, 4) + ack(1) + wait_syn(1, 4)
    + xfer(False, 8, abort_bits=30) + crash(float_ack=True, hang_ms=400) + quiet * 2,
    # H1 read but ACK never raised: ACK_HIGH timeout; then ACK raised but never dropped
    "no_ack.bin": bytes([FAST, 0]) + wait_syn(1, 6) + delay_us(70) + xfer(True, 2)
    + wait_syn(1, 6) + delay_us(70) + xfer(True, 2) + ack(1) + quiet * 2,
    # the Initiator NACKs its address (fault) and stretches; the Responder NACKs H1's first byte
    "nack_stretch.bin": bytes([FAST, STO_10S]) + fault(NACK, 1) + quiet + fault(STRETCH, 50)
    + quiet + wait_syn(1, 6) + delay_us(70) + xfer(True, 2, nack_at=1) + quiet * 2,
    # H2 of 1 and 3 bytes, H2 read instead of written, a wrong address
    "wrong_hdr.bin": bytes([FAST, 0]) + exch(0, 0, hl=1) + quiet + exch(0, 0, hl=3) + quiet
    + exch(0, 0, wrong_dir=True) + quiet + wait_syn(1, 6) + delay_us(70)
    + xfer(True, 2, addr=0x24) + quiet,
    # the send queue: 17 lines, a too long one, 4 KB in total
    "queue.bin": bytes([FAST, 0]) + send(1025) + send(2047) + send(1024) * 4 + send(10) * 17
    + quiet * 3 + line(b"x\n"),
    # SYN stuck, oversize H1 (the Responder's handler dies), raw glitches, ACK glitches
    "faults.bin": bytes([FAST | ARM0, DUP_ACK]) + fault(STUCK_HIGH, 4) + quiet + fault(OVERSIZE, 1)
    + quiet + quiet + raw(False, False) + raw(True, False) + raw(False, True) + raw(True, True)
    + ack(1, glitch=True) + fault(STUCK_LOW, 2) + quiet * 2,
    # no reset line, v3, reset active high, manual sync: the link dies on its first failure
    "no_reset.bin": bytes([V3 | NO_RST | RST_HIGH | FAST, MANUAL_BOOT]) + ack(0) + quiet
    + wait_syn(1, 6),
    # rxbufsize 1: a 2-byte line refused, 1-byte lines accepted; slow controller clock
    "rxbuf1.bin": bytes([FAST | RXBUF_1, 3 | STO_5MS]) + exch(1, 0, payload=b"a")
    + exch(1, 0, payload=b"\n") + exch(2, 0) + quiet,
    # rxbufsize 1024, two 811-byte payloads without '\n' (pattern seed 43 ^ 3 = 40): a line
    # longer than ASI2C_LINE_MAX, delivered in pieces
    "long_line.bin": bytes([FAST | RXBUF_MAX, 0]) + exch(43, 3) + exch(43, 3) + line(b"\n")
    + quiet,
}
for name, data in seeds.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
