/* tests/cpu/asm/decode_try.S — runs one arbitrary instruction word in a sandbox (used by
 * decode.c, the encoding sweep).
 *
 * uint32_t dec_try(uint32_t word, uint32_t len)
 *   Writes the instruction (len 2 or 3 bytes) into dec_thunk, followed by no-ops and a jump
 *   to dec_ok, and runs it with
 *     a0                         = dec_ok (so RET/JX a0/CALLX0 a0 land back here)
 *     a2..a15                    = dec_scratch (loads/stores hit a scratch buffer)
 *     EPC1, EPC2, EPC3, DEPC     = dec_ok, EPS2 = EPS3 = 0x20 (RFE/RFDE/RFI land back here)
 *     a1                         = the stack; restored from memory afterwards
 *   Returns 0xff if the instruction raised nothing, else the first logged vector entry as
 *   (kind << 8) | cause (vectors.S: 'U' user, 'B' debug, ...). PS is reset to 0x20 and SAR,
 *   LITBASE and INTENABLE are left as they were. Callee-saved registers are preserved. */
#include "macros.inc"

    .begin  no-transform

    .section .bss.dec, "aw", @nobits
    .balign 16
    .global dec_scratch
dec_scratch:
    .skip   2048
dec_saved:
    .skip   32          /* a0, a1, a12..a15, SAR */

    .text
    .balign 4
    .global dec_try
dec_try:
    movaddr a8, dec_saved
    s32i    a0, a8, 0
    s32i    a1, a8, 4
    s32i    a12, a8, 8
    s32i    a13, a8, 12
    s32i    a14, a8, 16
    s32i    a15, a8, 20
    rsr.sar a9
    s32i    a9, a8, 24
    /* patch the thunk: the instruction, then no-ops up to the fixed jump at dec_thunk + 6 */
    movaddr a8, dec_thunk
    s8i     a2, a8, 0
    extui   a9, a2, 8, 8
    s8i     a9, a8, 1
    bnei    a3, 2, 1f
    movi    a9, 0x3d            /* nop.n; nop.n */
    s8i     a9, a8, 2
    s8i     a9, a8, 4
    movi    a9, 0xf0
    s8i     a9, a8, 3
    s8i     a9, a8, 5
    j       2f
1:  extui   a9, a2, 16, 8
    s8i     a9, a8, 2
    movi    a9, 0xf0            /* nop = 0x0020f0 */
    s8i     a9, a8, 3
    movi    a9, 0x20
    s8i     a9, a8, 4
    movi    a9, 0x00
    s8i     a9, a8, 5
2:  /* exception state: log empty, general exceptions resume at dec_fault */
    movaddr a8, h_state
    movi    a9, 0
    s32i    a9, a8, HS_N
    movaddr a9, dec_fault
    s32i    a9, a8, HS_RESUME
    movaddr a9, dec_ok
    wsr.epc1 a9
    wsr.epc2 a9
    wsr.epc3 a9
    wsr.depc a9
    movi    a10, 0x20
    wsr.eps2 a10
    wsr.eps3 a10
    isync
    mov     a0, a9
    movaddr a2, dec_scratch
    mov     a3, a2
    mov     a4, a2
    mov     a5, a2
    mov     a6, a2
    mov     a7, a2
    mov     a8, a2
    mov     a9, a2
    mov     a10, a2
    mov     a11, a2
    mov     a12, a2
    mov     a13, a2
    mov     a14, a2
    mov     a15, a2
    j       dec_thunk

    .balign 4
dec_thunk:
    .byte   0, 0, 0, 0, 0, 0
    j       dec_ok

dec_ok:
    movi    a2, 0xff
    j       dec_out
dec_fault:
    movi    a2, 0xfe
dec_out:
    movaddr a8, dec_saved
    l32i    a1, a8, 4
    movi    a9, 0x20
    wsr.ps  a9
    rsync
    movaddr a9, h_state
    movi    a10, 0
    s32i    a10, a9, HS_RESUME
    s32i    a10, a9, HS_DRESUME
    l32i    a10, a9, HS_N
    beqz    a10, 3f
    /* first log entry: kind << 8 | cause */
    l32i    a2, a9, 32
    slli    a2, a2, 8
    l32i    a10, a9, 36
    extui   a10, a10, 0, 8
    or      a2, a2, a10
    movi    a10, 0
    s32i    a10, a9, HS_N
3:  l32i    a9, a8, 24
    wsr.sar a9
    l32i    a0, a8, 0
    l32i    a12, a8, 8
    l32i    a13, a8, 12
    l32i    a14, a8, 16
    l32i    a15, a8, 20
    ret

    .end    no-transform
