/* tests/cpu/asm/extreg.S — RER/WER (external registers, reference/lx106.md §1.1, §2.4).
 * QEMU's lx106 executes both without an exception: WER has no visible effect and RER writes
 * at from an empty external-register space. The value RER returns is not printed: QEMU 7.2
 * gives 0 in some contexts and leaves at unchanged in others (docs/cpu-differences.md).
 * What is compared: no exception, and no other register or memory changes. */
#include "macros.inc"

    .begin  no-transform

    test_main

    test_begin "rer/wer"
    movi    a2, 0x12
    movi    a3, 0x34
    movi    a4, 0x56
    movi    a5, 0x78
    set_resume 1f
    .byte   0x30, 0x72, 0x40        /* wer a3, a2 */
1:  check_exc
    set_resume 1f
    .byte   0x40, 0x75, 0x40        /* wer a4, a5 */
1:  check_exc
    set_resume 1f
    .byte   0x40, 0x62, 0x40        /* rer a4, a2 */
1:  check_exc
    movi    a4, 0x56
    set_resume 1f
    .byte   0x30, 0x65, 0x40        /* rer a3, a5 */
1:  check_exc
    movi    a3, 0x34
    set_resume 1f
    rer                             /* rer a0, a0 */
1:  check_exc
    set_resume 1f
    wer                             /* wer a0, a0 */
1:  check_exc
    check_reg a2
    check_reg a3
    check_reg a4
    check_reg a5
    check_sr sar
    check_sr ps

    test_end

    .end    no-transform
