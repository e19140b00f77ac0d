/* Start-up for qemu-sim programs: reset stub at 0x50000000, then _start sets the stack and
 * PS = 0x20 (UM = 1, EXCM = 0, INTLEVEL 0, as the ESP8266 ROM leaves it), zeroes .bss, calls
 * main and passes its result to the semihosting exit call. */
    .section .reset, "ax"
    .global _reset
_reset:
    j       1f
    .align  4
.Lstart_addr:
    .word   _start
1:  l32r    a0, .Lstart_addr
    jx      a0

    .section .entry.text, "ax"
    .align  4
.Lstack:    .word __stack
.Lbss_s:    .word __bss_start
.Lbss_e:    .word __bss_end
.Lmain:     .word main
    .global _start
_start:
    l32r    a1, .Lstack
    movi    a2, 0x20
    wsr.ps  a2
    rsync
    l32r    a2, .Lbss_s
    l32r    a3, .Lbss_e
    movi    a4, 0
2:  bgeu    a2, a3, 3f
    s32i    a4, a2, 0
    addi    a2, a2, 4
    j       2b
3:  l32r    a0, .Lmain
    callx0  a0
    mov     a3, a2
    movi    a2, 1          /* SYS_exit */
    simcall
4:  j       4b
