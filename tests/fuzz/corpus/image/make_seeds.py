#!/usr/bin/env python3
"""Writes the fuzz_image seeds here (fuzz_image.c pads each with 0xFF to a whole flash dump):
v1 images (reference/lx106.md 5.2: header {0xE9, segment count, flash mode, size/frequency,
entry}, segments {load address, length, data}, zero padding so the checksum byte ends at a
multiple of 16, checksum 0xEF ^ every data byte), a boot_v1.x-style layout (a tiny second-stage
loader as the v1 image at 0, a v2 user1 image at 0x1000, 5.4) and broken variants.
The code is call0 lx106 machine code assembled once with xtensa-lx106-elf-as --no-transform;
the listings are beside the bytes. Literals come first in each blob (l32r reads backwards)."""
import os
import struct
import zlib

here = os.path.dirname(os.path.abspath(__file__))

IRAM = 0x40100000
DRAM = 0x3FFE8000
ETS_PUTC = 0x40002BE8
SPI_READ = 0x40004B1C
CACHE_READ_ENABLE = 0x40004678
USER1 = 0x1000


def le32(v):
    return struct.pack("<I", v)


# "ok\n" through ets_putc, then idle; entry at offset 4.
#   0: .word ets_putc
#   4: movi a2, 'o'; l32r a0, putc; callx0 a0; (the same for 'k' and '\n')
#  1f: waiti 0; j 1f
MIN_CODE = le32(ETS_PUTC) + bytes.fromhex(
    "22a06f01feffc0000022a06b01fcffc0000022a00a01f9ffc0000000700046feff")
MIN_ENTRY = 4

# Prints the NUL-terminated string at DRAM start, then idles; entry at offset 8.
#   0: .word ets_putc, 0x3FFE8000
#   8: l32r a12, str
#   b: l8ui a2, a12, 0; beqz a2, 1d; l32r a0, putc; callx0 a0; addi a12, a12, 1; j b
#  1d: waiti 0; j 1d
DRAM_CODE = le32(ETS_PUTC) + le32(DRAM) + bytes.fromhex(
    "c1ffff220c0016b20001fbffc00000c2cc0146fbff00700046feff")
DRAM_ENTRY = 8

# A load from address 0: LoadProhibited (28), the ROM's fatal-exception report.
#   0: movi a3, 0; l32i a2, a3, 0
FAULT_CODE = bytes.fromhex("32a000222300")


def v1_image(entry, segments, size_freq=0x00, mode=0):
    """A v1 image: header, segments (addr, data), zero padding, checksum."""
    out = bytearray([0xE9, len(segments), mode, size_freq]) + le32(entry)
    csum = 0xEF
    for addr, data in segments:
        out += le32(addr) + le32(len(data)) + data
        for b in data:
            csum ^= b
    while len(out) % 16 != 15:
        out.append(0)
    out.append(csum)
    return bytes(out)


def pad4(b):
    return b + bytes(-len(b) % 4)


def pad16(b):
    return b + bytes(-len(b) % 16)


def boot_layout():
    """Flash 0: a v1 loader in IRAM that SPIReads user1's RAM segment, maps flash MB 0 with
    Cache_Read_Enable(0, 0, 1) and jumps to the app; 0x1000: a v2 user1 image {0xEA, 4, mode,
    app 1, entry; segment {0, irom length} with the flash-resident code at 0x40201010; a v1
    image of the RAM segment (size byte 0x20: 1 MB, 40 MHz); the CRC-32 as the SDK's
    gen_appbin.py stores it}. The app prints 'u', calls the flash code (prints '1'), prints
    '\\n' and idles."""
    # flash code at 0x40201010 (flash 0x1010):
    #   0: j 8;  4: .word ets_putc
    #   8: mov a12, a0; movi a2, '1'; l32r a0, putc; callx0 a0; mov a0, a12; ret
    irom = pad16(bytes.fromhex("06010000") + le32(ETS_PUTC) +
                 bytes.fromhex("00c02022a03101fdffc00000c00c20800000"))
    # RAM code at 0x40100200; entry at offset 8:
    #   0: .word ets_putc, 0x40201010
    #   8: movi a2, 'u'; l32r a0, putc; callx0 a0; l32r a0, irom; callx0 a0
    #  17: movi a2, '\n'; l32r a0, putc; callx0 a0;  20: waiti 0; j 20
    app_addr = IRAM + 0x200
    app = pad4(le32(ETS_PUTC) + le32(0x40201010) + bytes.fromhex(
        "22a07501fdffc0000001fcffc0000022a00a01f9ffc0000000700046feff"))
    app_entry = app_addr + 8
    ram_v1 = v1_image(app_entry, [(app_addr, app)], size_freq=0x20)
    user1 = bytearray([0xEA, 4, 0, 1]) + le32(app_entry) + le32(0) + le32(len(irom)) + irom
    app_flash = USER1 + len(user1) + 16  # data of the v1 part's one segment
    user1 += ram_v1
    crc = zlib.crc32(bytes(user1)) & 0xFFFFFFFF
    user1 += le32(~crc & 0xFFFFFFFF if crc & 0x80000000 else crc + 1)
    # the loader at 0x40100000; entry at offset 0x18:
    #   0: .word src, dst, len, SPIRead, Cache_Read_Enable, app entry
    #  18: l32r a2, src; l32r a3, dst; l32r a4, len; l32r a0, SPIRead; callx0 a0
    #  27: movi a2, 0; movi a3, 0; movi a4, 1; l32r a0, Cache_Read_Enable; callx0 a0
    #  36: l32r a0, entry; jx a0
    loader = (le32(app_flash) + le32(app_addr) + le32(len(app)) + le32(SPI_READ) +
              le32(CACHE_READ_ENABLE) + le32(app_entry) + bytes.fromhex(
                  "21faff31faff41faff01faffc0000022a00032a00042a00101f8ffc0000001f7ffa00000"))
    boot = v1_image(IRAM + 0x18, [(IRAM, pad4(loader))], size_freq=0x20)
    flash = bytearray(b"\xff" * USER1)
    flash[:len(boot)] = boot
    return bytes(flash + user1)


minimal = v1_image(IRAM + MIN_ENTRY, [(IRAM, MIN_CODE)])
bad = bytearray(minimal)
bad[-1] ^= 0x5A
iram_dram = v1_image(IRAM + DRAM_ENTRY, [(IRAM, DRAM_CODE), (DRAM, b"iram+dram\n\0\0")],
                     size_freq=0x20, mode=2)
seeds = {
    "minimal.bin": minimal,
    "bad_checksum.bin": bytes(bad),
    "iram_dram.bin": iram_dram,
    "fault.bin": v1_image(IRAM, [(IRAM, FAULT_CODE)]),
    "boot_user1.bin": boot_layout(),
    "trunc_header.bin": minimal[:6],
    "trunc_segment.bin": iram_dram[:40],
    "trunc_checksum.bin": minimal[:len(minimal) - 1],
    "outside_ram.bin": v1_image(IRAM, [(0x40200000, MIN_CODE)]),
}
for name, data in seeds.items():
    assert len(data) < 65536
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
