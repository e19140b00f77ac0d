/* tests/cpu/asm/exc.S — exceptions and returns (reference/lx106.md §1.7–1.8, §2.2):
 * ILL/ILL.N and undefined encodings (cause 0), the decodable-but-illegal RFDO/RFDD,
 * SYSCALL (1), user vs kernel vector (PS.UM), VECBASE relocation, double exceptions
 * (DEPC, RFDE), BREAK/BREAK.N (debug vector, EPC2/EPS2/DEBUGCAUSE, RFI 2; ignored at
 * CINTLEVEL >= 2), RFE, RFI 2/3 with hand-made EPS/EPC, RSIL. */
#include "macros.inc"

    .begin  no-transform

/* Executes the instruction bytes b0 b1 [b2] and prints the exception it raised. */
.macro try_bytes b:vararg
    set_resume .Ltb\@
    .byte   \b
.Ltb\@:
    check_exc
.endm

/* The same for encodings that jump through a0 or a2 if they are legal: both point to the
 * landing label (main keeps its return address on the stack). */
.macro try_jump_bytes b:vararg
    movaddr a0, .Ltjb\@
    movaddr a2, .Ltjb\@
    set_resume .Ltjb\@
    .byte   \b
.Ltjb\@:
    check_exc
.endm

    .section .bss.alt, "aw", @nobits
    .balign 4
