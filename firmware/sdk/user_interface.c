/* user_interface.c — the guest-code part of the NONOS system_* API (user_interface.h):
 * system_os_task / system_os_post (protocols.md C.1, over the ROM's ets_task / ets_post),
 * system_get_time, system_restart (system_get_rst_info is in sdk_init.c, next to the copy it
 * returns).
 * system_timer_reinit and system_soft_wdt_* have no body here: the linker script binds them to
 * espsim's extension entry points (rom_symbols.ld, from models/rom/rom.h ESP_ROM_EXT_*). */
#include "osapi.h"
#include "user_interface.h"

/* The NONOS SDK's messages, printed with os_printf exactly as libmain does. */
bool ICACHE_FLASH_ATTR system_os_task(os_task_t task, uint8 prio, os_event_t *queue, uint8 qlen)
{
    if (prio >= USER_TASK_PRIO_MAX) {
        os_printf("err: task prio < %d\n", USER_TASK_PRIO_MAX);
        return false;
    }
    if (queue == NULL || qlen == 0) {
        os_printf("err: task queue error\n");
        return false;
    }
    ets_task(task, (uint8)(prio + 2), queue, qlen);
    return true;
}

/* IRAM: interrupt handlers post events (the flash cache may be busy, e.g. during a flash write). */
bool IRAM_ATTR system_os_post(uint8 prio, os_signal_t sig, os_param_t par)
{
    if (prio >= USER_TASK_PRIO_MAX) {
        os_printf("err: post prio < %d\n", USER_TASK_PRIO_MAX);
        return false;
    }
    return ets_post((uint8)(prio + 2), sig, par) == 0;
}

uint32 WdevTimOffSet;

uint32 IRAM_ATTR system_get_time(void)
{
    return READ_PERI_REG(WDEV_NOW_REG) + WdevTimOffSet;
}

void ICACHE_FLASH_ATTR system_restart(void)
{
    /* The SDK writes the record itself before restarting (the machine writes the same). */
    volatile uint32 *rtc = (volatile uint32 *)RTC_USER_MEM_BASE;
    rtc[0] = REASON_SOFT_RESTART;
    for (unsigned i = 1; i < 7; i++)
        rtc[i] = 0;
    software_reset();
}
