/* apps/sched_check — checks, on the guest side, the NONOS scheduling API of firmware/sdk and the
 * espsim models behind it (reference/protocols.md C.1, C.4, C.6; reference/lx106.md §3.7, §4.2):
 * system_os_task/post and ets_task/post/run (errors, queue full, priority order across user and
 * direct ETS priorities, FIFO, re-evaluation after every event, the event pointer), posts from
 * interrupt handlers (software interrupt 7, FRC1 hw_timer, FRC1 as the NMI), software timers
 * (equal deadlines, periodic phase and drift, ms->tick rounding, re-arming from a callback,
 * disarm, callbacks above user tasks, range checks, os_timer_arm_us before and after
 * system_timer_reinit, the minimum alarm lead) and NodeMCU's task layer (handles, dispatch,
 * invalid signals, queue full, posts from an ISR).
 *
 * Output: "-- PHASE" before each phase, "ok NAME" / "FAIL NAME: ..." per check, then
 *   sched_check: N checks, M failed
 *   SCHED_CHECK PASS            (or SCHED_CHECK FAIL)
 * about 1.5 s of virtual time after boot; the app then idles in ets_run. The error paths also
 * print the SDK's messages "err: task prio < 3", "err: task queue error", "err: post prio < 3".
 *
 * Phases run one after the other: each ends with phase_done(), which starts the next one 2 ms
 * later from a timer callback; a guard timer fails a phase that does not end within 500 ms. */
#define USE_US_TIMER /* os_timer_arm_us under the NONOS SDK */
#include "ets_sys.h"
#include "hw_timer.h"
#include "osapi.h"
#include "task.h"
#include "user_interface.h"

#include "../check.h"

#define ARMED(t)        ((uint32)(uintptr_t)(t)->timer_next != 0xFFFFFFFFu)
#define FRC2_CTRL_NOW() (READ_PERI_REG(FRC2_CTRL_ADDRESS) & 0xFFu)

static void phase_done(void);

/* ================================================================ phase: tasks */

/* ETS priorities: 1 (below every user task), 2..4 (user 0..2), 6, 30 (above them) */
#define P_ETS1  1
#define P_ETS6  6
#define P_ETS30 30

static os_event_t q_ets1[2], q_u0[4], q_u1[4], q_u2[4], q_ets6[2], q_ets30[1];
static uint32 order[24];
static unsigned n_order;
static bool ptr_ok = true, par_ok = true;

/* One record per dispatched event: ETS priority << 16 | sig; par must be sig * 3 + 1. */
static void record(uint32 prio, const os_event_t *e, const os_event_t *q, unsigned qlen)
{
    if (e < q || e >= q + qlen) ptr_ok = false;
    if (e->par != e->sig * 3 + 1) par_ok = false;
    if (n_order < sizeof order / sizeof order[0]) order[n_order++] = prio << 16 | e->sig;
}

static bool post_u(uint8 prio, uint32 sig)
{
    return system_os_post(prio, sig, sig * 3 + 1);
}

static uint32 post_ets(uint8 prio, uint32 sig)
{
    return ets_post(prio, sig, sig * 3 + 1);
}

static void tasks_verify(void);

static void h_ets1(os_event_t *e)
{
    record(P_ETS1, e, q_ets1, 2);
    if (e->sig == 0x12) tasks_verify();
}

static void isr_phase_task(void);
static void frc1_result(uint32 sig, uint32 par);
static void busy_task(void);

static void h_u0(os_event_t *e)
{
    if (e->sig >= 0x100) { /* later phases */
        if (e->sig == 0x200)
            isr_phase_task();
        else if (e->sig == 0x500)
            busy_task();
        return;
    }
    record(2, e, q_u0, 4);
    if (e->sig == 1) {
        /* a higher priority posted from a lower one runs next; own priority goes to the end */
        check_true("system_os_post from a task (prio 2)", post_u(USER_TASK_PRIO_2, 0x22), "true");
        check_true("system_os_post from a task to its own queue", post_u(USER_TASK_PRIO_0, 5),
                   "true");
        check_u32("ets_post from a task into a full queue", post_ets(P_ETS1, 0x14), 1);
    }
}

static bool u0_returned;
static unsigned u1_isr_events;

static void h_u1(os_event_t *e)
{
    if (e->sig >= 0x100) {
        if (e->sig >= 0x210 && e->sig <= 0x213 && ++u1_isr_events == 4)
            phase_done();
        else if (e->sig == 0x301 || e->sig == 0x302)
            frc1_result(e->sig, e->par);
        return;
    }
    record(3, e, q_u1, 4);
}

static void h_u2(os_event_t *e)
{
    if (e->sig >= 0x100) {
        if (e->sig == 0x201) {
            check_true("ISR-posted event runs after the posting task returned", u0_returned,
                       "posting task finished first");
            check_u32("ISR-posted event: par", e->par, 0x201 * 3 + 1);
        }
        return;
    }
    record(4, e, q_u2, 4);
}

static void h_ets6(os_event_t *e)
{
    record(P_ETS6, e, q_ets6, 2);
}