alt_log:
    .skip   12              /* hits, EXCCAUSE, EPC1 */

    test_main

    test_begin "ill"
    movi    a2, 0x12
    ill
    check_exc
    ill.n
    check_exc
    check_reg a2, "a2 kept"

    test_begin "undefined encodings"
    /* ST0 / SNM0: ILL with s != 0, CALLX4/8/12, RETW, m=1 */
    try_jump_bytes 0x00, 0x01, 0x00
    try_jump_bytes 0xd0, 0x02, 0x00
    try_jump_bytes 0xe0, 0x02, 0x00
    try_jump_bytes 0xf0, 0x02, 0x00
    try_jump_bytes 0x90, 0x00, 0x00
    try_jump_bytes 0x40, 0x02, 0x00
    try_jump_bytes 0x80, 0x02, 0x00  /* RET with s != 0 (QEMU: RET, s ignored) */
    try_jump_bytes 0xb0, 0x02, 0x00  /* JX form with n = 3 */
    try_jump_bytes 0xc0, 0x02, 0x00  /* CALLX0 a2 (legal: lands on the label) */
    /* MOVSP (r = 1) */
    try_bytes 0x20, 0x13, 0x00
    /* SYNC group with s != 0 or unassigned t */
    try_bytes 0x00, 0x21, 0x00
    try_bytes 0x40, 0x20, 0x00
    try_bytes 0x90, 0x20, 0x00
    try_bytes 0xe0, 0x20, 0x00
    /* RFEI: RFUE, RFWO, RFWU, t = 2. RFI with a level other than 2 or 3 is not tested: QEMU
     * 7.2 does not check the level (RFI 0 returns to CONFIGID0, RFI 15 crashes QEMU);
     * espsim raises IllegalInstruction (docs/cpu-differences.md). */
    try_jump_bytes 0x00, 0x31, 0x00
    try_jump_bytes 0x00, 0x34, 0x00
    try_jump_bytes 0x00, 0x35, 0x00
    try_jump_bytes 0x20, 0x30, 0x00
    /* SYSCALL/SIMCALL group: s = 2, t = 1 */
    try_bytes 0x00, 0x52, 0x00
    try_bytes 0x10, 0x50, 0x00
    /* WAITI with t != 0 */
    try_bytes 0x10, 0x70, 0x00
    /* ST0 r = 8..15 */
    try_bytes 0x00, 0x80, 0x00
    try_bytes 0x00, 0xc0, 0x00
    try_bytes 0x00, 0xf0, 0x00
    /* ST1: SSR/SSL/SSA8L/SSA8B with t != 0, SSAI with t[3:1] != 0, r = 5, 8..13 */
    try_bytes 0x10, 0x02, 0x40
    try_bytes 0x10, 0x12, 0x40
    try_bytes 0x10, 0x22, 0x40
    try_bytes 0x10, 0x32, 0x40
    try_bytes 0x20, 0x40, 0x40
    try_bytes 0x00, 0x50, 0x40
    try_bytes 0x00, 0x80, 0x40
    try_bytes 0x00, 0xd0, 0x40
    /* TLB group: r = 0..2, 8..10; IITLB/IDTLB with t != 0 */
    try_bytes 0x20, 0x03, 0x50
    try_bytes 0x20, 0x23, 0x50
    try_bytes 0x20, 0x83, 0x50
    try_bytes 0x20, 0xa3, 0x50
    try_bytes 0x10, 0x43, 0x50
    try_bytes 0x10, 0xc3, 0x50
    /* RT0 with s = 2..15; RST0 op2 = 7 */
    try_bytes 0x20, 0x02, 0x60
    try_bytes 0x20, 0x0f, 0x60
    try_bytes 0x20, 0x23, 0x70
    /* RST1: op2 = 5, 7, 14, 15 (r != 14); SRL/SRA with s != 0, SLL with t != 0;
     * RFDO/RFDD with s != 0 or t > 1 */
    try_bytes 0x20, 0x23, 0x51
    try_bytes 0x20, 0x23, 0x71
    try_bytes 0x20, 0x23, 0xe1
    try_bytes 0x00, 0x00, 0xf1
    try_bytes 0x30, 0x21, 0x91
    try_bytes 0x30, 0x21, 0xb1
    try_bytes 0x10, 0x22, 0xa1
    try_bytes 0x00, 0xe1, 0xf1
    try_bytes 0x20, 0xe0, 0xf1
    /* RST2: everything but MULL (ANDB.., MULUH, MULSH, QUOU, QUOS, REMU, REMS) */
    try_bytes 0x20, 0x23, 0x02
    try_bytes 0x20, 0x23, 0x42
    try_bytes 0x20, 0x23, 0x92
    try_bytes 0x20, 0x23, 0xa2
    try_bytes 0x20, 0x23, 0xb2
    try_bytes 0x20, 0x23, 0xc2
    try_bytes 0x20, 0x23, 0xd2
    try_bytes 0x20, 0x23, 0xe2
    try_bytes 0x20, 0x23, 0xf2
    /* RST3: SEXT, CLAMPS, MIN, MAX, MINU, MAXU, MOVF, MOVT, RUR, WUR */
    try_bytes 0x20, 0x23, 0x23
    try_bytes 0x20, 0x23, 0x33
    try_bytes 0x20, 0x23, 0x43
    try_bytes 0x20, 0x23, 0x53
    try_bytes 0x20, 0x23, 0x63
    try_bytes 0x20, 0x23, 0x73
    try_bytes 0x20, 0x23, 0xc3
    try_bytes 0x20, 0x23, 0xd3
    try_bytes 0x20, 0x23, 0xe3
    try_bytes 0x20, 0x23, 0xf3
    /* QRST op1 = 6..15 (CUST0/1, LSCX, LSC4 = L32E/S32E, FP0/FP1, reserved) */
    try_bytes 0x20, 0x23, 0x06
    try_bytes 0x20, 0x23, 0x07
    try_bytes 0x20, 0x23, 0x08
    try_bytes 0x20, 0x23, 0x09
    try_bytes 0x20, 0x23, 0x0a
    try_bytes 0x20, 0x23, 0x0b
    try_bytes 0x20, 0x23, 0x0c
    try_bytes 0x20, 0x23, 0x0f
    /* LSAI r = 3, 7 (cache ops), 8, 11 (L32AI), 14 (S32C1I), 15 (S32RI) */
    try_bytes 0x22, 0x33, 0x00
    try_bytes 0x22, 0x73, 0x00
    try_bytes 0x22, 0x83, 0x00
    try_bytes 0x22, 0xb3, 0x00
    try_bytes 0x22, 0xe3, 0x00
    try_bytes 0x22, 0xf3, 0x00
    /* op0 = 3 (LSCI), 4 (MAC16) */
    try_bytes 0x03, 0x23, 0x00
    try_bytes 0x04, 0x23, 0x00
    /* CALL4/8/12 */
    try_bytes 0x15, 0x00, 0x00
    try_bytes 0x25, 0x00, 0x00
    try_bytes 0x35, 0x00, 0x00
    /* ENTRY, LOOP, LOOPNEZ, LOOPGTZ, BF, BT */
    try_bytes 0x36, 0x41, 0x00
    try_bytes 0x76, 0x82, 0x00
    try_bytes 0x76, 0x92, 0x00
    try_bytes 0x76, 0xa2, 0x00
    try_bytes 0x76, 0x02, 0x00
    try_bytes 0x76, 0x12, 0x00
    /* narrow op0 = 13: r = 1..14, RETW.N, t = 4/15, NOP.N/RET.N/ILL.N with s != 0 */
    try_bytes 0x2d, 0x13
    try_bytes 0x2d, 0xe3
    try_bytes 0x1d, 0xf0
    try_bytes 0x4d, 0xf0
    try_bytes 0xfd, 0xf0
    try_bytes 0x3d, 0xf1
    try_jump_bytes 0x0d, 0xf1
    try_bytes 0x6d, 0xf1
    /* op0 = 14, 15 (reserved) */
    try_bytes 0x0e, 0x00, 0x00
    try_bytes 0x2f, 0x33, 0x00

    test_begin "decodable but not on lx106"
    /* (RER/WER are tested in extreg.S: QEMU executes them) */
    movi    a2, 0x12
    set_resume 1f
    rfdo    0
