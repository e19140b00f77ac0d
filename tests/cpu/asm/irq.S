/* tests/cpu/asm/irq.S — level-1 interrupts and the CCOMPARE0 timer (reference/lx106.md
 * §1.2, §1.8): the software interrupt (7) through INTSET/INTCLEAR, masking by INTENABLE and
 * PS.INTLEVEL (RSIL, WSR.PS, WAITI), an interrupt pending while PS.EXCM is set and taken right
 * after RFE; the timer (6) through WAITI and by polling INTERRUPT, cleared by writing CCOMPARE0
 * and not by INTCLEAR, re-armed by writing CCOUNT.
 * CCOUNT runs at different rates in QEMU and espsim, so every interrupt here is taken at a point
 * that does not depend on the rate (after WAITI, or when it is unmasked) and polling loops print
 * only whether they saw the bit. */
#include "macros.inc"

    .begin  no-transform

/* a4 = 1 if INTERRUPT bit \bit becomes set within a bounded number of polls, else 0 */
.macro poll_int bit
    movaddr a5, 2000000
    movi    a4, 0
.Lpoll\@:
    rsr.interrupt a6
    bbsi    a6, \bit, .Lseen\@
    addi    a5, a5, -1
    bnez    a5, .Lpoll\@
    j       .Ldone\@
.Lseen\@:
    movi    a4, 1
.Ldone\@:
.endm

    test_main

    test_begin "software interrupt"
    movi    a2, 0
    wsr.intenable a2
    movi    a2, 0x80
    wsr.intclear a2
    movi    a2, 0x20
    wsr.ps  a2
    rsync
    movi    a2, 0x80
    wsr.intenable a2
    wsr.intset a2           /* taken before the next instruction */
    nop
    check_exc
    check_sr interrupt

    test_begin "masked by intenable"
    movi    a2, 0
    wsr.intenable a2
    movi    a2, 0x80
    wsr.intset a2
    nop
    nop
    check_sr interrupt
    check_exc
    movi    a2, 0x80
    wsr.intenable a2        /* taken now */
    nop
    check_exc
    check_sr interrupt

    test_begin "masked by intlevel"
    rsil    a3, 1
    wsr.intset a2
    nop
    check_sr interrupt
    check_exc
    rsil    a3, 0           /* taken after RSIL */
    nop
    check_exc
    check_reg a3, "rsil old ps"
    rsil    a3, 15
    wsr.intset a2
    rsil    a3, 2
    rsil    a3, 1
    nop
    check_exc
    movi    a3, 0x20
    wsr.ps  a3              /* taken after WSR.PS */
    nop
    check_exc
    rsil    a3, 3
    wsr.intset a2
    movi    a3, 0x20
    movi    a4, 0x23
    xsr.ps  a3              /* XSR.PS lowers the level too */
    nop
    check_exc
    check_reg a3, "xsr.ps old"

    test_begin "intclear"
    rsil    a3, 15
    wsr.intset a2
    check_sr interrupt
    wsr.intclear a2
    check_sr interrupt
    rsil    a3, 0
    nop
    check_exc

    test_begin "pending while excm"
    movaddr a3, .Lafter_rfe
    wsr.epc1 a3
    movi    a3, 0x30        /* UM | EXCM */
    wsr.ps  a3
    rsync
    wsr.intset a2
    nop
    nop
    check_sr interrupt
    rfe                     /* EXCM cleared: taken at .Lafter_rfe, before it runs */