static void h_ets30(os_event_t *e)
{
    record(P_ETS30, e, q_ets30, 1);
}

static void phase_tasks(void)
{
    /* the SDK's error returns (and messages) */
    check_true("system_os_task prio 3 -> false", !system_os_task(h_u0, 3, q_u0, 4), "false");
    check_true("system_os_task NULL queue -> false", !system_os_task(h_u0, 0, NULL, 4), "false");
    check_true("system_os_task qlen 0 -> false", !system_os_task(h_u0, 0, q_u0, 0), "false");
    check_true("system_os_post prio 3 -> false", !system_os_post(3, 1, 1), "false");

    ets_task(h_ets1, P_ETS1, q_ets1, 2);
    check_true("system_os_task prio 0", system_os_task(h_u0, USER_TASK_PRIO_0, q_u0, 4), "true");
    check_true("system_os_task prio 1", system_os_task(h_u1, USER_TASK_PRIO_1, q_u1, 4), "true");
    check_true("system_os_task prio 2", system_os_task(h_u2, USER_TASK_PRIO_2, q_u2, 4), "true");
    ets_task(h_ets6, P_ETS6, q_ets6, 2);
    ets_task(h_ets30, P_ETS30, q_ets30, 1);

    bool all = true;
    for (uint32 s = 1; s <= 4; s++)
        all &= post_u(USER_TASK_PRIO_0, s);
    check_true("system_os_post x4 into a 4-event queue", all, "all true");
    check_true("system_os_post into a full queue -> false", !post_u(USER_TASK_PRIO_0, 0xEE),
               "false");
    check_u32("ets_post prio 1 #1", post_ets(P_ETS1, 0x11), 0);
    check_u32("ets_post prio 1 #2", post_ets(P_ETS1, 0x12), 0);
    check_u32("ets_post into a full queue -> 1", post_ets(P_ETS1, 0x13), 1);
    check_true("system_os_post prio 2", post_u(USER_TASK_PRIO_2, 0x21), "true");
    check_true("system_os_post prio 1 #1", post_u(USER_TASK_PRIO_1, 0x31), "true");
    check_true("system_os_post prio 1 #2", post_u(USER_TASK_PRIO_1, 0x32), "true");
    check_u32("ets_post prio 6 #1", post_ets(P_ETS6, 0x61), 0);
    check_u32("ets_post prio 6 #2", post_ets(P_ETS6, 0x62), 0);
    check_u32("ets_post prio 6 full -> 1", post_ets(P_ETS6, 0x63), 1);
    check_u32("ets_post prio 30", post_ets(P_ETS30, 0x71), 0);
    check_u32("nothing dispatched before ets_run", n_order, 0);
}

static void tasks_verify(void)
{
    static const uint32 expect[] = {
        P_ETS30 << 16 | 0x71,                      /* highest first */
        P_ETS6 << 16 | 0x61,  P_ETS6 << 16 | 0x62, /* FIFO */
        4 << 16 | 0x21,                            /* user 2 */
        3 << 16 | 0x31,       3 << 16 | 0x32,      /* user 1 */
        2 << 16 | 1,                               /* user 0, posts 0x22 + 5 */
        4 << 16 | 0x22,                            /* re-evaluated: user 2 */
        2 << 16 | 2,          2 << 16 | 3,
        2 << 16 | 4,          2 << 16 | 5,         /* rest of user 0, FIFO */
        P_ETS1 << 16 | 0x11,  P_ETS1 << 16 | 0x12, /* below the user tasks */
    };
    const unsigned n = sizeof expect / sizeof expect[0];
    check_u32("events dispatched", n_order, n);
    unsigned i = 0;
    while (i < n && i < n_order && order[i] == expect[i])
        i++;
    if (i == n && n_order == n) {
        pass("dispatch order: priority, FIFO, re-evaluated after every event");
    } else {
        fail_begin("dispatch order: priority, FIFO, re-evaluated after every event");
        os_printf("first difference at #%u: got prio %u sig 0x%x expected prio %u sig 0x%x\n", i,
                  i < n_order ? order[i] >> 16 : 0, i < n_order ? order[i] & 0xFFFF : 0,
                  expect[i] >> 16, expect[i] & 0xFFFF);
    }
    check_true("handler's event pointer points into its queue", ptr_ok, "inside the queue");
    check_true("handler's event carries sig and par", par_ok, "par = sig * 3 + 1");
    phase_done();
}

/* ================================================================ phase: software interrupt */

static volatile uint32 soft_count, soft_arg;
static volatile bool soft_r_ok, soft_r_full;
static volatile bool soft_nodemcu;
static task_handle_t soft_handle;
static volatile bool soft_task_post_ok;

static IRAM_ATTR void soft_isr(void *arg, void *frame)
{
    (void)frame;
    soft_count++;
    soft_arg = (uint32)(uintptr_t)arg;
    if (soft_nodemcu) {
        soft_task_post_ok = task_post_high(soft_handle, 0x77);
        return;
    }
    soft_r_ok = system_os_post(USER_TASK_PRIO_2, 0x201, 0x201 * 3 + 1);
    soft_r_full = !system_os_post(USER_TASK_PRIO_1, 0x214, 0x214 * 3 + 1);
}

