/* nonos_wdt — the SDK's watchdogs: on the first boot a task spins without feeding them; the
 * chip resets and on the next boot system_get_rst_info() reports the watchdog. On a chip the
 * SDK's soft watchdog (libpp, on the Wi-Fi MAC timer) bites first: REASON_SOFT_WDT_RST (3).
 * espsim does not model the MAC timer yet, so the hardware watchdog bites: REASON_WDT_RST (1)
 * (docs/nonos-sdk.md). Linked against the closed SDK. */
#include "ets_sys.h"
#include "os_type.h"
#include "osapi.h"
#include "user_interface.h"

static os_event_t queue[2];

static void ICACHE_FLASH_ATTR spin_task(os_event_t *e)
{
    (void)e;
    os_printf("nonos_wdt: spinning\n");
    for (;;) {
    }
}

void ICACHE_FLASH_ATTR user_init(void)
{
    struct rst_info *ri = system_get_rst_info();
    os_printf("nonos_wdt: boot, reset reason %d\n", (int)ri->reason);
    if (ri->reason == REASON_SOFT_WDT_RST || ri->reason == REASON_WDT_RST) {
        os_printf("nonos_wdt: watchdog reset seen, reason %d, done\n", (int)ri->reason);
        return;
    }
    system_os_task(spin_task, USER_TASK_PRIO_0, queue, 2);
    system_os_post(USER_TASK_PRIO_0, 0, 0);
}
