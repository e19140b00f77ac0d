/* apps/wdt_spin — the soft watchdog (protocols.md C.7). First boot (rst_info.reason != 3):
 * prints the reset reason and "spinning", then posts a task that loops forever without
 * returning to ets_run. Nothing feeds the soft watchdog any more, so 1.6..3.2 s later it
 * resets the chip with rst_info.reason 3 (REASON_SOFT_WDT_RST); the ROM prints its boot banner
 * again. Second boot: prints the reason and "WDT_RESET_SEEN reason=3", then idles.
 *
 * Output (after the ROM's boot lines):
 *   wdt_spin: boot, rst_info.reason 0          (0 = power on)
 *   wdt_spin: spinning
 *   ... ROM boot lines again, ~3.2 s later ...
 *   wdt_spin: boot, rst_info.reason 3
 *   WDT_RESET_SEEN reason=3
 * Built with -DWDT_SPIN_LOCKED (app wdt_spin_locked) the task spins with interrupts locked
 * after stopping the soft watchdog, so only the hardware watchdog can end it: reason 1
 * (REASON_WDT_RST), the ROM's banner says "rst cause:4"; the app then prints
 * "WDT_RESET_SEEN reason=1". */
#include "osapi.h"
#include "user_interface.h"

#ifdef WDT_SPIN_LOCKED
#define EXPECT_REASON REASON_WDT_RST
#define NAME          "wdt_spin_locked"
#else
#define EXPECT_REASON REASON_SOFT_WDT_RST
#define NAME          "wdt_spin"
#endif

static os_event_t queue[1];
static volatile uint32 spins;

static void spin_task(os_event_t *e)
{
    (void)e;
    uint32 t0 = system_get_time();
    (void)t0;
#ifdef WDT_SPIN_LOCKED
    system_soft_wdt_stop();
    ets_intr_lock();
#endif
    for (;;) {
        spins++;
#ifndef WDT_SPIN_LOCKED /* (ets_printf might re-open interrupts) */
        if (spins % 4000000u == 0)
            os_printf(NAME ": still spinning, %u us\n", system_get_time() - t0);
#endif
    }
}

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void ICACHE_FLASH_ATTR user_init(void)
{
    struct rst_info *ri = system_get_rst_info();
    os_printf(NAME ": boot, rst_info.reason %u\n", ri->reason);
    if (ri->reason == EXPECT_REASON) {
        os_printf("WDT_RESET_SEEN reason=%u\n", ri->reason);
        return;
    }
    os_printf(NAME ": spinning\n");
    system_os_task(spin_task, USER_TASK_PRIO_0, queue, 1);
    system_os_post(USER_TASK_PRIO_0, 0, 0);
}