static void raise_soft_interrupt(void)
{
    __asm__ __volatile__("wsr.intset %0\n\trsync" : : "a"(1u << ETS_SOFT_INUM) : "memory");
    for (int i = 0; i < 100 && soft_count == 0; i++)
        __asm__ __volatile__("nop");
}

static void phase_isr(void)
{
    post_u(USER_TASK_PRIO_0, 0x200);
}

static void isr_phase_task(void)
{
    ets_isr_attach(ETS_SOFT_INUM, soft_isr, (void *)0x5A5A);
    ETS_INTR_ENABLE(ETS_SOFT_INUM);
    bool all = true;
    for (uint32 s = 0x210; s <= 0x213; s++)
        all &= post_u(USER_TASK_PRIO_1, s);
    check_true("fill the prio 1 queue from a task", all, "4 x true");
    raise_soft_interrupt();
    check_u32("software interrupt 7 taken in task context", soft_count, 1);
    check_u32("software interrupt handler arg", soft_arg, 0x5A5A);
    check_true("system_os_post from an ISR", soft_r_ok, "true");
    check_true("system_os_post from an ISR into a full queue -> false", soft_r_full, "false");
    ETS_INTR_DISABLE(ETS_SOFT_INUM);
    u0_returned = true; /* h_u2(0x201) must run after this */
}

/* ================================================================ phase: FRC1 hw_timer */

enum { FRC1_IDLE, FRC1_ONESHOT, FRC1_AUTO, FRC1_NMI, FRC1_NMI_DONE };
static volatile unsigned frc1_mode;
static volatile uint32 frc1_t[12];
static volatile unsigned frc1_n;
static uint32 frc1_t_arm;

static void frc1_stop(void)
{
    WRITE_PERI_REG(FRC1_CTRL_ADDRESS, 0);
    ETS_FRC1_INTR_DISABLE();
}

static IRAM_ATTR void frc1_cb(void)
{
    uint32 now = system_get_time();
    if (frc1_mode == FRC1_ONESHOT) {
        frc1_mode = FRC1_IDLE;
        system_os_post(USER_TASK_PRIO_1, 0x301, now);
    } else if (frc1_mode == FRC1_AUTO) {
        frc1_t[frc1_n++] = now;
        if (frc1_n == 10) {
            frc1_mode = FRC1_IDLE;
            WRITE_PERI_REG(FRC1_CTRL_ADDRESS, 0);
            system_os_post(USER_TASK_PRIO_1, 0x302, now);
        }
    }
}

static void phase_frc1(void)
{
    hw_timer_init(FRC1_SOURCE, 0);
    hw_timer_set_func(frc1_cb);
    check_u32("hw_timer_init: FRC1 CTRL enable | /16 | edge",
              READ_PERI_REG(FRC1_CTRL_ADDRESS) & 0xCFu, 0x84);
    check_true("hw_timer_init: DPORT edge enable bit 1",
               (READ_PERI_REG(DPORT_EDGE_INT_ENABLE) & 2u) != 0, "set");
    check_true("hw_timer_init: interrupt 9 unmasked", (esp_get_intenable() & (1u << 9)) != 0,
               "set");
    frc1_mode = FRC1_ONESHOT;
    frc1_t_arm = system_get_time();
    hw_timer_arm(2000);
    check_u32("hw_timer_arm(2000): LOAD = 10000 ticks", READ_PERI_REG(FRC1_LOAD_ADDRESS), 10000);
}

static void frc1_result(uint32 sig, uint32 par)
{
    if (sig == 0x301) {
        /* par = the ISR's system_get_time() */
        check_range("FRC1 one-shot 2000 us: ISR after (us)", par - frc1_t_arm, 1999, 2030);
        hw_timer_init(FRC1_SOURCE, 1);
        check_u32("hw_timer_init(.., 1): FRC1 CTRL | auto-reload",
                  READ_PERI_REG(FRC1_CTRL_ADDRESS) & 0xCFu, 0xC4);
        frc1_n = 0;
        frc1_mode = FRC1_AUTO;
        frc1_t_arm = system_get_time();
        hw_timer_arm(1000);
        return;
    }
    frc1_stop();
    check_u32("FRC1 auto-reload: 10 interrupts", frc1_n, 10);
    check_range("FRC1 auto-reload 1000 us: first after (us)", frc1_t[0] - frc1_t_arm, 999, 1030);
    bool even = true;
    unsigned bad = 0;
    for (unsigned i = 1; i < frc1_n && i < 10; i++) {
        uint32 d = frc1_t[i] - frc1_t[i - 1];
        if (d < 999 || d > 1001) {
            even = false;
            bad = i;
        }
    }
    if (!even) {
        fail_begin("FRC1 auto-reload: every interval 1000 +- 1 us");
        os_printf("interval %u is %u us\n", bad, frc1_t[bad] - frc1_t[bad - 1]);
    } else {
        pass("FRC1 auto-reload: every interval 1000 +- 1 us");
    }
    check_range("FRC1 auto-reload: 9 intervals (us)", frc1_t[9] - frc1_t[0], 8999, 9001);
    phase_done();
}

