/* tests/cpu/asm/mem.S — loads, stores and L32R (incl. LITBASE), offsets at the ends of their
 * ranges, byte order and extension; alignment faults (cause 9); PIF address errors for
 * fetch/load/store outside the memory map (14/15); region protection: TLB reads, probes,
 * invalidates and writes, with every attribute 0..15 tried by load, store and fetch
 * (20/28/29) (reference/lx106.md §1.7, §1.9, §2.4, §9). */
#include "macros.inc"

    .begin  no-transform

#define SYSRAM 0x60000000

    .section .bss.mbuf, "aw", @nobits
    .balign 16
mbuf:
    .skip   2048

/* Literal table for LITBASE: the literals sit just below a 4 KB boundary. */
    .section .data.lit, "aw"
    .balign 4096
    .skip   4096 - 16
    .word   0x44444444, 0x33333333, 0x22222222, 0x11111111
lit_base:

/* A literal far (about 200 KB) below its L32R. */
    .text
    .balign 4
.Lfar_lit:
    .word   0xcafef00d
    .skip   200000

    test_main

    test_begin "stores and loads"
    movaddr a2, mbuf
    movaddr a3, 0x11223344
    s32i    a3, a2, 0
    l8ui    a4, a2, 0
    check_reg a4, "l8ui +0"
    l8ui    a4, a2, 1
    check_reg a4, "l8ui +1"
    l8ui    a4, a2, 2
    check_reg a4, "l8ui +2"
    l8ui    a4, a2, 3
    check_reg a4, "l8ui +3"
    l16ui   a4, a2, 0
    check_reg a4, "l16ui +0"
    l16ui   a4, a2, 2
    check_reg a4, "l16ui +2"
    l32i    a4, a2, 0
    check_reg a4, "l32i +0"
    movaddr a3, 0x80f17f02
    s32i    a3, a2, 4
    l16si   a4, a2, 4
    check_reg a4, "l16si 0x7f02"
    l16si   a4, a2, 6
    check_reg a4, "l16si 0x80f1"
    l16ui   a4, a2, 6
    check_reg a4, "l16ui 0x80f1"
    l8ui    a4, a2, 7
    check_reg a4, "l8ui 0x80"
    /* partial stores */
    movaddr a3, 0xa1b2c3d4
    s8i     a3, a2, 8
    s8i     a3, a2, 10
    s16i    a3, a2, 12
    s16i    a3, a2, 18
    s32i    a3, a2, 20
    movi    a3, 0x7e
    s8i     a3, a2, 9
    dump    "partial stores", mbuf, 6
    /* maximal offsets */
    movi    a3, 0x5b
    s8i     a3, a2, 255
    movaddr a3, 0x1234abcd
    s16i    a3, a2, 510
    s32i    a3, a2, 1020
    l8ui    a4, a2, 255
    check_reg a4, "l8ui +255"
    l16ui   a4, a2, 510
    check_reg a4, "l16ui +510"
    l16si   a4, a2, 510
    check_reg a4, "l16si +510"
    l32i    a4, a2, 1020
    check_reg a4, "l32i +1020"
    /* narrow forms, offsets 0..60 */
    movi    a3, 0x10
    .irp off, 0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60
    addi    a3, a3, 1
    s32i.n  a3, a2, \off
    .endr
    movi    a5, 0
    .irp off, 0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60
    l32i.n  a4, a2, \off
    slli    a5, a5, 1
    add     a5, a5, a4
    .endr
    check_reg a5, "l32i.n/s32i.n fold"
    dump    "narrow", mbuf, 16
    /* loads from code memory (instram1) and stores/loads in every RAM region */
    movaddr a2, main
    l32i    a4, a2, 0
    check_reg a4, "l32i from main"
    .irp addr, 0x3ff60000, 0x3ffa0000, 0x3ffe0000, 0x40020000, 0x40180000, 0x40220000, 0x50020000, 0x60020000
    movaddr a2, \addr
    movaddr a3, \addr + 0x5a5a
    s32i    a3, a2, 0
    l32i    a4, a2, 0
    check_reg a4, "store/load at \addr"
    .endr
    /* byte and half-word accesses to instruction memories: RAM in QEMU (cause 3 on silicon,
     * docs/cpu-differences.md) */
    .irp addr, 0x40020000, 0x40180000, 0x40220000
    movaddr a2, \addr
    movi    a3, 0x9c
    s8i     a3, a2, 1
    movaddr a3, 0xfedc
    s16i    a3, a2, 2
    l8ui    a4, a2, 1
    l16si   a5, a2, 2
    l16ui   a6, a2, 0
    check_reg a4, "l8ui \addr + 1"
    check_reg a5, "l16si \addr + 2"
    check_reg a6, "l16ui \addr"
    .endr
    check_exc

    test_begin "l32r"
    j       .Lafter_lit
    .balign 4
