/* apps/budget_demo — handlers that keep and that break each timing budget of the SDK's
 * guidelines (protocols.md C.7; docs/profiling.md), for `espsim run --profile` and the
 * timing_budget scenario. Phases, each started by a one-shot os_timer:
 *
 *   1. isr_ok      software interrupt 7 handler in IRAM, 5 us, raised 10 times   (compliant)
 *   2. isr_slow    the same interrupt, 80 us, 3 times                 (breaks 50 us per ISR)
 *   3. isr_flash   the same interrupt with a handler in the flash window, 2 us, 2 times
 *                  (within budget, but a silicon crash risk: reported as IRAM-RISK)
 *   4. task_ok     a task of 2 ms; task_slow, a task of 20 ms         (breaks 15 ms per task)
 *   5. timer_ok    an os_timer callback of 1 ms; timer_slow, 17 ms    (breaks 15 ms per callback)
 *   6. spin_task   re-posts itself 120 times, 5 ms each: 600 ms without the task loop idling
 *                                                                      (breaks 500 ms busy)
 * then prints "BUDGET_DEMO DONE". Every delay is os_delay_us (the ROM's ets_delay_us: exactly
 * that long on the virtual clock), so the expected durations are known to the microsecond. */
#include "ets_sys.h"
#include "hw_timer.h"
#include "spi_flash.h"
#include "osapi.h"
#include "user_interface.h"

#define PRIO 1

static os_event_t queue[4];
static os_timer_t phase_timer, t_ok, t_slow;
static volatile uint32 isr_count;
static uint32 spins;

static IRAM_ATTR void isr_ok(void *arg, void *frame)
{
    (void)arg, (void)frame;
    isr_count++;
    os_delay_us(5);
}

static IRAM_ATTR void isr_slow(void *arg, void *frame)
{
    (void)arg, (void)frame;
    isr_count++;
    os_delay_us(80);
}

static ICACHE_FLASH_ATTR void isr_flash(void *arg, void *frame)
{
    (void)arg, (void)frame;
    isr_count++;
    os_delay_us(2);
}

static void raise_soft(void)
{
    __asm__ __volatile__("wsr.intset %0\n\trsync" : : "a"(1u << ETS_SOFT_INUM) : "memory");
}

static void soft_burst(void (*fn)(void *, void *), unsigned n)
{
    ets_isr_attach(ETS_SOFT_INUM, fn, NULL);
    ETS_INTR_ENABLE(ETS_SOFT_INUM);
    for (unsigned i = 0; i < n; i++) {
        raise_soft();
        os_delay_us(100); /* the interrupt is taken at once; leave room between them */
    }
    ETS_INTR_DISABLE(ETS_SOFT_INUM);
}

static void task_ok(void)
{
    os_delay_us(2000);
}

static void task_slow(void)
{
    os_delay_us(20000);
}

static void timer_ok_cb(void *arg)
{
    (void)arg;
    os_delay_us(1000);
}

static void timer_slow_cb(void *arg)
{
    (void)arg;
    os_delay_us(17000);
}

static void next_phase(uint32 ms);

enum { SIG_OK = 1, SIG_SLOW, SIG_SPIN, SIG_PHASE };

static unsigned phase;

static void do_phase(void)
{
    switch (phase++) {
    case 0:
        soft_burst(isr_ok, 10);
        os_printf("budget_demo: isr_ok x10\n");
        break;
    case 1:
        soft_burst(isr_slow, 3);
        os_printf("budget_demo: isr_slow x3\n");
        break;
    case 2:
        soft_burst(isr_flash, 2);
        os_printf("budget_demo: isr_flash x2\n");
        break;
    case 3:
        system_os_post(PRIO, SIG_OK, 0);
        system_os_post(PRIO, SIG_SLOW, 0);
        break;
    case 4:
        os_timer_setfn(&t_ok, timer_ok_cb, NULL);
        os_timer_arm(&t_ok, 1, false);
        os_timer_setfn(&t_slow, timer_slow_cb, NULL);
        os_timer_arm(&t_slow, 5, false);
        break;
    case 5:
        spins = 0;
        system_os_post(PRIO, SIG_SPIN, 0);
        return; /* the spin task starts the last phase */
    default:
        os_printf("budget_demo: isr count %u\n", isr_count);
        os_printf("BUDGET_DEMO DONE\n");
        return;
    }
    next_phase(50);
}

static void demo_task(os_event_t *e)
{
    switch (e->sig) {
    case SIG_OK: task_ok(); break;
    case SIG_SLOW: task_slow(); break;
    case SIG_SPIN:
        os_delay_us(5000);
        if (++spins < 120)
            system_os_post(PRIO, SIG_SPIN, 0);
        else
            next_phase(50);
        break;
    case SIG_PHASE: do_phase(); break;
    default: break;
    }
}

static void phase_cb(void *arg)
{
    (void)arg;
    system_os_post(PRIO, SIG_PHASE, 0);
}

static void next_phase(uint32 ms)
{
    os_timer_disarm(&phase_timer);
    os_timer_setfn(&phase_timer, phase_cb, NULL);
    os_timer_arm(&phase_timer, ms, false);
}

#ifdef BUDGET_DEMO_FLASH_CRASH
/* The crash the IRAM rule is about: an FRC1 interrupt every 100 us whose handler lives in the
 * flash window, while spi_flash_erase_sector has the cache off for 45 ms. The first interrupt
 * during the erase fetches from the disabled window and the chip takes a fatal exception. */
static ICACHE_FLASH_ATTR void hw_isr_flash(void)
{
    isr_count++;
}

static void crash_task(os_event_t *e)
{
    (void)e;
    hw_timer_init(FRC1_SOURCE, 1);
    hw_timer_set_func(hw_isr_flash);
    hw_timer_arm(100);
    os_delay_us(1000); /* ~10 interrupts with the cache on: risks, no crash */
    os_printf("budget_demo: erasing with a flash ISR armed\n");
    spi_flash_erase_sector(0xF0);
    os_printf("budget_demo: survived the erase (must not happen)\n");
}
#endif

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void ICACHE_FLASH_ATTR user_init(void)
{
#ifdef BUDGET_DEMO_FLASH_CRASH
    system_os_task(crash_task, PRIO, queue, 4);
    system_os_post(PRIO, 0, 0);
    return;
#endif
    system_os_task(demo_task, PRIO, queue, 4);
    os_printf("budget_demo: start\n");
    next_phase(50);
}
