/* apps/attack/attack_asm.S — the attacking accesses, each one instruction of a known length at a
 * known place (the underscore forms keep the assembler from narrowing them), so the exception
 * handler in attack.c can step over a faulting one. CALL0 ABI: a2.. arguments, a2 result. */
    .section .iram.text, "ax"
    .literal_position

    .global attack_st32
    .type attack_st32, @function
    .align 4
attack_st32:                /* *(uint32 *)a2 = a3 */
    _s32i a3, a2, 0
    ret
    .size attack_st32, . - attack_st32

    .global attack_st16
    .type attack_st16, @function
    .align 4
attack_st16:                /* *(uint16 *)a2 = a3 */
    s16i a3, a2, 0
    ret
    .size attack_st16, . - attack_st16

    .global attack_st8
    .type attack_st8, @function
    .align 4
attack_st8:                 /* *(uint8 *)a2 = a3 */
    s8i a3, a2, 0
    ret
    .size attack_st8, . - attack_st8

    .global attack_ld32
    .type attack_ld32, @function
    .align 4
attack_ld32:                /* a2 = *(uint32 *)a2; a faulting load leaves a3 (0) in a2 */
    movi a3, 0
    _l32i a3, a2, 0
    mov a2, a3
    ret
    .size attack_ld32, . - attack_ld32

    .global attack_ld8
    .type attack_ld8, @function
    .align 4
attack_ld8:                 /* a2 = *(uint8 *)a2 */
    movi a3, 0
    l8ui a3, a2, 0
    mov a2, a3
    ret
    .size attack_ld8, . - attack_ld8

    .global attack_jump
    .type attack_jump, @function
    .align 4
attack_jump:                /* calls a2 with a0 = the return point; the handler returns there */
    addi a1, a1, -16
    s32i a0, a1, 0
    callx0 a2
    l32i a0, a1, 0
    addi a1, a1, 16
    ret
    .size attack_jump, . - attack_jump

    .global attack_simcall
    .type attack_simcall, @function
    .align 4
attack_simcall:             /* QEMU semihosting request "exit(7)": on the esp8266 machine an
                             * IllegalInstruction (semihosting is not there) */
    movi a2, 1
    movi a3, 7
    simcall
    ret
    .size attack_simcall, . - attack_simcall
