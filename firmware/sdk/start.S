/* firmware/sdk/start.S — the application entry the ESP8266 boot ROM jumps to (ENTRY in
 * ld/eagle.app.ld; docs/firmware.md "Start-up").
 *
 * The ROM loads the IRAM/DRAM segments of the v1 image and calls call_user_start with CALLX0:
 * PS = 0x20, a1 ~ 0x3FFFFFF0 (the ROM's stack), VECBASE = 0x40000000 (the ROM's vectors and
 * exception dispatch stay in use), CPU frequency word = 52, flash window disabled
 * (reference/lx106.md §5.1). This code lives in IRAM (.entry.text) because nothing in the flash
 * window can run before Cache_Read_Enable. In order it:
 *   1. zeroes .bss (_bss_start.._bss_end, word by word; no call, so no memset from flash);
 *   2. Cache_Read_Enable(0, 0, 1): maps flash MB 0 at 0x40200000 with a 32 KB cache;
 *   3. ets_update_cpu_frequency(80): the SDK runs the CPU at 80 MHz (ets_delay_us uses this);
 *   4. espsim_sdk_init() (sdk_init.c): copies rst_info for system_get_rst_info, starts the ROM
 *      software-timer service (ets_timer_init) and the soft watchdog (system_soft_wdt_restart),
 *      as the NONOS SDK does before user_init;
 *   5. user_init(): the application's NONOS-style entry point;
 *   6. ets_run(): the ROM task loop; it never returns. (Returning to the ROM instead would make it
 *      print "user code done" before entering ets_run; calling ets_run ourselves avoids that line
 *      and is what the NONOS SDK does.)
 * All calls are l32r + callx0: ROM (0x4000xxxx), IRAM and flash are more than CALL0's 512 KB apart.
 */
    .section .entry.text, "ax"
    .align  4
.Lbss_start:    .word   _bss_start
.Lbss_end:      .word   _bss_end
.Lcache_enable: .word   Cache_Read_Enable
.Lcpu_freq:     .word   ets_update_cpu_frequency
.Lsdk_init:     .word   espsim_sdk_init
.Luser_init:    .word   user_init
.Lets_run:      .word   ets_run

    .global call_user_start
    .type   call_user_start, @function
    .align  4
call_user_start:
    /* 1. zero .bss (both ends are 8-byte aligned by the linker script) */
    l32r    a2, .Lbss_start
    l32r    a3, .Lbss_end
    movi    a4, 0
1:  bgeu    a2, a3, 2f
    s32i    a4, a2, 0
    addi    a2, a2, 4
    j       1b
2:
    /* 2. flash window on: first MB, 32 KB cache */
    movi    a2, 0
    movi    a3, 0
    movi    a4, 1
    l32r    a0, .Lcache_enable
    callx0  a0
    /* 3. CPU frequency word = 80 MHz */
    movi    a2, 80
    l32r    a0, .Lcpu_freq
    callx0  a0
    /* 4. rst_info copy, timer service, soft watchdog */
    l32r    a0, .Lsdk_init
    callx0  a0
    /* 5. the application */
    l32r    a0, .Luser_init
    callx0  a0
    /* 6. the ROM task loop (does not return) */
    l32r    a0, .Lets_run
    callx0  a0
3:  j       3b
    .size   call_user_start, . - call_user_start
