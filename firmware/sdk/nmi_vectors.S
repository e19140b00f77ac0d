/* firmware/sdk/nmi_vectors.S — firmware/sdk's own exception vectors, used only by programs that
 * take the FRC1 timer as the NMI (hw_timer_init(NMI_SOURCE, ..) -> NmiTimSetFunc, hw_timer.c,
 * which points VECBASE here). Everything else keeps the ROM's vectors (VECBASE 0x40000000);
 * the ROM has no NMI handler (reference/lx106.md §4.4). Linked only when NmiTimSetFunc is:
 * ld/eagle.app.ld puts .vectors.text first in IRAM, at 0x40100000 (as the NONOS SDK's VECBASE).
 *
 *   +0x10 debug, +0x30 kernel, +0x70 double: jump to the ROM's vectors (whose handlers stop the
 *         program with a report); a0 is used for the jump, so the report's a0 is not the program's.
 *   +0x20 NMI (level 3): saves a0, a2..a11, SAR, EPC3, EPS3 in a 64-byte frame below a1, runs
 *         espsim_nmi_fn() with PS = 0x23 (INTLEVEL 3, EXCM 0, as the SDK's NMI vector), restores
 *         and returns with RFI 3. espsim_nmi_fn follows the CALL0 ABI (keeps a12..a15).
 *   +0x50 user (exceptions and level-1 interrupts): what the ROM's user vector does — opens the
 *         256-byte exception frame (a1 -= 256), saves a2..a4 at +20/+24/+28 and jumps through
 *         the ROM's handler table at 0x3FFFC000 indexed by EXCCAUSE — so ets_isr_attach'ed
 *         handlers and _xtos_set_exception_handler work unchanged.
 */
    .section .vectors.text, "ax"
    .begin  no-transform
    .balign 1024
    .global _espsim_vectors
    .type   _espsim_vectors, @function
_espsim_vectors:
    .word   0, 0, 0, 0

    .org    0x10                /* debug exception (level 2) */
    j       .Ldebug_fwd

    .org    0x20                /* NMI (level 3) */
    j       .Lnmi_entry

    .org    0x30                /* kernel exception (PS.UM = 0) */
    j       .Lkernel_fwd
    .balign 4
.Lexc_table:    .word   0x3FFFC000      /* ROM exception/interrupt dispatch table */
.Lrom_debug:    .word   0x40000010
.Lrom_kernel:   .word   0x40000030
.Lrom_double:   .word   0x40000070

    .org    0x50                /* user exception / level-1 interrupt */
    addmi   a1, a1, -256
    s32i    a2, a1, 20
    s32i    a3, a1, 24
    s32i    a4, a1, 28
    rsr.exccause a2
    l32r    a3, .Lexc_table
    addx4   a3, a2, a3
    l32i    a3, a3, 0
    jx      a3

    .org    0x70                /* double exception */
    j       .Ldouble_fwd

    .org    0x80
.Ldebug_fwd:
    l32r    a0, .Lrom_debug
    jx      a0
.Lkernel_fwd:
    l32r    a0, .Lrom_kernel
    jx      a0
.Ldouble_fwd:
    l32r    a0, .Lrom_double
    jx      a0

    .balign 4
.Lnmi_fn_ptr:   .word   espsim_nmi_fn
.Lnmi_entry:
    addi    a1, a1, -64
    s32i    a0, a1, 0
    s32i    a2, a1, 4
    s32i    a3, a1, 8
    s32i    a4, a1, 12
    s32i    a5, a1, 16
    s32i    a6, a1, 20
    s32i    a7, a1, 24
    s32i    a8, a1, 28
    s32i    a9, a1, 32
    s32i    a10, a1, 36
    s32i    a11, a1, 40
    rsr.sar a2
    s32i    a2, a1, 44
    rsr.epc3 a2
    s32i    a2, a1, 48
    rsr.eps3 a2
    s32i    a2, a1, 52
    movi    a2, 0x23            /* UM, INTLEVEL 3, EXCM 0 */
    wsr.ps  a2
    rsync
    l32r    a2, .Lnmi_fn_ptr
    l32i    a2, a2, 0
    beqz    a2, 1f
    callx0  a2
1:  movi    a2, 0x33            /* UM, EXCM, INTLEVEL 3: EPC3/EPS3 are safe again */
    wsr.ps  a2
    rsync
    l32i    a2, a1, 48
    wsr.epc3 a2
    l32i    a2, a1, 52
    wsr.eps3 a2
    l32i    a2, a1, 44
    wsr.sar a2
    l32i    a0, a1, 0
    l32i    a2, a1, 4
    l32i    a3, a1, 8
    l32i    a4, a1, 12
    l32i    a5, a1, 16
    l32i    a6, a1, 20
    l32i    a7, a1, 24
    l32i    a8, a1, 28
    l32i    a9, a1, 32
    l32i    a10, a1, 36
    l32i    a11, a1, 40
    addi    a1, a1, 64
    rfi     3
    .end    no-transform
    .size   _espsim_vectors, . - _espsim_vectors
