/* nonos_scan — the SDK's Wi-Fi start as a station: wifi_set_opmode(STATION_MODE), the event
 * callback, and a scan of all channels that must complete with the simulated world's access
 * points (none: espsim has no beacons yet). Linked against the closed SDK (docs/nonos-sdk.md). */
#include "ets_sys.h"
#include "os_type.h"
#include "osapi.h"
#include "user_interface.h"

static void ICACHE_FLASH_ATTR scan_done(void *arg, STATUS status)
{
    int n = 0;
    for (struct bss_info *b = arg; b; b = b->next.stqe_next)
        n++;
    os_printf("nonos_scan: scan done, status %d, %d access points, done\n", (int)status, n);
}

static void ICACHE_FLASH_ATTR on_event(System_Event_t *e)
{
    os_printf("nonos_scan: event %u\n", (unsigned)e->event);
}

static void ICACHE_FLASH_ATTR start_scan(void)
{
    os_printf("nonos_scan: init done, opmode %d, scanning\n", (int)wifi_get_opmode());
    if (!wifi_station_scan(NULL, scan_done)) os_printf("nonos_scan: scan refused\n");
}

void ICACHE_FLASH_ATTR user_init(void)
{
    wifi_set_opmode_current(STATION_MODE);
    wifi_set_event_handler_cb(on_event);
    system_init_done_cb(start_scan);
    os_printf("nonos_scan: user_init\n");
}
