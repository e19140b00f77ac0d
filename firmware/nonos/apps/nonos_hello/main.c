/* nonos_hello — linked against Espressif's closed NONOS SDK libraries (docs/nonos-sdk.md):
 * prints from user_init, from a system_os_task task and from an os_timer, then reports the
 * SDK's reset info and the Wi-Fi mode the SDK started in. */
#include "ets_sys.h"
#include "os_type.h"
#include "osapi.h"
#include "user_interface.h"

#define QLEN 4
static os_event_t queue[QLEN];
static os_timer_t timer;
static int ticks;

static void ICACHE_FLASH_ATTR hello_task(os_event_t *e)
{
    os_printf("nonos_hello: task sig %u par %u\n", (unsigned)e->sig, (unsigned)e->par);
}

static void ICACHE_FLASH_ATTR hello_timer(void *arg)
{
    (void)arg;
    ticks++;
    os_printf("nonos_hello: timer %d at %u us\n", ticks, (unsigned)system_get_time());
    if (ticks == 3) {
        os_timer_disarm(&timer);
        os_printf("nonos_hello: heap %u, opmode %d, done\n", (unsigned)system_get_free_heap_size(),
                  (int)wifi_get_opmode());
    }
}

void ICACHE_FLASH_ATTR user_init(void)
{
    struct rst_info *ri = system_get_rst_info();
    os_printf("nonos_hello: user_init, sdk %s, reset reason %d\n", system_get_sdk_version(),
              (int)ri->reason);
    system_os_task(hello_task, USER_TASK_PRIO_1, queue, QLEN);
    system_os_post(USER_TASK_PRIO_1, 7, 42);
    os_timer_setfn(&timer, hello_timer, NULL);
    os_timer_arm(&timer, 100, 1);
}
