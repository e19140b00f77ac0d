/* tests/cpu/asm/vectors.S — exception vectors for the CPU tests (VECBASE = 0x40000000, placed
 * by qsim.ld). Every entry logs one record in h_state.log (harness.h):
 *   user/kernel (general exception or level-1 interrupt): EXCCAUSE, EPC1, EXCVADDR, PS, INTERRUPT,
 *     INTENABLE. Interrupt (cause 4): pending enabled bits are cleared (INTCLEAR, and a CCOMPARE0
 *     write for the timer), or, with h_state.irq_mode = 1, removed from INTENABLE. Otherwise
 *     EPC1 := h_state.resume if set (then cleared), else EPC1 + length of the faulting
 *     instruction. With h_state.nest_fault set, the handler first makes one unaligned load
 *     (a double exception). Returns with RFE.
 *   double: EXCCAUSE, DEPC, EPC1 (aux); DEPC := h_state.dresume or DEPC + length; RFDE.
 *   debug: DEBUGCAUSE, EPC2, EPS2 (aux); EPC2 += length (skips BREAK/BREAK.N); RFI 2.
 *   NMI: EPC3, EPS3 (aux); RFI 3.
 * Handlers push 48 bytes below a1 and preserve every address register. */
#include "macros.inc"

/* Appends a record: \kind, \cause, \epc, \vaddr, \ps, \aux are registers among a2..a7; uses
 * a0, a8, a9. Leaves a8 = &h_state. */
.macro h_record kind, cause, epc, vaddr, ps, aux
    movaddr a8, h_state
    l32i    a9, a8, HS_N
    addi    a0, a9, 1
    s32i    a0, a8, HS_N
    bgeui   a9, 16, .Lfull\@
    slli    a9, a9, 5
    add     a9, a9, a8
    s32i    \kind, a9, 32
    s32i    \cause, a9, 36
    s32i    \epc, a9, 40
    s32i    \vaddr, a9, 44
    s32i    \ps, a9, 48
    s32i    \aux, a9, 52
    rsr.interrupt a0
    s32i    a0, a9, 56
    rsr.intenable a0
    s32i    a0, a9, 60
.Lfull\@:
.endm

/* \len = length of the instruction at address \addr (2 for op0 8..13, else 3); uses \tmp. */
.macro insn_len len, addr, tmp
    l8ui    \tmp, \addr, 0
    extui   \tmp, \tmp, 0, 4
    addi    \tmp, \tmp, -8
    movi    \len, 3
    bgeui   \tmp, 6, .Lil\@
    movi    \len, 2
.Lil\@:
.endm

.macro h_push
    addi    a1, a1, -48
    s32i    a2, a1, 0
    s32i    a3, a1, 4
    s32i    a4, a1, 8
    s32i    a5, a1, 12
    s32i    a6, a1, 16
    s32i    a7, a1, 20
    s32i    a8, a1, 24
    s32i    a9, a1, 28
.endm

.macro h_pop
    l32i    a2, a1, 0
    l32i    a3, a1, 4
    l32i    a4, a1, 8
    l32i    a5, a1, 12
    l32i    a6, a1, 16
    l32i    a7, a1, 20
    l32i    a8, a1, 24
    l32i    a9, a1, 28
    addi    a1, a1, 48
.endm

    .begin  no-transform

    .section .vectors.debug, "ax"
    .global _DebugExceptionVector
_DebugExceptionVector:
    wsr.excsave2 a0
    j       h_debug_entry

    .section .vectors.nmi, "ax"
    .global _NMIExceptionVector
_NMIExceptionVector:
    wsr.excsave3 a0
    j       h_nmi_entry

    .section .vectors.kernel, "ax"
    .global _KernelExceptionVector
_KernelExceptionVector:
    wsr.excsave1 a0
    movi    a0, 'K'
    j       h_exc_entry

    .section .vectors.user, "ax"
    .global _UserExceptionVector
_UserExceptionVector:
    wsr.excsave1 a0
    movi    a0, 'U'
    j       h_exc_entry

    .section .vectors.double, "ax"
    .global _DoubleExceptionVector
_DoubleExceptionVector:
    wsr.excsave2 a0
    j       h_double_entry

/* ---- general exceptions and level-1 interrupts (a0 = kind, EXCSAVE1 = a0) ---------------- */
h_exc_entry:
    h_push
    mov     a2, a0
    rsr.exccause a3
    rsr.epc1 a4
    rsr.excvaddr a5
    rsr.ps  a6
    movi    a7, 0
    h_record a2, a3, a4, a5, a6, a7
    beqi    a3, 4, .Lirq
    /* optional nested fault: an unaligned load inside the handler */
    l32i    a2, a8, HS_NEST
    beqz    a2, .Lno_nest
    movi    a2, 0
    s32i    a2, a8, HS_NEST
    addi    a2, a8, 1
    l32i    a2, a2, 0           /* double exception (cause 9); resumes after this load */
.Lno_nest:
    l32i    a2, a8, HS_RESUME
    beqz    a2, .Lskip
    movi    a3, 0
    s32i    a3, a8, HS_RESUME
    wsr.epc1 a2
    j       .Lexc_out
.Lskip:
    rsr.epc1 a2
    insn_len a3, a2, a4
    add     a2, a2, a3
    wsr.epc1 a2
    j       .Lexc_out
.Lirq:
    rsr.interrupt a2
    rsr.intenable a3
    and     a2, a2, a3
    l32i    a4, a8, HS_IRQMODE
    bnez    a4, .Lirq_mask
    wsr.intclear a2
    bbci    a2, 6, .Lexc_out
    rsr.ccompare0 a3
    wsr.ccompare0 a3
    j       .Lexc_out
.Lirq_mask:
    and     a4, a3, a2
    xor     a3, a3, a4
    wsr.intenable a3
.Lexc_out:
    h_pop
    rsr.excsave1 a0
    rfe

/* ---- double exception (EXCSAVE2 = a0) ----------------------------------------------------- */
h_double_entry:
    h_push
    movi    a2, 'D'
    rsr.exccause a3
    rsr.depc a4
    rsr.excvaddr a5
    rsr.ps  a6
    rsr.epc1 a7
    h_record a2, a3, a4, a5, a6, a7
    l32i    a2, a8, HS_DRESUME
    beqz    a2, .Ldskip
    movi    a3, 0
    s32i    a3, a8, HS_DRESUME
    wsr.depc a2
    j       .Ldout
.Ldskip:
    rsr.depc a2
    insn_len a3, a2, a4
    add     a2, a2, a3
    wsr.depc a2
.Ldout:
    h_pop
    rsr.excsave2 a0
    rfde

/* ---- debug exception (level 2; EXCSAVE2 = a0) --------------------------------------------- */
h_debug_entry:
    h_push
    movi    a2, 'B'
    rsr.debugcause a3
    rsr.epc2 a4
    rsr.excvaddr a5
    rsr.ps  a6
    rsr.eps2 a7
    h_record a2, a3, a4, a5, a6, a7
    rsr.epc2 a2
    insn_len a3, a2, a4
    add     a2, a2, a3
    wsr.epc2 a2
    h_pop
    rsr.excsave2 a0
    rfi     2

/* ---- NMI (level 3; EXCSAVE3 = a0) --------------------------------------------------------- */
h_nmi_entry:
    h_push
    movi    a2, 'N'
    movi    a3, 0
    rsr.epc3 a4
    rsr.excvaddr a5
    rsr.ps  a6
    rsr.eps3 a7
    h_record a2, a3, a4, a5, a6, a7
    h_pop
    rsr.excsave3 a0
    rfi     3

    .end    no-transform
