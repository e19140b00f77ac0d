/* models/rom/rom_runtime.h — private to the ROM's run-time services: the task queue
 * (rom_task.c), interrupt plumbing (rom_intr.c), software timers (rom_timer.c) and the
 * watchdogs (rom_wdt.c). User-facing description: docs/rom.md "Tasks, interrupts, timers,
 * watchdogs". References: reference/lx106.md §4.1–§4.4, protocols.md C.2, C.6, C.7.
 *
 * All scheduler and timer state lives in guest RAM where the ROM keeps it (§4.1), so firmware
 * that reads those words sees the same values; the only host state is the soft watchdog's MAC
 * timer (esp_rom.soft_wdt). Loops that run guest code (ets_run, the level-1 dispatcher, the timer
 * task) are hooks that start one guest call at a time and continue from its continuation or by
 * re-entering their own address (sim/node.h): no host loop ever runs guest code.
 */
#ifndef MODELS_ROM_RUNTIME_H
#define MODELS_ROM_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>

#include "rom_services.h"

/* ---- ROM-owned RAM (§4.1) ------------------------------------------------------------------- */

#define ROM_RT_CUR_PRIO   0x3FFFC6FCu /* byte: ETS priority of the running task (0 = none) */
#define ROM_RT_IDLE_CB    0x3FFFDAB0u /* idle callback; its argument at +4 */
#define ROM_RT_READY      0x3FFFDAB8u /* bit p-1 set: priority p has events */
#define ROM_RT_TASKS      ESP_ROM_TASK_BLOCKS /* 32 x 16-byte task blocks, priority p at +16(p-1) */
#define ROM_RT_INTR_PS    0x3FFFDCC0u         /* PS saved by ets_intr_lock */
#define ROM_RT_INT_LEVELS 0x3FFFD650u         /* bytes checked by _xtos_set_interrupt_handler_arg */
#define ROM_RT_INT_TABLE  0x3FFFC278u /* handler of interrupt n at -8n, its argument at -8n+4 */
#define ROM_RT_TIMER_HEAD 0x3FFFDDB0u /* timer list; +4 timer being called, +8 its function */
#define ROM_RT_TIMER_Q    0x3FFFDDC0u /* the timer task's 4-event queue */

#define ROM_RT_TIMER_PRIO 31u /* ETS priority of the timer task */
#define ROM_RT_TIMER_QLEN 4u
#define ROM_RT_FRC2_INUM  10u /* FRC2 -> CPU interrupt 10 (§1.2) */

/* ---- peripherals used through the bus ------------------------------------------------------- */

#define ROM_RT_DPORT_EDGE_INT 0x3FF00004u /* bit 2: FRC2 edge interrupt enable (§3.3) */
#define ROM_RT_FRC2_LOAD      0x60000620u
#define ROM_RT_FRC2_COUNT     0x60000624u
#define ROM_RT_FRC2_CTRL      0x60000628u
#define ROM_RT_FRC2_ALARM     0x60000630u
#define ROM_RT_WDEV_US        0x3FF20C00u /* 1 MHz MAC counter (system_get_time, §3.12) */
#define ROM_RT_RTC_STORE0     0x60000730u /* the SDK's reset-reason scratch word */

/* ---- strings in ROM data -------------------------------------------------------------------- */

/* Format strings for the messages the SDK and ROM timer code print (through ets_printf, so they
 * go wherever the console goes). They live in ROM data words after the ROM's RAM-initialisation
 * data (which ends at 0x4000FE94, §4.1) and before the modelled internal routines at 0x4000FF00;
 * rom_timer.c writes them on use. */
#define ROM_RT_STR_CB_NULL 0x4000FEA0u /* "timer:%p cb is null\n" (21 bytes) */
#define ROM_RT_STR_EXCEED  0x4000FEB8u /* "err%u,exceed max time value\n" (29 bytes) */
#define ROM_RT_STR_LINE    0x4000FED8u /* "%s %u\n" (7 bytes) */
#define ROM_RT_STR_FILE    0x4000FEE0u /* "ets_timer.c" (12 bytes) */
#define ROM_RT_STR_TIM     0x4000FEF0u /* "tim" (4 bytes) */