/* ================================================================ phase: FRC1 as the NMI */

static volatile unsigned nmi_in_lock;
static os_timer_t t_poll;

static IRAM_ATTR void nmi_cb(void)
{
    if (frc1_mode != FRC1_NMI) return;
    frc1_t[frc1_n++] = system_get_time();
    if (frc1_n == 10) {
        frc1_mode = FRC1_NMI_DONE;
        WRITE_PERI_REG(FRC1_CTRL_ADDRESS, 0);
    }
}

static void nmi_poll_cb(void *arg)
{
    (void)arg;
    if (frc1_mode != FRC1_NMI_DONE) return;
    os_timer_disarm(&t_poll);
    CLEAR_PERI_REG_MASK(DPORT_NMI_CTRL, BIT(0));
    frc1_stop();
    check_u32("FRC1 NMI: 10 NMIs", frc1_n, 10);
    check_true("FRC1 NMI taken while interrupts are locked", nmi_in_lock >= 3, ">= 3 NMIs");
    bool even = true;
    for (unsigned i = 1; i < 10; i++) {
        uint32 d = frc1_t[i] - frc1_t[i - 1];
        if (d < 499 || d > 501) even = false;
    }
    check_true("FRC1 NMI: every interval 500 +- 1 us", even, "even");
    check_range("FRC1 NMI: first after (us)", frc1_t[0] - frc1_t_arm, 499, 530);
    phase_done();
}

static void phase_nmi(void)
{
    frc1_n = 0;
    hw_timer_init(NMI_SOURCE, 1);
    hw_timer_set_func(nmi_cb);
    check_true("NMI_SOURCE: DPORT 0x3FF00000 bit 0", (READ_PERI_REG(DPORT_NMI_CTRL) & 1u) != 0,
               "set");
    uint32 vb;
    __asm__ __volatile__("rsr.vecbase %0" : "=a"(vb));
    check_u32("NMI_SOURCE: VECBASE = firmware/sdk vectors", vb, 0x40100000);
    frc1_mode = FRC1_NMI;
    frc1_t_arm = system_get_time();
    hw_timer_arm(500);
    /* interrupts locked for 2 ms: the NMI still comes */
    ets_intr_lock();
    uint32 t0 = system_get_time();
    unsigned before = frc1_n;
    while (system_get_time() - t0 < 2000)
        ;
    nmi_in_lock = frc1_n - before;
    ets_intr_unlock();
    os_timer_setfn(&t_poll, nmi_poll_cb, NULL);
    os_timer_arm(&t_poll, 1, true);
}

/* ================================================================ phase: equal deadlines */

static os_timer_t t_eq[3];
static unsigned eq_order[3], eq_n;

static void eq_cb(void *arg)
{
    if (eq_n < 3) eq_order[eq_n] = (uint32)(uintptr_t)arg;
    if (++eq_n == 3) {
        check_true("equal deadlines: newest armed runs first",
                   eq_order[0] == 2 && eq_order[1] == 1 && eq_order[2] == 0, "C, B, A");
        if (!(eq_order[0] == 2 && eq_order[1] == 1 && eq_order[2] == 0))
            os_printf("  order %u %u %u\n", eq_order[0], eq_order[1], eq_order[2]);
        phase_done();
    }
}

static void phase_equal(void)
{
    for (unsigned i = 0; i < 3; i++)
        os_timer_setfn(&t_eq[i], eq_cb, (void *)(uintptr_t)i);
    unsigned tries = 0;
    bool equal = false;
    while (!equal && tries++ < 50) {
        for (unsigned i = 0; i < 3; i++)
            os_timer_disarm(&t_eq[i]);
        /* start right after an FRC2 tick so that the three arms see the same count */
        uint32 c0 = READ_PERI_REG(FRC2_COUNT_ADDRESS);
        while (READ_PERI_REG(FRC2_COUNT_ADDRESS) == c0)
            ;
        os_timer_arm(&t_eq[0], 20, false);
        os_timer_arm(&t_eq[1], 20, false);
        os_timer_arm(&t_eq[2], 20, false);
        equal = t_eq[0].timer_expire == t_eq[1].timer_expire &&
                t_eq[1].timer_expire == t_eq[2].timer_expire;
    }
    check_true("three timers armed with equal expire ticks", equal, "equal (within 50 tries)");
}

/* ================================================================ phase: periodic phase */

static os_timer_t t_per;
static uint32 per_t[21], per_t_arm;
static unsigned per_n, per_want, per_us;
static uint32 per_ticks_got, per_ticks_want;
static const char *per_name, *per_ticks_name;

/* The period field, read right after arming, is checked when the run is over (printing in
 * between would delay the callbacks). */
static void check_period_ticks(void)
{
    check_u32(per_ticks_name, per_ticks_got, per_ticks_want);
}