.Lafter_rfe:
    nop
    check_exc
    check_sr ps

    test_begin "waiti with a pending interrupt"
    rsil    a3, 15
    wsr.intset a2
    waiti   0               /* lowers the level: taken at once, EPC1 after WAITI */
    nop
    check_exc
    check_sr ps

    test_begin "irq_mode 1: handler masks instead of clearing"
    set_hstate HS_IRQMODE, 1
    wsr.intset a2
    nop
    check_exc
    check_sr interrupt
    check_sr intenable
    set_hstate HS_IRQMODE, 0
    wsr.intclear a2

    test_begin "timer by waiti"
    movi    a2, 0x40
    wsr.intenable a2
    rsil    a3, 5           /* WAITI 0 must lower it */
    rsr.ccount a2
    addmi   a2, a2, 1024
    wsr.ccompare0 a2
    waiti   0
    nop
    check_exc
    check_sr interrupt
    check_sr ps
    /* twice more, with a longer and a shorter wait */
    rsr.ccount a2
    addmi   a2, a2, 0x4000
    wsr.ccompare0 a2
    waiti   0
    check_exc
    rsr.ccount a2
    addi    a2, a2, 100
    wsr.ccompare0 a2
    waiti   0
    check_exc
    movi    a2, 0
    wsr.intenable a2

    test_begin "timer by polling"
    rsr.ccount a2
    addi    a2, a2, 50
    wsr.ccompare0 a2
    poll_int 6
    check_reg a4, "interrupt bit 6 seen"
    movi    a2, 0x40
    wsr.intclear a2         /* cannot clear it */
    rsr.interrupt a3
    extui   a3, a3, 6, 1
    check_reg a3, "bit 6 after intclear"
    wsr.intset a2           /* nor can INTSET touch it */
    rsr.ccompare0 a2
    wsr.ccompare0 a2        /* writing CCOMPARE0 clears it */
    rsr.interrupt a3
    extui   a3, a3, 6, 1
    check_reg a3, "bit 6 after wsr.ccompare0"
    /* pending timer taken once enabled */
    rsr.ccount a2
    addi    a2, a2, 20
    wsr.ccompare0 a2
    poll_int 6
    check_reg a4, "seen again"
    movi    a2, 0x40
    wsr.intenable a2        /* taken now, EPC1 is the next instruction */
    nop
    check_exc
    check_sr interrupt
    movi    a2, 0
    wsr.intenable a2

    test_begin "timer in the middle of a loop"
    /* The interrupt lands at a rate-dependent point (EPC1 hidden); the loop's result must not
     * depend on it. */
    movi    a2, 0x40
    wsr.intenable a2
    movaddr a5, 20000
    movi    a6, 0
    movi    a7, 1
    rsr.ccount a2
    addi    a2, a2, 120
    wsr.ccompare0 a2
1:  add     a6, a6, a7
    xor     a6, a6, a5
    slli    a7, a6, 1
    addi    a7, a7, 3
    addi    a5, a5, -1
    bnez    a5, 1b
    movi    a2, 0
    wsr.intenable a2
    check_reg a6, "loop result"
    check_exc H_EXC_ASYNC
    check_sr interrupt

    test_begin "ccount write re-arms the comparison"
    movaddr a2, 0x40000000
    wsr.ccompare0 a2
    movaddr a3, 0x40000000 - 40
    wsr.ccount a3
    poll_int 6
    check_reg a4, "seen after wsr.ccount"
    /* across the 32-bit wrap */
    movi    a2, 10
    wsr.ccompare0 a2
    movi    a3, -30
    wsr.ccount a3
    poll_int 6
    check_reg a4, "seen across the wrap"
    wsr.ccompare0 a2
    rsr.interrupt a3
    check_reg a3, "interrupt after clearing"
    /* CCOUNT continues from the written value */
    movaddr a2, 0x12345678
    wsr.ccount a2
    rsr.ccount a3
    sub     a3, a3, a2
    movi    a4, 0
    bgeui   a3, 128, 1f
    movi    a4, 1
1:  check_reg a4, "ccount continues (1)"
    rsr.ccount a2
    movi    a3, 0
    movi    a5, 1000
2:  addi    a5, a5, -1
    bnez    a5, 2b
    rsr.ccount a3
    movi    a4, 0
    beq     a2, a3, 1f
    movi    a4, 1
1:  check_reg a4, "ccount increased (1)"
    /* park the comparator far away */
    addi    a3, a3, -1
    wsr.ccompare0 a3
    check_exc

    test_begin "timer and software together"
    movi    a2, 0xc0
    wsr.intenable a2
    rsil    a3, 15
    movi    a2, 0x80
    wsr.intset a2
    rsr.ccount a2
    addi    a2, a2, 20
    wsr.ccompare0 a2
    poll_int 6
    check_reg a4, "timer pending"
    rsil    a3, 0           /* one entry; the handler clears both */
    nop
    check_exc
    check_sr interrupt
    movi    a2, 0
    wsr.intenable a2
    rsr.ccount a2
    addi    a2, a2, -1
    wsr.ccompare0 a2

    test_end

    .end    no-transform