1:  check_exc
    set_resume 1f
    rfdd
1:  check_exc
    check_reg a2

    test_begin "syscall"
    movi    a2, 7
    syscall
    check_exc
    check_sr ps
    check_sr exccause
    check_sr epc1
    /* synchronous exceptions ignore PS.INTLEVEL */
    rsil    a2, 15
    syscall
    wsr.ps  a2
    rsync
    check_exc
    /* EXCCAUSE and EXCVADDR are plain registers until the next exception */
    movi    a3, 0x3f
    wsr.exccause a3
    movaddr a3, 0x12345678
    wsr.excvaddr a3
    check_sr exccause
    check_sr excvaddr
    syscall
    check_exc

    test_begin "kernel vector"
    movi    a2, 0           /* UM = 0, EXCM = 0, INTLEVEL 0 */
    wsr.ps  a2
    rsync
    syscall
    ill
    check_exc
    check_sr ps
    movi    a2, 0x20
    wsr.ps  a2
    rsync

    test_begin "vecbase"
    rsr.vecbase a12
    movaddr a2, alt_vectors
    wsr.vecbase a2
    isync
    syscall
    nop
    ill.n
    nop.n
    wsr.vecbase a12
    isync
    movaddr a2, alt_log
    l32i    a3, a2, 0
    check_reg a3, "alt hits"
    l32i    a3, a2, 4
    check_reg a3, "alt last cause"
    l32i    a3, a2, 8
    movaddr a4, main
    sub     a3, a3, a4
    check_reg a3, "alt last epc1 - main"
    check_exc

    test_begin "rfe"
    movaddr a2, 1f
    wsr.epc1 a2
    movi    a3, 0x33        /* UM | EXCM | INTLEVEL 3 */
    wsr.ps  a3
    rsync
    rfe
    movi    a4, 0x0bd
    check_reg a4, "not reached"
1:  check_sr ps
    movi    a2, 0x20
    wsr.ps  a2
    rsync

    test_begin "rfde"
    movaddr a2, 1f
    wsr.depc a2
    movi    a3, 0x31
    wsr.ps  a3
    rsync
    rfde
    movi    a4, 0x0bd
    check_reg a4, "not reached"
1:  check_sr ps
    movi    a2, 0x20
    wsr.ps  a2
    rsync

    test_begin "rfi 2 and 3"
    movaddr a2, 1f
    wsr.epc2 a2
    movi    a3, 0x22
    wsr.eps2 a3
    rfi     2
    movi    a4, 0x0bd
    check_reg a4, "not reached"