.Lnear_lit:
    .word   0x600df00d
.Lafter_lit:
    l32r    a4, .Lnear_lit
    check_reg a4, "l32r near"
    l32r    a4, .Lfar_lit
    check_reg a4, "l32r far"
    /* LITBASE: l32r a2/a3/a4 with imm16 = 0xffff, 0xfffe, 0xfffc read lit_base - 4, -8, -16 */
    movaddr a6, lit_base + 1
    movaddr a7, lit_base + 0xfff      /* low bits other than bit 0 are not part of the base */
    wsr.litbase a6
    isync
    .byte   0x21, 0xff, 0xff
    .byte   0x31, 0xfe, 0xff
    .byte   0x41, 0xfc, 0xff
    rsr.litbase a5
    wsr.litbase a7
    isync
    .byte   0x81, 0xff, 0xff
    rsr.litbase a9
    movi    a6, 0
    wsr.litbase a6
    isync
    check_reg a2, "litbase -4"
    check_reg a3, "litbase -8"
    check_reg a4, "litbase -16"
    check_reg a8, "litbase (base+0xfff) -4"
    movaddr a6, lit_base
    sub     a5, a5, a6
    sub     a9, a9, a6
    check_reg a5, "rsr.litbase - lit_base"
    check_reg a9, "rsr.litbase (base+0xfff) - lit_base"
    /* disabled again: pc-relative */
    l32r    a4, .Lnear_lit
    check_reg a4, "l32r after litbase off"
    check_exc

    test_begin "alignment"
    movaddr a2, mbuf
    movaddr a3, 0x01020304
    s32i    a3, a2, 0
    s32i    a3, a2, 4
    movi    a4, 0x77
    addi    a5, a2, 1
    l16ui   a4, a5, 0
    check_reg a4, "l16ui +1 (a4 unchanged)"
    check_exc
    addi    a5, a2, 3
    l16ui   a4, a5, 2
    check_exc
    addi    a5, a2, 1
    l16si   a4, a5, 0
    check_exc
    addi    a5, a2, 2
    l32i    a4, a5, 0
    check_reg a4, "l32i +2 (a4 unchanged)"
    check_exc
    addi    a5, a2, 1
    l32i    a4, a5, 4
    check_exc
    addi    a5, a2, 3
    l32i.n  a4, a5, 0
    check_exc
    movi    a6, 0x55
    addi    a5, a2, 1
    s16i    a6, a5, 0
    check_exc
    addi    a5, a2, 2
    s32i    a6, a5, 0
    check_exc
    addi    a5, a2, 1
    s32i.n  a6, a5, 4
    check_exc
    dump    "memory unchanged", mbuf, 2
    /* byte accesses are never unaligned */
    addi    a5, a2, 3
    s8i     a6, a5, 0
    l8ui    a4, a5, 0
    check_reg a4, "s8i/l8ui +3"
    check_exc

    test_begin "pif address errors"
    .irp addr, 0x00000000, 0x10000000, 0x3ff00000, 0x3ff3fffc, 0x40300000, 0x54000000, 0x68000000, 0xfffffffc
    movaddr a2, \addr
    movi    a4, 0x33
    l32i    a4, a2, 0
    check_reg a4, "l32i \addr (a4 unchanged)"
    check_exc
    l8ui    a4, a2, 1
    check_exc
    s32i    a4, a2, 0
    check_exc
    s16i    a4, a2, 2
    check_exc
    .endr
    /* fetch from unmapped addresses */
    .irp addr, 0x00000000, 0x10000000, 0x3ff00000, 0x40300000, 0x68000000
    set_resume 1f
    movaddr a2, \addr
    jx      a2
