/* tests/cpu/asm/sr.S — special registers (reference/lx106.md §1.5–1.6): every SR of
 * XT_SRS through RSR, WSR and XSR with bit patterns (write masks, read-only and write-only
 * registers, INTSET/INTCLEAR, PS, VECBASE, LITBASE, CCOUNT, CCOMPARE0, ICOUNT/ICOUNTLEVEL), then a
 * sweep of all 256 SR numbers for each of RSR, WSR and XSR (self-modified code): which ones are
 * legal instructions. */
#include "macros.inc"

    .begin  no-transform

/* wsr pattern; rsr into a3 and print; xsr with ~pattern; print old (a4) and new (a3) */
.macro sr_rw sr, pattern
    movaddr a2, \pattern
    wsr.\sr a2
    rsr.\sr a3
    check_reg a3, "\sr after wsr \pattern"
    movaddr a4, (\pattern) ^ 0xffffffff
    xsr.\sr a4
    rsr.\sr a3
    check_reg a4, "\sr xsr old"
    check_reg a3, "\sr xsr new"
.endm

.macro sr_all sr
    sr_rw   \sr, 0xffffffff
    sr_rw   \sr, 0x00000000
    sr_rw   \sr, 0xa5c3f00f
.endm

    .section .bss.srvals, "aw", @nobits
    .balign 4
sr_vals:
    .skip   1024
