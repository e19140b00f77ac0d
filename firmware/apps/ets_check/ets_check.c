/* apps/ets_check — checks the ROM's run-time services that need the task loop: interrupt
 * dispatch (ets_isr_attach/unmask/mask with a software interrupt), the task queue
 * (ets_task/ets_post/ets_run, priorities, queue-full), the NONOS mapping system_os_task/post,
 * and the software timers (os_timer_* = ets_timer_*: one-shot, periodic, disarm, timing against
 * the WDEV microsecond counter). Reference: reference/lx106.md §4.2–§4.4.
 *
 * Output: "ok NAME" / "FAIL NAME: got X expected Y" per check, then
 *   ets_check: N checks, M failed
 *   ETS_CHECK PASS            (or ETS_CHECK FAIL)
 * about 50 ms of virtual time after boot; the app then idles in ets_run.
 *
 * Sequence: user_init (interrupt checks, posts events, returns) -> ets_run runs task_high (12),
 * task_low (10) x4 (the last posts to task_chain), task_chain (11), task_user (NONOS prio 0 =
 * ETS 2), which checks the order and arms the timers -> timer callbacks -> summary_cb at 50 ms. */
#include "ets_sys.h"
#include "osapi.h"
#include "user_interface.h"

#include "../check.h"

/* ---------------------------------------------------------------- interrupts */

static volatile uint32 soft_count, soft_arg;

static IRAM_ATTR void soft_isr(void *arg, void *frame)
{
    (void)frame;
    soft_count++;
    soft_arg = (uint32)(uintptr_t)arg;
}

static void check_soft_interrupt(void)
{
    ets_isr_attach(ETS_SOFT_INUM, soft_isr, (void *)0x1234);
    ets_isr_unmask(1u << ETS_SOFT_INUM);
    check_u32("ets_isr_unmask INTENABLE bit 7", esp_get_intenable() & (1u << ETS_SOFT_INUM),
              1u << ETS_SOFT_INUM);
    __asm__ __volatile__("wsr.intset %0\n\trsync" : : "a"(1u << ETS_SOFT_INUM) : "memory");
    for (int i = 0; i < 1000 && soft_count == 0; i++)
        ;
    check_u32("software interrupt handler ran once", soft_count, 1);
    check_u32("software interrupt handler arg", soft_arg, 0x1234);
    uint32 pending;
    __asm__ __volatile__("rsr.interrupt %0" : "=a"(pending));
    check_u32("software interrupt cleared", pending & (1u << ETS_SOFT_INUM), 0);
    ets_isr_mask(1u << ETS_SOFT_INUM);
    check_u32("ets_isr_mask INTENABLE bit 7", esp_get_intenable() & (1u << ETS_SOFT_INUM), 0);
    /* masked: setting the bit must not call the handler */
    __asm__ __volatile__("wsr.intset %0\n\trsync" : : "a"(1u << ETS_SOFT_INUM) : "memory");
    for (int i = 0; i < 100; i++)
        __asm__ __volatile__("nop");
    check_u32("masked software interrupt not taken", soft_count, 1);
    __asm__ __volatile__("wsr.intclear %0\n\trsync" : : "a"(1u << ETS_SOFT_INUM) : "memory");
}

/* ---------------------------------------------------------------- tasks */

#define PRIO_LOW   10
#define PRIO_CHAIN 11
#define PRIO_HIGH  12

static ETSEvent q_low[4], q_high[2], q_chain[1], q_user[2];
static uint32 order[12];
static unsigned n_order;
static bool ptr_in_queue = true;

static void record(uint32 prio, const ETSEvent *e, const ETSEvent *q, unsigned qlen)
{
    if (e < q || e >= q + qlen) ptr_in_queue = false;
    if (n_order < sizeof order / sizeof order[0])
        order[n_order++] = prio << 24 | (e->sig & 0xFF) << 8 | (e->par & 0xFF);
}

static void task_high(ETSEvent *e)
{
    record(PRIO_HIGH, e, q_high, 2);
}

static void task_chain(ETSEvent *e)
{
    record(PRIO_CHAIN, e, q_chain, 1);
}

static void task_low(ETSEvent *e)
{
    record(PRIO_LOW, e, q_low, 4);
    if (e->sig == 4) check_u32("ets_post from a task", ets_post(PRIO_CHAIN, 9, 90), 0);
}

static void start_timers(void);