static void per_cb(void *arg)
{
    (void)arg;
    per_t[per_n++] = system_get_time();
    if (per_n < per_want) return;
    os_timer_disarm(&t_per);
    /* phase: every callback at k periods after the first, to within 8 us (no drift; the first
     * call runs from a cold flash cache and reads the clock a few us late, docs/timing-model.md) */
    unsigned worst = 0;
    int32 worst_d = 0;
    for (unsigned k = 1; k < per_n; k++) {
        int32 d = (int32)(per_t[k] - per_t[0] - k * per_us);
        if (d < -8 || d > 8) {
            if (!worst || (d < 0 ? -d : d) > (worst_d < 0 ? -worst_d : worst_d)) {
                worst = k;
                worst_d = d;
            }
        }
    }
    static char name[64];
    os_sprintf(name, "%s: callback k at k periods +-8 us", per_name);
    if (worst) {
        fail_begin(name);
        os_printf("callback %u off by %d us\n", worst, (int)worst_d);
        os_printf("  armed at %u:", per_t_arm);
        for (unsigned k = 0; k < per_n; k++)
            os_printf(" %u", per_t[k] - per_t_arm);
        os_printf("\n");
    } else {
        pass(name);
    }
    os_sprintf(name, "%s: first callback after (us)", per_name);
    check_range(name, per_t[0] - per_t_arm, per_us - 4, per_us + 60);
    check_period_ticks();
    phase_done();
}

static void start_periodic(const char *name, unsigned ms_or_us, bool us, unsigned n,
                           unsigned period_us, os_timer_func_t *cb, const char *ticks_name,
                           uint32 ticks)
{
    per_ticks_name = ticks_name;
    per_ticks_want = ticks;
    per_name = name;
    per_n = 0;
    per_want = n;
    per_us = period_us;
    os_timer_setfn(&t_per, cb, NULL);
    per_t_arm = system_get_time();
    if (us)
        os_timer_arm_us(&t_per, ms_or_us, true);
    else
        os_timer_arm(&t_per, ms_or_us, true);
    per_ticks_got = t_per.timer_period;
}

static void phase_periodic(void)
{
    start_periodic("periodic 10 ms", 10, false, 21, 10000, per_cb,
                   "os_timer_arm 10 ms: period 3125 ticks", 3125);
}

/* ================================================================ phase: 7 ms periodic (rounding)
 */

static void ms7_cb(void *arg)
{
    (void)arg;
    per_t[per_n++] = system_get_time();
    if (per_n < per_want) return;
    os_timer_disarm(&t_per);
    /* 10 periods of 2187 ticks of 3.2 us = 69984 us, not 70000 (8 us for the cold first call) */
    check_range("periodic 7 ms: 10 periods = 21870 ticks = 69984 us", per_t[10] - per_t[0], 69976,
                69992);
    check_period_ticks();
    phase_done();
}

static void phase_ms7(void)
{
    start_periodic("periodic 7 ms", 7, false, 11, 0, ms7_cb,
                   "os_timer_arm 7 ms: period 2187 ticks (7 * 312500 / 1000)", 2187);
}

/* ================================================================ phase: re-arm from a callback */

static os_timer_t t_re;
static uint32 re_t[8], re_t_arm, re_period0;
static unsigned re_n;
static bool re_armed0;

static void re_cb(void *arg)
{
    (void)arg;
    re_t[re_n++] = system_get_time();
    switch (re_n) {
    case 1: os_timer_arm(&t_re, 3, false); break; /* one-shot re-armed as one-shot */
    case 2: os_timer_arm(&t_re, 1, false); break;
    case 3: os_timer_arm(&t_re, 2, true); break; /* ... then as periodic */
    case 6:
        os_timer_disarm(&t_re); /* periodic disarmed in its callback */
        check_u32("one-shot: period 0", re_period0, 0);
        check_true("armed: next != -1", re_armed0, "armed");
        check_range("re-arm: 5 ms after arm (us)", re_t[0] - re_t_arm, 4996, 5060);
        check_range("re-arm from callback: 3 ms = 937 ticks (us)", re_t[1] - re_t[0], 2995, 3060);
        check_range("re-arm from callback: 1 ms = 312 ticks (us)", re_t[2] - re_t[1], 995, 1060);
        check_range("re-armed periodic 2 ms: 1st (us)", re_t[3] - re_t[2], 1996, 2060);
        check_range("re-armed periodic 2 ms: 2nd (us)", re_t[4] - re_t[3], 1999, 2001);
        check_range("re-armed periodic 2 ms: 3rd (us)", re_t[5] - re_t[4], 1999, 2001);
        check_true("disarmed in its own callback: next = -1, period 0",
                   !ARMED(&t_re) && t_re.timer_period == 0, "disarmed");
        os_timer_arm(&t_re, 3, false); /* must not come back */
        os_timer_disarm(&t_re);
        phase_done();
        break;
    default: break;
    }
}

static void phase_rearm(void)
{
    re_n = 0;
    os_timer_setfn(&t_re, re_cb, NULL);
    re_t_arm = system_get_time();
    os_timer_arm(&t_re, 5, false);
    re_period0 = t_re.timer_period;
    re_armed0 = ARMED(&t_re);
}

static os_timer_t t_d_victim, t_d_killer, t_d_end;
static bool victim_ran;

static void victim_cb(void *arg)
{
    (void)arg;
    victim_ran = true;
}

