/* nonos_fault — an exception handled by the SDK's own fatal-exception handler: the first boot
 * loads from address 0; libmain prints "Fatal exception 28(LoadProhibitedCause):" with its
 * register dump and restarts; the next boot sees REASON_EXCEPTION_RST (2) and the cause.
 * Linked against the closed SDK (docs/nonos-sdk.md). */
#include "ets_sys.h"
#include "os_type.h"
#include "osapi.h"
#include "user_interface.h"

static os_timer_t timer;

static void ICACHE_FLASH_ATTR fault_now(void *arg)
{
    (void)arg;
    volatile uint32 *p = (volatile uint32 *)0;
    os_printf("nonos_fault: reading address 0\n");
    os_printf("nonos_fault: got %u\n", (unsigned)*p);
}

void ICACHE_FLASH_ATTR user_init(void)
{
    struct rst_info *ri = system_get_rst_info();
    os_printf("nonos_fault: boot, reset reason %d\n", (int)ri->reason);
    if (ri->reason == REASON_EXCEPTION_RST) {
        os_printf("nonos_fault: exception reset seen, exccause %u excvaddr 0x%08x, done\n",
                  (unsigned)ri->exccause, (unsigned)ri->excvaddr);
        return;
    }
    os_timer_setfn(&timer, fault_now, NULL);
    os_timer_arm(&timer, 50, 0);
}