static void task_user(os_event_t *e)
{
    record(2, e, q_user, 2);
    static const uint32 expect[] = {
        PRIO_HIGH << 24 | 7 << 8 | 70, PRIO_LOW << 24 | 1 << 8 | 100,
        PRIO_LOW << 24 | 2 << 8 | 101, PRIO_LOW << 24 | 3 << 8 | 102,
        PRIO_LOW << 24 | 4 << 8 | 103, PRIO_CHAIN << 24 | 9 << 8 | 90,
        2u << 24 | 5 << 8 | 50,
    };
    check_u32("ets_run dispatched events", n_order, sizeof expect / sizeof expect[0]);
    for (unsigned i = 0; i < n_order && i < sizeof expect / sizeof expect[0]; i++) {
        if (order[i] != expect[i]) {
            check_u32("ets_run order (prio<<24 | sig<<8 | par)", order[i], expect[i]);
            break;
        }
        if (i + 1 == sizeof expect / sizeof expect[0])
            check_u32("ets_run order: priority, then FIFO", 1, 1);
    }
    check_true("task gets a pointer into its queue", ptr_in_queue, "event in queue");
    start_timers();
}

static void post_events(void)
{
    ets_task(task_low, PRIO_LOW, q_low, 4);
    ets_task(task_high, PRIO_HIGH, q_high, 2);
    ets_task(task_chain, PRIO_CHAIN, q_chain, 1);
    check_true("system_os_task", system_os_task(task_user, USER_TASK_PRIO_0, q_user, 2), "true");

    uint32 r = 0;
    for (uint32 i = 1; i <= 4; i++)
        r |= ets_post(PRIO_LOW, i, 99 + i);
    check_u32("ets_post x4 into a 4-slot queue", r, 0);
    check_u32("ets_post into a full queue", ets_post(PRIO_LOW, 0xEE, 0xEE), 1);
    check_true("system_os_post", system_os_post(USER_TASK_PRIO_0, 5, 50), "true");
    check_u32("ets_post high", ets_post(PRIO_HIGH, 7, 70), 0);
    check_u32("no event dispatched before ets_run", n_order, 0);
}

/* ---------------------------------------------------------------- timers */

static os_timer_t t_once, t_rep, t_end;
static uint32 t0, once_at[4], rep_at[6];
static unsigned n_once, n_rep;

static void once_cb(void *arg)
{
    if (arg != &t_once) n_once += 100; /* wrong argument: shows up in the count check */
    if (n_once < 4) once_at[n_once] = system_get_time() - t0;
    n_once++;
}

static void rep_cb(void *arg)
{
    (void)arg;
    if (n_rep < 6) rep_at[n_rep] = system_get_time() - t0;
    if (++n_rep == 3) os_timer_disarm(&t_rep);
}

static void summary_cb(void *arg)
{
    (void)arg;
    uint32 now = system_get_time() - t0;
    check_range("end timer at 50 ms (us)", now, 50000, 50600);
    check_u32("one-shot timer fired once", n_once, 1);
    check_range("one-shot 20 ms: elapsed us", once_at[0], 20000, 20600);
    check_u32("periodic timer fired 3 times, then disarmed", n_rep, 3);
    check_range("periodic 10 ms: 1st (us)", rep_at[0], 10000, 10600);
    check_range("periodic 10 ms: 2nd (us)", rep_at[1], 20000, 20600);
    check_range("periodic 10 ms: 3rd (us)", rep_at[2], 30000, 30600);
    check_u32("fired one-shot is disarmed (next = -1)", (uint32)(uintptr_t)t_once.timer_next,
              0xFFFFFFFFu);
    check_u32("disarmed periodic: next = -1", (uint32)(uintptr_t)t_rep.timer_next, 0xFFFFFFFFu);
    check_u32("disarmed periodic: period = 0", t_rep.timer_period, 0);
    check_summary("ets_check", "ETS_CHECK");
}

static void start_timers(void)
{
    os_timer_setfn(&t_once, once_cb, &t_once);
    check_u32("os_timer_setfn: next = -1", (uint32)(uintptr_t)t_once.timer_next, 0xFFFFFFFFu);
    check_true("os_timer_setfn: func, arg",
               t_once.timer_func == once_cb && t_once.timer_arg == &t_once, "stored");
    os_timer_setfn(&t_rep, rep_cb, NULL);
    os_timer_setfn(&t_end, summary_cb, NULL);
    t0 = system_get_time();
    os_timer_arm(&t_once, 20, false);
    os_timer_arm(&t_rep, 10, true);
    os_timer_arm(&t_end, 50, false);
    check_true("os_timer_arm links the timer", t_once.timer_next != (os_timer_t *)0xFFFFFFFFu,
               "next != -1");
    check_u32("os_timer_arm one-shot: period 0", t_once.timer_period, 0);
    check_true("os_timer_arm periodic: period set", t_rep.timer_period != 0, "period != 0");
}

/* ---------------------------------------------------------------- entry */

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void user_init(void)
{
    os_printf("ets_check: start\n");
    check_soft_interrupt();
    post_events();
    /* returning: the start code enters ets_run */
}
