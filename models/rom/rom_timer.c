/* models/rom/rom_timer.c — the software timers on FRC2 with the NONOS SDK's semantics
 * (protocols.md C.6; reference/lx106.md §3.7, §4.3; the SDK 3.0.x libmain ets_timer.o, whose
 * disassembly the details below were checked against).
 *
 * ETSTimer (20 bytes, firmware RAM): +0 next (0xFFFFFFFF = not armed, 0 = end), +4 expire
 * (absolute FRC2 tick), +8 period (ticks, 0 = one-shot), +12 func, +16 arg. One list, head at
 * 0x3FFFDDB0, sorted by expire with signed 32-bit differences (FRC2 wraps); a timer goes before
 * the first one whose expire is >= its own, so equal deadlines run newest first. 0x3FFFDDB4 /
 * 0x3FFFDDB8 record the timer being called and its function.
 *
 * Clock mode: FRC2 runs at 80 MHz / 256 (CTRL 0x88, "ms mode", 3.2 us per tick) after
 * ets_timer_init, or / 16 (CTRL 0x84, "us mode", 0.2 us per tick) after system_timer_reinit. The
 * SDK keeps the mode in a libmain flag (timer2_ms_flag); here it is read from the FRC2 prescaler
 * bits, the only place the ROM model can keep it (so ets_timer_init after system_timer_reinit
 * goes back to ms mode, consistently with the clock it programs).
 *
 * Alarm programming (SDK ets_timer_intr_set + ets_rtc_timer_arm), for the head's expire E, with
 * lead L = 80 ticks (ms mode) or 1280 (us mode), i.e. 256 us, and now = FRC2 COUNT:
 *   E - (now + L) >= 1 -> ALARM = E;  E - now < 1 -> ALARM = now + L;  else ALARM = E + 64 + L;
 * then if ALARM - COUNT < 1 -> ALARM = COUNT + 80.
 *
 * Expiry: FRC2 interrupt 10 -> the ISR at ESP_ROM_TIMER_ISR posts (31, 0, 0) -> ets_run calls
 * the task at ESP_ROM_TIMER_TASK, which runs ets_timer_handler_isr when sig == 0: remember
 * now = COUNT and the WDEV microsecond counter; loop: head not yet due (expire - now >= 1) ->
 * program the alarm for it and return; else pop it (next = -1); if periodic, re-insert it at
 * expire + period, or at now + period when this call has been running more than 15000 us; then
 * call func(arg) (a guest call, interrupts open), re-read COUNT and go on. The loop state
 * between callbacks is in guest registers (a4 = the start time), saved by the guest call.
 *
 * Messages (through ets_printf, as the SDK's os_printf): "timer:%p cb is null\n" (arm without a
 * function), "err1,exceed max time value\n" (us mode, ms argument > 428496), "err2,..." (us mode,
 * us argument > 428496729), "err3,..." (ms mode, > 6870947 ms); the ROM's fatal ones
 * "ets_timer.c 231\n" (ets_timer_done on an armed timer) and the SDK's "tim 222\n" (a timer
 * inserted after itself) are followed by a hang at ROM_TIMER_HANG.
 *
 * The ROM's own ets_timer_arm entry behaves as the SDK's os_timer_arm, ets_timer_arm_new(t, ms,
 * repeat, 1): an armed timer is re-armed (the ROM would print "ets_timer.c 185" and hang) and the
 * SDK's tick formula and alarm margins are used, not the ROM's (§4.3).
 *
 * Costs (cycles, estimates): fixed parts in the service table; TIMER_WALK_CYCLES per list entry
 * visited; TIMER_CALL_CYCLES per callback. A list longer than TIMER_LIST_MAX (a cycle in guest
 * memory) stops the node instead of hanging the host.
 */
#include <string.h>

#include "rom_runtime.h"