static void killer_cb(void *arg)
{
    (void)arg;
    check_true("victim pending before disarm", ARMED(&t_d_victim), "armed");
    os_timer_disarm(&t_d_victim);
    check_true("os_timer_disarm of a pending periodic: next = -1, period 0",
               !ARMED(&t_d_victim) && t_d_victim.timer_period == 0, "disarmed");
}

static void disarm_end_cb(void *arg)
{
    (void)arg;
    check_u32("rearm timer stayed quiet after disarm", re_n, 6);
    check_true("disarmed pending timer never ran", !victim_ran, "not run");
    phase_done();
}

static void phase_disarm(void)
{
    victim_ran = false;
    os_timer_setfn(&t_d_victim, victim_cb, NULL);
    os_timer_setfn(&t_d_killer, killer_cb, NULL);
    os_timer_setfn(&t_d_end, disarm_end_cb, NULL);
    os_timer_arm(&t_d_victim, 6, true);
    os_timer_arm(&t_d_killer, 3, false);
    os_timer_arm(&t_d_end, 20, false);
}

/* ================================================================ phase: timers above tasks */

static os_timer_t t_busy;
static uint32 busy_t0, busy_timer_at, busy_events;
static bool busy_timer_ran;

static void busy_timer_cb(void *arg)
{
    (void)arg;
    busy_timer_at = system_get_time() - busy_t0;
    busy_timer_ran = true;
}

/* A user task that stays runnable for 30 ms (re-posts itself, 200 us of work per event). */
static void busy_task(void)
{
    busy_events++;
    uint32 t = system_get_time();
    while (system_get_time() - t < 200)
        ;
    if (system_get_time() - busy_t0 < 30000) {
        post_u(USER_TASK_PRIO_0, 0x500);
        return;
    }
    check_true("timer callback ran while a user task stayed runnable", busy_timer_ran, "ran");
    check_range("... at 10 ms (us, +1 task event)", busy_timer_at, 9996, 10300);
    check_true("busy task ran > 100 events", busy_events > 100, "> 100");
    phase_done();
}

static void phase_busy(void)
{
    busy_timer_ran = false;
    busy_events = 0;
    os_timer_setfn(&t_busy, busy_timer_cb, NULL);
    busy_t0 = system_get_time();
    os_timer_arm(&t_busy, 10, false);
    post_u(USER_TASK_PRIO_0, 0x500);
}

/* ================================================================ phase: ms-mode quirks, ranges */

static os_timer_t t_us0, t_x;
static uint32 us0_t_arm;

static void us0_cb(void *arg)
{
    (void)arg;
    /* ms mode ignores ms_flag: 3 "us" are 3 ms = 937 ticks = 2998.4 us */
    check_range("os_timer_arm_us before system_timer_reinit counts ms (us)",
                system_get_time() - us0_t_arm, 2995, 3060);
    phase_done();
}

static void check_period(const char *name, uint32 time, bool ms, uint32 want)
{
    os_timer_setfn(&t_x, victim_cb, NULL);
    ets_timer_arm_new(&t_x, time, true, ms);
    if (want == 0) {
        check_true(name, !ARMED(&t_x), "rejected (not armed)");
    } else {
        check_true(name, ARMED(&t_x) && t_x.timer_period == want, "armed with that period");
        if (!ARMED(&t_x) || t_x.timer_period != want)
            os_printf("  period %u armed %d\n", t_x.timer_period, ARMED(&t_x));
    }
    os_timer_disarm(&t_x);
}

static void phase_ms_mode(void)
{
    check_u32("FRC2 CTRL in ms mode (enable | /256)", FRC2_CTRL_NOW(), 0x88);
    check_period("ms mode: 1000 ms -> 312500 ticks", 1000, true, 312500);
    check_period("ms mode: 13743 ms -> 4294687 ticks", 13743, true, 4294687);
    check_period("ms mode: 13745 ms -> (t>>2)*1250 + (t&3)*312", 13745, true, 4295312);
    check_period("ms mode: 6870947 ms (max)", 6870947, true, 2147170936);
    check_period("ms mode: 6870948 ms rejected", 6870948, true, 0);
    /* no callback: rejected */
    os_timer_setfn(&t_x, NULL, NULL);
    os_timer_arm(&t_x, 10, false);
    check_true("os_timer_arm without a callback: rejected", !ARMED(&t_x), "not armed");
    os_timer_disarm(&t_x);
    os_timer_setfn(&t_us0, us0_cb, NULL);
    us0_t_arm = system_get_time();
    os_timer_arm_us(&t_us0, 3, false);
}

/* ================================================================ phase: system_timer_reinit */

static os_timer_t t_guard; /* phase guard (below) */
#define GUARD_MS 500

static os_timer_t t_us1;
static uint32 us1_t_arm;
static unsigned us1_step;

