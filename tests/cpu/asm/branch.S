/* tests/cpu/asm/branch.S — conditional branches over h_vals (taken = bit set), every b4const /
 * b4constu immediate and every BBCI/BBSI bit, branch offsets at the ends of their ranges
 * (forward and backward), jumps, calls and returns (reference/lx106.md §2.2–2.4).
 * A wrong target lands in zero filler (ILL), which the exception log prints. */
#include "macros.inc"
#include "sweep.inc"

    .begin  no-transform

.macro bi_sweep op, consts:vararg
    sweep1 \op, "movi a4, 0; .irp k, \consts; slli a4, a4, 1; \op a2, \k, 1f; j 2f; 1: addi a4, a4, 1; 2: ; .endr"
.endm

    sweep_values
    test_main

    test_begin "register branches"
    bits2 beq,   "beq a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 bne,   "bne a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 blt,   "blt a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 bge,   "bge a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 bltu,  "bltu a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 bgeu,  "bgeu a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 bany,  "bany a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 bnone, "bnone a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 ball,  "ball a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 bnall, "bnall a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 bbc,   "bbc a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 bbs,   "bbs a2, a3, 1f; j 2f; 1: movi a4, 1; 2:"
    /* same register on both sides */
    bits2 beq.same, "beq a2, a2, 1f; j 2f; 1: movi a4, 1; 2:"
    bits2 blt.same, "blt a3, a3, 1f; j 2f; 1: movi a4, 1; 2:"

    test_begin "zero branches"
    sweep1 beqz,   "movi a4, 0; beqz a2, 1f; j 2f; 1: movi a4, 1; 2:"
    sweep1 bnez,   "movi a4, 0; bnez a2, 1f; j 2f; 1: movi a4, 1; 2:"
    sweep1 bltz,   "movi a4, 0; bltz a2, 1f; j 2f; 1: movi a4, 1; 2:"
    sweep1 bgez,   "movi a4, 0; bgez a2, 1f; j 2f; 1: movi a4, 1; 2:"
    sweep1 beqz.n, "movi a4, 0; beqz.n a2, 1f; j 2f; 1: movi a4, 1; 2:"
    sweep1 bnez.n, "movi a4, 0; bnez.n a2, 1f; j 2f; 1: movi a4, 1; 2:"

    test_begin "immediate branches"
    bi_sweep beqi,  -1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256
    bi_sweep bnei,  -1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256
    bi_sweep blti,  -1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256
    bi_sweep bgei,  -1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256
    bi_sweep bltui, 32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256
    bi_sweep bgeui, 32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256
    bi_sweep bbci,  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    bi_sweep bbsi,  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    /* immediates against values next to the constants */
    movi    a2, 3
    movi    a4, 0
    .irp k, -1, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256
    addi    a2, a2, 0
    slli    a4, a4, 1
    blti    a2, \k, 1f
    j       2f
1:  addi    a4, a4, 1
2:
    .endr
    check_reg a4, "blti 3 vs b4const"
    movaddr a2, 65535
    movi    a4, 0
    .irp k, 32768, 65536, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 32, 64, 128, 256
    slli    a4, a4, 1
    bgeui   a2, \k, 1f
    j       2f
1:  addi    a4, a4, 1
2:
    .endr
    check_reg a4, "bgeui 65535 vs b4constu"

    test_begin "offsets"
    movi    a2, 0
    /* BRI8 forward +127: target = pc + 4 + 127 */
    movi    a4, 0
    beq     a2, a2, .Lb8f
    .skip   128
.Lb8f:
    movi    a4, 1
    check_reg a4, "beq +127"
    /* BRI8 backward -128 */
    movi    a4, 0
    j       .Lb8b_go
.Lb8b_t:
    movi    a4, 2
    j       .Lb8b_done
    .skip   118
.Lb8b_go:
    beq     a2, a4, .Lb8b_t
.Lb8b_done:
    check_reg a4, "beq -128"
    /* BRI8 immediate forms at the extremes */
    movi    a4, 0
    bbci    a2, 7, .Lbi8f
    .skip   128
.Lbi8f:
    movi    a4, 3
    check_reg a4, "bbci +127"
    /* BRI12 forward +2047 */
    movi    a4, 0
    beqz    a2, .Lb12f
    .skip   2048
.Lb12f:
    movi    a4, 4
    check_reg a4, "beqz +2047"
    /* BRI12 backward -2048 */
    movi    a4, 0
    j       .Lb12b_go
.Lb12b_t:
    movi    a4, 5
    j       .Lb12b_done
    .skip   2038
.Lb12b_go:
    bgez    a2, .Lb12b_t
.Lb12b_done:
    check_reg a4, "bgez -2048"
    /* BEQZ.N +63 */
    movi    a4, 0
    beqz.n  a2, .Lbnf
    .skip   65
.Lbnf:
    movi    a4, 6
    check_reg a4, "beqz.n +63"
    /* BNEZ.N +0 (skips nothing past the next 2 bytes) */
    movi    a4, 7
    movi    a3, 1
    bnez.n  a3, .Lbn0
    movi.n  a4, 0
.Lbn0:
    check_reg a4, "bnez.n +0"
    /* J: a far jump forward over 128 KB, then back again */
    movi    a4, 0
    j       .Ljfar
.Ljback:
    movi    a4, 8
    j       .Ljdone
.Ljdone:
    check_reg a4, "j far and back"

    test_begin "calls"
    movi    a0, 0
    call0   .Lsub_a0
.Lret1:
    movaddr a3, .Lret1
    sub     a4, a2, a3
    check_reg a4, "call0: a0 - return label"
    movaddr a6, .Lsub_a0
    callx0  a6
.Lret2:
    movaddr a3, .Lret2
    sub     a4, a2, a3
    check_reg a4, "callx0: a0 - return label"
    /* callx0 a0: target read before a0 is written */
    movaddr a0, .Lsub_a0
    callx0  a0
.Lret3:
    movaddr a3, .Lret3
    sub     a4, a2, a3
    check_reg a4, "callx0 a0: a0 - return label"
    /* ret.n */
    movaddr a6, .Lsub_retn
    movi    a2, 0
    callx0  a6
    check_reg a2, "ret.n"
    /* jx */
    movi    a4, 0
    movaddr a6, .Ljx_target
    jx      a6
    movi    a4, 0x99
.Ljx_target:
    addi    a4, a4, 9
    check_reg a4, "jx"
    /* far call0 (over 128 KB) */
    movi    a2, 0
    call0   .Lfar_fn
    check_reg a2, "call0 far"
    /* call0 from each address alignment (the target is computed from pc & ~3) */
    call0   .Lsub_a0
    mov.n   a5, a2
    call0   .Lsub_a0
    mov.n   a6, a2
    call0   .Lsub_a0
    mov.n   a7, a2
    call0   .Lsub_a0
    sub     a5, a6, a5
    sub     a6, a7, a6
    sub     a7, a2, a7
    check_reg a5, "call0 spacing 1"
    check_reg a6, "call0 spacing 2"
    check_reg a7, "call0 spacing 3"
    check_exc

    /* restore a0 from the frame and return */
    test_end

    .balign 4
.Lsub_a0:
    mov     a2, a0
    ret
.Lsub_retn:
    movi    a2, 0x44
    ret.n

    .skip   127000
    .balign 4
.Lfar_fn:
    movi    a2, 0x77
    ret
.Ljfar:
    j       .Ljback

    .end    no-transform