#define TIMER_UNARMED     0xFFFFFFFFu
#define TIMER_WALK_CYCLES 6u
#define TIMER_CALL_CYCLES 40u
#define TIMER_LIST_MAX    100000u
#define TIMER_REBASE_US   15000u
#define TIMER_LEAD_MS     80u   /* minimum alarm lead in ticks, ms mode */
#define TIMER_LEAD_US     1280u /* the same in us mode */
#define TIMER_MIN_AHEAD   80u   /* ets_rtc_timer_arm's floor */
#define TIMER_LATE_EXTRA  64u
#define FRC2_CTRL_MS      0x88u /* enable, / 256, edge */
#define FRC2_CTRL_US      0x84u /* enable, / 16, edge */

/* ---- helpers --------------------------------------------------------------------------------- */

static bool frc2_count(esp8266 *m, uint32_t *v)
{
    return rom_read32(m, ROM_RT_FRC2_COUNT, v);
}

static bool timer_us_mode(esp8266 *m, bool *us)
{
    uint32_t ctrl;
    if (!rom_read32(m, ROM_RT_FRC2_CTRL, &ctrl)) return false;
    *us = ((ctrl >> 2) & 3u) == 1u;
    return true;
}

/* ets_timer_intr_set + ets_rtc_timer_arm: ALARM for a head that expires at expire. */
static bool timer_set_alarm(esp8266 *m, uint32_t expire)
{
    uint32_t now, v;
    bool us;
    if (!frc2_count(m, &now) || !timer_us_mode(m, &us)) return false;
    uint32_t lead = us ? TIMER_LEAD_US : TIMER_LEAD_MS;
    if ((int32_t)(expire - (now + lead)) >= 1)
        v = expire;
    else if ((int32_t)(expire - now) < 1)
        v = now + lead;
    else
        v = expire + TIMER_LATE_EXTRA + lead;
    if (!frc2_count(m, &now)) return false;
    if ((int32_t)(v - now) < 1) v = now + TIMER_MIN_AHEAD;
    return rom_write32(m, ROM_RT_FRC2_ALARM, v);
}

static void list_too_long(esp8266 *m)
{
    sim_node_fault(&m->node,
                   "ETS timer list at 0x%08x is longer than %u entries (a timer links back into "
                   "the list)",
                   ROM_RT_TIMER_HEAD, TIMER_LIST_MAX);
}

/* Prints a message through ets_printf (the strings are written into ROM data first) and goes
 * on at ret: the caller's return address, or ROM_TIMER_HANG for the fatal ones. */
static void timer_print(esp8266 *m, uint32_t fmt, uint32_t a3, uint32_t a4, uint32_t ret)
{
    static const struct {
        uint32_t addr;
        const char *s;
    } strs[] = {
        {ROM_RT_STR_CB_NULL, "timer:%p cb is null\n"},
        {ROM_RT_STR_EXCEED, "err%u,exceed max time value\n"},
        {ROM_RT_STR_LINE, "%s %u\n"},
        {ROM_RT_STR_FILE, "ets_timer.c"},
        {ROM_RT_STR_TIM, "tim"},
    };
    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        memcpy(m->rom_mem + (strs[i].addr - ESP_ROM_BASE), strs[i].s, strlen(strs[i].s) + 1);
    xt_cpu *c = rom_cpu(m);
    c->a[0] = ret;
    c->a[2] = fmt;
    c->a[3] = a3;
    c->a[4] = a4;
    c->pc = ROM_ets_printf;
}

/* timer_insert(expire, t): sorted insert; reprograms the alarm when t becomes the head. Sets
 * *hung when the SDK's "tim 222" check fired (pc already moved). */
