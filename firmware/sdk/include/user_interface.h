/* user_interface.h — the NONOS SDK's system_* API (reference/lx106.md §3, §4; protocols.md C).
 * The NONOS SDK has these in its closed libmain; here the ones that map straight onto registers
 * are inline functions, the others guest C in firmware/sdk/user_interface.c, and the timer
 * and watchdog services that espsim models in C (system_timer_reinit, system_soft_wdt_*) are
 * bound by the linker script to the extension entry points of models/rom/rom.h. */
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

/* ---- tasks (protocols.md C.1) ----
 * Priorities of the NONOS API: 0 (lowest) .. 2, mapped onto ETS priorities 2..4 as the SDK >= 1.5
 * does; every SDK task (timers 31, Wi-Fi 32, ...) runs above them. One handler and one queue
 * per priority; a second system_os_task on the same priority replaces the first.
 *   system_os_task: prio >= 3 prints "err: task prio < 3", NULL queue or qlen 0 prints
 *     "err: task queue error"; both return false. Else ets_task(task, prio + 2, queue, qlen).
 *   system_os_post: prio >= 3 prints "err: post prio < 3" and returns false; else true when
 *     ets_post(prio + 2, sig, par) queued the event, false when the queue was full (the event is
 *     lost). In IRAM, callable from interrupt handlers. (firmware/sdk/user_interface.c) */
#define USER_TASK_PRIO_0   0
#define USER_TASK_PRIO_1   1
#define USER_TASK_PRIO_2   2
#define USER_TASK_PRIO_MAX 3

bool system_os_task(os_task_t task, uint8 prio, os_event_t *queue, uint8 qlen);
bool system_os_post(uint8 prio, os_signal_t sig, os_param_t par);

/* ---- time ----
 * system_get_time: microseconds, 32 bits (wraps every ~71.6 min) = the Wi-Fi MAC's free-running
 * 1 MHz counter (0x3FF20C00) + WdevTimOffSet. The NONOS SDK keeps that offset in libmain and
 * adjusts it around its sleep modes so the count does not jump; firmware/sdk has no sleep mode
 * and leaves it 0 (it is a plain variable a program may set). In IRAM, ISR-safe. */
extern uint32 WdevTimOffSet;
uint32 system_get_time(void);

/* FRC2 at 80 MHz / 16 (0.2 us ticks) instead of / 256 (3.2 us) for the software timers, so that
 * os_timer_arm_us works (ms range then 1 .. 428,496). NONOS: call it first thing in user_init,
 * before any timer is armed. espsim extension entry point ESP_ROM_EXT_TIMER_REINIT. */
void system_timer_reinit(void);

/* ---- watchdogs (protocols.md C.7) ----
 * The soft watchdog (a 1.6 s timer in the SDK) resets the chip (rst_info reason 3) when the
 * task loop has not come round for 1.6..3.2 s; the start code restarts it before user_init.
 * feed: reset its count (for code that must run long without returning to ets_run); stop:
 * disable it (the hardware watchdog still bites ~6 s later unless fed); restart: enable it
 * again. espsim extension entry points ESP_ROM_EXT_SOFT_WDT_FEED/STOP/RESTART. */
void system_soft_wdt_feed(void);
void system_soft_wdt_stop(void);
void system_soft_wdt_restart(void);

/* ---- reset ----
 * Why the chip last reset: the SDK's struct rst_info, kept at RTC memory block 0 (0x60001100),
 * as it was when this boot started (the start code copies it before user_init). */
enum rst_reason {
    REASON_DEFAULT_RST = 0,      /* power on */
    REASON_WDT_RST = 1,          /* hardware watchdog */
    REASON_EXCEPTION_RST = 2,    /* fatal exception */
    REASON_SOFT_WDT_RST = 3,     /* soft watchdog */
    REASON_SOFT_RESTART = 4,     /* system_restart */
    REASON_DEEP_SLEEP_AWAKE = 5, /* deep-sleep wake */
    REASON_EXT_SYS_RST = 6,      /* external reset pin */
};

struct rst_info {
    uint32 reason; /* enum rst_reason */
    uint32 exccause;
    uint32 epc1;
    uint32 epc2;
    uint32 epc3;
    uint32 excvaddr;
    uint32 depc;
};

struct rst_info *system_get_rst_info(void);
/* Restarts the chip: records reason 4 (REASON_SOFT_RESTART) in rst_info as the SDK does, then
 * the ROM's software_reset. Does not return. (The NONOS SDK returns and restarts a little
 * later, from its own task; code after the call must not rely on either.) */
void system_restart(void);

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
    if (block < 64 || block + (uint32)(len + 3u) / 4u > 192u || ((uint32)src & 3u)) return false;
    const uint32 *s = (const uint32 *)src;
    for (uint16 i = 0; i < (len + 3u) / 4u; i++)
        WRITE_PERI_REG(RTC_USER_MEM_BASE + 4u * (block + i), s[i]);
    return true;
}

static inline bool system_rtc_mem_read(uint8 block, void *dst, uint16 len)
{
    if (block < 64 || block + (uint32)(len + 3u) / 4u > 192u || ((uint32)dst & 3u)) return false;
    uint32 *d = (uint32 *)dst;
    for (uint16 i = 0; i < (len + 3u) / 4u; i++)
        d[i] = READ_PERI_REG(RTC_USER_MEM_BASE + 4u * (block + i));
    return true;
}

#ifdef __cplusplus
}
#endif

#endif
