#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_cpu (tests/fuzz/fuzz_cpu.c) into this directory.

Each seed is one selector byte and a body of hand-encoded LX106 code (no toolchain needed; the
encodings are those of docs/reference/lx106.md section 2, checked against the table of verified
words there). Selector: bit 7 machine (0 qemu-sim, 1 esp8266), bits 2:0 region, bits 4:3 start
state (0 PS 0x20, 1 PS 0, 2 PS 0x1F, 3 interrupts on), bit 5 VECBASE = the region's base,
bit 6 the second run single-steps. The body is placed at the region's base, where pc starts.

With VECBASE at the region, the vectors are the body's bytes at +0x10 (debug), +0x20 (NMI),
+0x30 (kernel), +0x50 (user) and +0x70 (double); such seeds start with a jump over them to
MAIN. Run: python3 make_seeds.py (rewrites every *.bin it makes; stdlib only, deterministic).
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# selector bits
ESP = 0x80
STEP = 0x40
VEC = 0x20
PS_USER, PS_KERNEL, PS_RESET, IRQ_ON = 0 << 3, 1 << 3, 2 << 3, 3 << 3
# regions (fuzz_cpu.c fc_qsim[] / fc_esp[])
Q_IRAM1, Q_IRAM0, Q_IROM, Q_DRAM0, Q_DRAM1, Q_DROM, Q_SYSROM, Q_SYSRAM = range(8)
E_IRAM, E_IRAM_HI, E_FLASH, E_FLASH_END, E_DRAM, E_SYSRAM, E_RTCMEM, E_ROM = range(8)

# special registers
SAR, LITBASE, EPC1, DEPC, EXCSAVE1 = 3, 5, 177, 192, 209
INTSET, INTCLEAR, INTENABLE, PS, VECBASE, EXCCAUSE = 226, 227, 228, 230, 231, 232
CCOUNT, CCOMPARE0, EXCVADDR = 234, 240, 238

VEC_DEBUG, VEC_NMI, VEC_KERNEL, VEC_USER, VEC_DOUBLE = 0x10, 0x20, 0x30, 0x50, 0x70
MAIN = 0x100


def w3(w):
    return bytes([w & 0xFF, (w >> 8) & 0xFF, (w >> 16) & 0xFF])


def w2(w):
    return bytes([w & 0xFF, (w >> 8) & 0xFF])


def rrr(op0, op1, op2, r, s, t):
    return w3(op2 << 20 | op1 << 16 | r << 12 | s << 8 | t << 4 | op0)


def rri8(op0, r, s, t, imm8):
    return w3((imm8 & 0xFF) << 16 | r << 12 | s << 8 | t << 4 | op0)