static bool timer_insert(esp8266 *m, uint32_t expire, uint32_t t, bool *hung)
{
    uint32_t prev = 0, cur;
    *hung = false;
    if (!rom_read32(m, ROM_RT_TIMER_HEAD, &cur)) return false;
    for (unsigned i = 0; cur; i++) {
        uint32_t e;
        if (i >= TIMER_LIST_MAX) {
            list_too_long(m);
            return false;
        }
        if (!rom_read32(m, cur + 4, &e)) return false;
        xt_charge(rom_cpu(m), TIMER_WALK_CYCLES);
        if ((int32_t)(expire - e) < 1) break;
        prev = cur;
        if (!rom_read32(m, cur, &cur)) return false;
    }
    if (!rom_write32(m, t, cur) || !rom_write32(m, t + 4, expire)) return false;
    if (prev) {
        if (!rom_write32(m, prev, t)) return false;
    } else if (!rom_write32(m, ROM_RT_TIMER_HEAD, t) || !timer_set_alarm(m, expire)) {
        return false;
    }
    if (cur == t) {
        timer_print(m, ROM_RT_STR_LINE, ROM_RT_STR_TIM, 222, ROM_TIMER_HANG);
        *hung = true;
    }
    return true;
}

/* ets_timer_disarm(t): unlink if listed (reprogramming the alarm for a new head), next = -1,
 * period = 0. */
static bool timer_disarm(esp8266 *m, uint32_t t)
{
    uint32_t prev = 0, cur;
    if (!rom_read32(m, ROM_RT_TIMER_HEAD, &cur)) return false;
    for (unsigned i = 0; cur && cur != t; i++) {
        if (i >= TIMER_LIST_MAX) {
            list_too_long(m);
            return false;
        }
        xt_charge(rom_cpu(m), TIMER_WALK_CYCLES);
        prev = cur;
        if (!rom_read32(m, cur, &cur)) return false;
    }
    if (cur == t && t) {
        uint32_t next;
        if (!rom_read32(m, t, &next)) return false;
        if (prev) {
            if (!rom_write32(m, prev, next)) return false;
        } else {
            uint32_t e;
            if (!rom_write32(m, ROM_RT_TIMER_HEAD, next)) return false;
            if (next && (!rom_read32(m, next + 4, &e) || !timer_set_alarm(m, e))) return false;
        }
    }
    return rom_write32(m, t, TIMER_UNARMED) && rom_write32(m, t + 8, 0);
}

/* ets_timer_setfn semantics */
static bool timer_setfn(esp8266 *m, uint32_t t, uint32_t fn, uint32_t arg)
{
    const uint32_t w[5] = {TIMER_UNARMED, 0, 0, fn, arg};
    return rom_write(m, t, w, sizeof(w));
}

/* ets_timer_arm_new(t, time, repeat, is_ms) as the SDK's (the service returns through
 * rom_return_void or a message). */
static void timer_arm_new(esp8266 *m, uint32_t t, uint32_t time, uint32_t repeat, uint32_t is_ms)
{
    uint32_t next, func, ticks, now;
    bool us, hung;
    if (!rom_read32(m, t, &next)) return;
    if (next != TIMER_UNARMED && !timer_disarm(m, t)) return;
    if (!rom_read32(m, t + 12, &func) || !timer_us_mode(m, &us)) return;
    if (!func) {
        timer_print(m, ROM_RT_STR_CB_NULL, t, 0, rom_cpu(m)->a[0]);
        return;
    }
    if (us) {
        if (is_ms == 1) {
            if (time > 428496u) {
                timer_print(m, ROM_RT_STR_EXCEED, 1, 0, rom_cpu(m)->a[0]);
                return;
            }
            time *= 1000u;
        } else if (time > 428496729u) {
            timer_print(m, ROM_RT_STR_EXCEED, 2, 0, rom_cpu(m)->a[0]);
            return;
        }
        /* 5 ticks per us, computed as the SDK does so it cannot overflow */
        ticks = time <= 858u ? time * 5000000u / 1000000u : 20u * (time >> 2) + 5u * (time & 3u);
    } else {
        if (time > 6870947u) {
            timer_print(m, ROM_RT_STR_EXCEED, 3, 0, rom_cpu(m)->a[0]);
            return;
        }
        ticks = time > 13743u ? (time >> 2) * 1250u + (time & 3u) * 312u : time * 312500u / 1000u;
    }
    if (repeat && !rom_write32(m, t + 8, ticks)) return;
    if (!frc2_count(m, &now) || !timer_insert(m, now + ticks, t, &hung)) return;
    if (!hung) rom_return_void(m);
}

