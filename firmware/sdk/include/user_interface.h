/* user_interface.h — the NONOS SDK's system_* API, the part that maps straight onto the ROM or
 * registers (reference/lx106.md §3, §4). Written as inline functions here; the NONOS SDK has
 * them in its closed libmain. */
#ifndef ESPSIM_SDK_USER_INTERFACE_H
#define ESPSIM_SDK_USER_INTERFACE_H

#include "c_types.h"
#include "esp8266.h"
#include "ets_sys.h"
#include "os_type.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The application's entry point, called by the start code (start.S) once the flash window is
 * on; the ROM task loop (ets_run) runs after it returns. */
void user_init(void);

/* NONOS SDK >= 2.1 asks the application for the sector of its RF calibration data; espsim and
 * firmware/sdk never call it. Apps that also build against the NONOS SDK define it. */
uint32 user_rf_cal_sector_set(void);

/* Task priorities of the NONOS API: 0 (lowest) .. 2, mapped onto ETS priorities 2..4 as the
 * SDK >= 1.5 does. */
#define USER_TASK_PRIO_0   0
#define USER_TASK_PRIO_1   1
#define USER_TASK_PRIO_2   2
#define USER_TASK_PRIO_MAX 3

static inline bool system_os_task(os_task_t task, uint8 prio, os_event_t *queue, uint8 qlen)
{
    if (prio >= USER_TASK_PRIO_MAX || queue == NULL || qlen == 0)
        return false;
    ets_task(task, (uint8)(prio + 2), queue, qlen);
    return true;
}

static inline bool system_os_post(uint8 prio, os_signal_t sig, os_param_t par)
{
    if (prio >= USER_TASK_PRIO_MAX)
        return false;
    return ets_post((uint8)(prio + 2), sig, par) == 0;
}

/* Microseconds from the Wi-Fi MAC's free-running 1 MHz counter. */
static inline uint32 system_get_time(void)
{
    return READ_PERI_REG(WDEV_NOW_REG);
}

/* The RTC counter (~150 kHz RC clock). */
static inline uint32 system_get_rtc_time(void)
{
    return READ_PERI_REG(RTC_SLP_CNT_VAL);
}

static inline uint8 system_get_cpu_freq(void)
{
    return (uint8)ets_get_cpu_frequency();
}

/* 80 or 160 MHz: the DPORT clock bit plus the ROM's frequency word. */
static inline bool system_update_cpu_freq(uint8 mhz)
{
    if (mhz == 160)
        SET_PERI_REG_MASK(DPORT_CPU_CLOCK, BIT(0));
    else if (mhz == 80)
        CLEAR_PERI_REG_MASK(DPORT_CPU_CLOCK, BIT(0));
    else
        return false;
    ets_update_cpu_frequency(mhz);
    return true;
}

static inline uint32 os_random(void)
{
    return READ_PERI_REG(WDEV_RAND_REG);
}

/* RTC user memory: block n (n = 64..191 for applications) at 0x60001100 + 4n; buffers and
 * lengths are whole words. */
static inline bool system_rtc_mem_write(uint8 block, const void *src, uint16 len)
{
    if (block < 64 || block + (uint32)(len + 3u) / 4u > 192u || ((uint32)src & 3u))
        return false;
    const uint32 *s = (const uint32 *)src;
    for (uint16 i = 0; i < (len + 3u) / 4u; i++)
        WRITE_PERI_REG(RTC_USER_MEM_BASE + 4u * (block + i), s[i]);
    return true;
}

static inline bool system_rtc_mem_read(uint8 block, void *dst, uint16 len)
{
    if (block < 64 || block + (uint32)(len + 3u) / 4u > 192u || ((uint32)dst & 3u))
        return false;
    uint32 *d = (uint32 *)dst;
    for (uint16 i = 0; i < (len + 3u) / 4u; i++)
        d[i] = READ_PERI_REG(RTC_USER_MEM_BASE + 4u * (block + i));
    return true;
}

#ifdef __cplusplus
}
#endif

#endif