1:  check_sr ps
    movaddr a2, 1f
    wsr.epc3 a2
    movi    a3, 0x35
    wsr.eps3 a3
    rfi     3
    movi    a4, 0x0bd
    check_reg a4, "not reached"
1:  check_sr ps
    movi    a2, 0x20
    wsr.ps  a2
    rsync
    check_exc

    test_begin "double exception"
    /* EXCM set: SYSCALL goes to the double vector (DEPC, EPC1 kept) */
    movaddr a2, 0x1234
    wsr.epc1 a2
    movi    a2, 0x30
    wsr.ps  a2
    rsync
    set_dresume 1f
    syscall
1:  check_sr ps
    movi    a2, 0x20
    wsr.ps  a2
    rsync
    check_exc
    check_sr epc1
    check_sr depc
    /* EXCM set: a PIF error and an alignment error with EXCVADDR */
    movi    a2, 0x30
    wsr.ps  a2
    rsync
    movaddr a3, 0x10000000
    l32i    a4, a3, 0
    addi    a3, a3, 3           /* unaligned and unmapped: which check wins */
    s16i    a4, a3, 0
    movi    a2, 0x20
    wsr.ps  a2
    rsync
    check_exc
    /* a fault inside the user handler (nest_fault): user entry, then the double vector */
    set_hstate HS_NEST, 1
    syscall
    check_exc
    /* kernel mode (UM = 0) with EXCM set also uses the double vector */
    movi    a2, 0x10
    wsr.ps  a2
    rsync
    ill
    movi    a2, 0x20
    wsr.ps  a2
    rsync
    check_exc

    test_begin "break"
    movi    a2, 0x21
    wsr.ps  a2
    rsync
    break   1, 2
    check_exc
    break   15, 15
    check_exc
    break.n 0
    check_exc
    break.n 15
    check_exc
    check_sr ps
    check_sr debugcause
    check_sr epc2
    check_sr eps2
    /* BREAK with EXCM set (CINTLEVEL 1) is still taken */
    movi    a2, 0x30
    wsr.ps  a2
    rsync
    break   0, 0
    check_sr ps
    /* ignored at CINTLEVEL >= 2 (debug level) */
    rsil    a2, 2
    break   0, 1
    break.n 1
    rsil    a2, 15
    break   0, 2
    movi    a2, 0x20
    wsr.ps  a2
    rsync
    check_exc

    test_begin "rsil"
    rsil    a2, 3
    check_reg a2, "rsil 3 old"
    rsil    a2, 15
    check_reg a2, "rsil 15 old"
    rsil    a2, 1
    check_reg a2, "rsil 1 old"
    rsil    a2, 0
    check_reg a2, "rsil 0 old"
    check_sr ps
    movi    a2, 0x3f
    wsr.ps  a2
    rsil    a2, 4
    check_reg a2, "rsil 4 with EXCM old"
    check_sr ps
    movi    a2, 0x20
    wsr.ps  a2
    rsync
    check_exc

    test_end

/* An alternative vector table for the VECBASE test: the user vector counts its entries,
 * keeps EXCCAUSE and EPC1, and skips the faulting instruction. */
    .section .text.alt, "ax"
    .balign 1024
alt_vectors:
    ill
    .skip   0x50 - 3
    wsr.excsave1 a0
    j       alt_handler
alt_handler:
    addi    a1, a1, -16
    s32i    a2, a1, 0
    s32i    a3, a1, 4
    s32i    a4, a1, 8
    movaddr a2, alt_log
    l32i    a3, a2, 0
    addi    a3, a3, 1
    s32i    a3, a2, 0
    rsr.exccause a3
    s32i    a3, a2, 4
    rsr.epc1 a3
    s32i    a3, a2, 8
    l8ui    a4, a3, 0
    addi    a3, a3, 2
    bbsi    a4, 3, 1f       /* op0 8..15: narrow (no 14/15 here) */
    addi    a3, a3, 1
1:  wsr.epc1 a3
    l32i    a2, a1, 0
    l32i    a3, a1, 4
    l32i    a4, a1, 8
    addi    a1, a1, 16
    rsr.excsave1 a0
    rfe

    .end    no-transform
