#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_i2c (tests/fuzz/fuzz_i2c.c explains the input format):
bit-banged controller transactions (participant 0, half period ~1 us) against the target at
0x12. Run from this directory; the .i2c files it writes are committed."""

SDA, SCL = 0, 1
H = (12, 244)  # 244 << 12 ps = 0.999 us
NOW = (0, 0)


def step(who, line, level, delay):
    s, m = delay
    return bytes([who | line << 2 | level << 3 | s << 4, m])


class Ctl:
    def __init__(self):
        self.out = bytearray()

    def drive(self, line, level, delay):
        self.out += step(0, line, level, delay)

    def start(self):
        self.drive(SDA, 0, H)
        self.drive(SCL, 0, H)

    def bit(self, v):
        self.drive(SDA, v, NOW)
        self.drive(SCL, 1, H)
        self.drive(SCL, 0, H)

    def write(self, b):
        for i in range(7, -1, -1):
            self.bit(b >> i & 1)
        self.bit(1)  # release SDA for the ACK

    def read(self, n):
        for k in range(n):
            for _ in range(8):
                self.bit(1)
            self.bit(1 if k == n - 1 else 0)  # NACK the last

    def stop(self):
        self.drive(SDA, 0, NOW)
        self.drive(SCL, 1, H)
        self.drive(SDA, 1, H)

    def restart(self):
        self.drive(SDA, 1, NOW)
        self.drive(SCL, 1, H)
        self.drive(SDA, 0, H)
        self.drive(SCL, 0, H)

    def owner(self, line, level, delay=NOW):
        self.out += step(3, line, level, delay)


def seeds():
    c = Ctl()  # the asi2c quiet exchange: S 25 00 00 P, S 24 00 00 P (protocols.md A.6)
    c.start(); c.write(0x25); c.read(2); c.stop()
    c.start(); c.write(0x24); c.write(0x00); c.write(0x00); c.stop()
    yield "exchange", c.out

    c = Ctl()  # write, repeated START, read
    c.start(); c.write(0x24); c.write(0x01); c.restart(); c.write(0x25); c.read(1); c.stop()
    yield "restart", c.out

    c = Ctl()  # clock stretch by the owner after the address, and a byte that stretches itself
    c.start()
    for i in range(7, -1, -1):
        c.bit(0x24 >> i & 1)
    c.owner(SDA, 0)  # hold SCL (it is low now)
    c.drive(SDA, 1, NOW)
    c.drive(SCL, 1, H)
    c.owner(SDA, 1, (12, 255))  # release a little later: the stretch
    c.drive(SCL, 0, H)
    c.write(0x5A); c.owner(SDA, 1, (14, 200)); c.stop()
    yield "stretch", c.out

    c = Ctl()  # STOP in mid-byte, clocks on an idle bus, refused address, other participants
    c.start(); c.bit(0); c.bit(0); c.bit(1); c.stop()
    for _ in range(3):
        c.drive(SCL, 0, H); c.drive(SCL, 1, H)
    c.owner(SCL, 1); c.start(); c.write(0x24); c.stop(); c.owner(SCL, 0)
    c.out += step(1, SDA, 0, H) + step(2, SDA, 0, NOW) + step(1, SDA, 1, H) + step(2, SDA, 1, H)
    c.out += step(2, SCL, 0, (15, 3)) + step(2, SCL, 1, (15, 9))
    yield "errors", c.out


if __name__ == "__main__":
    for name, data in seeds():
        with open(name + ".i2c", "wb") as f:
            f.write(data)
