/* A firmware C exception handler through the ROM (reference/lx106.md §4.4): install a handler
 * for cause 28 with _xtos_set_exception_handler, read from NULL; the handler writes the value
 * into a4's slot of the exception frame and steps EPC1 over the load, as the Arduino core's
 * IRAM byte-access handler does. Prints "Y" if the load "returned" 0x123 and a12 (clobbered by
 * the handler) came back from the frame, else "N". */
    .section .text, "ax"
    .begin no-transform
    .global _start
    .align 4
.Lputc:  .word 0x40003b30
.Lset:   .word 0x40000454
.Lh:     .word handler
_start:
    movi    a2, 28
    l32r    a3, .Lh
    l32r    a0, .Lset
    callx0  a0
    movi    a12, 0x55
    movi    a3, 0
    l32i    a4, a3, 0          /* NULL read: the handler supplies 0x123 */
    movi    a5, 0x123
    movi    a2, 'N'
    bne     a4, a5, 1f
    movi    a7, 0x55
    bne     a12, a7, 1f        /* a12 survived the handler */
    movi    a2, 'Y'
1:  l32r    a0, .Lputc
    callx0  a0
    movi    a2, 10
    l32r    a0, .Lputc
    callx0  a0
2:  j       2b
    .align 4
handler:                        /* a2 = frame, a3 = cause */
    l32i    a5, a2, 0
    addi    a5, a5, 3
    s32i    a5, a2, 0
    movi    a6, 0x123
    s32i    a6, a2, 28          /* a4's slot */
    movi    a12, 0              /* clobber; the frame restore must bring 0x55 back */
    ret
    .end no-transform
