/* sdk_init.c — what the NONOS SDK does between the ROM and user_init, as far as firmware/sdk
 * models it; called once by start.S after the flash window and the CPU frequency are set:
 *   1. keeps a copy of rst_info (RTC memory block 0) for system_get_rst_info: the soft
 *      watchdog rewrites that block while the program runs (protocols.md C.7);
 *   2. ets_timer_init(): the ROM's software-timer service (FRC2 at 80 MHz / 256, interrupt 10,
 *      ETS task priority 31), which the SDK starts at boot; os_timer_* need it;
 *   3. the hardware watchdog: stage registers 0xB / 0xD and enabled, as the SDK configures it at
 *      boot (protocols.md C.7); from then on only the soft watchdog's feeds keep it quiet (the
 *      espsim model: stages of 2^n * 0.8 ms, so a reset ~8.2 s after the last feed);
 *   4. system_soft_wdt_restart(): the soft watchdog runs from here on, as under the SDK; it
 *      feeds the hardware one whenever the task loop comes round.
 * Then start.S calls user_init() and enters ets_run(). */
#include "osapi.h"
#include "user_interface.h"

/* rst_info as this boot found it (system_get_rst_info). Kept here rather than in
 * user_interface.c: an object whose data is linked but whose code is all discarded by
 * --gc-sections leaves .debug_aranges entries that libdw 0.188 rejects ("invalid DWARF"),
 * which costs espsim's fault reports their file:line. */
static struct rst_info espsim_rst_info;

struct rst_info *ICACHE_FLASH_ATTR system_get_rst_info(void)
{
    return &espsim_rst_info;
}

void ICACHE_FLASH_ATTR espsim_sdk_init(void)
{
    const volatile uint32 *rtc = (const volatile uint32 *)RTC_USER_MEM_BASE;
    uint32 *dst = (uint32 *)&espsim_rst_info;
    for (unsigned i = 0; i < sizeof(espsim_rst_info) / 4; i++)
        dst[i] = rtc[i];
    ets_timer_init();
    CLEAR_PERI_REG_MASK(WDT_CTRL, BIT(0));
    WRITE_PERI_REG(WDT_REG1, 0xB);
    WRITE_PERI_REG(WDT_REG2, 0xD);
    SET_PERI_REG_MASK(WDT_CTRL, BIT(0));
    system_soft_wdt_restart();
}
