#!/usr/bin/env python3
"""Writes the fuzz_radio seeds here: medium scripts (3 bytes a step, see fuzz_radio.c) that send
unicast and broadcast frames, change channels, switch radios, partition and heal, and one real
ESP-NOW MPDU (from espnow_pingpong's air.pcap layout) for the frame parser."""
import os

here = os.path.dirname(os.path.abspath(__file__))


def step(port, op, arg, b1, dt):
    return bytes([port | op << 2 | arg << 5, b1, dt])


seeds = {
    "unicast.bin": b"".join(step(p, 0, (p + 1) & 3, 32, 3) for p in range(4)) * 4,
    "broadcast.bin": b"".join(step(p, 2, 0, 200, 1) for p in range(4)) * 3,
    "collide.bin": step(0, 0, 1, 10, 0) + step(2, 0, 1, 10, 0) + step(3, 2, 0, 10, 0) * 3,
    "channels.bin": step(1, 3, 0, 5, 1) + step(0, 0, 1, 20, 2) + step(1, 3, 0, 0, 50)
    + step(0, 0, 1, 20, 2),
    "radio_off.bin": step(1, 4, 0, 0, 1) + step(0, 1, 1, 40, 1) * 5 + step(1, 4, 1, 0, 200),
    "partition.bin": step(2, 5, 0, 1, 0) + step(0, 0, 2, 30, 2) * 3 + step(0, 6, 0, 0, 9)
    + step(0, 0, 2, 30, 2),
    "loss.bin": step(0, 7, 5, 0, 0) + step(0, 0, 1, 60, 4) * 8,
    # a unicast ESP-NOW frame with FCS (FC d0 00, 32-byte body 'P' seq 0)
    "espnow_frame.bin": bytes.fromhex(
        "d0003a015ccf7f0000025ccf7f000001ffffffffffff0000"
        "7f18fe343df99723dd2518fe3404015000000000ce120800090a0b0c0d0e0f10111213141516"
        "1718191a1b1c1d1e1f"),
}
for name, data in seeds.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