static void us1_cb(void *arg)
{
    (void)arg;
    uint32 d = system_get_time() - us1_t_arm;
    if (us1_step == 0) {
        check_range("us mode: os_timer_arm_us 1500 us one-shot (us)", d, 1499, 1560);
        /* 50 us: inside the 1280-tick (256 us) minimum lead, so the alarm goes to
         * deadline + 64 + 1280 ticks = 50 + 268.8 us after arming (protocols.md C.6) */
        us1_step = 1;
        us1_t_arm = system_get_time();
        os_timer_arm_us(&t_us1, 50, false);
    } else if (us1_step == 1) {
        check_range("us mode: 50 us timer fires after the minimum lead (us)", d, 315, 380);
        us1_step = 2;
        us1_t_arm = system_get_time();
        os_timer_arm(&t_us1, 2, false); /* ms_flag 1 in us mode: 2000 us */
    } else {
        check_range("us mode: os_timer_arm 2 ms (us)", d, 1999, 2060);
        phase_done();
    }
}

static void phase_reinit(void)
{
    /* NONOS: system_timer_reinit before any timer is armed (the guard is re-armed after) */
    os_timer_disarm(&t_guard);
    system_timer_reinit();
    os_timer_arm(&t_guard, GUARD_MS, false);
    check_u32("system_timer_reinit: FRC2 CTRL enable | /16", FRC2_CTRL_NOW(), 0x84);
    check_period("us mode: os_timer_arm_us 1234 us -> 6170 ticks", 1234, false, 6170);
    check_period("us mode: 428496729 us (max)", 428496729, false, 2142483645);
    check_period("us mode: 428496730 us rejected", 428496730, false, 0);
    check_period("us mode: os_timer_arm 428496 ms (max)", 428496, true, 2142480000);
    check_period("us mode: os_timer_arm 428497 ms rejected", 428497, true, 0);
    us1_step = 0;
    os_timer_setfn(&t_us1, us1_cb, NULL);
    us1_t_arm = system_get_time();
    os_timer_arm_us(&t_us1, 1500, false);
}

static void phase_us_periodic(void)
{
    start_periodic("us mode: periodic 1234 us", 1234, true, 21, 1234, per_cb,
                   "us mode: os_timer_arm_us 1234 us, period 6170 ticks", 6170);
}

/* ================================================================ phase: NodeMCU task layer */

static uint32 nm_log[16];
static unsigned nm_n;
static task_handle_t nm_h[6];

static void nm_record(unsigned cb, task_param_t par, task_prio_t prio)
{
    if (nm_n < sizeof nm_log / sizeof nm_log[0])
        nm_log[nm_n++] = cb << 24 | (uint32)prio << 16 | ((uint32)par & 0xFFFF);
}

static void nm_verify_first(void);
static void nm_after_isr(void);

static void nm_cb0(task_param_t par, task_prio_t prio)
{
    nm_record(0, par, prio);
}
static void nm_cb1(task_param_t par, task_prio_t prio)
{
    nm_record(1, par, prio);
}
static void nm_cb2(task_param_t par, task_prio_t prio)
{
    nm_record(2, par, prio);
    if (par == 0x77) nm_after_isr();
}
static void nm_cb3(task_param_t par, task_prio_t prio)
{
    (void)prio;
    if (par == 0x300 + 7) phase_done();
}
static void nm_cb4(task_param_t par, task_prio_t prio)
{
    nm_record(4, par, prio);
}
static void nm_cb5(task_param_t par, task_prio_t prio)
{
    nm_record(5, par, prio);
    if (par == 105) nm_verify_first();
}

static void phase_nodemcu(void)
{
    static const task_callback_t cbs[6] = {nm_cb0, nm_cb1, nm_cb2, nm_cb3, nm_cb4, nm_cb5};
    bool enc = true;
    for (unsigned i = 0; i < 6; i++) {
        nm_h[i] = task_get_id(cbs[i]);
        if (nm_h[i] != 0x68680000u + (i << 2)) enc = false;
    }
    check_true("task_get_id: handles 0x68680000 + (index << 2), 6 ids over 2 bricks", enc,
               "0x68680000, 04, 08, 0c, 10, 14");
    if (!enc)
        os_printf("  handles %x %x %x %x %x %x\n", nm_h[0], nm_h[1], nm_h[2], nm_h[3], nm_h[4],
                  nm_h[5]);
    nm_n = 0;
    bool ok = task_post_low(nm_h[0], 100) && task_post_high(nm_h[1], 101) &&
              task_post_medium(nm_h[4], 104);
    /* invalid signals on the dispatcher's queues: ignored */
    ok &= system_os_post(TASK_PRIORITY_LOW, 0x12345678u, 1);              /* not a handle */
    ok &= system_os_post(TASK_PRIORITY_LOW, 0x68680000u + (50u << 2), 2); /* unknown index */
    ok &= system_os_post(TASK_PRIORITY_LOW, nm_h[0] | 3u, 3);             /* priority bits 3 */
    ok &= task_post_high(nm_h[0], 106) && task_post_low(nm_h[5], 105);
    check_true("task_post_* from a timer callback", ok, "all true");
}