/* ---- services -------------------------------------------------------------------------------- */

/* void ets_timer_setfn(ETSTimer *t, ETSTimerFunc *fn, void *arg): next = -1, expire = period =
 * 0, func, arg (forgets a listed timer without unlinking it, as the ROM does). */
void rom_svc_ets_timer_setfn(esp8266 *m)
{
    if (!timer_setfn(m, rom_arg(m, 0), rom_arg(m, 1), rom_arg(m, 2))) return;
    rom_return_void(m);
}

/* void ets_timer_arm(ETSTimer *t, uint32 ms, bool repeat) = ets_timer_arm_new(t, ms, repeat, 1)
 * (the SDK's behaviour: an armed timer is re-armed, not the ROM's "ets_timer.c 185" hang). */
void rom_svc_ets_timer_arm(esp8266 *m)
{
    timer_arm_new(m, rom_arg(m, 0), rom_arg(m, 1), rom_arg(m, 2) & 0xFFu, 1);
}

/* espsim extension: void ets_timer_arm_new(ETSTimer *t, uint32 time, bool repeat, bool is_ms) */
void rom_svc_timer_arm_new(esp8266 *m)
{
    timer_arm_new(m, rom_arg(m, 0), rom_arg(m, 1), rom_arg(m, 2) & 0xFFu, rom_arg(m, 3) & 0xFFu);
}

/* espsim extension: void system_timer_reinit(void): FRC2 / 16 (CTRL 0x84), us mode. */
void rom_svc_timer_reinit(esp8266 *m)
{
    if (!rom_write32(m, ROM_RT_FRC2_CTRL, FRC2_CTRL_US)) return;
    rom_return_void(m);
}

/* void ets_timer_disarm(ETSTimer *t) */
void rom_svc_ets_timer_disarm(esp8266 *m)
{
    if (!timer_disarm(m, rom_arg(m, 0))) return;
    rom_return_void(m);
}

/* void ets_timer_done(ETSTimer *t): an armed timer prints "ets_timer.c 231" and hangs (ROM,
 * §4.3); otherwise setfn(t, 0, 0). */
void rom_svc_ets_timer_done(esp8266 *m)
{
    uint32_t t = rom_arg(m, 0), next;
    if (!rom_read32(m, t, &next)) return;
    if (next != TIMER_UNARMED) {
        timer_print(m, ROM_RT_STR_LINE, ROM_RT_STR_FILE, 231, ROM_TIMER_HANG);
        return;
    }
    if (!timer_setfn(m, t, 0, 0)) return;
    rom_return_void(m);
}

/* ROM_TIMER_HANG: the ROM's "j ." after a fatal timer message; time passes, interrupts are
 * served, tasks no longer run. */
void rom_svc_timer_hang(esp8266 *m)
{
    rom_wait_until(m, SIM_TIME_NEVER);
}

/* The handler loop (see the header comment); a4 = WDEV us counter at the start of the call. */
static void timer_handler_step(esp8266 *m);

static void timer_callback_done(void *opaque, sim_node *n, uint32_t ret)
{
    (void)n;
    (void)ret;
    timer_handler_step(opaque);
}

/* ets_intr_unlock: INTLEVEL 0 (the loop's lock/unlock pairs are atomic here). */
static void timer_unlock(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    c->sr[XT_SR_PS] &= ~XT_PS_INTLEVEL;
    c->check_irq = true;
}