sr_bits:
    .skip   96          /* rsr, wsr, xsr legality bitmaps, 8 words each */

    test_main

    test_begin "plain registers"
    rsil    a2, 15      /* no interrupt while the interrupt registers are played with */
    sr_all  sar
    sr_all  ddr
    sr_all  epc1
    sr_all  epc2
    sr_all  epc3
    sr_all  depc
    sr_all  eps2
    sr_all  eps3
    sr_all  excsave1
    sr_all  excsave2
    sr_all  excsave3
    sr_all  exccause
    sr_all  excvaddr
    sr_all  icount
    movi    a2, 0
    wsr.mmid a2
    movaddr a2, 0x12345678
    wsr.mmid a2
    check_exc

    test_begin "debug registers"
    /* breakpoint addresses that are never used, so no debug exception can fire */
    movaddr a2, 0x50000f00
    wsr.ibreaka0 a2
    movaddr a2, 0x6fffff00
    wsr.dbreaka0 a2
    sr_all  ibreaka0
    movaddr a2, 0x50000f00
    wsr.ibreaka0 a2
    sr_all  ibreakenable
    movi    a2, 0
    wsr.ibreakenable a2
    sr_all  dbreaka0
    movaddr a2, 0x6fffff00
    wsr.dbreaka0 a2
    sr_all  dbreakc0
    movi    a2, 0
    wsr.dbreakc0 a2
    /* ICOUNTLEVEL: ICOUNT counts while ICOUNTLEVEL > CINTLEVEL (not modelled by espsim), so
     * ICOUNT is rewritten before it is read again */
    movi    a2, 0
    wsr.icount a2
    movaddr a2, 0xffffffff
    wsr.icountlevel a2
    rsr.icountlevel a3
    movi    a2, 0
    wsr.icountlevel a2
    rsr.icountlevel a4
    check_reg a3, "icountlevel after wsr 0xffffffff"
    check_reg a4, "icountlevel after wsr 0"
    movi    a2, 7
    wsr.icountlevel a2
    movi    a4, 0
    xsr.icountlevel a4
    check_reg a4, "icountlevel xsr old"
    movi    a2, 0
    wsr.icount a2
    rsr.icount a3
    check_reg a3, "icount"
    check_exc

    test_begin "configuration registers"
    /* the assembler knows CONFIGID0/1 only by number */
    rsr.176 a2
    check_reg a2, "configid0"
    rsr.208 a2
    check_reg a2, "configid1"
    check_sr prid
    movaddr a2, 0x12345678
    wsr.176 a2
    rsr.176 a2
    check_reg a2, "configid0 after wsr"
    movaddr a2, 0x12345678
    .byte   0x20, 0xb0, 0x61        /* xsr.176 a2 */
    check_reg a2, "configid0 xsr old"
    rsr.176 a2
    check_reg a2, "configid0 after xsr"
    check_sr debugcause
    check_exc

    test_begin "interrupt registers"
    movi    a2, 0
    wsr.intenable a2
    movaddr a2, 0xffffffff
    wsr.intclear a2
    check_sr interrupt
    wsr.intset a2
    check_sr interrupt
    movi    a3, 0x40        /* INTCLEAR cannot clear the timer bit, INTSET cannot set it */
    wsr.intset a3
    check_sr interrupt
    wsr.intclear a2
    check_sr interrupt
    movaddr a2, 0x3f7f
    wsr.intset a2
    check_sr interrupt
    movi    a2, 0x80
    wsr.intclear a2
    check_sr interrupt
    sr_all  intenable
    movi    a2, 0
    wsr.intenable a2
    check_exc

    test_begin "ps"
    movaddr a2, 0xffffffff
    wsr.ps  a2
    rsr.ps  a3
    movi    a2, 0x3f
    wsr.ps  a2
    check_reg a3, "ps after wsr 0xffffffff"
    movaddr a2, 0x0004f0c0
    wsr.ps  a2
    rsr.ps  a3
    movi    a2, 0x3f
    wsr.ps  a2
    check_reg a3, "ps after wsr 0x4f0c0"
    movi    a2, 0
    wsr.ps  a2
    rsr.ps  a3
    movi    a4, 0x2f
    xsr.ps  a4
    rsr.ps  a5
    movi    a2, 0x3f
    wsr.ps  a2
    check_reg a3, "ps after wsr 0"
    check_reg a4, "ps xsr old"
    check_reg a5, "ps xsr new"
    check_exc

    test_begin "vecbase"
    rsr.vecbase a12
    check_reg a12, "vecbase at reset"
    movaddr a2, 0xffffffff
    wsr.vecbase a2
    rsr.vecbase a3
    movaddr a2, 0x12345678
    xsr.vecbase a2
    rsr.vecbase a4
    wsr.vecbase a12
    check_reg a3, "vecbase after wsr 0xffffffff"
    check_reg a2, "vecbase xsr old"
    check_reg a4, "vecbase xsr new"
    check_exc

    test_begin "litbase"
    /* no L32R may run while LITBASE is on: values are printed after it is cleared */
    movaddr a2, 0xffffffff
    movaddr a5, 0x12345678
    wsr.litbase a2
    rsr.litbase a3
    xsr.litbase a5
    rsr.litbase a4
    movi    a2, 0
    wsr.litbase a2
    isync
    check_reg a3, "litbase after wsr 0xffffffff"
    check_reg a5, "litbase xsr old"
    check_reg a4, "litbase xsr new"
    check_sr litbase
    check_exc

    test_begin "ccount and ccompare0"
    /* CCOUNT advances at different rates in QEMU and espsim: only predicates are printed,
     * and nothing slow runs between the measurements */
    movaddr a2, 0x10000000
    wsr.ccount a2
    rsr.ccount a3
    movaddr a2, 0xfffffff0
    xsr.ccount a2
    rsr.ccount a4
    movaddr a5, 0x10000000
    sub     a3, a3, a5          /* rsr after wsr: small */
    sub     a2, a2, a5          /* xsr old: small, after the first */
    movaddr a5, 0xfffffff0
    sub     a4, a4, a5          /* rsr after xsr: small (across the wrap) */
    movi    a6, 0
    bgeui   a3, 16, 1f
    addi    a6, a6, 1
1:  bltu    a2, a3, 1f
    bgeui   a2, 64, 1f
    addi    a6, a6, 2
1:  bgeui   a4, 64, 1f
    addi    a6, a6, 4