/* Re-entry point where the timer code hangs after a fatal message ("ets_timer.c 231" from
 * ets_timer_done, "tim 222" for a timer inserted twice): interrupts are still served. */
#define ROM_TIMER_HANG ((uint32_t)ROM_ets_timer_done + 4u)

/* ---- shared helpers ------------------------------------------------------------------------- */

/* ets_post semantics (rom_task.c): 0 queued, 1 full. False after a guest fault (bad task
 * block or queue pointer: the exception is raised). */
bool rom_task_post(esp8266 *m, uint32_t prio, uint32_t sig, uint32_t par, uint32_t *result);
/* ets_task semantics: fills the block of priority prio. False after a fault. */
bool rom_task_create(esp8266 *m, uint32_t fn, uint32_t prio, uint32_t queue, uint32_t qlen);

/* _xtos_set_interrupt_handler_arg semantics (rom_intr.c): previous handler in *prev (0 if it
 * was the unhandled stub, or n was refused). False after a fault. */
bool rom_intr_attach(esp8266 *m, uint32_t n, uint32_t fn, uint32_t arg, uint32_t *prev);
/* _xtos_ints_on / _xtos_ints_off: word0 |= mask or &= ~mask; INTENABLE = word0 & vpri word.
 * The old word0 in *old. False after a fault. */
bool rom_intr_ints(esp8266 *m, uint32_t mask, bool on, uint32_t *old);

/* A scheduler boundary (rom_wdt.c): ets_run got control back, so the SDK's pp task (ETS
 * priority 32, the highest) would run now if the soft watchdog posted it. */
void rom_wdt_task_boundary(esp8266 *m);

/* ---- services (table in rom_services.c) ----------------------------------------------------- */

/* rom_task.c */
void rom_svc_ets_set_idle_cb(esp8266 *m);
void rom_svc_ets_task(esp8266 *m);
void rom_svc_ets_run(esp8266 *m);
void rom_svc_ets_post(esp8266 *m);

/* rom_intr.c */
void rom_svc_l1int_handler(esp8266 *m);
void rom_svc_restore_intlevel(esp8266 *m);
void rom_svc_set_vpri(esp8266 *m);
void rom_svc_ets_isr_attach(esp8266 *m); /* also _xtos_set_interrupt_handler_arg */
void rom_svc_ets_isr_mask(esp8266 *m);   /* also _xtos_ints_off */
void rom_svc_ets_isr_unmask(esp8266 *m); /* also _xtos_ints_on */
void rom_svc_set_interrupt_handler(esp8266 *m);
void rom_svc_set_intlevel(esp8266 *m);
void rom_svc_set_min_intlevel(esp8266 *m);
void rom_svc_return_from_exc(esp8266 *m);

/* rom_timer.c */
void rom_svc_ets_timer_setfn(esp8266 *m);
void rom_svc_ets_timer_arm(esp8266 *m);
void rom_svc_ets_timer_disarm(esp8266 *m);
void rom_svc_ets_timer_done(esp8266 *m);
void rom_svc_timer_hang(esp8266 *m);
void rom_svc_ets_timer_handler_isr(esp8266 *m);
void rom_svc_ets_timer_init(esp8266 *m);
void rom_svc_timer_isr(esp8266 *m);
void rom_svc_timer_task(esp8266 *m);
void rom_svc_timer_arm_new(esp8266 *m);
void rom_svc_timer_reinit(esp8266 *m);

/* rom_wdt.c */
void rom_svc_soft_wdt_feed(esp8266 *m);
void rom_svc_soft_wdt_stop(esp8266 *m);
void rom_svc_soft_wdt_restart(esp8266 *m);

#endif
