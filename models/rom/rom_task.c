/* models/rom/rom_task.c — the ROM task scheduler: ets_task, ets_post, ets_run, ets_set_idle_cb
 * (reference/lx106.md §4.1, §4.2; protocols.md C.2).
 *
 * State is the ROM's, in guest RAM: task blocks at 0x3FFFDAC0 + 16(p-1) for priorities 1..32
 * {+0 fn, +4 queue of 8-byte events, +8 u8 qlen, +9 u8 write index, +10 u8 read index,
 * +11 u8 pending count, +12 mask 1 << (p-1)}, the ready mask at 0x3FFFDAB8, the idle callback
 * and its argument at 0x3FFFDAB0/B4 and the running priority byte at 0x3FFFC6FC.
 *
 * ets_run is a hook that never returns: every entry is one turn of the ROM's loop. It takes the
 * highest ready priority (32 - NSAU(mask)), dequeues one event, sets the running priority,
 * unlocks (PS.INTLEVEL = 0) and calls fn(&queue[read]) -- a pointer into the queue slot -- as a
 * guest call whose continuation restores the running priority (0, its value when ets_run
 * started) and leaves pc at ets_run, so the next turn follows. With nothing ready it locks
 * (INTLEVEL 3, PS saved at 0x3FFFDCC0), calls the idle callback if one is set, then executes
 * WAITI 0 (INTLEVEL 0, the core sleeps: time jumps to the next event) with pc at ets_run; the
 * interrupt that wakes it returns there. Each turn is a scheduler boundary for the soft
 * watchdog (rom_wdt.c). Costs: ETS_RUN_CYCLES per turn (table) plus ETS_RUN_DISPATCH_CYCLES for
 * a dispatch.
 *
 * Deviations: the ROM's ets_post brackets its work with ets_intr_lock/unlock, and that unlock
 * sets INTLEVEL 0 unconditionally (§4.2); the model leaves PS as it found it (the work is
 * atomic in a hook), so an ets_post from a handler does not open nested interrupts and one
 * from code that holds ets_intr_lock does not drop the lock. Queue indexes wrap by comparison
 * with qlen (no division), so a qlen of 0 does not divide by zero; priorities outside 1..32
 * address outside the table exactly as the ROM (which checks nothing) does.
 */
#include "rom_runtime.h"

#define ETS_RUN_DISPATCH_CYCLES 20u /* dequeue + call, beyond the per-turn cost */
#define ETS_TASK_BLOCK          16u

static uint32_t task_block(uint32_t prio)
{
    return ROM_RT_TASKS + ETS_TASK_BLOCK * (prio - 1u);
}

static uint8_t idx_next(uint8_t i, uint8_t qlen)
{
    return (uint8_t)(i + 1u) == qlen ? 0 : (uint8_t)(i + 1u);
}

bool rom_task_create(esp8266 *m, uint32_t fn, uint32_t prio, uint32_t queue, uint32_t qlen)
{
    uint32_t b = task_block(prio);
    const uint8_t bytes[4] = {(uint8_t)qlen, 0, 0, 0};
    return rom_write32(m, b, fn) && rom_write32(m, b + 4, queue) && rom_write(m, b + 8, bytes, 4) &&
           rom_write32(m, b + 12, 1u << ((prio - 1u) & 31u));
}

bool rom_task_post(esp8266 *m, uint32_t prio, uint32_t sig, uint32_t par, uint32_t *result)
{
    uint32_t b = task_block(prio & 0xFFu), queue, mask, ready;
    uint8_t q[4]; /* qlen, write, read, pending */
    if (!rom_read32(m, b + 4, &queue) || !rom_read(m, b + 8, q, 4)) return false;
    if (q[3] >= q[0]) {
        *result = 1; /* full: the event is dropped */
        return true;
    }
    uint32_t slot = queue + 8u * q[1];
    if (!rom_write32(m, slot, sig) || !rom_write32(m, slot + 4, par)) return false;
    q[1] = idx_next(q[1], q[0]);
    q[3]++;
    if (!rom_write(m, b + 9, &q[1], 1) || !rom_write(m, b + 11, &q[3], 1)) return false;
    if (q[3] == 1) {
        if (!rom_read32(m, b + 12, &mask) || !rom_read32(m, ROM_RT_READY, &ready) ||
            !rom_write32(m, ROM_RT_READY, ready | mask))
            return false;
    }
    *result = 0;
    return true;
}

/* void ets_set_idle_cb(void (*fn)(void *), void *arg) */
void rom_svc_ets_set_idle_cb(esp8266 *m)
{
    if (!rom_write32(m, ROM_RT_IDLE_CB, rom_arg(m, 0)) ||
        !rom_write32(m, ROM_RT_IDLE_CB + 4, rom_arg(m, 1)))
        return;
    rom_return_void(m);
}

/* void ets_task(ETSTask fn, uint8 prio, ETSEvent *queue, uint8 qlen): no checks (§4.2). */
void rom_svc_ets_task(esp8266 *m)
{
    if (!rom_task_create(m, rom_arg(m, 0), rom_arg(m, 1) & 0xFFu, rom_arg(m, 2),
                         rom_arg(m, 3) & 0xFFu))
        return;
    rom_return_void(m);
}