1:  check_exc
    .endr
    /* A 3-byte instruction whose last byte lies past the end of instrom0 is not tested:
     * QEMU 7.2 aborts (translator_access assertion), see docs/cpu-differences.md. */
    movaddr a2, 0x402ffffe
    /* a 2-byte instruction in the last two bytes runs (ret.n), then returns */
    movi    a3, 0x0d
    s8i     a3, a2, 0
    movi    a3, 0xf0
    s8i     a3, a2, 1
    callx0  a2
    check_exc

    test_begin "tlb reads"
    movi    a6, 0
.Ltlbr:
    slli    a2, a6, 29
    ritlb0  a3, a2
    check_reg a3, "ritlb0"
    ritlb1  a3, a2
    check_reg a3, "ritlb1"
    rdtlb0  a3, a2
    check_reg a3, "rdtlb0"
    rdtlb1  a3, a2
    check_reg a3, "rdtlb1"
    movaddr a7, 0x0abcd07b    /* low bits that an MMU probe would keep */
    add     a2, a2, a7
    pitlb   a3, a2
    check_reg a3, "pitlb"
    pdtlb   a3, a2
    check_reg a3, "pdtlb"
    iitlb   a2
    idtlb   a2
    addi    a6, a6, 1
    bgei    a6, 8, .Ltlbr_done
    j       .Ltlbr
.Ltlbr_done:
    check_exc

    test_begin "region attributes"
    /* code for fetch tests: ret.n at SYSRAM */
    movaddr a2, SYSRAM
    movi    a3, 0x0d
    s8i     a3, a2, 0
    movi    a3, 0xf0
    s8i     a3, a2, 1
    /* keep the original attributes of region 3 */
    rdtlb1  a12, a2
    ritlb1  a13, a2
    movi    a6, 0
.Lattr:
    check_reg a6, "attribute"
    wdtlb   a6, a2
    dsync
    witlb   a6, a2
    isync
    rdtlb1  a3, a2
    check_reg a3, "rdtlb1"
    ritlb1  a3, a2
    check_reg a3, "ritlb1"
    movi    a4, 0x44
    l32i    a4, a2, 4
    check_reg a4, "load (0x44 if it faulted)"
    check_exc
    s32i    a6, a2, 8
    check_exc
    set_resume 1f
    callx0  a2
1:  check_exc
    addi    a6, a6, 1
    blti    a6, 16, .Lattr_next
    j       .Lattr_done
.Lattr_next:
    j       .Lattr
.Lattr_done:
    wdtlb   a12, a2
    witlb   a13, a2
    isync
    dump    "sysram after stores", SYSRAM + 8, 1
    /* NULL pointer with region 0 prohibited, as the ESP8266 ROM sets it up */
    movi    a2, 0
    rdtlb1  a12, a2
    ritlb1  a13, a2
    movi    a3, 15
    wdtlb   a3, a2
    witlb   a3, a2
    isync
    l32i    a4, a2, 0
    check_exc
    l8ui    a4, a2, 0x10
    check_exc
    s32i    a4, a2, 0x20
    check_exc
    set_resume 1f
    callx0  a2
1:  check_exc
    /* alignment is checked before prohibition: cause 9 */
    addi    a5, a2, 0x42
    l32i    a4, a5, 0
    check_exc
    wdtlb   a12, a2
    witlb   a13, a2
    isync
    /* only the region of as[31:29] is written */
    movaddr a2, 0x7fffffff
    movi    a3, 4
    wdtlb   a3, a2
    movaddr a2, 0x60000000
    rdtlb1  a4, a2
    check_reg a4, "rdtlb1 region 3 after writing via 0x7fffffff"
    wdtlb   a12, a2
    check_exc

    test_end

    .end    no-transform
