/* nonos_wdt — the SDK's soft watchdog (libpp's pp_soft_wdt_feed_local on the Wi-Fi MAC's
 * timer 1): on the first boot a task spins without feeding it; the second expiry restarts the
 * chip through libmain's system_restart_local, and the next boot prints the reset info the SDK
 * reports: reason 4 with SDK 3.0.6's libpp, which no longer writes the rst_info record that made
 * earlier libraries report 3 (docs/nonos-sdk.md, "Soft-watchdog reason"). A boot counter in
 * RTC user memory (block 64) tells the boots apart. Linked against the closed SDK. */
#include "ets_sys.h"
#include "os_type.h"
#include "osapi.h"
#include "user_interface.h"

#define BOOT_MAGIC 0x57445400u /* "WDT" << 8 | count */

static os_event_t queue[2];

static void ICACHE_FLASH_ATTR spin_task(os_event_t *e)
{
    (void)e;
    os_printf("nonos_wdt: spinning at %u us\n", (unsigned)system_get_time());
    for (;;) {
    }
}

void ICACHE_FLASH_ATTR user_init(void)
{
    struct rst_info *ri = system_get_rst_info();
    uint32 boot = 0;
    system_rtc_mem_read(64, &boot, sizeof(boot));
    unsigned count = (boot & 0xFFFFFF00u) == BOOT_MAGIC ? (boot & 0xFFu) : 0u;
    os_printf("nonos_wdt: boot %u, reset reason %d\n", count, (int)ri->reason);
    boot = BOOT_MAGIC | (count + 1u);
    system_rtc_mem_write(64, &boot, sizeof(boot));
    if (count > 0) {
        os_printf("nonos_wdt: restarted by the watchdog, reason %d, done\n", (int)ri->reason);
        return;
    }
    system_os_task(spin_task, USER_TASK_PRIO_0, queue, 2);
    system_os_post(USER_TASK_PRIO_0, 0, 0);
}