class Asm:
    """A body being assembled: bytes at offsets from the region base (pc = base + offset)."""

    def __init__(self, base, size=0x200):
        self.base = base
        self.buf = bytearray(size)
        self.pos = 0

    def org(self, off):
        self.pos = off
        return self

    @property
    def pc(self):
        return self.base + self.pos

    def emit(self, b):
        end = self.pos + len(b)
        if end > len(self.buf):
            self.buf.extend(bytes(end - len(self.buf)))
        self.buf[self.pos:end] = b
        self.pos = end
        return self

    def word(self, v):
        return self.emit(struct.pack("<I", v & 0xFFFFFFFF))

    # --- RRR ---
    def add(self, r, s, t): return self.emit(rrr(0, 0, 8, r, s, t))
    def sub(self, r, s, t): return self.emit(rrr(0, 0, 12, r, s, t))
    def and_(self, r, s, t): return self.emit(rrr(0, 0, 1, r, s, t))
    def or_(self, r, s, t): return self.emit(rrr(0, 0, 2, r, s, t))
    def xor(self, r, s, t): return self.emit(rrr(0, 0, 3, r, s, t))
    def mull(self, r, s, t): return self.emit(rrr(0, 2, 8, r, s, t))
    def mov(self, t, s): return self.or_(t, s, s)

    def slli(self, r, s, sa):
        v = 32 - sa
        return self.emit(rrr(0, 1, v >> 4, r, s, v & 15))

    def srli(self, r, t, sa): return self.emit(rrr(0, 1, 4, r, sa, t))
    def rsr(self, sr, t): return self.emit(w3(0x03 << 16 | sr << 8 | t << 4))
    def wsr(self, sr, t): return self.emit(w3(0x13 << 16 | sr << 8 | t << 4))
    def xsr(self, sr, t): return self.emit(w3(0x61 << 16 | sr << 8 | t << 4))
    def rsil(self, t, lvl): return self.emit(w3(0x006000 | lvl << 8 | t << 4))
    def ret(self): return self.emit(w3(0x000080))
    def jx(self, s): return self.emit(w3(0x0000A0 | s << 8))
    def callx0(self, s): return self.emit(w3(0x0000C0 | s << 8))
    def isync(self): return self.emit(w3(0x002000))
    def memw(self): return self.emit(w3(0x0020C0))
    def nop(self): return self.emit(w3(0x0020F0))
    def rfe(self): return self.emit(w3(0x003000))
    def rfde(self): return self.emit(w3(0x003200))
    def syscall(self): return self.emit(w3(0x005000))
    def simcall(self): return self.emit(w3(0x005100))
    def ill(self): return self.emit(w3(0x000000))
    def break_(self, s, t): return self.emit(w3(0x004000 | s << 8 | t << 4))
    def waiti(self, lvl): return self.emit(w3(0x007000 | lvl << 8))
    def witlb(self, t, s): return self.emit(rrr(0, 0, 5, 6, s, t))

    # --- RRI8 loads, stores, immediates ---
    def l8ui(self, t, s, off): return self.emit(rri8(2, 0, s, t, off))
    def l16ui(self, t, s, off): return self.emit(rri8(2, 1, s, t, off // 2))
    def l16si(self, t, s, off): return self.emit(rri8(2, 9, s, t, off // 2))
    def l32i(self, t, s, off): return self.emit(rri8(2, 2, s, t, off // 4))
    def s8i(self, t, s, off): return self.emit(rri8(2, 4, s, t, off))
    def s16i(self, t, s, off): return self.emit(rri8(2, 5, s, t, off // 2))
    def s32i(self, t, s, off): return self.emit(rri8(2, 6, s, t, off // 4))
    def addi(self, t, s, imm): return self.emit(rri8(2, 12, s, t, imm))
    def addmi(self, t, s, imm): return self.emit(rri8(2, 13, s, t, imm >> 8))

    def movi(self, t, imm):
        assert -2048 <= imm <= 2047
        return self.emit(rri8(2, 10, (imm >> 8) & 15, t, imm & 0xFF))

    # --- narrow ---
    def l32i_n(self, t, s, off): return self.emit(w2((off // 4) << 12 | s << 8 | t << 4 | 8))
    def s32i_n(self, t, s, off): return self.emit(w2((off // 4) << 12 | s << 8 | t << 4 | 9))
    def add_n(self, r, s, t): return self.emit(w2(r << 12 | s << 8 | t << 4 | 10))
    def addi_n(self, r, s, imm):
        assert imm == -1 or 1 <= imm <= 15
        return self.emit(w2(r << 12 | s << 8 | (0 if imm == -1 else imm) << 4 | 11))
    def mov_n(self, t, s): return self.emit(w2(s << 8 | t << 4 | 13))
    def nop_n(self): return self.emit(w2(0xF03D))
    def ret_n(self): return self.emit(w2(0xF00D))
    def ill_n(self): return self.emit(w2(0xF06D))

    def movi_n(self, s, imm):
        assert 0 <= imm <= 95
        return self.emit(w2((imm & 15) << 12 | s << 8 | (imm >> 4) << 4 | 12))

    # --- PC-relative ---
    def l32r(self, t, target):
        off = target - ((self.pc + 3) & ~3)
        assert off < 0 and off % 4 == 0 and off >= -262144, hex(off)
        return self.emit(w3(((off >> 2) & 0xFFFF) << 8 | t << 4 | 1))

    def l32r_abs(self, t, imm16):
        """L32R with LITBASE enabled: the address is LITBASE-relative (imm16 as encoded)."""
        return self.emit(w3((imm16 & 0xFFFF) << 8 | t << 4 | 1))

    def j(self, target):
        off = target - (self.pc + 4)
        assert -131072 <= off < 131072
        return self.emit(w3((off & 0x3FFFF) << 6 | 6))

    def call0(self, target):
        assert target % 4 == 0
        off = (target - ((self.pc & ~3) + 4)) >> 2
        return self.emit(w3((off & 0x3FFFF) << 6 | 5))

    def call4(self, target):  # windowed: not in the lx106 (IllegalInstruction)
        off = (target - ((self.pc & ~3) + 4)) >> 2
        return self.emit(w3((off & 0x3FFFF) << 6 | 1 << 4 | 5))

    def entry(self, s, frame):  # windowed: not in the lx106 (IllegalInstruction)
        return self.emit(w3((frame // 8) << 12 | s << 8 | 0x36))

    def _bri12(self, m, s, target):
        off = target - (self.pc + 4)
        assert -2048 <= off < 2048
        return self.emit(w3((off & 0xFFF) << 12 | s << 8 | (m << 2 | 1) << 4 | 6))

    def beqz(self, s, target): return self._bri12(0, s, target)
    def bnez(self, s, target): return self._bri12(1, s, target)
    def bltz(self, s, target): return self._bri12(2, s, target)

    def _rri8b(self, r, s, t, target):
        off = target - (self.pc + 4)
        assert -128 <= off < 128
        return self.emit(rri8(7, r, s, t, off))

    def beq(self, s, t, target): return self._rri8b(1, s, t, target)
    def bne(self, s, t, target): return self._rri8b(9, s, t, target)
    def bltu(self, s, t, target): return self._rri8b(3, s, t, target)

    def bnei(self, s, r_index, target):
        off = target - (self.pc + 4)
        return self.emit(w3((off & 0xFF) << 16 | r_index << 12 | s << 8 | (1 << 2 | 2) << 4 | 6))

    # --- macros ---
    def li(self, t, value, pool):
        """Loads a 32-bit constant: movi when it fits, else l32r from a literal appended to pool
        (a list of (offset, value) the caller places below the code with place_pool)."""
        if -2048 <= value <= 2047:
            return self.movi(t, value)
        return self.l32r(t, self.base + pool.lit(value))

    def exit_qsim(self, code_reg):
        """qemu-sim semihosting exit(code_reg); an IllegalInstruction on the esp8266."""
        self.mov(3, code_reg)
        self.movi(2, 1)
        return self.simcall()

    def bytes(self):
        return bytes(self.buf)


class Pool:
    """Literals at fixed offsets (below the code that loads them)."""

    def __init__(self, asm, start):
        self.asm, self.next, self.vals = asm, start, {}

    def lit(self, value):
        value &= 0xFFFFFFFF
        if value not in self.vals:
            self.vals[value] = self.next
            save = self.asm.pos
            self.asm.org(self.next).word(value)
            self.asm.org(save)
            self.next += 4
        return self.vals[value]


QSIM_BASE = [0x40100000, 0x40000000, 0x40200000, 0x3FFC0000, 0x3FF80000, 0x3FF40000,
             0x50000000, 0x60000000]
ESP_BASE = [0x40100000, 0x40108000, 0x40200000, 0x402F0000, 0x3FFE8000, 0x3FFFC000,
            0x60001000, 0x40000000]
QSIM_DATA, ESP_DATA = 0x3FFC0000, 0x3FFE8000


def base_of(sel):
    return (ESP_BASE if sel & ESP else QSIM_BASE)[sel & 7]


def with_vectors(sel, user=None, double=None, kernel=None, debug=None, nmi=None):
    """A body with a jump at 0 to MAIN, the given vector code and a literal pool at 0x80."""
    a = Asm(base_of(sel))
    a.org(0).j(a.base + MAIN)
    for off, fn in ((VEC_DEBUG, debug), (VEC_NMI, nmi), (VEC_KERNEL, kernel),
                    (VEC_USER, user), (VEC_DOUBLE, double)):
        if fn:
            a.org(off)
            fn(a)
    pool = Pool(a, 0x80)
    a.org(MAIN)
    return a, pool


def step_over(a):
    """A handler that skips a 3-byte faulting instruction, counts in a9 and returns (RFE)."""
    a.rsr(EPC1, 8).addi(8, 8, 3).wsr(EPC1, 8).addi(9, 9, 1).rfe()


def seeds():
    out = {}

    # 1. a counted loop, then exit(a5): qemu-sim instram1 and the esp8266's IRAM and flash.
    for name, sel in (("loop_qsim", Q_IRAM1), ("loop_esp_iram", ESP | E_IRAM),
                      ("loop_esp_flash", ESP | E_FLASH), ("loop_qsim_sysram", Q_SYSRAM)):
        a = Asm(base_of(sel))
        a.movi(4, 100).movi(5, 0)
        top = a.pc
        a.addi(5, 5, 3).addi_n(4, 4, -1).bnez(4, top)
        a.exit_qsim(5)
        out[name] = bytes([sel]) + a.bytes()

    # 2. loads and stores of every width into the data area (a2), with an unaligned word load
    #    (LoadStoreAlignment) stepped over by the user vector's handler.
    for name, sel in (("ldst_qsim", Q_IRAM1 | VEC), ("ldst_esp", ESP | E_IRAM | VEC),
                      ("ldst_qsim_step", Q_DRAM1 | VEC | STEP)):
        a, pool = with_vectors(sel, user=step_over, double=step_over)
        data = ESP_DATA if sel & ESP else QSIM_DATA
        a.li(2, data + 0x1000, pool).li(6, 0x8081F2F3, pool)
        a.s8i(6, 2, 0).s8i(6, 2, 1).s16i(6, 2, 2).s32i(6, 2, 4).s32i_n(6, 2, 8)
        a.l8ui(7, 2, 1).l16ui(8, 2, 2).l16si(10, 2, 2).l32i(11, 2, 4).l32i_n(12, 2, 8)
        a.l32i(13, 2, 255 * 4).s16i(6, 2, 510)
        a.addi(14, 2, 1).l32i(13, 14, 0)  # unaligned: cause 9, stepped over
        a.addi(14, 2, 3).s16i(6, 14, 0)  # unaligned store
        a.l8ui(13, 3, 1)  # byte load from the code (IRAM: LoadStoreError on the esp8266)
        a.add(5, 7, 8).add(5, 5, 10).add(5, 5, 9)
        a.exit_qsim(5)
        out[name] = bytes([sel]) + a.bytes()

    # 3. self-modifying code: a loop runs a slot once, stores a new instruction word over it
    #    (32-bit store: IRAM takes no narrower one), optionally ISYNC, and runs it again.
    for isync in (True, False):
        for name, sel in (("smc_qsim", Q_IRAM1 | VEC), ("smc_esp", ESP | E_IRAM | VEC),
                          ("smc_qsim_step", Q_IRAM0 | VEC | STEP)):
            a, pool = with_vectors(sel, user=step_over, double=step_over)
            slot = a.base + 0x180  # word-aligned
            new_word = int.from_bytes(Asm(0).movi_n(5, 42).nop_n().bytes()[:4], "little")
            a.movi(4, 2)  # two passes
            a.li(6, new_word, pool).li(7, slot, pool)
            a.j(slot)
            a.org(slot - a.base).movi_n(5, 1).nop_n()  # the slot: a5 = 1 until rewritten
            a.addi_n(4, 4, -1)
            done = a.pc + 3 + 3 + (3 if isync else 0) + 3
            a.beqz(4, done)
            a.s32i(6, 7, 0)
            if isync:
                a.isync()
            a.j(slot)
            assert a.pc == done
            a.exit_qsim(5)  # exit(42)
            out[f"{name}{'_isync' if isync else '_noisync'}"] = bytes([sel]) + a.bytes()

    # 4. vectors that fault on their own first instruction: ILL, a load from address 0 and a
    #    VECBASE written with WSR to memory that cannot be fetched (DRAM on the esp8266,
    #    unmapped space on qemu-sim). The node stops with "CPU lockup" (qemu-sim: its own
    #    report at the first such entry).
    for name, sel in (("vec_ill_qsim", Q_IRAM1 | VEC), ("vec_ill_esp", ESP | E_IRAM | VEC),
                      ("vec_ill_esp_flash", ESP | E_FLASH | VEC | STEP),
                      ("vec_ill_esp_kernel", ESP | E_IRAM | VEC | PS_KERNEL),
                      ("vec_ill_esp_reset", ESP | E_IRAM_HI | VEC | PS_RESET)):
        a, pool = with_vectors(sel, user=lambda a: a.ill(), double=lambda a: a.ill(),
                               kernel=lambda a: a.ill())
        a.nop().ill()
        out[name] = bytes([sel]) + a.bytes()
    for name, sel in (("vec_null_qsim", Q_IRAM1 | VEC), ("vec_null_esp", ESP | E_IRAM | VEC)):
        a, pool = with_vectors(sel, user=lambda a: a.l32i(4, 15, 0),
                               double=lambda a: a.l32i(4, 15, 0))
        a.movi(15, 0).l32i(4, 15, 0)
        out[name] = bytes([sel]) + a.bytes()
    for name, sel, vb in (("vec_wsr_unfetchable_esp", ESP | E_IRAM, 0x3FFE8000),
                          ("vec_wsr_rtc_esp", ESP | E_IRAM, 0x60001000),
                          ("vec_wsr_unmapped_qsim", Q_IRAM1, 0x20000000)):
        a = Asm(base_of(sel))
        pool = Pool(a, 0x10)
        a.org(0).j(a.base + 0x40)
        a.org(0x40).li(2, vb, pool).wsr(VECBASE, 2).isync().ill()
        out[name] = bytes([sel]) + a.bytes()
    # a double-exception handler that repairs the fault and returns with RFDE: not a lockup
    for name, sel in (("vec_rfde_qsim", Q_IRAM1 | VEC), ("vec_rfde_esp", ESP | E_IRAM | VEC)):
        data = ESP_DATA if sel & ESP else QSIM_DATA

        def user(a):
            a.l32i(4, 15, 0).rsr(EPC1, 8).addi(8, 8, 3).wsr(EPC1, 8).rfe()

        def double(a, data=data):
            a.j(a.base + 0x1C0)

        a, pool = with_vectors(sel, user=user, double=double)
        lit = pool.lit(data)
        save = a.pos
        a.org(0x1C0).l32r(15, a.base + lit).addi(9, 9, 1).rfde()
        a.org(save)
        a.movi(15, 0).ill().movi(5, 7).exit_qsim(9)
        out[name] = bytes([sel]) + a.bytes()

    # 5. l32r literals (PC-relative and through LITBASE), call0/ret, callx0/ret.n, jx, and the
    #    windowed call/entry forms the lx106 lacks (IllegalInstruction, stepped over).
    for name, sel in (("calls_qsim", Q_IRAM1 | VEC), ("calls_esp", ESP | E_IRAM | VEC),
                      ("calls_esp_flash", ESP | E_FLASH | VEC)):
        a, pool = with_vectors(sel, user=step_over, double=step_over)
        f1, f2 = a.base + 0x180, a.base + 0x1A0
        a.movi(5, 0)
        a.call0(f1)
        a.li(6, f2, pool).callx0(6)
        a.call4(f1)  # illegal on the lx106
        a.entry(1, 32)  # illegal
        a.li(7, a.base + 0x80, pool).addi(7, 7, 1)  # LITBASE = the pool, enabled
        a.wsr(LITBASE, 7).isync()
        a.l32r_abs(8, 0)  # LITBASE + 0 (imm16 0 -> offset -262144 + ... as encoded)
        a.movi(7, 0).wsr(LITBASE, 7)
        a.li(6, a.base + 0x1C0, pool).jx(6)
        a.org(0x180).addi(5, 5, 1).ret()
        a.org(0x1A0).addi(5, 5, 2).ret_n()
        a.org(0x1C0).exit_qsim(5)
        out[name] = bytes([sel]) + a.bytes()

    # 6. interrupts: CCOMPARE0 (interrupt 6) handled at the user vector, re-armed each time,
    #    a software interrupt (7) raised with WSR INTSET, WAITI between them; exit after 8.
    for name, sel in (("irq_qsim", Q_IRAM1 | VEC | IRQ_ON), ("irq_esp", ESP | E_IRAM | VEC | IRQ_ON),
                      ("irq_esp_step", ESP | E_IRAM | VEC | IRQ_ON | STEP)):
        def user(a):
            a.j(a.base + 0x1C0)

        a, pool = with_vectors(sel, user=user, double=lambda a: a.ill())
        save = a.pos
        a.org(0x1C0)
        a.rsr(CCOUNT, 8).addi(8, 8, 100).wsr(CCOMPARE0, 8)
        a.movi(8, 0x80).wsr(INTCLEAR, 8)
        a.addi(9, 9, 1).rfe()
        a.org(save)
        a.movi(9, 0).rsil(2, 0)
        top = a.pc
        a.movi(8, 0x80).wsr(INTSET, 8)
        a.waiti(0)
        a.bnei(9, 8, top)  # b4const[8] = 8
        a.exit_qsim(9)
        out[name] = bytes([sel]) + a.bytes()

    # 7. BREAK (the debug vector), SYSCALL (handled), a NOP sled through every vector.
    for name, sel in (("break_qsim", Q_IRAM1 | VEC), ("break_esp", ESP | E_IRAM | VEC)):
        def debug(a):
            a.rsr(EPC1 + 1, 8).addi(8, 8, 3).wsr(EPC1 + 1, 8).emit(w3(0x003210))  # rfi 2

        a, pool = with_vectors(sel, user=step_over, double=step_over, debug=debug)
        a.break_(1, 2).syscall().movi(5, 3).exit_qsim(5)
        out[name] = bytes([sel]) + a.bytes()

    # 8. code where fetches fault (esp8266 DRAM and RTC memory), through the ROM's vectors.
    for name, sel in (("nox_esp_dram", ESP | E_DRAM), ("nox_esp_rtc", ESP | E_RTCMEM),
                      ("nox_esp_sysram", ESP | E_SYSRAM | VEC)):
        a = Asm(base_of(sel))
        a.movi(5, 1).ill()
        out[name] = bytes([sel]) + a.bytes()

    # 9. the ROM models called with registers from the body (pc = a hook chosen by word 0).
    for i, word in enumerate((0, 5, 17, 40, 77, 123)):
        body = struct.pack("<I", word) + struct.pack("<IIII", 0x3FFE8100, 16, 0x3FFE8200, 4)
        body += bytes(range(64))
        out[f"rom_hook_{i}"] = bytes([ESP | E_ROM | (PS_USER if i % 2 else PS_KERNEL)]) + body

    # 10. qemu-sim code in its data and ROM regions, and at the very end of the flash window.
    for name, sel in (("loop_qsim_dram0", Q_DRAM0 | VEC), ("loop_qsim_drom", Q_DROM),
                      ("loop_qsim_sysrom", Q_SYSROM | PS_RESET), ("loop_esp_flash_end", ESP | E_FLASH_END | VEC)):
        a, pool = with_vectors(sel, user=step_over, double=step_over)
        a.movi(4, 10)
        top = a.pc
        a.mull(6, 4, 4).slli(6, 6, 3).srli(6, 6, 2).addi_n(4, 4, -1).bnez(4, top)
        a.ill().exit_qsim(6)
        out[name] = bytes([sel]) + a.bytes()
    # 11. regression: a ROM model that returns to itself without charging time
    #     (_xtos_unhandled_interrupt with a0 = its own address) spun at one instant forever.
    for name, sel in (("rom_ret_self_esp", ESP | E_IRAM), ("rom_ret_self_esp_irq", ESP | E_IRAM | IRQ_ON)):
        a = Asm(base_of(sel))
        pool = Pool(a, 0x10)
        a.org(0).j(a.base + 0x40)
        a.org(0x40).li(0, 0x4000DC3C, pool).jx(0)
        out[name] = bytes([sel]) + a.bytes()
    return out


def main():
    for name, data in sorted(seeds().items()):
        with open(os.path.join(HERE, name + ".bin"), "wb") as f:
            f.write(data)
    print(f"wrote {len(seeds())} seeds to {HERE}")


if __name__ == "__main__":
    main()