1:  check_reg a6, "ccount predicates (7 = all hold)"
    /* CCOMPARE0 far away from CCOUNT: no match during the test */
    rsr.ccount a7
    addi    a7, a7, -1
    wsr.ccompare0 a7
    rsr.ccompare0 a3
    movaddr a2, 0x12345678
    xsr.ccompare0 a2
    rsr.ccompare0 a4
    wsr.ccompare0 a7
    sub     a3, a3, a7
    sub     a2, a2, a7
    check_reg a3, "rsr.ccompare0 - written"
    check_reg a2, "xsr.ccompare0 old - written"
    check_reg a4, "ccompare0 after xsr"
    check_sr interrupt
    check_exc

    /* ---- legality sweep: RSR/WSR/XSR a2 for every SR number ----------------------------- */
    test_begin "sr sweep"
    movi    a2, 0
    wsr.ps  a2          /* PS = 0x20 | INTLEVEL 15 below */
    movi    a2, 0x2f
    wsr.ps  a2
    rsync
    movaddr a10, 0x030020       /* rsr a2, sr */
    movaddr a11, sr_bits
    call0   sr_sweep
    movaddr a10, 0x130020       /* wsr a2, sr */
    movaddr a11, sr_bits + 32
    call0   sr_sweep
    movaddr a10, 0x610020       /* xsr a2, sr */
    movaddr a11, sr_bits + 64
    call0   sr_sweep
    /* undo what the writes may have changed */
    movi    a2, 0
    wsr.intenable a2
    wsr.litbase a2
    wsr.ibreakenable a2
    wsr.dbreakc0 a2
    wsr.icountlevel a2
    movi    a2, 0x20
    wsr.ps  a2
    rsync
    dump    "rsr legal", sr_bits, 8
    dump    "wsr legal", sr_bits + 32, 8
    dump    "xsr legal", sr_bits + 64, 8
    check_exc

    test_end

/* sr_sweep: for sr = 0..255, patch sr_thunk with a10 | sr << 8 and run it with a2 = the value
 * RSR read for that SR in the first pass (sr_vals; 0 if illegal). Sets bit sr of the bitmap
 * at a11 when the instruction raised no exception. The first pass (RSR) fills sr_vals.
 * Uses a2..a9, a12, a13; returns through a0 kept in a13. */
    .balign 4
sr_sweep:
    mov     a13, a0
    movi    a12, 0
.Lsw_loop:
    /* patch the thunk (3 bytes) */
    slli    a3, a12, 8
    or      a3, a3, a10
    movaddr a4, sr_thunk
    s8i     a3, a4, 0
    extui   a5, a3, 8, 8
    s8i     a5, a4, 1
    extui   a5, a3, 16, 8
    s8i     a5, a4, 2
    /* a2 = sr_vals[sr] */
    movaddr a6, sr_vals
    addx4   a6, a12, a6
    l32i    a2, a6, 0
    /* clear the exception log count, set the resume point, run */
    movaddr a7, h_state
    movi    a8, 0
    s32i    a8, a7, HS_N
    movaddr a8, .Lsw_back
    s32i    a8, a7, HS_RESUME
    j       sr_thunk
.Lsw_back:
    movi    a8, 0
    s32i    a8, a7, HS_RESUME
    l32i    a8, a7, HS_N
    bnez    a8, .Lsw_next           /* illegal */
    /* legal: set the bit; in the RSR pass keep the value read */
    extui   a9, a10, 16, 8
    bnei    a9, 0x3, 2f             /* not an RSR pass */
    s32i    a2, a6, 0
2:  srli    a3, a12, 5
    addx4   a3, a3, a11
    l32i    a4, a3, 0
    ssl     a12
    movi    a5, 1
    sll     a5, a5
    or      a4, a4, a5
    s32i    a4, a3, 0
.Lsw_next:
    addi    a12, a12, 1
    movi    a3, 256
    bge     a12, a3, .Lsw_done
    j       .Lsw_loop
.Lsw_done:
    movi    a2, 0
    movaddr a7, h_state
    s32i    a2, a7, HS_N
    mov     a0, a13
    ret

/* patched at run time; falls through to the "legal" path */
    .balign 4
sr_thunk:
    nop
    j       .Lsw_back

    .end    no-transform