/* uint32 ets_post(uint8 prio, uint32 sig, uint32 par): 0 queued, 1 queue full (dropped). */
void rom_svc_ets_post(esp8266 *m)
{
    uint32_t r;
    if (!rom_task_post(m, rom_arg(m, 0), rom_arg(m, 1), rom_arg(m, 2), &r)) return;
    rom_return(m, r);
}

/* ---- ets_run ------------------------------------------------------------------------------- */

/* After a task returned: restore the running priority; pc is ets_run again (next turn). */
static void ets_run_task_done(void *opaque, sim_node *n, uint32_t ret)
{
    esp8266 *m = opaque;
    const uint8_t none = 0;
    (void)n;
    (void)ret;
    rom_write(m, ROM_RT_CUR_PRIO, &none, 1);
}

/* WAITI 0 at ets_run: the wake-up interrupt returns to ets_run. */
static void ets_run_waiti(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    c->sr[XT_SR_PS] &= ~XT_PS_INTLEVEL;
    xt_wait(c);
}

static void ets_run_idle_done(void *opaque, sim_node *n, uint32_t ret)
{
    (void)n;
    (void)ret;
    ets_run_waiti(opaque);
}

/* void ets_run(void): one turn of the loop per entry (see the header comment). */
void rom_svc_ets_run(esp8266 *m)
{
    xt_cpu *c = rom_cpu(m);
    const uint8_t none = 0;
    uint32_t ready;
    rom_wdt_task_boundary(m);
    if (!rom_write(m, ROM_RT_CUR_PRIO, &none, 1) || !rom_read32(m, ROM_RT_READY, &ready)) return;
    uint32_t prio = ready ? 32u - (uint32_t)__builtin_clz(ready) : 0u;
    if (prio == 0) {
        uint32_t ps = c->sr[XT_SR_PS], idle[2];
        c->sr[XT_SR_PS] = (ps & ~XT_PS_INTLEVEL) | 3u; /* ets_intr_lock */
        c->check_irq = true;
        if (!rom_write32(m, ROM_RT_INTR_PS, ps) || !rom_read(m, ROM_RT_IDLE_CB, idle, 8)) return;
        if (idle[0]) {
            sim_node_call_as(&m->node, SIM_CTX_IDLE_CB, 0, idle[0], &idle[1], 1, ets_run_idle_done,
                             m);
            return;
        }
        ets_run_waiti(m);
        return;
    }
    uint32_t b = task_block(prio), fn, queue, mask;
    uint8_t q[4]; /* qlen, write, read, pending */
    if (!rom_read32(m, b, &fn) || !rom_read32(m, b + 4, &queue) || !rom_read(m, b + 8, q, 4))
        return;
    uint32_t slot = queue + 8u * q[2];
    q[2] = idx_next(q[2], q[0]);
    q[3]--;
    if (!rom_write(m, b + 10, &q[2], 2)) return;
    if (q[3] == 0) {
        if (!rom_read32(m, b + 12, &mask) || !rom_write32(m, ROM_RT_READY, ready & ~mask)) return;
    }
    const uint8_t p8 = (uint8_t)prio;
    if (!rom_write(m, ROM_RT_CUR_PRIO, &p8, 1)) return;
    c->sr[XT_SR_PS] &= ~XT_PS_INTLEVEL; /* ets_intr_unlock */
    c->check_irq = true;
    xt_charge(c, ETS_RUN_DISPATCH_CYCLES);
    if (!sim_node_call_as(&m->node, SIM_CTX_TASK, prio, fn, &slot, 1, ets_run_task_done, m))
        sim_node_fault(&m->node, "ets_run: task of priority %u has no function (NULL)", prio);
}

/* ---- for models outside the ROM (rom.h) ----------------------------------------------------- */

bool esp_rom_task_create(esp8266 *m, uint32_t fn, uint32_t prio, uint32_t queue, uint32_t qlen)
{
    return rom_task_create(m, fn, prio, queue, qlen);
}

bool esp_rom_post(esp8266 *m, uint32_t prio, uint32_t sig, uint32_t par, bool *full)
{
    uint32_t r = 0;
    bool ok = rom_task_post(m, prio, sig, par, &r);
    *full = r != 0;
    return ok;
}

bool esp_rom_isr_attach(esp8266 *m, uint32_t inum, uint32_t fn, uint32_t arg)
{
    uint32_t prev;
    return rom_intr_attach(m, inum, fn, arg, &prev);
}

bool esp_rom_int_enable(esp8266 *m, uint32_t mask)
{
    uint32_t old;
    return rom_intr_ints(m, mask, true, &old);
}

bool esp_rom_read(esp8266 *m, uint32_t addr, void *dst, size_t len)
{
    return rom_read(m, addr, dst, len);
}

bool esp_rom_write(esp8266 *m, uint32_t addr, const void *src, size_t len)
{
    return rom_write(m, addr, src, len);
}