static void timer_handler_step(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    uint32_t t, now, w[5], start_us = c->a[4];
    bool hung;
    if (!frc2_count(m, &now) || !rom_read32(m, ROM_RT_TIMER_HEAD, &t)) return;
    if (!t) {
        timer_unlock(m);
        rom_return_void(m);
        return;
    }
    if (!rom_read(m, t, w, sizeof(w))) return;
    if ((int32_t)(w[1] - now) >= 1) {
        if (!timer_set_alarm(m, w[1])) return;
        timer_unlock(m);
        rom_return_void(m);
        return;
    }
    if (!rom_write32(m, ROM_RT_TIMER_HEAD + 4, t) || !rom_write32(m, ROM_RT_TIMER_HEAD + 8, w[3]) ||
        !rom_write32(m, ROM_RT_TIMER_HEAD, w[0]) || !rom_write32(m, t, TIMER_UNARMED))
        return;
    if (w[2]) {
        uint32_t us;
        if (!rom_read32(m, ROM_RT_WDEV_US, &us)) return;
        uint32_t expire = (us - start_us > TIMER_REBASE_US ? now : w[1]) + w[2];
        if (!timer_insert(m, expire, t, &hung) || hung) return;
    }
    timer_unlock(m);
    xt_charge(c, TIMER_CALL_CYCLES);
    const uint32_t arg = w[4];
    if (!sim_node_call_as(&m->node, SIM_CTX_TIMER, 0, w[3], &arg, 1, timer_callback_done, m))
        sim_node_fault(&m->node, "ETS timer 0x%08x has no function (NULL)", t);
}

static void timer_handler_start(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    if (!rom_read32(m, ROM_RT_WDEV_US, &c->a[4])) return;
    timer_handler_step(m);
}

/* void ets_timer_handler_isr(void) */
void rom_svc_ets_timer_handler_isr(esp8266 *m)
{
    timer_handler_start(m);
}

/* ESP_ROM_TIMER_TASK: void task(ETSEvent *e): ets_timer_handler_isr() when e->sig == 0. */
void rom_svc_timer_task(esp8266 *m)
{
    uint32_t sig;
    if (!rom_read32(m, rom_arg(m, 0), &sig)) return;
    if (sig != 0) {
        rom_return_void(m);
        return;
    }
    timer_handler_start(m);
}

/* ESP_ROM_TIMER_ISR: void isr(void *arg, void *frame): ets_post(31, 0, 0) (a full queue drops
 * the event, as on the chip). */
void rom_svc_timer_isr(esp8266 *m)
{
    uint32_t r;
    if (!rom_task_post(m, ROM_RT_TIMER_PRIO, 0, 0, &r)) return;
    rom_return_void(m);
}

/* void ets_timer_init(void): empty list; ESP_ROM_TIMER_ISR on interrupt 10; DPORT edge enable
 * bit 2; interrupt 10 unmasked; task 31 (ESP_ROM_TIMER_TASK, queue 0x3FFFDDC0, length 4); FRC2
 * ALARM = 0, CTRL = 0x88, LOAD = 0. */
void rom_svc_ets_timer_init(esp8266 *m)
{
    uint32_t prev, old, dport;
    if (!rom_write32(m, ROM_RT_TIMER_HEAD, 0) ||
        !rom_intr_attach(m, ROM_RT_FRC2_INUM, ESP_ROM_TIMER_ISR, 0, &prev) ||
        !rom_read32(m, ROM_RT_DPORT_EDGE_INT, &dport) ||
        !rom_write32(m, ROM_RT_DPORT_EDGE_INT, dport | 4u) ||
        !rom_intr_ints(m, 1u << ROM_RT_FRC2_INUM, true, &old) ||
        !rom_task_create(m, ESP_ROM_TIMER_TASK, ROM_RT_TIMER_PRIO, ROM_RT_TIMER_Q,
                         ROM_RT_TIMER_QLEN) ||
        !rom_write32(m, ROM_RT_FRC2_ALARM, 0) || !rom_write32(m, ROM_RT_FRC2_CTRL, FRC2_CTRL_MS) ||
        !rom_write32(m, ROM_RT_FRC2_LOAD, 0))
        return;
    rom_return_void(m);
}
