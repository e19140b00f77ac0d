/* A minimal ESP8266 program (no SDK): prints through the ROM's uart_tx_one_char, then "done",
 * then waits in ets_delay_us forever. Used to make valid ELF/image/flash inputs to corrupt. */
    .section .text, "ax"
    .global _start
    .align 4
.Lputc:  .word 0x40003b30       /* uart_tx_one_char */
.Ldelay: .word 0x40002ecc       /* ets_delay_us */
.Lmsg:   .word msg
_start:
    l32r    a12, .Lmsg
1:  l8ui    a2, a12, 0
    beqz    a2, 2f
    l32r    a0, .Lputc
    callx0  a0
    addi    a12, a12, 1
    j       1b
2:  movi    a2, 1000
    l32r    a0, .Ldelay
    callx0  a0
    j       2b
    .section .data
msg: .asciz "tiny\ndone\n"
