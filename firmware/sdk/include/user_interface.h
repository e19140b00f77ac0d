/* user_interface.h — the NONOS SDK's system_* API (reference/lx106.md §3, §4; protocols.md C).
 * The NONOS SDK has these in its closed libmain; here the ones that map straight onto registers
 * are inline functions, the others guest C in firmware/sdk/user_interface.c, and the timer
 * and watchdog services that espsim models in C (system_timer_reinit, system_soft_wdt_*) and
 * the Wi-Fi calls (wifi_*) are bound by the linker script to the extension entry points of
 * models/rom/rom.h. */
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

/* ---- RTC (reference/lx106.md §3.8, §3.9, §6; protocols.md D) ----
 * system_get_rtc_time: the 32-bit RTC counter (0x6000071C), clocked by the ~154 kHz RC
 *   oscillator: inaccurate (percent), temperature dependent, wraps about every 7 h 45 min. It
 *   restarts from 0 at power-on, an external reset and a deep-sleep wake; a watchdog or software
 *   reset leaves it counting.
 * system_rtc_clock_cali_proc: the RC period measured against the crystal, in microseconds per
 *   tick as unsigned Q12 (bits 11:0 fraction): us = (ticks * cal) >> 12; one wrap is cal << 20
 *   us. Measures 256 RTC periods (about 1.7 ms, busy-waiting) through RTC_CALIB_SYNC/VALUE as
 *   libphy's pm_rtc_clock_cali does; each call is a fresh measurement with its jitter.
 * system_rtc_mem_write/read: RTC memory in 4-byte blocks, block n at 0x60001100 + 4n, n =
 *   0..191 (0..63 hold SDK data such as rst_info at block 0; 64..191 are the user's 512 bytes).
 *   As libmain: false if the block is above 191, the buffer is NULL or not 4-byte aligned, or
 *   the size exceeds (192 - block) * 4; the size is rounded up to whole words. RTC memory
 *   survives every reset and deep sleep, not a power cut (then it holds garbage). */
static inline uint32 system_get_rtc_time(void)
{
    return READ_PERI_REG(RTC_SLP_CNT_VAL);
}

uint32 system_rtc_clock_cali_proc(void);
bool system_rtc_mem_write(uint8 des_addr, const void *src_addr, uint16 save_size);
bool system_rtc_mem_read(uint8 src_addr, void *des_addr, uint16 load_size);

/* ---- deep sleep (libmain system_deep_sleep; protocols.md D.4) ----
 * system_deep_sleep(us): converts us to RTC ticks with a fresh calibration ((us << 12) / cal);
 *   more than 2^31 - 1 ticks prints "deep sleep too long" and returns false. Otherwise returns
 *   true and the chip sleeps 100 ms later (a timer, as in libmain): interrupts locked, SLP_VAL =
 *   counter + ticks, RTC STORE0 = 5, rst_info reason 5 in RTC memory, then RTC 0x708 bit 20.
 *   Everything stops but the RTC; it wakes only through RST (GPIO16 wired to RST on the board,
 *   which the RTC alarm pulls low), as a reset with reason REASON_DEEP_SLEEP_AWAKE. us = 0
 *   means "no timer wake" in the NONOS SDK; here it sleeps the longest time, 2^31 - 1 ticks
 *   (about 3.9 h).
 * system_deep_sleep_instant: the same without the 100 ms delay.
 * system_deep_sleep_set_option(0..4): stored and returned true (the RF options have no effect:
 *   there is no RF calibration in espsim); other values false. */
bool system_deep_sleep(uint64 time_in_us);
bool system_deep_sleep_instant(uint64 time_in_us);
bool system_deep_sleep_set_option(uint8 option);

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

/* ---- Wi-Fi (libmain; protocols.md B.4) ----
 * The part of the NONOS Wi-Fi API that ESP-NOW needs: operating mode, channel, MAC addresses.
 * No C body in firmware/sdk: each name is bound by the linker script to an espsim extension
 * entry point (models/rom/rom.h ESP_ROM_EXT_WIFI_*, listed in firmware/sdk/ld/gen_rom_ld.cmake),
 * modelled in models/sdk/espnow.c.
 *   wifi_set_opmode(mode)           NULL_MODE .. STATIONAP_MODE; false for anything else. NONOS
 *                                   also saves it to flash; wifi_set_opmode_current does not.
 *                                   The mode sets the encrypted-peer limit of ESP-NOW (espnow.h).
 *   wifi_get_opmode()               the current mode
 *   wifi_set_channel(ch)            the radio channel, 1..13 (14 where allowed); false otherwise
 *   wifi_get_channel()              the current channel
 *   wifi_get/set_macaddr(if, mac)   the 6-byte MAC of STATION_IF or SOFTAP_IF; false for another
 *                                   interface or a NULL buffer. ESP-NOW frames carry the MAC of
 *                                   the interface they are sent from. */
#define NULL_MODE      0x00
#define STATION_MODE   0x01
#define SOFTAP_MODE    0x02
#define STATIONAP_MODE 0x03

#define STATION_IF 0x00
#define SOFTAP_IF  0x01

#ifndef MAC2STR
#define MAC2STR(a) (a)[0], (a)[1], (a)[2], (a)[3], (a)[4], (a)[5]
#define MACSTR     "%02x:%02x:%02x:%02x:%02x:%02x"
#endif

bool wifi_set_opmode(uint8 opmode);
bool wifi_set_opmode_current(uint8 opmode);
uint8 wifi_get_opmode(void);
bool wifi_set_channel(uint8 channel);
uint8 wifi_get_channel(void);
bool wifi_get_macaddr(uint8 if_index, uint8 *macaddr);
bool wifi_set_macaddr(uint8 if_index, uint8 *macaddr);

#ifdef __cplusplus
}
#endif

#endif