static void nm_verify_first(void)
{
    static const uint32 expect[] = {
        1u << 24 | 2u << 16 | 101, 0u << 24 | 2u << 16 | 106, /* high, FIFO */
        4u << 24 | 1u << 16 | 104,                            /* medium */
        0u << 24 | 0u << 16 | 100, 5u << 24 | 0u << 16 | 105, /* low, invalid ones skipped */
    };
    bool same = nm_n == 5;
    for (unsigned i = 0; same && i < 5; i++)
        same = nm_log[i] == expect[i];
    check_true("task dispatch: priority order, cb(par, prio), invalid signals ignored", same,
               "(cb1,2,101) (cb0,2,106) (cb4,1,104) (cb0,0,100) (cb5,0,105)");
    if (!same) {
        os_printf("  got %u:", nm_n);
        for (unsigned i = 0; i < nm_n; i++)
            os_printf(" %08x", nm_log[i]);
        os_printf("\n");
    }
    /* an ISR posts through task_post */
    soft_count = 0;
    soft_nodemcu = true;
    soft_handle = nm_h[2];
    ETS_INTR_ENABLE(ETS_SOFT_INUM);
    raise_soft_interrupt();
    ETS_INTR_DISABLE(ETS_SOFT_INUM);
    check_true("task_post_high from an ISR", soft_count == 1 && soft_task_post_ok, "true");
}

static void nm_after_isr(void)
{
    check_u32("ISR-posted task: prio 2", nm_log[nm_n - 1] >> 16 & 0xFF, 2);
    /* 8-event queues: from here (user priority 2) nothing low runs until we return */
    bool all = true;
    for (unsigned i = 0; i < 8; i++)
        all &= task_post_low(nm_h[3], 0x300 + i);
    check_true("task_post_low x8 (queue length 8)", all, "all true");
    check_true("task_post_low into a full queue -> false", !task_post_low(nm_h[3], 0x3FF), "false");
}

/* ================================================================ phases */

static void finish(void)
{
    check_summary("sched_check", "SCHED_CHECK");
}

typedef struct {
    const char *name;
    void (*start)(void);
} phase_t;

static const phase_t phases[] = {
    {"tasks", phase_tasks},
    {"software interrupt", phase_isr},
    {"FRC1 hw_timer", phase_frc1},
    {"FRC1 NMI", phase_nmi},
    {"equal deadlines", phase_equal},
    {"periodic phase", phase_periodic},
    {"ms rounding", phase_ms7},
    {"re-arm", phase_rearm},
    {"disarm", phase_disarm},
    {"timers above tasks", phase_busy},
    {"ms mode", phase_ms_mode},
    {"system_timer_reinit", phase_reinit},
    {"us periodic", phase_us_periodic},
    {"NodeMCU tasks", phase_nodemcu},
    {"done", finish},
};
#define N_PHASES (sizeof phases / sizeof phases[0])

static unsigned cur;
static bool cur_done;
static os_timer_t t_next;

/* every timer a phase may leave armed when it times out */
static os_timer_t *const all_timers[] = {&t_poll, &t_eq[0],    &t_eq[1],    &t_eq[2], &t_per,
                                         &t_re,   &t_d_victim, &t_d_killer, &t_d_end, &t_busy,
                                         &t_us0,  &t_x,        &t_us1};

/* Each phase starts once UART0 has sent everything (tidy timestamps). Note that printing is slow:
 * the ROM's uart_tx_one_char waits for an empty TX FIFO before each character, so os_printf
 * holds the CPU ~87 us per character at 115200 baud; a task printing while timers are due
 * delays their callbacks. Timing-sensitive phases therefore print only at their end. */
static void uart0_wait_tx_empty(void)
{
    while ((READ_PERI_REG(UART_STATUS(0)) >> UART_TXFIFO_CNT_S) & UART_TXFIFO_CNT)
        ;
}

static void start_phase(unsigned i)
{
    cur = i;
    cur_done = false;
    os_printf("-- %s\n", phases[i].name);
    uart0_wait_tx_empty();
    if (i + 1 < N_PHASES) os_timer_arm(&t_guard, GUARD_MS, false);
    phases[i].start();
}

static void next_cb(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < sizeof all_timers / sizeof all_timers[0]; i++)
        os_timer_disarm(all_timers[i]);
    start_phase(cur + 1);
}

static void phase_done(void)
{
    if (cur_done) return;
    cur_done = true;
    os_timer_disarm(&t_guard);
    if (cur + 1 < N_PHASES) os_timer_arm(&t_next, 2, false);
}

static void guard_cb(void *arg)
{
    (void)arg;
    fail_begin(phases[cur].name);
    os_printf("phase did not finish within %u ms\n", GUARD_MS);
    frc1_mode = FRC1_IDLE;
    frc1_stop();
    CLEAR_PERI_REG_MASK(DPORT_NMI_CTRL, BIT(0));
    phase_done();
}

uint32 ICACHE_FLASH_ATTR user_rf_cal_sector_set(void)
{
    return 256 - 5;
}

void ICACHE_FLASH_ATTR user_init(void)
{
    os_printf("sched_check: start\n");
    os_timer_setfn(&t_next, next_cb, NULL);
    os_timer_setfn(&t_guard, guard_cb, NULL);
    start_phase(0); /* tasks: posts now, dispatched by ets_run after user_init returns */
}
